#pragma once
// The byte pipe to an ESC/POS printer: a serial port or capture file (serial_transport.h) or USB
// printer-class bulk endpoints (usb_transport.h). The printer driver (escpos_printer.h) owns one at
// a time and opens a new one after the printer vanished.
//
// Threads: one caller at a time (the driver serialises). Every call ends by its deadline and looks
// at the cancel token at least every kIoSlice.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "devices/escpos/escpos_encoder.h"
#include "hal/device.h"

namespace kiosk::devices::escpos {

using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;

inline constexpr hal::milliseconds kIoSlice{100};

class Transport {
 public:
  virtual ~Transport() = default;

  // "/dev/ttyUSB0", "capture file /var/log/receipts.bin", "USB 0416:5011 bus 1 address 2".
  virtual std::string description() const = 0;
  // False for a capture file or a one-way (protocol 1) USB printer: status cannot be read.
  virtual bool can_read() const = 0;

  // Writes all of `bytes`. Errors: offline (the printer vanished: hang-up, EIO, USB no device),
  // timeout (the printer stopped taking data), cancelled, io (anything else, errno in message).
  virtual hal::DeviceStatusResult write(std::span<const std::uint8_t> bytes, const hal::CancelToken& cancel,
                                        Deadline deadline) = 0;
  // Returns 1…`max` bytes as soon as any arrived. Errors as write(); timeout when nothing came.
  virtual hal::DeviceResult<Bytes> read(std::size_t max, const hal::CancelToken& cancel, Deadline deadline) = 0;
  // Drops input that arrived and was not read (a late answer to an earlier query).
  virtual void discard_input() = 0;
};

// Opens a fresh transport to the configured printer, or says why not (offline when it is absent).
using TransportOpener = std::function<hal::DeviceResult<std::unique_ptr<Transport>>()>;

// The next wait: at most kIoSlice, never past the deadline (0 when it passed).
inline hal::milliseconds next_slice(Deadline deadline) {
  const auto left = std::chrono::duration_cast<hal::milliseconds>(deadline - SteadyClock::now());
  return std::clamp(left, hal::milliseconds{0}, kIoSlice);
}

}  // namespace kiosk::devices::escpos
