#pragma once
// One open V4L2 capture device, streaming: open O_RDWR|O_NONBLOCK, VIDIOC_QUERYCAP, ENUM_FMT, S_FMT
// (YUYV preferred — no decoding; MJPEG when the camera offers no YUYV), REQBUFS with kBufferCount
// MMAP buffers, QBUF each, STREAMON. Frames are dequeued (DQBUF), converted and queued again (QBUF).
// The destructor stops streaming, unmaps the buffers and closes the device.
//
// Not thread-safe: one owner (devices/v4l2/v4l2_camera.h serialises access). Every wait is a poll()
// of at most kWaitSlice, after which the cancel token is checked. poll rather than select: select's
// fd_set cannot hold descriptors ≥ FD_SETSIZE (1024), and a kiosk process holds many.
// A vanished camera (ENODEV, EIO, POLLERR) makes every call fail with no_device or io; the owner
// then destroys this object and opens a new one when the camera is back.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/v4l2/v4l2_frame.h"
#include "hal/device.h"
#include "hal/image.h"

namespace kiosk::devices::v4l2 {

using std::chrono::milliseconds;

inline constexpr int kBufferCount = 4;          // enough to keep streaming while one frame is converted
inline constexpr milliseconds kWaitSlice{100};  // longest single wait; the cancel token is seen after it

struct CaptureSettings {
  std::string path = "/dev/video0";
  int width = 640;  // asked for; the driver picks the nearest size it has (layout() says which)
  int height = 480;
  hal::PixelFormat output = hal::PixelFormat::rgb24;
};

class V4l2Capture {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens the device, negotiates the format, maps the buffers and starts streaming. Errors:
  // no_device (no such node), unsupported (not a streaming capture device; neither YUYV nor MJPEG),
  // io (the OS refused; errno text in the message, with the path).
  static hal::DeviceResult<std::unique_ptr<V4l2Capture>> open(const CaptureSettings& settings);
  ~V4l2Capture();
  V4l2Capture(const V4l2Capture&) = delete;
  V4l2Capture& operator=(const V4l2Capture&) = delete;

  const FrameLayout& layout() const { return layout_; }
  // The driver's name for the camera ("HD Pro Webcam C920"), for diagnostics.
  const std::string& card() const { return card_; }
  // "YUYV 640x480, HD Pro Webcam C920"
  std::string describe() const;

  // Hands frames that are already waiting back to the driver without converting them (they are
  // stale: taken before the caller asked). Returns how many. Never blocks.
  hal::DeviceResult<int> drain();

  // Waits up to `timeout` for a frame taken after the call, converts it and queues its buffer
  // again. Corrupt frames (V4L2_BUF_FLAG_ERROR, a broken JPEG, a short YUYV frame) are skipped.
  // Errors: timeout (no frame), bad_data (only corrupt frames came), cancelled, no_device / io
  // (the camera is gone).
  hal::DeviceResult<hal::Image> next_frame(const hal::CancelToken& cancel, milliseconds timeout);

  // When a frame (good or corrupt) last arrived; STREAMON counts as the first.
  Clock::time_point last_frame() const { return last_frame_; }
  int corrupt_frames() const { return corrupt_frames_; }
  // Frames dequeued since STREAMON (good, corrupt or drained): the camera has delivered.
  int frames_seen() const { return frames_seen_; }

 private:
  struct Buffer {
    void* start = nullptr;
    std::size_t length = 0;
  };
  enum class Dequeued { frame, none, failed };

  V4l2Capture(CaptureSettings settings, int fd);
  Result<void, hal::DeviceError> query_capabilities();
  Result<void, hal::DeviceError> negotiate_format();
  Result<void, hal::DeviceError> map_buffers();
  Result<void, hal::DeviceError> start_streaming();
  hal::DeviceError os_error(const char* what, int error) const;

  // One DQBUF. On `frame` the buffer index and used size are set; on `failed`, error_.
  Dequeued dequeue(unsigned& index, std::size_t& used, bool& corrupt);
  Result<void, hal::DeviceError> requeue(unsigned index);

  const CaptureSettings settings_;
  const int fd_;
  FrameLayout layout_;
  std::string card_;
  std::vector<Buffer> buffers_;
  bool streaming_ = false;
  hal::DeviceError error_;
  Clock::time_point last_frame_ = Clock::now();
  int corrupt_frames_ = 0;
  int frames_seen_ = 0;
};

}  // namespace kiosk::devices::v4l2
