// Fuzz target: the terminal config file.
#include <cstdint>
#include <string_view>

#include "kiosk/core/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)kiosk::parse_config(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
