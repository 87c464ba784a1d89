// Fuzz target: /proc/mounts as technician mode reads it to find a USB stick for the diagnostics
// bundle (screens/technician.h, removable_mount_points). Every path it returns must be under
// /media/ or /run/media/, free of NUL bytes and of "..", and returned once.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "screens/technician.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto found = screens::removable_mount_points(text, [](const std::string&) { return true; });
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::string& path = found[i];
    if (path.rfind("/media/", 0) != 0 && path.rfind("/run/media/", 0) != 0) __builtin_trap();
    if (path.find('\0') != std::string::npos || path.find("/../") != std::string::npos) __builtin_trap();
    if (std::count(found.begin(), found.end(), path) != 1) __builtin_trap();
  }
  return 0;
}
