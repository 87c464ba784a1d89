#include "kiosk/ui/text_layout.h"

#include <gtest/gtest.h>

#include "kiosk/core/text.h"
#include "tests/kiosk/ui/ui_fixture.h"

namespace kiosk::ui {

GlyphAtlas* AtlasTest::atlas_ = nullptr;

namespace {

class TextLayoutTest : public AtlasTest {
 protected:
  TextStyle style(int size = 32) {
    TextStyle s;
    s.font = {size, false};
    s.line_spacing = 1.5;
    return s;
  }
  // The text of each line, rebuilt from the placed glyphs' y positions.
  std::vector<int> line_starts(const TextLayout& layout) {
    std::vector<int> ys;
    for (const auto& glyph : layout.glyphs) {
      if (ys.empty() || glyph.y > ys.back() + layout.line_height / 2) ys.push_back(glyph.y);
    }
    return ys;
  }
};

TEST_F(TextLayoutTest, ChineseWrapsBetweenCharacters) {
  const std::string text = "居民身份证有效期满换领需要本人到场采集指纹和照片";  // 24 characters, no spaces
  const int advance = atlas_->glyph({32, false}, U'居').advance;
  const auto layout = layout_text(*atlas_, text, style(), advance * 10);
  EXPECT_EQ(layout.line_count, 3);                      // 10 + 10 + 4 characters
  EXPECT_LE(layout.width, advance * 10);
  EXPECT_EQ(layout.line_height, 48);                    // 32 px × 1.5
  EXPECT_EQ(layout.height, 3 * 48);
}

TEST_F(TextLayoutTest, LatinWrapsBetweenWords) {
  const auto layout = layout_text(*atlas_, "Resident identity card renewal", style(), 300);
  ASSERT_GE(layout.line_count, 2);
  // No word is split: every line break happens where a space was.
  const auto one_line = layout_text(*atlas_, "Resident", style(), 0);
  EXPECT_GT(300, one_line.width);
}

TEST_F(TextLayoutTest, ClosingPunctuationNeverStartsALine) {
  // Width for exactly 5 characters: "一二三四五，六" would put "，" first on line 2 — kinsoku moves
  // "五" down with it.
  const int advance = atlas_->glyph({32, false}, U'一').advance;
  const auto layout = layout_text(*atlas_, "一二三四五，六七", style(), advance * 5);
  ASSERT_EQ(layout.line_count, 2);
  const auto starts = line_starts(layout);
  ASSERT_EQ(starts.size(), 2u);
  // Count glyphs on the first line: 4 ("一二三四"), so the second starts with "五，".
  int first_line = 0;
  for (const auto& glyph : layout.glyphs) first_line += glyph.y == layout.glyphs.front().y ? 1 : 0;
  EXPECT_EQ(first_line, 4);
}

TEST_F(TextLayoutTest, ALastLineIsNeverOneChineseCharacter) {
  // Width for exactly 5 characters: "一二三四五六" would leave "六" alone on line 2; the breaker
  // takes "五" down with it.
  const int advance = atlas_->glyph({32, false}, U'一').advance;
  const auto layout = layout_text(*atlas_, "一二三四五六", style(), advance * 5);
  ASSERT_EQ(layout.line_count, 2);
  int first_line = 0;
  for (const auto& glyph : layout.glyphs) first_line += glyph.y == layout.glyphs.front().y ? 1 : 0;
  EXPECT_EQ(first_line, 4);
  // Closing punctuation after the lone character does not save it: "五六。" goes down together.
  const auto with_stop = layout_text(*atlas_, "一二三四五六。", style(), advance * 5);
  ASSERT_EQ(with_stop.line_count, 2);
  EXPECT_EQ(with_stop.glyphs[4].x, 0);
  // An explicit newline is the author's choice: a one-character line after it stays.
  const auto explicit_break = layout_text(*atlas_, "一二三\n四", style(), advance * 5);
  ASSERT_EQ(explicit_break.line_count, 2);
  EXPECT_EQ(explicit_break.glyphs.size(), 4u);
  EXPECT_EQ(explicit_break.glyphs[3].x, 0);
}

TEST_F(TextLayoutTest, MaxLinesTruncatesWithEllipsis) {
  TextStyle s = style();
  s.max_lines = 1;
  const auto layout = layout_text(*atlas_, "居民身份证有效期满换领需要本人到场采集指纹和照片", s, 200);
  EXPECT_EQ(layout.line_count, 1);
  EXPECT_TRUE(layout.truncated);
  EXPECT_LE(layout.width, 200);
}

TEST_F(TextLayoutTest, ExplicitNewlinesBreak) {
  const auto layout = layout_text(*atlas_, "第一行\n第二行", style(), 0);
  EXPECT_EQ(layout.line_count, 2);
}

TEST_F(TextLayoutTest, AtlasKeepsHundredsOfGlyphsWithoutRasterisingAgain) {
  // More distinct characters than SDL_ttf's 256-glyph cache holds.
  std::string page;
  for (char32_t c = U'\u4E00'; c < U'\u4E00' + 600; ++c) text::append_utf8(page, c);
  (void)layout_text(*atlas_, page, style(30), 1000);
  const auto after_first = atlas_->stats();
  (void)layout_text(*atlas_, page, style(30), 1000);
  const auto after_second = atlas_->stats();
  EXPECT_GE(after_first.glyphs, 600u);
  EXPECT_EQ(after_second.rasterised, after_first.rasterised);
}

TEST_F(TextLayoutTest, MalformedUtf8StillLaysOut) {
  const auto layout = layout_text(*atlas_, "ab\xFF\xFE证", style(), 0);
  EXPECT_EQ(layout.line_count, 1);
  EXPECT_EQ(layout.glyphs.size(), 5u);  // two replacement characters drawn as boxes
}

}  // namespace
}  // namespace kiosk::ui
