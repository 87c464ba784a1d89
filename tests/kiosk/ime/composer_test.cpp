#include "kiosk/ime/composer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/kiosk/ime/ime_fixture.h"

namespace kiosk::ime {
namespace {

class ComposerTest : public EngineTest {
 protected:
  ComposerTest() : composer_(engine_, &value_) {}

  void type(std::string_view keys) {
    for (char key : keys) composer_.key(std::string(1, key));
  }
  // Pages forward until `text` is on the page; its index there, or page_size() if never.
  std::size_t find_on_pages(const std::string& text) {
    while (true) {
      const auto page = composer_.candidates();
      const auto found = std::find(page.begin(), page.end(), text);
      if (found != page.end()) return static_cast<std::size_t>(found - page.begin());
      if (!composer_.has_more()) return composer_.page_size();
      composer_.next_page();
    }
  }

  std::string value_;
  Composer composer_;
};

TEST_F(ComposerTest, LettersComposePinyinWithCandidates) {
  EXPECT_EQ(composer_.mode(), InputMode::pinyin);
  type("ZhangSan");
  EXPECT_EQ(composer_.preedit(), "zhangsan");
  EXPECT_EQ(value_, "");
  const auto candidates = composer_.candidates();
  EXPECT_LE(candidates.size(), composer_.page_size());
  EXPECT_NE(std::find(candidates.begin(), candidates.end(), "张三"), candidates.end());
}

TEST_F(ComposerTest, SpaceAndReturnCommitTheFirstCandidate) {
  type("zhangsanfeng");
  composer_.key(" ");
  EXPECT_EQ(value_, "张三丰");
  EXPECT_EQ(composer_.preedit(), "");
  EXPECT_TRUE(composer_.candidates().empty());
  type("chengdu");
  composer_.key("\n");
  EXPECT_EQ(value_, "张三丰程度");  // the library's first reading; 成都 is the second candidate
  composer_.key(" ");                // without pinyin, space is a space
  EXPECT_EQ(value_, "张三丰程度 ");
  composer_.key("\r");  // and Return does nothing
  EXPECT_EQ(value_, "张三丰程度 ");
}

TEST_F(ComposerTest, ChoosingPartOfThePinyinKeepsTheRest) {
  type("zhangsanfeng");
  const std::size_t zhangsan = find_on_pages("张三");
  ASSERT_LT(zhangsan, composer_.page_size());
  ASSERT_TRUE(composer_.choose(zhangsan));
  EXPECT_EQ(value_, "张三");
  EXPECT_EQ(composer_.preedit(), "feng");
  EXPECT_EQ(composer_.page(), 0u);
  const std::size_t feng = find_on_pages("丰");
  ASSERT_LT(feng, composer_.page_size());
  ASSERT_TRUE(composer_.choose(feng));
  EXPECT_EQ(value_, "张三丰");
  EXPECT_EQ(composer_.preedit(), "");
  EXPECT_FALSE(composer_.choose(0));  // nothing left to choose from
}

TEST_F(ComposerTest, BackspaceDeletesThePinyinFirstThenWholeCharacters) {
  value_ = "𠀀成都";  // a 4-byte character (extension B) and two 3-byte ones
  type("ab");
  composer_.key("\b");
  EXPECT_EQ(composer_.preedit(), "a");
  EXPECT_EQ(value_, "𠀀成都");
  composer_.key("\b");
  EXPECT_EQ(composer_.preedit(), "");
  EXPECT_TRUE(composer_.candidates().empty());
  composer_.key("\b");
  EXPECT_EQ(value_, "𠀀成");
  composer_.key("\b");
  composer_.key("\b");
  EXPECT_EQ(value_, "");
  composer_.key("\b");  // nothing left: nothing happens
  EXPECT_EQ(value_, "");
}

TEST_F(ComposerTest, DigitsAndPunctuationCommitThePinyinFirst) {
  type("zhangsan");
  composer_.key("1");
  EXPECT_EQ(value_, "张三1");
  EXPECT_EQ(composer_.preedit(), "");
  type("ayi");
  composer_.key("·");  // the middle dot of minority names
  EXPECT_EQ(value_, "张三1阿姨·");
  composer_.key("'");  // a separator needs pinyin before it: otherwise it is an apostrophe
  EXPECT_EQ(value_, "张三1阿姨·'");
}

TEST_F(ComposerTest, LettersNothingCanBeReadFromGoInAsTyped) {
  type("zhangi");
  composer_.key(" ");
  EXPECT_EQ(value_, "张");
  EXPECT_EQ(composer_.preedit(), "i");
  EXPECT_TRUE(composer_.candidates().empty());
  composer_.key(" ");
  EXPECT_EQ(value_, "张i");
  type("vv");
  composer_.key("-");
  EXPECT_EQ(value_, "张ivv-");
}

TEST_F(ComposerTest, ApostropheSeparatesSyllables) {
  type("xi'an");
  EXPECT_EQ(composer_.preedit(), "xi'an");
  ASSERT_FALSE(composer_.candidates().empty());
  EXPECT_EQ(composer_.candidates()[0], "西安");
  composer_.key("\b");
  composer_.key("\b");
  composer_.key("'");
  composer_.key("'");  // one at a time
  EXPECT_EQ(composer_.preedit(), "xi'");
}

TEST_F(ComposerTest, PinyinIsLimited) {
  type(std::string(PinyinEngine::kMaxPinyinLength + 8, 'a'));
  EXPECT_EQ(composer_.preedit().size(), PinyinEngine::kMaxPinyinLength);
}

TEST_F(ComposerTest, MaxLengthCountsCharactersAndIgnoresWhatWouldPassIt) {
  composer_.set_max_length(2);
  type("zhangsanfeng");
  composer_.key(" ");  // 张三丰 is three characters: ignored
  EXPECT_EQ(value_, "");
  EXPECT_EQ(composer_.preedit(), "zhangsanfeng");
  const std::size_t zhangsan = find_on_pages("张三");
  ASSERT_LT(zhangsan, composer_.page_size());
  ASSERT_TRUE(composer_.choose(zhangsan));
  EXPECT_EQ(value_, "张三");
  EXPECT_EQ(composer_.preedit(), "feng");
  composer_.key(" ");  // full: the rest cannot go in
  EXPECT_EQ(value_, "张三");
  composer_.commit_preedit();  // done: what does not fit is dropped, not left hidden
  EXPECT_EQ(composer_.preedit(), "");
  type("a");  // a full value starts no pinyin
  EXPECT_EQ(composer_.preedit(), "");
  composer_.key("1");
  EXPECT_EQ(value_, "张三");

  ASSERT_TRUE(composer_.set_mode(InputMode::latin));
  composer_.key("\b");
  composer_.key("AB");  // a key of two characters where one fits: ignored whole
  EXPECT_EQ(value_, "张");
  composer_.key("A");
  composer_.key("B");
  EXPECT_EQ(value_, "张A");
}

TEST_F(ComposerTest, LatinModeAppendsAsTyped) {
  ASSERT_TRUE(composer_.set_mode(InputMode::latin));
  for (const char* key : {"A", "b", " ", "1", "-", "\n", "\x01", "\xff"}) composer_.key(key);
  EXPECT_EQ(value_, "Ab 1-");
  EXPECT_EQ(composer_.preedit(), "");
}

TEST_F(ComposerTest, DigitsModeTakesDigitsXAndDash) {
  ASSERT_TRUE(composer_.set_mode(InputMode::digits));
  for (const char* key : {"5", "1", "a", "张", " ", "x", "-", "0", "10"}) composer_.key(key);
  EXPECT_EQ(value_, "51X-0");
  composer_.key("\b");
  EXPECT_EQ(value_, "51X-");
}

TEST_F(ComposerTest, SwitchingModeCommitsThePinyin) {
  type("zhangsan");
  ASSERT_TRUE(composer_.set_mode(InputMode::latin));
  EXPECT_EQ(value_, "张三");
  EXPECT_EQ(composer_.preedit(), "");
  type("a");
  EXPECT_EQ(value_, "张三a");
}

TEST_F(ComposerTest, PagesCoverEveryCandidateOnce) {
  composer_.set_page_size(5);
  type("zhang");
  EXPECT_FALSE(composer_.has_previous());
  ASSERT_TRUE(composer_.has_more());
  const auto first = composer_.candidates();
  EXPECT_EQ(first.size(), 5u);
  std::vector<std::string> seen(first);
  while (composer_.has_more()) {
    composer_.next_page();
    const auto page = composer_.candidates();
    ASSERT_FALSE(page.empty());
    EXPECT_LE(page.size(), 5u);
    seen.insert(seen.end(), page.begin(), page.end());
  }
  const std::size_t last = composer_.page();
  composer_.next_page();  // past the end: stays
  EXPECT_EQ(composer_.page(), last);
  EXPECT_GT(seen.size(), 30u);  // zhang: 张 章 长 … and rarer name characters
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());

  composer_.previous_page();
  EXPECT_EQ(composer_.page(), last - 1);
  const auto page = composer_.candidates();
  ASSERT_TRUE(composer_.choose(2));
  EXPECT_EQ(value_, page[2]);
  EXPECT_EQ(composer_.page(), 0u);
  EXPECT_FALSE(composer_.choose(5));  // past the page size
}

TEST_F(ComposerTest, ClearWipesEverything) {
  value_ = "四川省泸州市";
  type("jiangyang");
  composer_.clear();
  EXPECT_EQ(value_, "");
  EXPECT_EQ(composer_.preedit(), "");
  EXPECT_TRUE(composer_.candidates().empty());
  EXPECT_FALSE(composer_.has_more());
}

TEST(ComposerWithoutEngine, IsLatinOnly) {
  std::string value;
  Composer composer(nullptr, &value);
  EXPECT_FALSE(composer.pinyin_available());
  EXPECT_EQ(composer.mode(), InputMode::latin);
  EXPECT_FALSE(composer.set_mode(InputMode::pinyin));
  EXPECT_EQ(composer.mode(), InputMode::latin);
  for (const char* key : {"Z", "S", " ", "3"}) composer.key(key);
  EXPECT_EQ(value, "ZS 3");
  EXPECT_TRUE(composer.candidates().empty());
  EXPECT_FALSE(composer.choose(0));
}

}  // namespace
}  // namespace kiosk::ime
