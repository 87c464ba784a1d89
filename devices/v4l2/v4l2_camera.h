#pragma once
// The V4L2 face camera and document camera (hal::FaceCamera, hal::DocumentCamera) on V4l2Capture.
//
// A health thread owns the device's life: it opens the node (offline until that works), and while
// the camera streams it looks every health_interval at the frames that came in (handing them back
// unconverted). A camera that stops delivering for frame_timeout is treated as unplugged — UVC
// cameras that lose power or bandwidth often keep their node and just go quiet — as is ENODEV,
// EIO or POLLERR. Then the status goes offline and the thread reopens with backoff (reopen_first
// doubling up to reopen_max), so an unplug and a replug are both reported within 2 s with the
// defaults. A reopened camera is online once its first frame arrives, so a camera that opens but
// stays quiet does not flap between online and offline. Only this thread and capture() change the
// status; the listener runs on either.
//
// capture() runs on the caller's thread: it waits for a frame taken after the call (stale frames
// are dropped), at most min(timeout, frame_timeout), checking the cancel token every 100 ms.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "devices/v4l2/v4l2_capture.h"
#include "hal/document_camera.h"
#include "hal/face_camera.h"

namespace kiosk::devices::v4l2 {

struct V4l2CameraOptions {
  CaptureSettings capture;
  milliseconds frame_timeout{1500};   // no frame for this long: disconnected (cameras send ≥ 5 a second)
  milliseconds health_interval{250};  // how often a streaming camera is looked at while idle
  milliseconds reopen_first{200};     // backoff between reopen attempts, doubling …
  milliseconds reopen_max{1000};      // … up to this (keeps replug detection within 2 s)
};

// The device-independent part both camera classes share.
class V4l2Link {
 public:
  using Report = std::function<void(hal::DeviceStatus)>;
  // Starts the health thread. `report` is called with every new status (from that thread or from
  // capture()); it must not call back into the link.
  V4l2Link(V4l2CameraOptions options, Report reporter);
  ~V4l2Link();  // stops the thread within one wait slice and closes the device
  V4l2Link(const V4l2Link&) = delete;
  V4l2Link& operator=(const V4l2Link&) = delete;

  hal::CameraCapabilities capabilities() const;
  hal::DeviceResult<hal::Image> capture(const hal::CancelToken& cancel, milliseconds timeout);
  hal::DeviceStatusResult refresh(milliseconds timeout);
  // How many times the device was opened (diagnostics, tests of the reopen path).
  int opens() const;

 private:
  using Clock = std::chrono::steady_clock;
  void health_loop();
  bool check_locked();  // opens or inspects the device; true while it streams
  void close_locked(const std::string& reason);
  void report_online();  // with the device lock held
  // A new status. While offline the first cause stays (cause = false: a placeholder such as
  // "opening" that the first real cause replaces).
  void report(hal::DeviceState state, const std::string& detail, bool cause = true);
  void wake();
  hal::DeviceResult<std::unique_lock<std::timed_mutex>> lock_io(Clock::time_point deadline, const hal::CancelToken& cancel);

  const V4l2CameraOptions options_;
  const Report report_;

  std::timed_mutex io_mutex_;  // held while the device is used
  std::unique_ptr<V4l2Capture> capture_;

  mutable std::mutex state_mutex_;
  hal::DeviceStatus status_;
  bool cause_reported_ = false;
  hal::CameraCapabilities capabilities_;
  int opens_ = 0;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool wake_now_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

// Base is hal::FaceCamera or hal::DocumentCamera. Driver name "v4l2".
template <typename Base>
class V4l2Camera final : public Base {
 public:
  explicit V4l2Camera(V4l2CameraOptions options)
      : Base("v4l2"), link_(std::move(options), [this](hal::DeviceStatus status) { this->set_status(std::move(status)); }) {}

  hal::CameraCapabilities capabilities() const override { return link_.capabilities(); }
  hal::DeviceResult<hal::Image> capture(const hal::CancelToken& cancel, milliseconds timeout) override {
    return link_.capture(cancel, timeout);
  }
  hal::DeviceStatusResult refresh(milliseconds timeout) override { return link_.refresh(timeout); }
  int opens() const { return link_.opens(); }

 private:
  V4l2Link link_;  // last: its thread stops before the rest goes
};

using V4l2FaceCamera = V4l2Camera<hal::FaceCamera>;
using V4l2DocumentCamera = V4l2Camera<hal::DocumentCamera>;

}  // namespace kiosk::devices::v4l2
