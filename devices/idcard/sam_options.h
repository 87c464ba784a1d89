#pragma once
// The registry's side of the SAM reader: config options → a running SamReader.
//   {"driver": "sam-serial", "path": "/dev/ttyUSB0", "baud": 115200, "poll_ms": 500}
//   {"driver": "sam-usb", "vid": "0400", "pid": "c35a", "poll_ms": 500}
// Errors name the config path: `devices.card_reader.baud: unsupported speed 1234 (…)`.

#include <memory>

#include <nlohmann/json.hpp>

#include "hal/card_reader.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::idcard {

Result<std::unique_ptr<hal::Device>> create_sam_serial_reader(const nlohmann::json& options);
Result<std::unique_ptr<hal::Device>> create_sam_usb_reader(const nlohmann::json& options);

}  // namespace kiosk::devices::idcard
