#pragma once
// Paragraph layout: CJK text wraps between any two characters, Latin text between words, and the
// kinsoku rules keep closing punctuation off the start of a line and opening punctuation off its end.

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
};

// Lays out UTF-8 `text` within `max_width` pixels (≤ 0: no wrapping).
TextLayout layout_text(GlyphAtlas& atlas, std::string_view text, const TextStyle& style, int max_width);

void draw_text(Canvas& canvas, const GlyphAtlas& atlas, const TextLayout& layout, Point origin, Color color);

}  // namespace kiosk::ui
