#pragma once
// The byte pipe between the driver and a SAM module: a serial port (termios, raw 8N1) or a USB
// bulk pair (libusb). Calls block at most their timeout and check the cancel token at least every
// kCancelSlice. A vanished device (unplugged, EIO, hang-up, LIBUSB_ERROR_NO_DEVICE) fails with
// no_device; the caller closes the transport and opens a new one.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "hal/device.h"

namespace kiosk::devices::idcard {

using hal::milliseconds;

inline constexpr milliseconds kCancelSlice{20};

class Transport {
 public:
  virtual ~Transport() = default;
  // Writes every byte or fails (timeout, cancelled, no_device, io).
  virtual hal::DeviceStatusResult write(std::span<const std::uint8_t> bytes, milliseconds timeout,
                                        const hal::CancelToken& cancel) = 0;
  // Waits up to `timeout` for bytes and returns how many it put into `buffer` (at least one), or
  // fails (timeout, cancelled, no_device, io).
  virtual hal::DeviceResult<std::size_t> read(std::span<std::uint8_t> buffer, milliseconds timeout,
                                              const hal::CancelToken& cancel) = 0;
  // Drops whatever was received and not read yet (stale or replayed answers).
  virtual void discard_input() = 0;
  // "serial /dev/ttyUSB0" or "usb 0400:c35a": for messages (never personal data).
  virtual std::string name() const = 0;
};

struct SerialOptions {
  std::string path;
  int baud = 115200;  // 9600, 19200, 38400, 57600, 115200 (DOMAIN.md)
};
bool supported_baud(int baud);
hal::DeviceResult<std::unique_ptr<Transport>> open_serial(const SerialOptions& options);

struct UsbOptions {
  std::uint16_t vendor_id = 0;
  std::uint16_t product_id = 0;
  int interface_number = 0;  // the bulk endpoints are found on this interface
};
hal::DeviceResult<std::unique_ptr<Transport>> open_usb(const UsbOptions& options);

}  // namespace kiosk::devices::idcard
