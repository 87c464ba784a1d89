// Fuzz target: what the platform answers the network check (kiosk/ops/network_check.h): the HTTP
// response head and its Date header.
#include <cstdint>
#include <string_view>

#include "kiosk/ops/network_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto head = kiosk::ops::parse_http_head(text);
  if (head.ok()) {
    if (head.value().size > size || head.value().status < 100 || head.value().status > 999) __builtin_trap();
    const auto date = head.value().headers.find("date");
    if (date != head.value().headers.end()) (void)kiosk::ops::parse_http_date(date->second);
  }
  const auto when = kiosk::ops::parse_http_date(text);
  if (when && *when < 0) __builtin_trap();
  return 0;
}
