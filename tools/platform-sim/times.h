#pragma once
// Times as the contract writes them: RFC 3339 in China Standard Time (+08:00, no daylight saving)
// and YYYY-MM-DD dates. Pure functions of a std::time_t so tests can pin them.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace platform_sim {

std::string rfc3339(std::time_t when);        // "2026-11-25T14:03:00+08:00"
std::string date_text(std::time_t when);      // "2026-11-25" (in +08:00)
std::string compact_date(std::time_t when);   // "20261125" (in +08:00), for case numbers
std::string add_days(std::string_view date, int days);  // "2026-11-25" + 28 → "2026-12-23"

// "YYYY-MM-DD" that names a real day.
bool valid_date(std::string_view date);
// "YYYYMMDD" that names a real day (ID-card dates).
bool valid_compact_date(std::string_view date);
// RFC 3339 date-time with seconds and an offset or Z ("2026-11-25T14:03:00+08:00").
bool valid_rfc3339(std::string_view text);

}  // namespace platform_sim
