#pragma once
// Shared by the device tests: a call timeout, the history type, and a listener that records every
// event a device emits.

#include <mutex>
#include <string>
#include <vector>

#include "devices/sim/sim_device.h"
#include "hal/device.h"

namespace kiosk::devices {

inline constexpr hal::milliseconds kTimeout{1000};  // sims answer at once; nothing waits this long
using Strings = std::vector<std::string>;         // a sim's history

class EventRecorder {
 public:
  // Attaches to `device`; events are recorded until the recorder is detached or destroyed.
  explicit EventRecorder(hal::Device& device) : device_(device) {
    device_.set_listener([this](const hal::DeviceEvent& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    });
  }
  ~EventRecorder() { device_.set_listener(nullptr); }
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  std::vector<hal::DeviceEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<hal::DeviceEvent::Kind> kinds() const {
    std::vector<hal::DeviceEvent::Kind> result;
    for (const auto& event : events()) result.push_back(event.kind);
    return result;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }

 private:
  hal::Device& device_;
  mutable std::mutex mutex_;
  std::vector<hal::DeviceEvent> events_;
};

using Kind = hal::DeviceEvent::Kind;

// Fault switches with the named members set: faults<PrinterFaults>(&PrinterFaults::paper_out).
template <typename Faults, typename... Members>
Faults faults(Members... members) {
  Faults result;
  ((result.*members = true), ...);
  return result;
}

}  // namespace kiosk::devices
