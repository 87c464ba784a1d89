// The terminal's time zone (kiosk/core/time_zone.h): TZif files from tzdata and hand-made ones,
// POSIX footer rules around DST transitions, RFC 3339 in and out, and independence from TZ.
#include "kiosk/core/time_zone.h"

#include <gtest/gtest.h>

#include "kiosk/core/config.h"

#include <cstdlib>
#include <ctime>
#include <string>

namespace kiosk {
namespace {

TimeZone zone(const char* name) {
  auto loaded = TimeZone::load(name);
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
  return loaded.ok() ? loaded.release_value() : TimeZone::utc();
}

// Unix seconds of a UTC wall-clock time.
std::int64_t utc(int year, int month, int day, int hour, int minute, int second = 0) {
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&parts));
}

// A TZif file built by hand (RFC 8536 §3): version '2' with an empty v1 block, `times` and their
// type indices, the types, and a footer.
struct Type {
  std::int32_t offset;
  bool dst;
  std::string abbreviation;
};
void put32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}
void put64(std::string& out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xFF);
}
std::string header(char version, std::uint32_t timecnt, std::uint32_t typecnt, std::uint32_t charcnt) {
  std::string out = "TZif";
  out += version;
  out.append(15, '\0');
  for (std::uint32_t count : {0u, 0u, 0u, timecnt, typecnt, charcnt}) put32(out, count);
  return out;
}
std::string tzif(const std::vector<std::int64_t>& times, const std::vector<std::uint8_t>& indices,
                 const std::vector<Type>& types, const std::string& footer) {
  std::string designations;
  std::vector<std::uint8_t> at;
  for (const Type& type : types) {
    at.push_back(static_cast<std::uint8_t>(designations.size()));
    designations += type.abbreviation + '\0';
  }
  // v1 block: no transitions, one type (readers of v2+ skip it).
  std::string out = header('2', 0, 1, 1);
  put32(out, 0);
  out += '\0';
  out += '\0';
  out += '\0';
  out += header('2', static_cast<std::uint32_t>(times.size()), static_cast<std::uint32_t>(types.size()),
                static_cast<std::uint32_t>(designations.size()));
  for (std::int64_t time : times) put64(out, static_cast<std::uint64_t>(time));
  for (std::uint8_t index : indices) out += static_cast<char>(index);
  for (std::size_t i = 0; i < types.size(); ++i) {
    put32(out, static_cast<std::uint32_t>(types[i].offset));
    out += static_cast<char>(types[i].dst ? 1 : 0);
    out += static_cast<char>(at[i]);
  }
  out += designations;
  out += "\n" + footer + "\n";
  return out;
}

TEST(TimeZone, ShanghaiIsEightHoursAheadAllYear) {
  const TimeZone shanghai = zone("Asia/Shanghai");
  EXPECT_EQ(shanghai.name(), "Asia/Shanghai");
  // The issue's receipt: submitted at 22:38 UTC on 7 December is 06:38 on 8 December in China.
  const std::int64_t submitted = utc(2026, 12, 7, 22, 38);
  EXPECT_EQ(format_time(submitted, "%Y-%m-%d %H:%M", shanghai), "2026-12-08 06:38");
  EXPECT_EQ(format_time(submitted, "%Y%m%d", shanghai), "20261208");
  EXPECT_EQ(rfc3339(submitted, shanghai), "2026-12-08T06:38:00+08:00");
  EXPECT_EQ(shanghai.at(utc(2026, 7, 1, 0, 0)).utc_offset_s, 8 * 3600);
  EXPECT_FALSE(shanghai.at(utc(2026, 7, 1, 0, 0)).dst);
  EXPECT_EQ(shanghai.at(utc(2060, 7, 1, 0, 0)).utc_offset_s, 8 * 3600);  // past the last transition: the footer
  EXPECT_EQ(format_time(submitted, "%z %Z", shanghai), "+0800 CST");
  // China had summer time 1986–1991: the file's history, not a fixed offset.
  EXPECT_EQ(shanghai.at(utc(1988, 7, 1, 0, 0)).utc_offset_s, 9 * 3600);
  EXPECT_TRUE(shanghai.at(utc(1988, 7, 1, 0, 0)).dst);
}

TEST(TimeZone, BerlinAroundItsTransitions) {
  const TimeZone berlin = zone("Europe/Berlin");
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(berlin.at(utc(2026, 3, 29, 0, 59, 59)).utc_offset_s, 3600);
  EXPECT_EQ(berlin.at(utc(2026, 3, 29, 1, 0)).utc_offset_s, 7200);
  EXPECT_EQ(berlin.at(utc(2026, 3, 29, 1, 0)).abbreviation, "CEST");
  EXPECT_EQ(format_time(utc(2026, 3, 29, 0, 59), "%H:%M", berlin), "01:59");
  EXPECT_EQ(format_time(utc(2026, 3, 29, 1, 0), "%H:%M", berlin), "03:00");  // 02:00 never happens
  EXPECT_EQ(berlin.at(utc(2026, 10, 25, 0, 59, 59)).utc_offset_s, 7200);
  EXPECT_EQ(berlin.at(utc(2026, 10, 25, 1, 0)).utc_offset_s, 3600);
  EXPECT_EQ(rfc3339(utc(2026, 10, 25, 0, 30), berlin), "2026-10-25T02:30:00+02:00");
  EXPECT_EQ(rfc3339(utc(2026, 10, 25, 1, 30), berlin), "2026-10-25T02:30:00+01:00");  // 02:30 twice
  // Far past tzdata's table (fat files end in 2037): the footer's rule, last Sunday of March.
  EXPECT_EQ(berlin.at(utc(2071, 3, 29, 0, 59)).utc_offset_s, 3600);
  EXPECT_EQ(berlin.at(utc(2071, 3, 29, 1, 0)).utc_offset_s, 7200);
  EXPECT_EQ(berlin.at(utc(2071, 10, 25, 1, 0)).utc_offset_s, 3600);
}

TEST(TimeZone, SouthernHemisphereRuleSpansTheNewYear) {
  // Sydney: AEST-10AEDT,M10.1.0,M4.1.0/3 — summer time from October to April.
  const auto sydney = TimeZone::from_tzif("Test/Sydney", tzif({}, {}, {{36000, false, "AEST"}}, "AEST-10AEDT,M10.1.0,M4.1.0/3"));
  ASSERT_TRUE(sydney.ok()) << sydney.error().message;
  EXPECT_EQ(sydney->at(utc(2027, 1, 15, 0, 0)).utc_offset_s, 39600);
  EXPECT_EQ(sydney->at(utc(2027, 7, 15, 0, 0)).utc_offset_s, 36000);
  // 2027-04-04 03:00 AEDT = 2027-04-03 16:00 UTC; 2027-10-03 02:00 AEST = 2027-10-02 16:00 UTC.
  EXPECT_EQ(sydney->at(utc(2027, 4, 3, 15, 59)).utc_offset_s, 39600);
  EXPECT_EQ(sydney->at(utc(2027, 4, 3, 16, 0)).utc_offset_s, 36000);
  EXPECT_EQ(sydney->at(utc(2027, 10, 2, 15, 59)).utc_offset_s, 36000);
  EXPECT_EQ(sydney->at(utc(2027, 10, 2, 16, 0)).utc_offset_s, 39600);
}

TEST(TimeZone, HandMadeTransitionsAndJulianRules) {
  // Before the first transition type 0; then the transitions; after the last one the footer.
  const auto made = TimeZone::from_tzif(
      "Test/Made", tzif({1000, 2000}, {1, 0}, {{3600, false, "AAA"}, {7200, true, "BBB"}}, "<+0330>-3:30"));
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ(made->at(999).utc_offset_s, 3600);
  EXPECT_EQ(made->at(1000).utc_offset_s, 7200);
  EXPECT_EQ(made->at(1999).abbreviation, "BBB");
  EXPECT_EQ(made->at(2000).utc_offset_s, 3 * 3600 + 1800);
  EXPECT_EQ(made->at(2000).abbreviation, "+0330");
  // J60 is 1 March whether or not the year is a leap year; 59 (zero-based) is 1 March in 2028.
  const auto julian = TimeZone::from_tzif("Test/Julian", tzif({}, {}, {{0, false, "UTC"}}, "XXX0YYY,J60/0,J300/0"));
  ASSERT_TRUE(julian.ok()) << julian.error().message;
  EXPECT_EQ(julian->at(utc(2028, 2, 29, 23, 59)).utc_offset_s, 0);
  EXPECT_EQ(julian->at(utc(2028, 3, 1, 0, 0)).utc_offset_s, 3600);
  const auto zero_based = TimeZone::from_tzif("Test/Zero", tzif({}, {}, {{0, false, "UTC"}}, "XXX0YYY,59/0,300/0"));
  ASSERT_TRUE(zero_based.ok()) << zero_based.error().message;
  EXPECT_EQ(zero_based->at(utc(2028, 2, 29, 0, 0)).utc_offset_s, 3600);
  EXPECT_EQ(zero_based->at(utc(2027, 3, 1, 0, 0)).utc_offset_s, 3600);
  EXPECT_EQ(zero_based->at(utc(2027, 2, 28, 23, 59)).utc_offset_s, 0);
}

TEST(TimeZone, TheProcessZoneChangesNothing) {
  const TimeZone shanghai = zone("Asia/Shanghai");
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  for (const char* system : {"UTC0", "America/New_York", "Europe/Berlin"}) {
    setenv("TZ", system, 1);
    tzset();
    EXPECT_EQ(format_time(utc(2026, 12, 7, 22, 38), "%Y-%m-%d %H:%M", shanghai), "2026-12-08 06:38") << system;
  }
  if (old) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
  tzset();
}

TEST(TimeZone, UnknownOrMalformedNamesAreRefused) {
  const auto unknown = TimeZone::load("Asia/Atlantis");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
  EXPECT_NE(unknown.error().message.find("Asia/Atlantis"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("tzdata"), std::string::npos);
  for (const char* bad : {"", "../../etc/passwd", "/etc/localtime", "Asia//Shanghai", "Asia/Shang hai", "Asia/./Shanghai"}) {
    const auto refused = TimeZone::load(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_argument) << bad;
  }
  const auto folder = TimeZone::load("Asia");  // a folder, not a zone
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().kind, ErrorKind::not_found);
}

TEST(TimeZone, MalformedFilesGiveClearErrors) {
  const std::string good = tzif({1000}, {0}, {{3600, false, "AAA"}}, "AAA-1");
  ASSERT_TRUE(TimeZone::from_tzif("ok", good).ok());
  auto message = [](const std::string& bytes) {
    auto parsed = TimeZone::from_tzif("bad", bytes);
    EXPECT_FALSE(parsed.ok());
    if (parsed.ok()) return std::string();
    EXPECT_EQ(parsed.error().kind, ErrorKind::parse);
    return parsed.error().message;
  };
  EXPECT_NE(message("").find("shorter than its header"), std::string::npos);
  EXPECT_NE(message("NOPE" + good.substr(4)).find("magic"), std::string::npos);
  EXPECT_NE(message(good.substr(0, good.size() - 12)).find("shorter"), std::string::npos);
  EXPECT_NE(message(tzif({1000}, {3}, {{3600, false, "AAA"}}, "AAA-1")).find("type that does not exist"), std::string::npos);
  EXPECT_NE(message(tzif({2000, 1000}, {0, 0}, {{3600, false, "AAA"}}, "AAA-1")).find("ascending"), std::string::npos);
  EXPECT_NE(message(tzif({}, {}, {{100000, false, "AAA"}}, "AAA-1")).find("offset out of range"), std::string::npos);
  EXPECT_NE(message(tzif({}, {}, {{0, false, "AAA"}}, "A-1")).find("fewer than 3"), std::string::npos);
  EXPECT_NE(message(tzif({}, {}, {{0, false, "AAA"}}, "AAA-1BBB,M13.1.0,M10.5.0")).find("footer"), std::string::npos);
  EXPECT_NE(message(tzif({}, {}, {{0, false, "AAA"}}, "AAA-1BBB,M3.5.0")).find("footer"), std::string::npos);
  std::string no_newline = good;
  no_newline.pop_back();
  EXPECT_NE(message(no_newline).find("footer"), std::string::npos);
}

TEST(Rfc3339, ParsedWithTheirOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-12-07T22:38:00Z"), utc(2026, 12, 7, 22, 38));
  EXPECT_EQ(parse_rfc3339("2026-12-08T06:38:00+08:00"), utc(2026, 12, 7, 22, 38));
  EXPECT_EQ(parse_rfc3339("2026-12-08 06:38:00.250+08:00"), utc(2026, 12, 7, 22, 38));
  EXPECT_EQ(parse_rfc3339("2026-12-07T17:38:00-05:00"), utc(2026, 12, 7, 22, 38));
  EXPECT_EQ(parse_rfc3339("2026-12-08T06:38:00"), std::nullopt);  // no offset: no instant
  EXPECT_EQ(parse_rfc3339("2026-02-30T06:38:00Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2026-12-08T24:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("2026-12-08T06:38:00+08:00 "), std::nullopt);
  EXPECT_EQ(parse_rfc3339("yesterday"), std::nullopt);
}

TEST(Rfc3339, PlatformTimesAreShownInTheTerminalZone) {
  const TimeZone shanghai = zone("Asia/Shanghai");
  EXPECT_EQ(display_time("2026-12-07T22:38:00Z", shanghai), "2026-12-08 06:38");
  EXPECT_EQ(display_time("2026-12-07T22:38:00+00:00", shanghai), "2026-12-08 06:38");
  EXPECT_EQ(display_time("2026-12-08T06:38:40+08:00", shanghai), "2026-12-08 06:38");
  EXPECT_EQ(display_time("2026-11-03 09:12", shanghai), "2026-11-03 09:12");  // no offset: as it came
  EXPECT_EQ(display_time("2026-11-03T09:12", shanghai), "2026-11-03 09:12");
  EXPECT_EQ(display_time("2026-11-03", shanghai), "2026-11-03");
  EXPECT_EQ(display_time("yesterday afternoon", shanghai), "yesterday afternoon");
  EXPECT_EQ(display_time("", shanghai), "");
  EXPECT_EQ(rfc3339(0, TimeZone::utc()), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(rfc3339(1795586580, zone("Asia/Kolkata")), "2026-11-25T11:33:00+05:30");
  EXPECT_EQ(rfc3339(1795586580, zone("America/New_York")), "2026-11-25T01:03:00-05:00");
}

// The config's time_zone: Asia/Shanghai unless set; an unknown zone refused with the field's name.
TEST(ConfigTimeZone, DefaultsToChinaAndRefusesUnknownZones) {
  auto defaults = parse_config("{}");
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_EQ(defaults->time_zone, "Asia/Shanghai");
  auto berlin = parse_config(R"({"time_zone": "Europe/Berlin"})");
  ASSERT_TRUE(berlin.ok()) << berlin.error().message;
  EXPECT_EQ(berlin->time_zone, "Europe/Berlin");
  for (const char* bad : {R"({"time_zone": "China/Beijing"})", R"({"time_zone": "../../etc/passwd"})", R"({"time_zone": 8})"}) {
    auto refused = parse_config(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_NE(refused.error().message.find("time_zone"), std::string::npos) << refused.error().message;
  }
}

}  // namespace
}  // namespace kiosk
