#pragma once
// What every simulated device shares: fault switches common to all classes and a history of
// calls and answers that tests assert on. The sims are deterministic and answer at once (no real
// waiting), so scripts and tests run fast and repeatably. Thread-safe.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hal/device.h"

namespace kiosk::devices::sim {

struct CommonFaults {
  bool unplugged = false;       // the device vanished: status offline, calls fail with no_device
  bool garbage = false;         // the device answers nonsense: calls fail with bad_data
  bool hardware_error = false;  // the device reports an internal fault
};

class History {
 public:
  void add(std::string entry) {
    std::lock_guard lock(mutex_);
    entries_.push_back(std::move(entry));
  }
  std::vector<std::string> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> entries_;
};

// The status and the failing error (if any) that the common faults imply.
hal::DeviceStatus status_for(const CommonFaults& faults, const std::string& what);
// Checks cancellation and the common faults before a call; returns the error the call must give.
std::optional<hal::DeviceError> common_failure(const CommonFaults& faults, const hal::CancelToken& cancel);

}  // namespace kiosk::devices::sim
