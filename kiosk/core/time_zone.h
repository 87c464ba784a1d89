#pragma once
// The terminal's time zone: every time a citizen or technician sees, hears or takes away is in it,
// whatever zone the machine runs in (TZ, /etc/localtime). The platform speaks China time and a
// receipt must agree with it, so the zone is the config's `time_zone` (default Asia/Shanghai),
// loaded once by main() and passed down as a value — never the process-wide TZ, which other
// threads read through localtime_r and which setenv() would race.
//
// The zone comes from the IANA database as tzdata installs it (/usr/share/zoneinfo/<name>, the
// TZif format of RFC 8536, versions 1–4): its transitions, and for instants after the last one
// the POSIX TZ rule in the file's footer (e.g. "CET-1CEST,M3.5.0,M10.5.0/3"). libstdc++ 12 has no
// std::chrono::locate_zone (it arrived in GCC 14), hence our own reader. A TimeZone is immutable
// and cheap to copy; any thread may use it.

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/result.h"

namespace kiosk {

inline constexpr const char* kZoneinfoDir = "/usr/share/zoneinfo";
inline constexpr const char* kDefaultTimeZone = "Asia/Shanghai";

class TimeZone {
 public:
  // UTC (what a default-constructed zone is: a test fixture that names none).
  TimeZone();
  static TimeZone utc() { return TimeZone(); }
  // Reads <zoneinfo_dir>/<name>. Errors: invalid_argument (not an IANA-style name: letters,
  // digits, "._+-" in "/"-separated parts, no "." or ".." parts), not_found (no such zone: the
  // message names the file and the tzdata package), parse (the file is not a valid TZif file).
  static Result<TimeZone> load(std::string_view name, const std::filesystem::path& zoneinfo_dir = kZoneinfoDir);
  // Parses the bytes of a TZif file. Errors: parse, with what is wrong.
  static Result<TimeZone> from_tzif(std::string name, std::string_view bytes);

  const std::string& name() const;

  struct Offset {
    std::int32_t utc_offset_s = 0;  // local = UTC + this
    bool dst = false;
    std::string abbreviation;       // "CST", "CEST", "+08"
  };
  Offset at(std::int64_t unix_s) const;
  // The local wall-clock parts of an instant (tm_gmtoff, tm_isdst and tm_zone set; tm_zone points
  // into this zone's data, valid while a copy of it lives).
  std::tm local_time(std::int64_t unix_s) const;

  struct Data;

 private:
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

// A wall-clock time (Unix seconds) through strftime in `zone`:
// format_time(t, "%Y-%m-%d %H:%M:%S", zone). "" when the format yields nothing.
std::string format_time(std::int64_t unix_s, const char* strftime_format, const TimeZone& zone)
    __attribute__((format(strftime, 2, 0)));
// RFC 3339 with the zone's offset: "2026-11-25T14:03:00+08:00".
std::string rfc3339(std::int64_t unix_s, const TimeZone& zone);
// An RFC 3339 date-time with "Z" or an offset ("2026-11-25T06:03:00Z", "…T14:03:00.5+08:00", a
// space for "T" accepted) as Unix seconds; nullopt for anything else, a time without an offset
// included (it names no instant).
std::optional<std::int64_t> parse_rfc3339(std::string_view text);
// A time the platform sent, as the terminal shows it: "YYYY-MM-DD HH:MM" in `zone`. Text that is
// no RFC 3339 instant is shown as it came, cut to "YYYY-MM-DD HH:MM" when it starts like one.
std::string display_time(std::string_view text, const TimeZone& zone);

}  // namespace kiosk
