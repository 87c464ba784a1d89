// Fuzz target: sample identities for the sim card reader (assets/identities/*.json).
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "devices/sim/identities.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // "photo" names a file to read; the fuzzer must not make it read /dev/zero or the like.
  const auto root = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_object() && root.contains("photo")) return 0;
  auto card = kiosk::devices::sim::parse_identity(text, "/nonexistent-fuzz-base");
  if (card.ok()) {
    (void)card->expired("20260101");
    card->wipe();
  }
  return 0;
}
