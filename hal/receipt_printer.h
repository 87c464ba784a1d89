#pragma once
// Receipt printer (ESC/POS thermal, 58 or 80 mm). We lay receipts out ourselves and send them as
// a 1-bit raster, so Chinese prints in our font whatever the printer's code pages.

#include <cstdint>
#include <vector>

#include "hal/device.h"

namespace kiosk::hal {

// A 1-bit raster page: rows of width_dots/8 bytes, most significant bit leftmost, 1 = black.
struct RasterPage {
  int width_dots = 0;  // a multiple of 8
  int height = 0;
  std::vector<std::uint8_t> bits;

  int bytes_per_row() const { return width_dots / 8; }
  bool valid() const {
    return width_dots > 0 && width_dots % 8 == 0 && height > 0 &&
           bits.size() == static_cast<std::size_t>(bytes_per_row()) * static_cast<std::size_t>(height);
  }
  bool black(int x, int y) const { return (bits[static_cast<std::size_t>(y * bytes_per_row() + x / 8)] >> (7 - x % 8)) & 1; }
};

struct ReceiptJob {
  RasterPage page;
  bool cut = true;
};

struct ReceiptPrinterCapabilities {
  int width_dots = 576;  // 80 mm at 203 dpi
  int dots_per_inch = 203;
  bool cutter = true;
};

class ReceiptPrinter : public Device {
 public:
  explicit ReceiptPrinter(std::string driver) : Device(DeviceClass::receipt_printer, std::move(driver)) {}
  virtual ReceiptPrinterCapabilities capabilities() const = 0;
  // Prints and cuts. Checks the status before and after. Errors: paper_out, cover_open, hardware,
  // offline, no_device, timeout, cancelled.
  virtual DeviceStatusResult print(const ReceiptJob& job, const CancelToken& cancel, milliseconds timeout) = 0;
};

}  // namespace kiosk::hal
