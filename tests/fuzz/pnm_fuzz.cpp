// Fuzz target: binary PGM/PPM frames played by the camera sims (assets/images/).
#include <cstdint>
#include <string_view>

#include "devices/sim/pnm.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto image = kiosk::devices::sim::parse_pnm(std::string_view(reinterpret_cast<const char*>(data), size));
  // A parsed image must be self-consistent: its pixels are exactly width × height × bytes per pixel.
  if (image.ok() && !image->valid()) __builtin_trap();
  return 0;
}
