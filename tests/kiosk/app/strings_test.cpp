#include "kiosk/app/strings.h"

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

}  // namespace
}  // namespace kiosk
