#include "kiosk/core/process_stats.h"

#include <fstream>
#include <string>

namespace kiosk {
namespace {

long read_field_kib(const char* path, const std::string& field) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) {
      try {
        return std::stol(line.substr(field.size()));
      } catch (...) {  // a kernel without the field's number: report unknown
        return -1;
      }
    }
  }
  return -1;
}

}  // namespace

MemoryStats read_memory_stats() {
  return MemoryStats{read_field_kib("/proc/self/smaps_rollup", "Pss:"), read_field_kib("/proc/self/status", "VmHWM:")};
}

}  // namespace kiosk
