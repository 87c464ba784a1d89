#pragma once
// Reading one driver's options from its config object ({"driver": "sam-serial", "path": …}), shared
// by every real driver so options parse one way. Errors are ErrorKind::parse and name the config
// path: `devices.card_reader.baud: expected an integer`.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"

namespace kiosk::devices {

class OptionReader {
 public:
  // `device_class` as in the config ("card_reader", "receipt_printer" …).
  OptionReader(const nlohmann::json& options, std::string device_class)
      : options_(options), prefix_("devices." + std::move(device_class) + ".") {}

  bool has(const char* name) const { return options_.is_object() && options_.contains(name); }
  Error error(const std::string& option, const std::string& what) const {
    return Error::make(ErrorKind::parse, prefix_ + option + ": " + what);
  }
  // An integer in [minimum, maximum]; `fallback` when absent.
  Result<int> integer(const char* name, int fallback, int minimum = 0, int maximum = 1'000'000) const;
  // A non-empty string; `expected` says what belongs there when it is missing or empty.
  Result<std::string> required_string(const char* name, const std::string& expected) const;
  // A USB vendor or product id: "0416", "0x0416" or a number; nullopt when absent.
  Result<std::optional<std::uint16_t>> usb_id(const char* name) const;

 private:
  const nlohmann::json& options_;
  std::string prefix_;
};

}  // namespace kiosk::devices
