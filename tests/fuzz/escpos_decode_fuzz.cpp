// Fuzz target: captured ESC/POS byte streams decoded back to paper (devices/escpos/escpos_decoder),
// as escpos2png and the tests do with what a driver sent.
#include <cstdint>
#include <span>

#include "devices/escpos/escpos_decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = kiosk::devices::escpos::decode_capture(std::span(data, size));
  if (!decoded.ok()) return 0;
  // Every page is self-consistent, every cut points at a page or at none, reports are capped.
  for (const auto& page : decoded->pages) {
    if (!page.valid()) __builtin_trap();
  }
  for (const auto& cut : decoded->cuts) {
    if (cut.page < -1 || cut.page >= static_cast<int>(decoded->pages.size()) || cut.offset >= size) __builtin_trap();
  }
  if (decoded->unknown.size() > kiosk::devices::escpos::kMaxReportedUnknown) __builtin_trap();
  return 0;
}
