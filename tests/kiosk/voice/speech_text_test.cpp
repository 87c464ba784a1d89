// speech_text: what espeak-ng is given for a prompt (kiosk/voice/speech_text.h has the measured
// reasons for each rule).
#include "kiosk/voice/speech_text.h"

#include <gtest/gtest.h>

namespace kiosk::voice {
namespace {

TEST(ChineseNumber, ReadsAsSpoken) {
  EXPECT_EQ(chinese_number(0), "零");
  EXPECT_EQ(chinese_number(5), "五");
  EXPECT_EQ(chinese_number(10), "十");
  EXPECT_EQ(chinese_number(12), "十二");
  EXPECT_EQ(chinese_number(20), "二十");
  EXPECT_EQ(chinese_number(42), "四十二");
  EXPECT_EQ(chinese_number(110), "一百一十");
  EXPECT_EQ(chinese_number(200), "两百");
  EXPECT_EQ(chinese_number(305), "三百零五");
  EXPECT_EQ(chinese_number(2026), "两千零二十六");
  EXPECT_EQ(chinese_number(1001), "一千零一");
  EXPECT_EQ(chinese_number(10000), "一万");  // espeak-ng itself says 十千
  EXPECT_EQ(chinese_number(10500), "一万零五百");
  EXPECT_EQ(chinese_number(20000), "两万");
  EXPECT_EQ(chinese_number(22000), "两万二千");
  EXPECT_EQ(chinese_number(150000), "十五万");
  EXPECT_EQ(chinese_number(1234567), "一百二十三万四千五百六十七");
  EXPECT_EQ(chinese_number(99999999), "九千九百九十九万九千九百九十九");
  EXPECT_EQ(chinese_number(100000000), "一零零零零零零零零");
}

TEST(SpeechText, ChineseSentencesPassUnchanged) {
  EXPECT_EQ(speech_text("请将身份证放在读卡区", Language::zh), "请将身份证放在读卡区");
  EXPECT_EQ(speech_text("请点击OK按钮", Language::zh), "请点击OK按钮");  // a word: read in English
}

TEST(SpeechText, ChineseNumbersBecomeNumerals) {
  EXPECT_EQ(speech_text("前面还有5人等候", Language::zh), "前面还有五人等候");
  EXPECT_EQ(speech_text("共10000元", Language::zh), "共一万元");
  EXPECT_EQ(speech_text("约3.5小时", Language::zh), "约三点五小时");
  EXPECT_EQ(speech_text("2026年12月4日", Language::zh), "二零二六年十二月四日");
  EXPECT_EQ(speech_text("于2026-12-04办结", Language::zh), "于二零二六年十二月四日办结");
  EXPECT_EQ(speech_text("2026/1/9", Language::zh), "二零二六年一月九日");
  EXPECT_EQ(speech_text("10:42前", Language::zh), "十点四十二分前");
  EXPECT_EQ(speech_text("9:05", Language::zh), "九点零五分");
  EXPECT_EQ(speech_text("17:00", Language::zh), "十七点");
  EXPECT_EQ(speech_text("共1500人", Language::zh), "共一千五百人");  // not before 年: a number
}

TEST(SpeechText, ChineseCodesAreReadOneCharacterAtATime) {
  EXPECT_EQ(speech_text("您的排队号码是A023，前面还有5人等候", Language::zh),
            "您的排队号码是 A 零二三 ，前面还有五人等候");
  EXPECT_EQ(speech_text("办件编号LZ20261125-000123", Language::zh), "办件编号 L Z 二零二六一一二五，零零零一二三");
  EXPECT_EQ(speech_text("热线0830-12345", Language::zh), "热线 零八三零，一二三四五");
  EXPECT_EQ(speech_text("电话13800138000", Language::zh), "电话 一三八零零一三八零零零");
  EXPECT_EQ(speech_text("b12", Language::zh), "B 一二");
}

TEST(SpeechText, MaskedNames) {
  EXPECT_EQ(speech_text("张*丰，您好", Language::zh), "张某丰，您好");
  EXPECT_EQ(speech_text("李＊＊，您好", Language::zh), "李某某，您好");
  EXPECT_EQ(speech_text("Hello, Zhang *feng", Language::en), "Hello, Zhang feng");
}

TEST(SpeechText, EnglishCodesKeepALetterWithItsDigit) {
  EXPECT_EQ(speech_text("Your number is A023.", Language::en), "Your number is A0 2 3 .");
  EXPECT_EQ(speech_text("Case LZ20261125-000123", Language::en), "Case L Z2 0 2 6 1 1 2 5 , 0 0 0 1 2 3");
  EXPECT_EQ(speech_text("Call 13800138000", Language::en), "Call 1 3 8 0 0 1 3 8 0 0 0");
}

TEST(SpeechText, EnglishNumbersDatesAndTimesAreLeftToTheVoice) {
  EXPECT_EQ(speech_text("5 people are waiting", Language::en), "5 people are waiting");
  EXPECT_EQ(speech_text("Ready at 10:42 on 2026-12-04.", Language::en), "Ready at 10:42 on 2026-12-04.");
  EXPECT_EQ(speech_text("Fee: 10000 yuan, about 3.5 hours", Language::en), "Fee: 10000 yuan, about 3.5 hours");
  EXPECT_EQ(speech_text("Place your ID card on the reader.", Language::en), "Place your ID card on the reader.");
}

TEST(SpeechText, SpacesAndControlCharacters) {
  EXPECT_EQ(speech_text("  请\t取走\n\n回执  ", Language::zh), "请 取走 回执");
  EXPECT_EQ(speech_text(std::string("a\0b", 3), Language::en), "a b");
  EXPECT_EQ(speech_text("   ", Language::zh), "");
  EXPECT_EQ(speech_text("", Language::en), "");
}

}  // namespace
}  // namespace kiosk::voice
