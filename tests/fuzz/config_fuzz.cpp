// Fuzz target: the terminal config file. Besides not crashing: every refusal says where (a field
// path, a line and column, or the top level) and is valid UTF-8, since it goes to the log as is.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kiosk/core/config.h"
#include "kiosk/core/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto config = kiosk::parse_config(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!config.ok()) {
    const std::string& message = config.error().message;
    if (message.empty() || !kiosk::text::is_valid_utf8(message)) std::abort();
    if (message.rfind("config: not valid JSON", 0) == 0 && message.find(", column ") == std::string::npos) std::abort();
  }
  return 0;
}
