#pragma once
// USB printer-class transport over libusb: finds the printer (by vendor:product, or the first
// device with a printer interface 07/01/02 bidirectional or 07/01/01 one-way), detaches the
// kernel's usblp driver, claims the interface and talks over its bulk OUT and IN endpoints.
// One libusb context per transport (no process-wide state).

#include <cstdint>
#include <memory>
#include <optional>

#include "devices/escpos/transport.h"

namespace kiosk::devices::escpos {

struct UsbOptions {
  std::optional<std::uint16_t> vendor_id;
  std::optional<std::uint16_t> product_id;  // only with vendor_id
};

// Errors: offline (no matching device: not plugged in), io (libusb init, permission, claim).
hal::DeviceResult<std::unique_ptr<Transport>> open_usb_transport(const UsbOptions& options);

}  // namespace kiosk::devices::escpos
