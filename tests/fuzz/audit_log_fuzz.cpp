// Fuzz target: verifying an audit trail (kiosk/ops/audit_log.h) read back from disk.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "kiosk/ops/audit_log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto crypto = kiosk::crypto::make_crypto();
  static const std::string path = "/tmp/audit-fuzz-" + std::to_string(::getpid()) + ".log";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  kiosk::crypto::SealKey key;
  key.bytes.fill(0x5c);
  auto report = kiosk::ops::verify_audit_log(path, key, *crypto);
  if (report.ok() && report.value().intact && report.value().records < 0) __builtin_trap();
  return 0;
}
