#include "kiosk/core/clock.h"

#include <chrono>
#include <ctime>

namespace kiosk {

Milliseconds SteadyClock::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string format_time(std::int64_t unix_s, const char* strftime_format, TimeZone zone) {
  const std::time_t seconds = static_cast<std::time_t>(unix_s);
  std::tm parts{};
  if (zone == TimeZone::utc) gmtime_r(&seconds, &parts);
  else localtime_r(&seconds, &parts);
  char text[64];
  // The callers' formats are literals, checked where they are written (the attribute in clock.h).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  const std::size_t size = std::strftime(text, sizeof text, strftime_format, &parts);
#pragma GCC diagnostic pop
  return std::string(text, size);
}

}  // namespace kiosk
