#pragma once
// The registry's side of the ESC/POS printer: config options → a running EscposPrinter.
//   {"driver": "escpos-serial", "path": "/dev/ttyUSB0", "baud": 115200, "width_dots": 576,
//    "flow_control": "none" | "rtscts"}       (an existing regular file as path: a capture)
//   {"driver": "escpos-usb", "vid": "0416", "pid": "5011", "width_dots": 576}
//    (no vid/pid: the first USB printer-class device)
// The printer need not be there yet: it is opened (and reopened) by the driver's poll thread.
// Errors name the config path: `devices.receipt_printer.width_dots: expected 384 … 2048, a multiple of 8`.

#include <memory>

#include <nlohmann/json.hpp>

#include "hal/receipt_printer.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::escpos {

Result<std::unique_ptr<hal::Device>> create_escpos_serial_printer(const nlohmann::json& options);
Result<std::unique_ptr<hal::Device>> create_escpos_usb_printer(const nlohmann::json& options);

}  // namespace kiosk::devices::escpos
