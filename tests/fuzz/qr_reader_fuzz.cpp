// Fuzz target: camera pictures read for QR codes (kiosk/receipt/qr_reader.h). The first bytes
// give the width and format, the rest are pixels: whatever they hold, the reader answers with
// codes, none, or an error — and a code's text is as long as zbar says.
#include <cstdint>
#include <cstring>

#include "kiosk/receipt/qr_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  kiosk::hal::Image image;
  image.format = data[0] & 1 ? kiosk::hal::PixelFormat::rgb24 : kiosk::hal::PixelFormat::gray8;
  image.width = 1 + ((data[1] << 8 | data[2]) % 512);
  const std::size_t row = static_cast<std::size_t>(image.width) * image.bytes_per_pixel();
  image.height = static_cast<int>((size - 3) / row);
  // Usually self-consistent (the interesting case); the low bit of data[0]'s second bit keeps a
  // ragged tail so the refusal is exercised too.
  const std::size_t used = data[0] & 2 ? size - 3 : static_cast<std::size_t>(image.height) * row;
  image.pixels.assign(data + 3, data + 3 + used);
  auto codes = kiosk::receipt::read_qr_codes(image);
  if (codes.ok()) {
    for (const auto& code : codes.value()) {
      if (code.size() > 8000) __builtin_trap();  // a version 40 code holds at most 7089 characters
    }
  }
  return 0;
}
