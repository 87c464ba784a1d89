#pragma once
// Paragraph layout: CJK text wraps between any two characters, Latin text between words (never
// inside one), and the kinsoku rules keep closing punctuation off the start of a line and opening
// punctuation off its end. A word wider than the line, or text longer than `max_lines`, makes the
// font shrink step by step down to `min_size_px` (screens' labels and buttons get a floor from the
// theme); only below that floor is a word broken, or the text cut with "…" (or, without an
// ellipsis, wrapped on past max_lines).

#include <string_view>
#include <vector>

#include "kiosk/ui/canvas.h"
#include "kiosk/ui/glyph_atlas.h"

namespace kiosk::ui {

enum class Align { start, center, end };

struct TextStyle {
  FontKey font;
  Color color;
  double line_spacing = 1.5;  // line box height as a multiple of the font size (MIIT: ≥ 1.3)
  Align align = Align::start;
  int max_lines = 0;          // 0 = unlimited; the last kept line ends in "…" when text is cut
  int min_size_px = 0;        // shrink floor (see above); 0 = never shrink
  bool ellipsis = true;       // false: at the floor, text longer than max_lines wraps on (titles)
};

struct PlacedGlyph {
  const GlyphEntry* glyph;
  int x;  // pen position relative to the layout's origin
  int y;  // top of the line box + the font box offset
};

struct TextLayout {
  std::vector<PlacedGlyph> glyphs;
  int width = 0;   // widest line
  int height = 0;  // lines × line height
  int line_count = 0;
  int line_height = 0;
  bool truncated = false;
  bool word_broken = false;  // some line ends inside a word (it did not fit even at the floor)
  int font_size_px = 0;      // the size used: the style's, or smaller after shrinking
};

// Lays out UTF-8 `text` within `max_width` pixels (≤ 0: no wrapping, no shrinking).
TextLayout layout_text(GlyphAtlas& atlas, std::string_view text, const TextStyle& style, int max_width);

void draw_text(Canvas& canvas, const GlyphAtlas& atlas, const TextLayout& layout, Point origin, Color color);

}  // namespace kiosk::ui
