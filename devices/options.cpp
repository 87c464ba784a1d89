#include "devices/options.h"

#include <cctype>

namespace kiosk::devices {

Result<int> OptionReader::integer(const char* name, int fallback, int minimum, int maximum) const {
  if (!has(name)) return fallback;
  if (!options_[name].is_number_integer()) return error(name, "expected an integer");
  const auto value = options_[name].get<long long>();
  if (value < minimum || value > maximum) return error(name, "out of range");
  return static_cast<int>(value);
}

Result<std::string> OptionReader::required_string(const char* name, const std::string& expected) const {
  if (!has(name) || !options_[name].is_string() || options_[name].get<std::string>().empty()) {
    return error(name, "expected " + expected);
  }
  return options_[name].get<std::string>();
}

Result<std::optional<std::uint16_t>> OptionReader::usb_id(const char* name) const {
  if (!has(name)) return std::optional<std::uint16_t>{};
  const auto& value = options_[name];
  if (value.is_number_integer()) {
    const auto number = value.get<long long>();
    if (number < 0 || number > 0xFFFF) return error(name, "out of range (0…0xffff)");
    return std::optional<std::uint16_t>(static_cast<std::uint16_t>(number));
  }
  if (!value.is_string()) return error(name, "expected a hex string such as \"0416\"");
  std::string text = value.get<std::string>();
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) text = text.substr(2);
  if (text.empty() || text.size() > 4) return error(name, "expected 1 to 4 hex digits");
  unsigned number = 0;
  for (const char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return error(name, "expected 1 to 4 hex digits");
    number = number * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                     ? c - '0'
                                                     : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
  }
  return std::optional<std::uint16_t>(static_cast<std::uint16_t>(number));
}

}  // namespace kiosk::devices
