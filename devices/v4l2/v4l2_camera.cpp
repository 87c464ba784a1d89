// The cameras' health thread (open, idle check, reopen with backoff) and capture().
#include "devices/v4l2/v4l2_camera.h"

#include <algorithm>

namespace kiosk::devices::v4l2 {
namespace {

using hal::DeviceErrorCode;

bool is_disconnect(DeviceErrorCode code) {
  return code != DeviceErrorCode::cancelled && code != DeviceErrorCode::timeout && code != DeviceErrorCode::bad_data;
}

}  // namespace

V4l2Link::V4l2Link(V4l2CameraOptions options, Report reporter)
    : options_(std::move(options)), report_(std::move(reporter)) {
  capabilities_ = {options_.capture.width, options_.capture.height, false};
  report(hal::DeviceState::offline, options_.capture.path + ": opening", false);
  thread_ = std::thread([this] { health_loop(); });
}

V4l2Link::~V4l2Link() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

hal::CameraCapabilities V4l2Link::capabilities() const {
  std::lock_guard lock(state_mutex_);
  return capabilities_;
}

int V4l2Link::opens() const {
  std::lock_guard lock(state_mutex_);
  return opens_;
}

void V4l2Link::report(hal::DeviceState state, const std::string& detail, bool cause) {
  hal::DeviceStatus status;
  status.state = state;
  status.detail = detail;
  {
    std::lock_guard lock(state_mutex_);
    // While offline the first cause stays: each reopen attempt's errno is not a new status.
    if (state == hal::DeviceState::offline && status_.state == state && cause_reported_) return;
    cause_reported_ = state != hal::DeviceState::online && cause;
    if (status_ == status) return;
    status_ = status;
  }
  report_(std::move(status));
}

void V4l2Link::wake() {
  {
    std::lock_guard lock(wake_mutex_);
    wake_now_ = true;
  }
  wake_.notify_all();
}

// ---- the health thread ----

void V4l2Link::health_loop() {
  milliseconds backoff = options_.reopen_first;
  for (;;) {
    bool streaming = false;
    {
      std::unique_lock io(io_mutex_, std::try_to_lock);
      // A capture under way is itself the health check; look again after it.
      streaming = io.owns_lock() ? check_locked() : true;
    }
    milliseconds wait = options_.health_interval;
    if (streaming) {
      backoff = options_.reopen_first;
    } else {
      wait = backoff;
      backoff = std::min(backoff * 2, options_.reopen_max);
    }
    std::unique_lock lock(wake_mutex_);
    wake_.wait_for(lock, wait, [this] { return stopping_ || wake_now_; });
    if (wake_now_) backoff = options_.reopen_first;  // capture() just lost the camera: try at once
    wake_now_ = false;
    if (stopping_) return;
  }
}

bool V4l2Link::check_locked() {
  if (!capture_) {
    auto opened = V4l2Capture::open(options_.capture);
    if (!opened.ok()) {
      const bool absent = opened.error().code == DeviceErrorCode::no_device || opened.error().code == DeviceErrorCode::io;
      report(absent ? hal::DeviceState::offline : hal::DeviceState::hardware_error, opened.error().message);
      return false;
    }
    capture_ = opened.release_value();
    std::lock_guard lock(state_mutex_);
    ++opens_;
    capabilities_ = {capture_->layout().width, capture_->layout().height, false};
    return true;  // online once a frame arrives
  }
  auto drained = capture_->drain();
  if (!drained.ok()) {
    close_locked(drained.error().message);
    return false;
  }
  const auto silent = std::chrono::duration_cast<milliseconds>(Clock::now() - capture_->last_frame());
  if (silent >= options_.frame_timeout) {
    close_locked(options_.capture.path + ": no frame for " + std::to_string(silent.count()) +
                 " ms (treated as a disconnect)");
    return false;
  }
  if (capture_->frames_seen() > 0) report_online();
  return true;
}

void V4l2Link::report_online() { report(hal::DeviceState::online, options_.capture.path + ": " + capture_->describe()); }

void V4l2Link::close_locked(const std::string& reason) {
  capture_.reset();
  report(hal::DeviceState::offline, reason);
}

// ---- calls from the app ----

hal::DeviceResult<std::unique_lock<std::timed_mutex>> V4l2Link::lock_io(Clock::time_point deadline,
                                                                        const hal::CancelToken& cancel) {
  std::unique_lock lock(io_mutex_, std::defer_lock);
  while (!lock.try_lock_for(kWaitSlice)) {
    if (cancel.cancelled()) return hal::device_error(DeviceErrorCode::cancelled, options_.capture.path + ": cancelled while busy");
    if (Clock::now() >= deadline) return hal::device_error(DeviceErrorCode::timeout, options_.capture.path + ": busy past the deadline");
  }
  return lock;
}

hal::DeviceResult<hal::Image> V4l2Link::capture(const hal::CancelToken& cancel, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto lock = TRY(lock_io(deadline, cancel));
  if (!capture_) {
    std::lock_guard state(state_mutex_);
    return hal::device_error(DeviceErrorCode::offline, "camera offline: " + status_.detail);
  }
  const auto remaining = std::max(milliseconds{0}, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
  auto frame = capture_->next_frame(cancel, std::min(remaining, options_.frame_timeout));
  if (frame.ok()) {
    report_online();
    return frame;
  }
  const hal::DeviceError& error = frame.error();
  const bool silent_too_long = error.code == DeviceErrorCode::timeout &&
                               Clock::now() - capture_->last_frame() >= options_.frame_timeout;
  if (silent_too_long || is_disconnect(error.code)) {
    close_locked(silent_too_long ? error.message + " (treated as a disconnect)" : error.message);
    lock.unlock();
    wake();
  }
  return frame;
}

hal::DeviceStatusResult V4l2Link::refresh(milliseconds timeout) {
  auto lock = TRY(lock_io(Clock::now() + timeout, hal::CancelToken{}));
  if (check_locked()) return {};
  std::lock_guard state(state_mutex_);
  return hal::device_error(DeviceErrorCode::offline, "camera offline: " + status_.detail);
}

}  // namespace kiosk::devices::v4l2
