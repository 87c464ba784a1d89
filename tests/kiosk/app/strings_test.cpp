#include "kiosk/app/strings.h"

#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace kiosk {
namespace {

TEST(Strings, ShippedStringsAreTranslatedBothWays) {
  auto strings = Strings::load(std::filesystem::path(KIOSK_TEST_ASSETS) / "strings");
  ASSERT_TRUE(strings.ok()) << strings.error().message;
  EXPECT_TRUE(strings->untranslated().empty()) << "first missing: " << strings->untranslated().front();
  EXPECT_EQ(strings->get("nav.back"), "返回");
  strings->set_language(Language::en);
  EXPECT_EQ(strings->get("nav.back"), "Back");
}

// Every key the code names literally — tr("…"), format("…", …) — exists in both languages. (Keys
// built at run time, "submitted.print_error." + code, are covered by the screenshots' check that
// no visible text is a key: kiosk/driver/accessibility.h.)
TEST(Strings, EveryKeyTheCodeNamesExistsInBothLanguages) {
  const std::filesystem::path assets = KIOSK_TEST_ASSETS;
  auto strings = Strings::load(assets / "strings");
  ASSERT_TRUE(strings.ok()) << strings.error().message;
  const std::regex literal_key(R"re(\b(?:tr|format)\(\s*"([a-z][a-z0-9_]*(?:\.[a-z0-9_-]+)+)")re");
  int keys = 0;
  for (const char* folder : {"screens", "kiosk"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(assets.parent_path() / folder)) {
      if (entry.path().extension() != ".cpp" && entry.path().extension() != ".h") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const std::string source = text.str();
      for (std::sregex_iterator it(source.begin(), source.end(), literal_key), end; it != end; ++it) {
        const std::string key = (*it)[1];
        ++keys;
        EXPECT_TRUE(strings->has(key, Language::zh)) << entry.path().filename() << ": no Chinese text for " << key;
        EXPECT_TRUE(strings->has(key, Language::en)) << entry.path().filename() << ": no English text for " << key;
      }
    }
  }
  EXPECT_GT(keys, 200);  // the scan found the code's keys
}

TEST(Strings, FormatsArgumentsAndShowsMissingKeys) {
  auto strings = Strings::parse(R"({"a": "{0} 秒后结束，{1}", "b": "x"})", R"({"a": "{0} s, {1}"})");
  ASSERT_TRUE(strings.ok()) << strings.error().message;
  EXPECT_EQ(strings->format("a", {"30", "好"}), "30 秒后结束，好");
  EXPECT_EQ(strings->get("missing.key"), "missing.key");
  EXPECT_EQ(strings->untranslated(), std::vector<std::string>{"en:b"});  // missing in English
}

TEST(Strings, RejectsMalformedFiles) {
  EXPECT_FALSE(Strings::parse("not json", "{}").ok());
  EXPECT_FALSE(Strings::parse(R"({"a": 1})", "{}").ok());
  EXPECT_FALSE(Strings::parse("[]", "{}").ok());
  EXPECT_FALSE(Strings::parse("{\"a\": \"\xFF\"}", "{}").ok());
}

TEST(Strings, LoadsOneFilePerFeatureAndRefusesAKeyDefinedTwice) {
  const auto dir = std::filesystem::temp_directory_path() / ("strings-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "zh");
  std::filesystem::create_directories(dir / "en");
  const auto write = [](const std::filesystem::path& path, const char* text) { std::ofstream(path) << text; };
  write(dir / "zh.json", R"({"a": "甲"})");
  write(dir / "en.json", R"({"a": "A"})");
  write(dir / "zh" / "rating.json", R"({"b": "乙"})");
  write(dir / "en" / "rating.json", R"({"b": "B"})");
  write(dir / "en" / "notes.txt", "not strings");
  auto strings = Strings::load(dir);
  ASSERT_TRUE(strings.ok()) << strings.error().message;
  EXPECT_EQ(strings->get("b"), "乙");
  EXPECT_TRUE(strings->untranslated().empty());

  write(dir / "zh" / "queue.json", R"({"a": "又一个甲"})");
  auto twice = Strings::load(dir);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("zh/queue.json: \"a\" is defined twice"), std::string::npos) << twice.error().message;

  write(dir / "zh" / "queue.json", R"({"c": 3})");
  EXPECT_FALSE(Strings::load(dir).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kiosk
