// Parsing kioskctl's command-line words (arguments.h).
#include "tools/kioskctl/arguments.h"

#include <cctype>
#include <charconv>

namespace kiosk::kioskctl {

Failure usage_error(std::string message) { return {kExitUsage, std::move(message)}; }
Failure failed(std::string message) { return {kExitFailed, std::move(message)}; }

Outcome<Arguments> Arguments::parse(const std::vector<std::string>& words, const ArgumentSpec& spec) {
  Arguments arguments;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.size() > 2 && word.rfind("--", 0) == 0) {
      if (spec.switches.count(word)) {
        arguments.switches_.insert(word);
      } else if (spec.valued.count(word)) {
        if (i + 1 >= words.size()) return usage_error(word + " needs a value");
        if (arguments.values_.count(word)) return usage_error(word + " given twice");
        arguments.values_[word] = words[++i];
      } else {
        return usage_error("unknown option " + word);
      }
    } else {
      arguments.positionals_.push_back(word);
    }
  }
  if (arguments.positionals_.size() != spec.positionals) {
    return usage_error("expected " + std::to_string(spec.positionals) + " argument" +
                       (spec.positionals == 1 ? "" : "s") + ", got " + std::to_string(arguments.positionals_.size()));
  }
  return arguments;
}

std::optional<std::string> Arguments::value(const std::string& flag) const {
  const auto found = values_.find(flag);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

Outcome<long long> Arguments::integer(const std::string& flag, long long fallback, long long low, long long high) const {
  const auto text = value(flag);
  if (!text) return fallback;
  long long number = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), number);
  if (error != std::errc() || end != text->data() + text->size() || number < low || number > high) {
    return usage_error(flag + " expects a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  }
  return number;
}

Outcome<std::pair<std::string, std::string>> usb_ids(const std::string& text) {
  const auto colon = text.find(':');
  auto hex = [](const std::string& part) {
    if (part.empty() || part.size() > 4) return false;
    for (char c : part) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  };
  if (colon == std::string::npos || !hex(text.substr(0, colon)) || !hex(text.substr(colon + 1))) {
    return usage_error("--usb expects VID:PID in hex, such as 0416:5011");
  }
  return std::pair{text.substr(0, colon), text.substr(colon + 1)};
}

}  // namespace kiosk::kioskctl
