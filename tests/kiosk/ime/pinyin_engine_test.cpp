#include "kiosk/ime/pinyin_engine.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/kiosk/ime/ime_fixture.h"

namespace kiosk::ime {

PinyinEngine* EngineTest::engine_ = nullptr;

namespace {

bool contains(const std::vector<std::string>& list, const std::string& text) {
  return std::find(list.begin(), list.end(), text) != list.end();
}

std::size_t index_of(const std::vector<std::string>& list, const std::string& text) {
  return static_cast<std::size_t>(std::find(list.begin(), list.end(), text) - list.begin());
}

using PinyinEngineTest = EngineTest;

TEST_F(PinyinEngineTest, NamesAndPlacesAreAmongTheFirstCandidates) {
  const auto zhangsan = engine_->candidates("zhangsan", 5);
  EXPECT_TRUE(contains(zhangsan, "张三")) << testing::PrintToString(zhangsan);
  const auto chengdu = engine_->candidates("chengdu", 5);
  EXPECT_TRUE(contains(chengdu, "成都")) << testing::PrintToString(chengdu);
  EXPECT_LE(chengdu.size(), 5u);
}

TEST_F(PinyinEngineTest, TheWholePhraseComesFirst) {
  const auto candidates = engine_->candidates("zhangsanfeng", 10);
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates[0], "张三丰");
  EXPECT_TRUE(contains(candidates, "张三"));  // then words from the start
  EXPECT_TRUE(contains(candidates, "张"));
}

TEST_F(PinyinEngineTest, LettersAreCaseInsensitiveAndApostrophesSeparateSyllables) {
  EXPECT_EQ(engine_->candidates("ZhangSan", 5), engine_->candidates("zhangsan", 5));
  const auto xian = engine_->candidates("xi'an", 5);
  ASSERT_FALSE(xian.empty());
  EXPECT_EQ(xian[0], "西安");
}

TEST_F(PinyinEngineTest, ChoosingPartOfThePinyinLeavesTheRest) {
  const auto candidates = engine_->candidates("zhangsanfeng", 20);
  const std::size_t zhangsan = index_of(candidates, "张三");
  ASSERT_LT(zhangsan, candidates.size());
  auto choice = engine_->choose("zhangsanfeng", zhangsan);
  ASSERT_TRUE(choice.ok()) << choice.error().message;
  EXPECT_EQ(choice->text, "张三");
  EXPECT_EQ(choice->remaining_pinyin, "feng");
  const auto rest = engine_->candidates(choice->remaining_pinyin, 20);
  EXPECT_TRUE(contains(rest, "丰")) << testing::PrintToString(rest);

  auto whole = engine_->choose("zhangsanfeng", 0);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->text, "张三丰");
  EXPECT_EQ(whole->remaining_pinyin, "");

  auto separated = engine_->choose("zhang'san", 1);  // 张: the separator is not left over
  ASSERT_TRUE(separated.ok());
  EXPECT_EQ(separated->remaining_pinyin, "san");
}

TEST_F(PinyinEngineTest, UndecodableLettersAtTheEndAreLeftOver) {
  const auto candidates = engine_->candidates("zhangi", 5);
  ASSERT_FALSE(candidates.empty());
  EXPECT_EQ(candidates[0], "张");
  auto choice = engine_->choose("zhangi", 0);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->text, "张");
  EXPECT_EQ(choice->remaining_pinyin, "i");
}

TEST_F(PinyinEngineTest, GarbageGivesNoCandidatesAndNoCrash) {
  const std::string too_long(PinyinEngine::kMaxPinyinLength + 1, 'a');
  const std::string longest = "sichuanshengluzhoushijiangyangqu";  // 32 letters, an address
  for (std::string_view input : {std::string_view(""), std::string_view("123"), std::string_view("zhang san"),
                                 std::string_view("张三"), std::string_view("zhang\0san", 9), std::string_view("'a"),
                                 std::string_view("a''b"), std::string_view("\xff\xfe"), std::string_view("vvvv"),
                                 std::string_view("iii"), std::string_view(too_long)}) {
    EXPECT_TRUE(engine_->candidates(input, 10).empty()) << input;
    EXPECT_FALSE(engine_->choose(input, 0).ok()) << input;
  }
  EXPECT_TRUE(engine_->candidates("zhang", 0).empty());
  EXPECT_FALSE(engine_->candidates(longest, 10).empty());  // the limit itself is fine
  EXPECT_FALSE(engine_->candidates("a'", 10).empty());     // a separator typed before the next syllable
  auto out_of_range = engine_->choose("zhang", 100000);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.error().kind, ErrorKind::invalid_argument);
}

TEST_F(PinyinEngineTest, ChoicesAreNotLearned) {
  // With a user dictionary the library would rank 张三冯 first after this (measured); citizens'
  // names must not follow them to the next citizen.
  const auto before = engine_->candidates("zhangsanfeng", 1);
  for (int round = 0; round < 3; ++round) {
    const auto first = engine_->candidates("zhangsanfeng", 20);
    ASSERT_TRUE(engine_->choose("zhangsanfeng", index_of(first, "张三")).ok());
    const auto rest = engine_->candidates("feng", 40);
    ASSERT_TRUE(contains(rest, "冯"));
    ASSERT_TRUE(engine_->choose("feng", index_of(rest, "冯")).ok());
  }
  EXPECT_EQ(engine_->candidates("zhangsanfeng", 1), before);
}

TEST_F(PinyinEngineTest, InputThatCrashesTheLibraryCostsOnlyItsCandidates) {
  // The library asserts when a search needs more than its 100 milestones: 14 × z does, as does
  // "an" nine times (Debian's 0.1.2-8). The decoder process dies, not the kiosk.
  std::string anan;
  for (int i = 0; i < 9; ++i) anan += "an";
  const int before = engine_->decoder_failures();
  EXPECT_TRUE(engine_->candidates(std::string(14, 'z'), 10).empty());
  EXPECT_TRUE(engine_->candidates(anan, 10).empty());
  auto choice = engine_->choose(anan, 0);
  ASSERT_FALSE(choice.ok());
  EXPECT_EQ(choice.error().kind, ErrorKind::io);
  EXPECT_EQ(engine_->decoder_failures() - before, 3)
      << "this libgooglepinyin no longer aborts on these: the recovery is not exercised";
  const auto after = engine_->candidates("zhangsan", 5);  // a new decoder answers
  EXPECT_TRUE(contains(after, "张三")) << testing::PrintToString(after);
}

TEST_F(PinyinEngineTest, ASecondEngineIsRefusedWhileOneIsOpen) {
  auto second = PinyinEngine::open(PinyinEngine::default_system_dictionary(), "");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::unsupported);
  EXPECT_NE(second.error().message.find("already open"), std::string::npos);
  EXPECT_FALSE(engine_->candidates("zhangsan", 5).empty());  // the first one still works
}

TEST_F(PinyinEngineTest, CallsFromSeveralThreadsDoNotMixSearches) {
  const auto zhangsan = engine_->candidates("zhangsan", 5);
  const auto chengdu = engine_->candidates("chengdu", 5);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const bool even = (i + t) % 2 == 0;
        if (engine_->candidates(even ? "zhangsan" : "chengdu", 5) != (even ? zhangsan : chengdu)) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
}

// Opening, without the suite's engine.
TEST(PinyinEngineOpen, MissingDictionaryIsAClearError) {
  auto opened = PinyinEngine::open("/nonexistent/dict_pinyin.dat", "");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::not_found);
  EXPECT_NE(opened.error().message.find("/nonexistent/dict_pinyin.dat"), std::string::npos);

  auto directory = PinyinEngine::open("/tmp", "");
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().kind, ErrorKind::invalid_argument);
}

TEST(PinyinEngineOpen, AUserDictionaryIsRefused) {
  auto opened = PinyinEngine::open(PinyinEngine::default_system_dictionary(), "/tmp/user_dict.dat");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().kind, ErrorKind::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists("/tmp/user_dict.dat"));
}

TEST(PinyinEngineOpen, FilesThatAreNotDictionariesAreRefusedAndTheEngineStillOpensAfter) {
  const auto directory = std::filesystem::temp_directory_path() / ("ime_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const auto empty = directory / "empty.dat";
  const auto text = directory / "text.dat";
  std::ofstream(empty).close();
  std::ofstream(text) << "root:x:0:0:root:/root:/bin/bash\n";  // the library allocates what it reads as sizes
  for (const auto& path : {empty, text}) {
    auto opened = PinyinEngine::open(path.string(), "");
    ASSERT_FALSE(opened.ok()) << path;
    EXPECT_EQ(opened.error().kind, ErrorKind::parse) << path;
  }
  std::filesystem::remove_all(directory);

  auto good = PinyinEngine::open(PinyinEngine::default_system_dictionary(), "");
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_FALSE((*good)->candidates("zhangsan", 5).empty());
  good->reset();  // closed: a new engine may open
  auto again = PinyinEngine::open(PinyinEngine::default_system_dictionary(), "");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)->candidates("chengdu", 2).size(), 2u);
}

}  // namespace
}  // namespace kiosk::ime
