#pragma once
// UI strings in zh-CN and en, from assets/strings/<lang>.json plus one file per feature in
// assets/strings/<lang>/*.json (flat "key": "text" maps; a key may be defined once).
// "{0}", "{1}" … in a text are replaced by arguments.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk {

enum class Language { zh, en };

class Strings {
 public:
  static Result<Strings> load(const std::filesystem::path& strings_dir);
  static Result<Strings> parse(const std::string& zh_json, const std::string& en_json);

  Language language() const { return language_; }
  void set_language(Language language) { language_ = language; }

  // The text of `key` in the current language; the key itself (visible, so tests catch it) if absent.
  std::string get(const std::string& key) const;
  std::string format(const std::string& key, const std::vector<std::string>& arguments) const;
  bool has(const std::string& key, Language language) const;
  // Keys present in one language and missing in the other.
  std::vector<std::string> untranslated() const;

 private:
  std::map<std::string, std::string> zh_;
  std::map<std::string, std::string> en_;
  Language language_ = Language::zh;
};

}  // namespace kiosk
