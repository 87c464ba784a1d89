#include "tools/platform-sim/times.h"

#include <cstdio>

namespace platform_sim {
namespace {

constexpr std::time_t kChinaOffset = 8 * 3600;

std::tm china_time(std::time_t when) {
  const std::time_t shifted = when + kChinaOffset;
  std::tm parts{};
  gmtime_r(&shifted, &parts);
  return parts;
}

bool digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int number(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool real_day(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const int last = kDays[month - 1] + (month == 2 && leap(year) ? 1 : 0);
  return day <= last;
}

}  // namespace

std::string rfc3339(std::time_t when) {
  const std::tm parts = china_time(when);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
  return text;
}

std::string date_text(std::time_t when) { return rfc3339(when).substr(0, 10); }

std::string compact_date(std::time_t when) {
  const std::string date = date_text(when);
  return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
}

std::string add_days(std::string_view date, int days) {
  if (!valid_date(date)) return std::string(date);
  std::tm parts{};
  parts.tm_year = number(date.substr(0, 4)) - 1900;
  parts.tm_mon = number(date.substr(5, 2)) - 1;
  parts.tm_mday = number(date.substr(8, 2)) + days;
  parts.tm_hour = 12;
  const std::time_t when = timegm(&parts);
  std::tm normal{};
  gmtime_r(&when, &normal);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", normal.tm_year + 1900, normal.tm_mon + 1, normal.tm_mday);
  return text;
}

bool valid_date(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  const auto year = date.substr(0, 4), month = date.substr(5, 2), day = date.substr(8, 2);
  if (!digits(year) || !digits(month) || !digits(day)) return false;
  return real_day(number(year), number(month), number(day));
}

bool valid_compact_date(std::string_view date) {
  if (date.size() != 8 || !digits(date)) return false;
  return real_day(number(date.substr(0, 4)), number(date.substr(4, 2)), number(date.substr(6, 2)));
}

bool valid_rfc3339(std::string_view text) {
  if (text.size() < 20 || !valid_date(text.substr(0, 10))) return false;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return false;
  const auto time = text.substr(11, 8);
  if (time[2] != ':' || time[5] != ':') return false;
  if (!digits(time.substr(0, 2)) || !digits(time.substr(3, 2)) || !digits(time.substr(6, 2))) return false;
  if (number(time.substr(0, 2)) > 23 || number(time.substr(3, 2)) > 59 || number(time.substr(6, 2)) > 60) return false;
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    std::size_t fraction = 0;
    while (fraction < rest.size() && rest[fraction] >= '0' && rest[fraction] <= '9') ++fraction;
    if (fraction == 0) return false;
    rest.remove_prefix(fraction);
  }
  if (rest == "Z" || rest == "z") return true;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return false;
  return digits(rest.substr(1, 2)) && digits(rest.substr(4, 2)) && number(rest.substr(1, 2)) < 24 &&
         number(rest.substr(4, 2)) < 60;
}

}  // namespace platform_sim
