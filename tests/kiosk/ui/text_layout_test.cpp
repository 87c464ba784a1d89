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
  // The text of each line: the placed glyphs grouped by their y, matched in order against the text's
  // characters (the spaces a line break swallows are not placed).
  std::vector<std::u32string> lines_of(const std::string& utf8, const TextLayout& layout) {
    const std::u32string text = text::decode_utf8(utf8);
    std::vector<std::u32string> lines;
    std::size_t at = 0;
    int line_y = -1;
    for (const auto& glyph : layout.glyphs) {
      if (glyph.y != line_y) {
        line_y = glyph.y;
        lines.emplace_back();
        while (at < text.size() && (text[at] == U' ' || text[at] == U'\n')) ++at;  // swallowed by the break
      }
      if (at < text.size()) lines.back() += text[at++];
    }
    return lines;
  }
  // True if every line but the first starts where a space was in the text.
  static bool breaks_only_at_spaces(const std::string& utf8, const std::vector<std::u32string>& lines) {
    const std::u32string text = text::decode_utf8(utf8);
    std::size_t at = 0;
    for (std::size_t l = 0; l < lines.size(); ++l) {
      const std::size_t found = text.find(lines[l], at);
      if (found == std::u32string::npos) return false;
      if (l > 0 && (found == 0 || text[found - 1] != U' ')) return false;
      at = found + lines[l].size();
    }
    return true;
  }
  TextStyle shrinking(int size, int floor) {
    TextStyle s = style(size);
    s.min_size_px = floor;
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

// Elderly English once broke "Standar/d" in a narrow bottom-bar button: a word that does not fit
// shrinks the font (down to the floor) instead.
TEST_F(TextLayoutTest, AWordThatDoesNotFitShrinksInsteadOfBreaking) {
  const int natural = layout_text(*atlas_, "Standard", style(51), 0).width;
  const int width = natural * 9 / 10;
  const auto unshrunk = layout_text(*atlas_, "Standard", style(51), width);
  EXPECT_TRUE(unshrunk.word_broken);  // without a floor: the old behaviour, broken inside the word
  const auto layout = layout_text(*atlas_, "Standard", shrinking(51, 38), width);
  EXPECT_EQ(layout.line_count, 1);
  EXPECT_FALSE(layout.word_broken);
  EXPECT_LT(layout.font_size_px, 51);
  EXPECT_GE(layout.font_size_px, 38);
  EXPECT_LE(layout.width, width);
  EXPECT_EQ(layout.glyphs.size(), 8u);
}

TEST_F(TextLayoutTest, EnglishNeverBreaksInsideAWord) {
  const std::vector<std::string> texts = {
      "Standard", "Large text", "Confirm your application", "Resident identity card renewal on expiry",
      "Type a name or pinyin initials, e.g. sfz", "Your application has been submitted",
      "The card reader is not working at the moment. Please go to the service counter on the first floor."};
  for (const std::string& text : texts) {
    for (int width = 180; width <= 700; width += 40) {
      for (int size : {34, 51, 69}) {
        const auto layout = layout_text(*atlas_, text, shrinking(size, size * 3 / 4), width);
        const auto lines = lines_of(text, layout);
        SCOPED_TRACE(text + " at " + std::to_string(width) + " px, " + std::to_string(size) + " px font");
        if (layout.word_broken) {
          // Only a word wider than the line even at the floor may break.
          const auto at_floor = layout_text(*atlas_, text, style(size * 3 / 4), 0);
          EXPECT_GT(at_floor.width, width);
          continue;
        }
        EXPECT_TRUE(breaks_only_at_spaces(text, lines));
        EXPECT_LE(layout.width, width);
      }
    }
  }
}

TEST_F(TextLayoutTest, ATitleWrapsOrShrinksButIsNeverCut) {
  TextStyle title = shrinking(69, 52);
  title.max_lines = 1;
  title.ellipsis = false;
  const std::string text = "Confirm your application";
  const auto layout = layout_text(*atlas_, text, title, 400);
  EXPECT_FALSE(layout.truncated);
  EXPECT_GE(layout.line_count, 2);
  const auto lines = lines_of(text, layout);
  std::u32string joined;
  for (const auto& line : lines) joined += (joined.empty() ? U"" : U" ") + line;
  EXPECT_EQ(joined, text::decode_utf8(text));  // every character there, no "…"
  // Where shrinking is enough it stays on one line.
  const int natural = layout_text(*atlas_, text, style(69), 0).width;
  const auto shrunk = layout_text(*atlas_, text, title, natural * 9 / 10);
  EXPECT_EQ(shrunk.line_count, 1);
  EXPECT_FALSE(shrunk.truncated);
  EXPECT_LT(shrunk.font_size_px, 69);
}

TEST_F(TextLayoutTest, ChineseStillWrapsBetweenCharactersAtFullSize) {
  const std::string text = "居民身份证有效期满换领需要本人到场采集指纹和照片。";
  const int advance = atlas_->glyph({32, false}, U'居').advance;
  const auto layout = layout_text(*atlas_, text, shrinking(32, 24), advance * 10);
  EXPECT_EQ(layout.font_size_px, 32);  // nothing to shrink for: every character is a break
  EXPECT_FALSE(layout.word_broken);
  EXPECT_EQ(layout.line_count, 3);
  for (const auto& line : lines_of(text, layout)) EXPECT_NE(line.front(), U'。');
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
