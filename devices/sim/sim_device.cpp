#include "devices/sim/sim_device.h"

#include <optional>

namespace kiosk::devices::sim {

hal::DeviceStatus status_for(const CommonFaults& faults, const std::string& what) {
  hal::DeviceStatus status;
  status.state = hal::DeviceState::online;
  if (faults.unplugged) {
    status.state = hal::DeviceState::offline;
    status.detail = "sim: " + what + " unplugged";
  } else if (faults.hardware_error) {
    status.state = hal::DeviceState::hardware_error;
    status.detail = "sim: " + what + " hardware fault";
  }
  return status;
}

std::optional<hal::DeviceError> common_failure(const CommonFaults& faults, const hal::CancelToken& cancel) {
  if (cancel.cancelled()) return hal::device_error(hal::DeviceErrorCode::cancelled, "cancelled before the call");
  if (faults.unplugged) return hal::device_error(hal::DeviceErrorCode::no_device, "sim: unplugged");
  if (faults.hardware_error) return hal::device_error(hal::DeviceErrorCode::hardware, "sim: hardware fault");
  if (faults.garbage) return hal::device_error(hal::DeviceErrorCode::bad_data, "sim: garbage answer");
  return std::nullopt;
}

}  // namespace kiosk::devices::sim
