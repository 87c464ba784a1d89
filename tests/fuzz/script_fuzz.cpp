// Fuzz target: the headless driver's script parser (scripts are written by people).
#include <cstdint>
#include <string_view>

#include "kiosk/driver/script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)kiosk::driver::parse_script(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
