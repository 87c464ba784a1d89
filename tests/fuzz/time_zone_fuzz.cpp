// Fuzz target: the TZif reader and POSIX TZ rule parser (kiosk/core/time_zone.h). Zone files come
// from the OS image, but a broken or foreign file must give an error, never a crash or a hang; a
// zone that parses must answer for any instant with an offset inside ±26 h.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kiosk/core/time_zone.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto zone = kiosk::TimeZone::from_tzif("fuzz", bytes);
  if (!zone.ok()) return 0;
  for (const std::int64_t instant : {std::int64_t{-2'000'000'000}, std::int64_t{0}, std::int64_t{1'796'683'080},
                                     std::int64_t{4'000'000'000}, std::int64_t{32'000'000'000}}) {
    const auto offset = zone->at(instant);
    if (offset.utc_offset_s < -26 * 3600 || offset.utc_offset_s > 26 * 3600) __builtin_trap();
    (void)kiosk::rfc3339(instant, *zone);
    (void)kiosk::format_time(instant, "%Y-%m-%d %H:%M %Z", *zone);
  }
  return 0;
}
