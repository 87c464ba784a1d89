#pragma once
// Serial (RS-232, USB-serial, a pty in tests) and plain device/file transports for ESC/POS
// printers. A tty gets raw 8N1 at the configured baud; another character device (the kernel's
// usblp /dev/usb/lp0) is used as is; an existing regular file is a capture: bytes are appended and
// status cannot be read (so it is never trusted, only reported unknown). The path is never created.

#include <filesystem>
#include <memory>

#include "devices/escpos/transport.h"

namespace kiosk::devices::escpos {

struct SerialOptions {
  std::filesystem::path path;
  int baud = 115200;
  bool hardware_flow_control = false;  // RTS/CTS (many printers hold CTS while their buffer is full)
};

bool is_supported_baud(int baud);  // 9600 … 230400

// Errors: offline (no such path: not plugged in), unsupported (baud), io (permission, termios).
hal::DeviceResult<std::unique_ptr<Transport>> open_serial_transport(const SerialOptions& options);

}  // namespace kiosk::devices::escpos
