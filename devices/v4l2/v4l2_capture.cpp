// The V4L2 streaming I/O sequence (QUERYCAP → ENUM_FMT → S_FMT → REQBUFS → QUERYBUF/mmap → QBUF →
// STREAMON; poll → DQBUF → convert → QBUF) on one device node.
#include "devices/v4l2/v4l2_capture.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <span>

namespace kiosk::devices::v4l2 {
namespace {

using hal::DeviceErrorCode;

int xioctl(int fd, unsigned long request, void* argument) {
  int result = 0;
  do {
    result = ::ioctl(fd, request, argument);
  } while (result == -1 && errno == EINTR);
  return result;
}

// The errors a vanished device gives: the node is gone, or the driver cut it off.
bool device_gone(int error) { return error == ENODEV || error == ENXIO || error == ENOENT || error == EIO; }

std::string text_field(const std::uint8_t* field, std::size_t size) {
  const auto* begin = reinterpret_cast<const char*>(field);
  return std::string(begin, strnlen(begin, size));
}

}  // namespace

V4l2Capture::V4l2Capture(CaptureSettings settings, int fd) : settings_(std::move(settings)), fd_(fd) {}

V4l2Capture::~V4l2Capture() {
  if (streaming_) {
    int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(fd_, VIDIOC_STREAMOFF, &type);
  }
  for (const Buffer& buffer : buffers_) ::munmap(buffer.start, buffer.length);
  if (!buffers_.empty()) {
    v4l2_requestbuffers request{};
    request.count = 0;
    request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    request.memory = V4L2_MEMORY_MMAP;
    xioctl(fd_, VIDIOC_REQBUFS, &request);
  }
  ::close(fd_);
}

hal::DeviceError V4l2Capture::os_error(const char* what, int error) const {
  const DeviceErrorCode code = device_gone(error) ? (error == EIO ? DeviceErrorCode::io : DeviceErrorCode::no_device)
                                                  : DeviceErrorCode::io;
  return hal::device_error(code, settings_.path + ": " + what + ": " + std::strerror(error));
}

hal::DeviceResult<std::unique_ptr<V4l2Capture>> V4l2Capture::open(const CaptureSettings& settings) {
  const int fd = ::open(settings.path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const DeviceErrorCode code = device_gone(error) ? DeviceErrorCode::no_device : DeviceErrorCode::io;
    return hal::device_error(code, settings.path + ": open: " + std::strerror(error));
  }
  std::unique_ptr<V4l2Capture> capture(new V4l2Capture(settings, fd));
  TRY_STATUS(capture->query_capabilities());
  TRY_STATUS(capture->negotiate_format());
  TRY_STATUS(capture->map_buffers());
  TRY_STATUS(capture->start_streaming());
  return capture;
}

Result<void, hal::DeviceError> V4l2Capture::query_capabilities() {
  v4l2_capability capability{};
  if (xioctl(fd_, VIDIOC_QUERYCAP, &capability) != 0) {
    const int error = errno;
    if (error == ENOTTY || error == EINVAL) {
      return hal::device_error(DeviceErrorCode::unsupported, settings_.path + ": not a V4L2 device");
    }
    return os_error("VIDIOC_QUERYCAP", error);
  }
  card_ = text_field(capability.card, sizeof capability.card);
  // device_caps describe this node; capabilities the whole device (a UVC camera's metadata node
  // shares the device with its capture node).
  const std::uint32_t caps =
      (capability.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? capability.device_caps : capability.capabilities;
  if ((caps & V4L2_CAP_VIDEO_CAPTURE) == 0 || (caps & V4L2_CAP_STREAMING) == 0) {
    return hal::device_error(DeviceErrorCode::unsupported,
                             settings_.path + ": " + card_ + " is not a streaming video capture node");
  }
  return {};
}

Result<void, hal::DeviceError> V4l2Capture::negotiate_format() {
  std::vector<std::uint32_t> offered;
  for (std::uint32_t index = 0; index < 64; ++index) {
    v4l2_fmtdesc description{};
    description.index = index;
    description.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd_, VIDIOC_ENUM_FMT, &description) != 0) break;
    offered.push_back(description.pixelformat);
  }
  auto offers = [&offered](std::uint32_t fourcc) { return std::find(offered.begin(), offered.end(), fourcc) != offered.end(); };
  std::uint32_t wanted = 0;
  if (offers(V4L2_PIX_FMT_YUYV)) {
    wanted = V4L2_PIX_FMT_YUYV;
  } else if (offers(V4L2_PIX_FMT_MJPEG)) {
    wanted = V4L2_PIX_FMT_MJPEG;
  } else {
    std::string list;
    for (std::uint32_t fourcc : offered) list += (list.empty() ? "" : ", ") + fourcc_name(fourcc);
    return hal::device_error(DeviceErrorCode::unsupported,
                             settings_.path + ": offers neither YUYV nor MJPG (offers: " + (list.empty() ? "nothing" : list) + ")");
  }
  v4l2_format format{};
  format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  format.fmt.pix.width = static_cast<std::uint32_t>(settings_.width);
  format.fmt.pix.height = static_cast<std::uint32_t>(settings_.height);
  format.fmt.pix.pixelformat = wanted;
  format.fmt.pix.field = V4L2_FIELD_ANY;
  if (xioctl(fd_, VIDIOC_S_FMT, &format) != 0) return os_error("VIDIOC_S_FMT", errno);
  if (format.fmt.pix.pixelformat != wanted) {
    return hal::device_error(DeviceErrorCode::unsupported, settings_.path + ": asked for " + fourcc_name(wanted) +
                                                               ", the driver set " + fourcc_name(format.fmt.pix.pixelformat));
  }
  // The driver picks the nearest size it has; take it, within what a frame may be.
  layout_.encoding = wanted == V4L2_PIX_FMT_YUYV ? FrameEncoding::yuyv : FrameEncoding::mjpeg;
  layout_.width = static_cast<int>(std::min<std::uint32_t>(format.fmt.pix.width, kMaxFrameSide + 1));
  layout_.height = static_cast<int>(std::min<std::uint32_t>(format.fmt.pix.height, kMaxFrameSide + 1));
  layout_.bytes_per_line = format.fmt.pix.bytesperline;
  if (layout_.width < 2 || layout_.height < 2 || layout_.width > kMaxFrameSide || layout_.height > kMaxFrameSide) {
    return hal::device_error(DeviceErrorCode::unsupported,
                             settings_.path + ": the driver set an unusable size " + std::to_string(format.fmt.pix.width) +
                                 "x" + std::to_string(format.fmt.pix.height));
  }
  return {};
}

Result<void, hal::DeviceError> V4l2Capture::map_buffers() {
  v4l2_requestbuffers request{};
  request.count = kBufferCount;
  request.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  request.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_REQBUFS, &request) != 0) return os_error("VIDIOC_REQBUFS", errno);
  if (request.count < 2) {
    return hal::device_error(DeviceErrorCode::io, settings_.path + ": the driver gave only " +
                                                      std::to_string(request.count) + " buffer(s)");
  }
  for (std::uint32_t index = 0; index < request.count; ++index) {
    v4l2_buffer buffer{};
    buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buffer.memory = V4L2_MEMORY_MMAP;
    buffer.index = index;
    if (xioctl(fd_, VIDIOC_QUERYBUF, &buffer) != 0) return os_error("VIDIOC_QUERYBUF", errno);
    void* start = ::mmap(nullptr, buffer.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buffer.m.offset);
    if (start == MAP_FAILED) return os_error("mmap", errno);
    buffers_.push_back({start, buffer.length});
  }
  return {};
}

Result<void, hal::DeviceError> V4l2Capture::start_streaming() {
  for (unsigned index = 0; index < buffers_.size(); ++index) TRY_STATUS(requeue(index));
  int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd_, VIDIOC_STREAMON, &type) != 0) return os_error("VIDIOC_STREAMON", errno);
  streaming_ = true;
  last_frame_ = Clock::now();
  return {};
}

std::string V4l2Capture::describe() const {
  return std::string(to_string(layout_.encoding)) + " " + std::to_string(layout_.width) + "x" +
         std::to_string(layout_.height) + (card_.empty() ? "" : ", " + card_);
}

Result<void, hal::DeviceError> V4l2Capture::requeue(unsigned index) {
  v4l2_buffer buffer{};
  buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  buffer.memory = V4L2_MEMORY_MMAP;
  buffer.index = index;
  if (xioctl(fd_, VIDIOC_QBUF, &buffer) != 0) return os_error("VIDIOC_QBUF", errno);
  return {};
}

V4l2Capture::Dequeued V4l2Capture::dequeue(unsigned& index, std::size_t& used, bool& corrupt) {
  v4l2_buffer buffer{};
  buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  buffer.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_DQBUF, &buffer) != 0) {
    if (errno == EAGAIN) return Dequeued::none;
    error_ = os_error("VIDIOC_DQBUF", errno);
    return Dequeued::failed;
  }
  if (buffer.index >= buffers_.size()) {
    error_ = hal::device_error(DeviceErrorCode::io, settings_.path + ": the driver returned buffer " +
                                                        std::to_string(buffer.index) + " of " + std::to_string(buffers_.size()));
    return Dequeued::failed;
  }
  last_frame_ = Clock::now();
  ++frames_seen_;
  index = buffer.index;
  used = std::min<std::size_t>(buffer.bytesused, buffers_[index].length);
  corrupt = (buffer.flags & V4L2_BUF_FLAG_ERROR) != 0 || used == 0;
  return Dequeued::frame;
}

hal::DeviceResult<int> V4l2Capture::drain() {
  int drained = 0;
  // At most one pass over the buffers: a camera that fills them as fast as we return them has
  // nothing stale left after that.
  for (std::size_t pass = 0; pass < buffers_.size(); ++pass) {
    unsigned index = 0;
    std::size_t used = 0;
    bool corrupt = false;
    const Dequeued result = dequeue(index, used, corrupt);
    if (result == Dequeued::none) break;
    if (result == Dequeued::failed) return error_;
    TRY_STATUS(requeue(index));
    ++drained;
  }
  return drained;
}

hal::DeviceResult<hal::Image> V4l2Capture::next_frame(const hal::CancelToken& cancel, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  TRY(drain());
  int corrupt_here = 0;
  std::string last_problem;
  for (;;) {
    if (cancel.cancelled()) return hal::device_error(DeviceErrorCode::cancelled, settings_.path + ": cancelled");
    const auto now = Clock::now();
    if (now >= deadline) break;
    const auto remaining = std::chrono::ceil<milliseconds>(deadline - now);
    pollfd waiting{fd_, POLLIN, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(std::min(remaining, kWaitSlice).count()));
    if (ready < 0 && errno != EINTR) return os_error("poll", errno);
    if (ready <= 0) continue;
    // POLLERR/POLLHUP: DQBUF tells what happened (ENODEV after an unplug).
    unsigned index = 0;
    std::size_t used = 0;
    bool corrupt = false;
    const Dequeued result = dequeue(index, used, corrupt);
    if (result == Dequeued::failed) return error_;
    if (result == Dequeued::none) {
      if ((waiting.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
        return hal::device_error(DeviceErrorCode::no_device, settings_.path + ": the device reports an error (poll)");
      }
      continue;
    }
    Result<hal::Image> image = corrupt ? Result<hal::Image>(Error::make(ErrorKind::parse, "frame flagged as corrupt by the driver"))
                                       : convert_frame(std::span(static_cast<const std::uint8_t*>(buffers_[index].start), used),
                                                       layout_, settings_.output);
    TRY_STATUS(requeue(index));
    if (image.ok()) return image.release_value();
    ++corrupt_here;
    ++corrupt_frames_;
    last_problem = image.error().message;
  }
  if (corrupt_here > 0) {
    return hal::device_error(DeviceErrorCode::bad_data, settings_.path + ": " + std::to_string(corrupt_here) +
                                                            " corrupt frame(s) and no good one in " +
                                                            std::to_string(timeout.count()) + " ms; last: " + last_problem);
  }
  return hal::device_error(DeviceErrorCode::timeout,
                           settings_.path + ": no frame in " + std::to_string(timeout.count()) + " ms");
}

}  // namespace kiosk::devices::v4l2
