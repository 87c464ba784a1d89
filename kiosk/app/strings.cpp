#include "kiosk/app/strings.h"

#include <algorithm>
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

// <lang>.json, then every <lang>/*.json in name order; a key defined twice is an error (two
// features would otherwise silently disagree about a text).
Result<std::map<std::string, std::string>> load_language(const std::filesystem::path& strings_dir, const std::string& lang) {
  std::vector<std::filesystem::path> files = {strings_dir / (lang + ".json")};
  std::error_code error;
  std::vector<std::filesystem::path> parts;
  for (const auto& entry : std::filesystem::directory_iterator(strings_dir / lang, error)) {
    if (entry.path().extension() == ".json") parts.push_back(entry.path());
  }
  std::sort(parts.begin(), parts.end());
  files.insert(files.end(), parts.begin(), parts.end());
  std::map<std::string, std::string> table;
  for (const auto& file : files) {
    const std::string name = file.lexically_relative(strings_dir).string();
    const std::string json = TRY(read_file(file));
    for (auto& [key, text] : TRY(parse_table(json, name.c_str()))) {
      if (table.count(key)) return Error::make(ErrorKind::parse, "strings " + name + ": \"" + key + "\" is defined twice");
      table.emplace(key, std::move(text));
    }
  }
  return table;
}

}  // namespace

Result<Strings> Strings::parse(const std::string& zh_json, const std::string& en_json) {
  Strings strings;
  strings.zh_ = TRY(parse_table(zh_json, "zh"));
  strings.en_ = TRY(parse_table(en_json, "en"));
  return strings;
}

Result<Strings> Strings::load(const std::filesystem::path& strings_dir) {
  Strings strings;
  strings.zh_ = TRY(load_language(strings_dir, "zh"));
  strings.en_ = TRY(load_language(strings_dir, "en"));
  return strings;
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
