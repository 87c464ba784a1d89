#include "kiosk/core/time_zone.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace kiosk {

namespace {

constexpr std::int64_t kDay = 86400;
// RFC 8536 allows any offset but -2^31; real zones stay within ±26 h. Anything wider is a broken
// file, and keeping offsets small keeps every sum below in range.
constexpr std::int32_t kMaxOffset = 26 * 3600;

struct LocalType {
  std::int32_t utc_offset_s = 0;
  bool dst = false;
  std::string abbreviation;
};

// A POSIX TZ rule's date: Jn (1–365, 29 February never counted), n (0–365, counted) or
// Mm.w.d (day d, 0 = Sunday, of week w, 5 = last, of month m) and the local time of day it
// happens at (may be negative or past 24 h in TZif v3+).
struct RuleDate {
  enum class Kind { julian_no_leap, julian, month_week_day } kind = Kind::month_week_day;
  int day = 0;
  int week = 0;
  int month = 0;
  std::int32_t time_s = 7200;
};

struct PosixRule {
  LocalType standard;
  std::optional<LocalType> daylight;
  RuleDate start;  // into daylight time (given in standard time)
  RuleDate end;    // back to standard time (given in daylight time)
};

}  // namespace

struct TimeZone::Data {
  std::string name = "UTC";
  std::vector<std::int64_t> transitions;
  std::vector<std::uint8_t> transition_types;  // index into types, one per transition
  std::vector<LocalType> types{LocalType{0, false, "UTC"}};
  std::optional<PosixRule> footer;
};

namespace {

Error bad(std::string_view what) { return Error::make(ErrorKind::parse, "TZif: " + std::string(what)); }

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool has(std::size_t count) const { return bytes_.size() - at_ >= count; }
  std::size_t left() const { return bytes_.size() - at_; }
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes_[at_++]); }
  std::uint32_t u32() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | u8();
    return value;
  }
  std::int64_t s32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t s64() {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | u8();
    return static_cast<std::int64_t>(value);
  }
  std::string_view take(std::size_t count) {
    const auto out = bytes_.substr(at_, count);
    at_ += count;
    return out;
  }
  void skip(std::size_t count) { at_ += count; }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

Result<Header> read_header(Reader& in) {
  if (!in.has(44)) return bad("shorter than its header");
  if (in.take(4) != "TZif") return bad("no TZif magic");
  Header header{};
  header.version = static_cast<char>(in.u8());
  if (header.version != 0 && (header.version < '2' || header.version > '4')) return bad("unknown version");
  in.skip(15);
  header.isutcnt = in.u32();
  header.isstdcnt = in.u32();
  header.leapcnt = in.u32();
  header.timecnt = in.u32();
  header.typecnt = in.u32();
  header.charcnt = in.u32();
  // RFC 8536 §3.1: a type and a designation at least; the indicator arrays are empty or one per type.
  if (header.typecnt == 0 || header.typecnt > 256) return bad("type count must be 1–256");
  if (header.charcnt == 0) return bad("no time zone designations");
  if ((header.isutcnt != 0 && header.isutcnt != header.typecnt) ||
      (header.isstdcnt != 0 && header.isstdcnt != header.typecnt)) {
    return bad("indicator counts do not match the type count");
  }
  return header;
}

std::uint64_t block_size(const Header& header, std::uint64_t time_size) {
  return std::uint64_t{header.timecnt} * time_size + header.timecnt + std::uint64_t{header.typecnt} * 6 +
         header.charcnt + std::uint64_t{header.leapcnt} * (time_size + 4) + header.isstdcnt + header.isutcnt;
}

Status read_block(Reader& in, const Header& header, int time_size, TimeZone::Data& zone) {
  if (!in.has(block_size(header, static_cast<std::uint64_t>(time_size)))) return bad("data shorter than its header says");
  zone.transitions.clear();
  zone.transition_types.clear();
  zone.types.clear();
  for (std::uint32_t i = 0; i < header.timecnt; ++i) {
    const std::int64_t when = time_size == 8 ? in.s64() : in.s32();
    if (!zone.transitions.empty() && when <= zone.transitions.back()) return bad("transition times not ascending");
    zone.transitions.push_back(when);
  }
  for (std::uint32_t i = 0; i < header.timecnt; ++i) {
    const std::uint8_t type = in.u8();
    if (type >= header.typecnt) return bad("transition names a type that does not exist");
    zone.transition_types.push_back(type);
  }
  std::vector<std::uint8_t> designation_index;
  for (std::uint32_t i = 0; i < header.typecnt; ++i) {
    LocalType type;
    type.utc_offset_s = static_cast<std::int32_t>(in.u32());
    if (type.utc_offset_s < -kMaxOffset || type.utc_offset_s > kMaxOffset) return bad("UT offset out of range");
    const std::uint8_t dst = in.u8();
    if (dst > 1) return bad("DST flag is neither 0 nor 1");
    type.dst = dst == 1;
    designation_index.push_back(in.u8());
    zone.types.push_back(std::move(type));
  }
  const std::string_view designations = in.take(header.charcnt);
  for (std::size_t i = 0; i < zone.types.size(); ++i) {
    const std::size_t start = designation_index[i];
    if (start >= designations.size()) return bad("designation index out of range");
    const std::size_t end = designations.find('\0', start);
    if (end == std::string_view::npos) return bad("designation without its terminating NUL");
    zone.types[i].abbreviation = std::string(designations.substr(start, end - start));
  }
  in.skip(static_cast<std::size_t>(header.leapcnt) * static_cast<std::size_t>(time_size + 4) + header.isstdcnt +
          header.isutcnt);
  return {};
}

// POSIX TZ strings (IEEE 1003.1 §8.3, with RFC 8536 §3.3.1's extensions).
class RuleParser {
 public:
  explicit RuleParser(std::string_view text) : text_(text) {}

  Result<PosixRule> parse() {
    PosixRule rule;
    rule.standard.abbreviation = TRY(name());
    rule.standard.utc_offset_s = -TRY(offset(24));
    if (done()) return rule;
    LocalType daylight;
    daylight.dst = true;
    daylight.abbreviation = TRY(name());
    daylight.utc_offset_s = rule.standard.utc_offset_s + 3600;
    if (!done() && peek() != ',') daylight.utc_offset_s = -TRY(offset(24));
    rule.daylight = daylight;
    if (done()) {  // no dates: POSIX leaves them to the implementation; glibc's (US) rules
      rule.start = RuleDate{RuleDate::Kind::month_week_day, 0, 2, 3, 7200};
      rule.end = RuleDate{RuleDate::Kind::month_week_day, 0, 1, 11, 7200};
      return rule;
    }
    if (!eat(',')) return bad("footer: expected ',' before the DST rule");
    rule.start = TRY(date());
    if (!eat(',')) return bad("footer: expected ',' between the DST dates");
    rule.end = TRY(date());
    if (!done()) return bad("footer: text after the DST rule");
    return rule;
  }

 private:
  bool done() const { return at_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[at_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++at_;
    return true;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  static bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

  Result<std::string> name() {
    std::string out;
    if (eat('<')) {
      while (!done() && peek() != '>') {
        const char c = text_[at_++];
        if (!alpha(c) && !digit(c) && c != '+' && c != '-') return bad("footer: bad character in a <name>");
        out += c;
      }
      if (!eat('>')) return bad("footer: unterminated <name>");
    } else {
      while (alpha(peek())) out += text_[at_++];
    }
    if (out.size() < 3) return bad("footer: a zone name has fewer than 3 characters");
    return out;
  }

  Result<int> number(int maximum) {
    if (!digit(peek())) return bad("footer: expected a number");
    int value = 0;
    while (digit(peek())) {
      value = value * 10 + (text_[at_++] - '0');
      if (value > maximum) return bad("footer: number out of range");
    }
    return value;
  }

  // [+-]hh[:mm[:ss]] in seconds; hours up to `max_hours`.
  Result<std::int32_t> offset(int max_hours) {
    int sign = 1;
    if (eat('-')) sign = -1;
    else eat('+');
    std::int32_t seconds = TRY(number(max_hours)) * 3600;
    if (eat(':')) {
      seconds += TRY(number(59)) * 60;
      if (eat(':')) seconds += TRY(number(59));
    }
    return sign * seconds;
  }

  Result<RuleDate> date() {
    RuleDate out;
    if (eat('J')) {
      out.kind = RuleDate::Kind::julian_no_leap;
      out.day = TRY(number(365));
      if (out.day < 1) return bad("footer: Jn day must be 1–365");
    } else if (eat('M')) {
      out.kind = RuleDate::Kind::month_week_day;
      out.month = TRY(number(12));
      if (!eat('.')) return bad("footer: expected Mm.w.d");
      out.week = TRY(number(5));
      if (!eat('.')) return bad("footer: expected Mm.w.d");
      out.day = TRY(number(6));
      if (out.month < 1 || out.week < 1) return bad("footer: month 1–12, week 1–5");
    } else {
      out.kind = RuleDate::Kind::julian;
      out.day = TRY(number(365));
    }
    if (eat('/')) out.time_s = TRY(offset(167));
    return out;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 of the rule's date in `year`.
std::int64_t rule_day(const RuleDate& date, int year) {
  using namespace std::chrono;
  const sys_days first = sys_days(std::chrono::year{year} / January / 1);
  switch (date.kind) {
    case RuleDate::Kind::julian_no_leap: {
      int day = date.day - 1;
      if (std::chrono::year{year}.is_leap() && date.day >= 60) ++day;
      return (first + days{day}).time_since_epoch().count();
    }
    case RuleDate::Kind::julian:
      return (first + days{date.day}).time_since_epoch().count();
    case RuleDate::Kind::month_week_day: {
      const weekday wanted{static_cast<unsigned>(date.day)};
      const std::chrono::month month{static_cast<unsigned>(date.month)};
      const sys_days day = date.week == 5
                               ? sys_days(year_month_weekday_last{std::chrono::year{year}, month, weekday_last{wanted}})
                               : sys_days(year_month_weekday{std::chrono::year{year}, month,
                                                             weekday_indexed{wanted, static_cast<unsigned>(date.week)}});
      return day.time_since_epoch().count();
    }
  }
  return first.time_since_epoch().count();
}

int civil_year(std::int64_t unix_s) {
  using namespace std::chrono;
  const sys_days day{days{floor_div(unix_s, kDay)}};
  return static_cast<int>(year_month_day{day}.year());
}

const LocalType& rule_type(const PosixRule& rule, std::int64_t unix_s) {
  if (!rule.daylight) return rule.standard;
  const int year = civil_year(unix_s + rule.standard.utc_offset_s);
  // The start is given in standard time, the end in daylight time.
  const std::int64_t start = rule_day(rule.start, year) * kDay + rule.start.time_s - rule.standard.utc_offset_s;
  const std::int64_t end = rule_day(rule.end, year) * kDay + rule.end.time_s - rule.daylight->utc_offset_s;
  const bool daylight = start < end ? (unix_s >= start && unix_s < end)   // northern hemisphere
                                    : !(unix_s >= end && unix_s < start);  // southern: DST spans new year
  return daylight ? *rule.daylight : rule.standard;
}

bool valid_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = name.find('/', start);
    const std::string_view part = name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (const char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-' || c == '+' || c == '.';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

TimeZone::TimeZone() : data_(std::make_shared<const Data>()) {}

const std::string& TimeZone::name() const { return data_->name; }

Result<TimeZone> TimeZone::from_tzif(std::string name, std::string_view bytes) {
  auto zone = std::make_shared<Data>();
  zone->name = std::move(name);
  Reader in(bytes);
  const Header first = TRY(read_header(in));
  if (first.version == 0) {
    TRY_STATUS(read_block(in, first, 4, *zone));
  } else {
    // Version 2+: skip the 32-bit block; the 64-bit one and the footer follow.
    if (!in.has(block_size(first, 4))) return bad("data shorter than its header says");
    in.skip(static_cast<std::size_t>(block_size(first, 4)));
    const Header second = TRY(read_header(in));
    if (second.version != first.version) return bad("the two headers disagree on the version");
    TRY_STATUS(read_block(in, second, 8, *zone));
    // Footer: "\n<POSIX TZ string>\n" (RFC 8536 §3.3); an empty string means "no rule".
    if (!in.has(1) || in.u8() != '\n') return bad("footer does not start with a newline");
    std::string_view rest = in.take(in.left());
    const std::size_t newline = rest.find('\n');
    if (newline == std::string_view::npos) return bad("footer does not end with a newline");
    const std::string_view rule = rest.substr(0, newline);
    if (!rule.empty()) {
      auto parsed = RuleParser(rule).parse();
      if (!parsed.ok()) return parsed.release_error();
      zone->footer = parsed.release_value();
    }
  }
  return TimeZone(std::move(zone));
}

Result<TimeZone> TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfo_dir) {
  if (!valid_zone_name(name)) {
    return Error::make(ErrorKind::invalid_argument, "\"" + std::string(name) + "\" is not an IANA time zone name (like Asia/Shanghai)");
  }
  const std::filesystem::path path = zoneinfo_dir / std::string(name);
  std::ifstream in(path, std::ios::binary);
  std::error_code error;
  if (!in || std::filesystem::is_directory(path, error)) {
    return Error::make(ErrorKind::not_found, "unknown time zone \"" + std::string(name) + "\" (no file " + path.string() +
                                                 "; zones come from the tzdata package)");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto zone = from_tzif(std::string(name), bytes.str());
  if (!zone.ok()) return Error::make(ErrorKind::parse, path.string() + ": " + zone.error().message);
  return zone;
}

TimeZone::Offset TimeZone::at(std::int64_t unix_s) const {
  const Data& zone = *data_;
  const LocalType* type = nullptr;
  if (zone.transitions.empty() || unix_s >= zone.transitions.back()) {
    if (zone.footer) type = &rule_type(*zone.footer, unix_s);
    else if (!zone.transitions.empty()) type = &zone.types[zone.transition_types.back()];
  }
  if (!type) {
    const auto after = std::upper_bound(zone.transitions.begin(), zone.transitions.end(), unix_s);
    // Before the first transition: type 0 (RFC 8536 §3.2).
    type = after == zone.transitions.begin() ? &zone.types.front()
                                             : &zone.types[zone.transition_types[static_cast<std::size_t>(after - zone.transitions.begin()) - 1]];
  }
  return Offset{type->utc_offset_s, type->dst, type->abbreviation};
}

std::tm TimeZone::local_time(std::int64_t unix_s) const {
  // The abbreviation must outlive the tm: point into the zone's own data, not a copy.
  const Data& zone = *data_;
  const Offset offset = at(unix_s);
  const char* abbreviation = "";
  for (const LocalType& type : zone.types) {
    if (type.abbreviation == offset.abbreviation) abbreviation = type.abbreviation.c_str();
  }
  if (zone.footer) {
    if (zone.footer->standard.abbreviation == offset.abbreviation) abbreviation = zone.footer->standard.abbreviation.c_str();
    if (zone.footer->daylight && zone.footer->daylight->abbreviation == offset.abbreviation) {
      abbreviation = zone.footer->daylight->abbreviation.c_str();
    }
  }
  const std::time_t shifted = static_cast<std::time_t>(unix_s + offset.utc_offset_s);
  std::tm parts{};
  gmtime_r(&shifted, &parts);
  parts.tm_isdst = offset.dst ? 1 : 0;
  parts.tm_gmtoff = offset.utc_offset_s;
  parts.tm_zone = abbreviation;
  return parts;
}

std::string format_time(std::int64_t unix_s, const char* strftime_format, const TimeZone& zone) {
  const std::tm parts = zone.local_time(unix_s);
  char text[64];
  // The callers' formats are literals, checked where they are written (the attribute in the header).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  const std::size_t size = std::strftime(text, sizeof text, strftime_format, &parts);
#pragma GCC diagnostic pop
  return std::string(text, size);
}

std::string rfc3339(std::int64_t unix_s, const TimeZone& zone) {
  const std::tm local = zone.local_time(unix_s);
  long offset = local.tm_gmtoff;
  const char sign = offset < 0 ? '-' : '+';
  if (offset < 0) offset = -offset;
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", local.tm_year + 1900, local.tm_mon + 1,
                local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec, sign, offset / 3600, (offset % 3600) / 60);
  return text;
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
  auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  const auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                            std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    const std::size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    if (at == start) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const auto offset_hours = digits(at + 1, 2), offset_minutes = digits(at + 4, 2);
    if (!offset_hours || !offset_minutes || at + 3 >= text.size() || text[at + 3] != ':' || *offset_hours > 23 ||
        *offset_minutes > 59) {
      return std::nullopt;
    }
    offset = (text[at] == '-' ? -1 : 1) * (*offset_hours * 3600 + *offset_minutes * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const std::int64_t days_since_epoch = sys_days(date).time_since_epoch().count();
  return days_since_epoch * kDay + *hour * 3600 + *minute * 60 + std::min(*second, 59) - offset;
}

std::string display_time(std::string_view text, const TimeZone& zone) {
  if (const auto instant = parse_rfc3339(text)) return format_time(*instant, "%Y-%m-%d %H:%M", zone);
  const bool shaped = text.size() >= 16 && text[4] == '-' && text[7] == '-' && (text[10] == 'T' || text[10] == ' ') &&
                      text[13] == ':';
  if (!shaped) return std::string(text);
  std::string out(text.substr(0, 16));
  out[10] = ' ';
  return out;
}

}  // namespace kiosk
