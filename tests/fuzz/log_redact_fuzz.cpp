// Fuzz target: log redaction (kiosk/core/log.h), which every log message from anywhere goes
// through. It must not crash, and no run of 9 or more digits — so no ID number — may survive it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string output = kiosk::log::redact(input);
  std::size_t run = 0;
  for (const char c : output) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 9) __builtin_trap();
  }
  // Redaction only ever shortens a number to the marker: the output cannot grow without bound.
  if (output.size() > input.size() * 2 + 16) __builtin_trap();
  return 0;
}
