#include "kiosk/core/text.h"

#include <gtest/gtest.h>

namespace kiosk::text {
namespace {

TEST(Utf8, RoundTripsChineseAndLatin) {
  const std::string original = "身份证 ID 补领，20元";
  EXPECT_EQ(encode_utf8(decode_utf8(original)), original);
  EXPECT_EQ(decode_utf8("身份证").size(), 3u);
}

TEST(Utf8, MalformedBytesBecomeReplacementCharacters) {
  EXPECT_EQ(decode_utf8("\xE8\xBA"), std::u32string(1, U'\uFFFD'));  // truncated 3-byte sequence
  EXPECT_EQ(decode_utf8("a\xFF" "b"), (std::u32string{U'a', U'\uFFFD', U'b'}));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));  // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_TRUE(is_valid_utf8("张三"));
}

TEST(Utf8, ClassifiesCharacters) {
  EXPECT_TRUE(is_han(U'证'));
  EXPECT_FALSE(is_han(U'a'));
  EXPECT_TRUE(is_cjk_breakable(U'证'));
  EXPECT_FALSE(is_cjk_breakable(U'a'));
  EXPECT_TRUE(is_no_line_start(U'，'));
  EXPECT_TRUE(is_no_line_start(U'。'));
  EXPECT_TRUE(is_no_line_end(U'《'));
  EXPECT_FALSE(is_no_line_start(U'证'));
  EXPECT_EQ(to_lower_ascii("SFZ证"), "sfz证");
}

}  // namespace
}  // namespace kiosk::text
