// Fuzz target: the strings files (assets/strings/*.json) are outside data for the app.
#include <cstdint>
#include <string>

#include "kiosk/app/strings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto strings = kiosk::Strings::parse(text, "{}");
  if (strings.ok()) {
    (void)strings->format("a", {"1", "2"});
    (void)strings->untranslated();
  }
  return 0;
}
