#pragma once
// Sim twins of the face camera and the document camera: they play a list of images in a loop.

#include <deque>

#include "devices/sim/sim_device.h"
#include "hal/document_camera.h"
#include "hal/face_camera.h"

namespace kiosk::devices::sim {

// Shared by both camera sims; Base is hal::FaceCamera or hal::DocumentCamera.
template <typename Base>
class SimCamera final : public Base {
 public:
  using Faults = CommonFaults;

  explicit SimCamera(std::vector<hal::Image> frames = {}) : Base("sim"), frames_(std::move(frames)) { update_status(); }

  hal::CameraCapabilities capabilities() const override {
    std::lock_guard lock(mutex_);
    if (frames_.empty()) return {};
    return {frames_.front().width, frames_.front().height, false};
  }

  // The next frame (looping). No frames: timeout at once — a camera that delivers nothing is
  // treated as disconnected by callers.
  hal::DeviceResult<hal::Image> capture(const hal::CancelToken& cancel, hal::milliseconds) override {
    std::lock_guard lock(mutex_);
    if (auto failure = common_failure(faults_, cancel)) {
      history_.add(std::string("capture ") + hal::to_string(failure->code));
      return *failure;
    }
    if (frames_.empty()) {
      history_.add("capture timeout");
      return hal::device_error(hal::DeviceErrorCode::timeout, "sim: no frames to play");
    }
    const hal::Image& frame = frames_[next_++ % frames_.size()];
    history_.add("capture " + std::to_string(frame.width) + "x" + std::to_string(frame.height));
    return frame;
  }

  hal::DeviceStatusResult refresh(hal::milliseconds) override {
    history_.add("refresh");
    update_status();
    return {};
  }

  void set_frames(std::vector<hal::Image> frames) {
    std::lock_guard lock(mutex_);
    frames_ = std::move(frames);
    next_ = 0;
  }
  void set_faults(const Faults& faults) {
    {
      std::lock_guard lock(mutex_);
      faults_ = faults;
    }
    update_status();
  }
  Faults faults() const {
    std::lock_guard lock(mutex_);
    return faults_;
  }
  std::vector<std::string> history() const { return history_.entries(); }

 private:
  void update_status() {
    hal::DeviceStatus status;
    {
      std::lock_guard lock(mutex_);
      status = status_for(faults_, "camera");
    }
    this->set_status(status);
  }

  mutable std::mutex mutex_;
  std::vector<hal::Image> frames_;
  std::size_t next_ = 0;
  Faults faults_;
  History history_;
};

using SimFaceCamera = SimCamera<hal::FaceCamera>;
using SimDocumentCamera = SimCamera<hal::DocumentCamera>;

}  // namespace kiosk::devices::sim
