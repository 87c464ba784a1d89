#include "kiosk/app/strings.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

Result<std::map<std::string, std::string>> parse_table(const std::string& text, const char* name) {
  const auto root = nlohmann::json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    return Error::make(ErrorKind::parse, std::string("strings ") + name + ": not a JSON object");
  }
  std::map<std::string, std::string> table;
  for (const auto& [key, value] : root.items()) {
    if (!value.is_string()) {
      return Error::make(ErrorKind::parse, std::string("strings ") + name + ": \"" + key + "\" must be a string");
    }
    table[key] = value.get<std::string>();
  }
  return table;
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::not_found, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<Strings> Strings::parse(const std::string& zh_json, const std::string& en_json) {
  Strings strings;
  strings.zh_ = TRY(parse_table(zh_json, "zh"));
  strings.en_ = TRY(parse_table(en_json, "en"));
  return strings;
}

Result<Strings> Strings::load(const std::filesystem::path& strings_dir) {
  const std::string zh = TRY(read_file(strings_dir / "zh.json"));
  const std::string en = TRY(read_file(strings_dir / "en.json"));
  return parse(zh, en);
}

std::string Strings::get(const std::string& key) const {
  const auto& table = language_ == Language::zh ? zh_ : en_;
  if (auto it = table.find(key); it != table.end()) return it->second;
  return key;
}

std::string Strings::format(const std::string& key, const std::vector<std::string>& arguments) const {
  std::string text = get(key);
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string marker = "{" + std::to_string(i) + "}";
    for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + arguments[i].size())) {
      text.replace(at, marker.size(), arguments[i]);
    }
  }
  return text;
}

bool Strings::has(const std::string& key, Language language) const {
  return (language == Language::zh ? zh_ : en_).count(key) > 0;
}

std::vector<std::string> Strings::untranslated() const {
  std::vector<std::string> missing;
  for (const auto& [key, text] : zh_) {
    if (!en_.count(key)) missing.push_back("en:" + key);
  }
  for (const auto& [key, text] : en_) {
    if (!zh_.count(key)) missing.push_back("zh:" + key);
  }
  return missing;
}

}  // namespace kiosk
