#include "kiosk/ui/text_layout.h"

#include <algorithm>
#include <cmath>

#include "kiosk/core/text.h"

namespace kiosk::ui {
namespace {

bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000'; }

// May a line break fall between `before` and `after`?
bool can_break_between(char32_t before, char32_t after) {
  if (text::is_no_line_start(after) || text::is_no_line_end(before)) return false;
  if (is_space(before)) return true;
  return text::is_cjk_breakable(before) || text::is_cjk_breakable(after);
}

struct Cluster {
  char32_t code_point;
  const GlyphEntry* glyph;
};

// One layout at the style's own size.
TextLayout layout_at_size(GlyphAtlas& atlas, std::string_view utf8, const TextStyle& style, int max_width) {
  TextLayout layout;
  layout.font_size_px = style.font.size_px;
  const FontMetrics metrics = atlas.metrics(style.font);
  layout.line_height = static_cast<int>(std::lround(style.font.size_px * style.line_spacing));
  const int box_offset = (layout.line_height - metrics.height) / 2;

  const std::u32string text = text::decode_utf8(utf8);
  std::vector<Cluster> clusters;
  clusters.reserve(text.size());
  for (char32_t c : text) clusters.push_back({c, c == U'\n' ? nullptr : &atlas.glyph(style.font, c)});

  // Greedy line breaking: keep the last legal break; when a character overflows, break there
  // (or before the character itself when the line has no legal break, e.g. one long word).
  struct Line {
    std::size_t begin, end;  // [begin, end) in clusters, trailing spaces excluded
  };
  std::vector<Line> lines;
  std::size_t line_begin = 0;
  std::size_t i = 0;
  int line_width = 0;
  std::size_t last_break = 0;  // index where the next line would start; 0 = none yet
  const bool wrap = max_width > 0;
  auto end_of_content = [&](std::size_t end) {
    while (end > line_begin && is_space(clusters[end - 1].code_point)) --end;
    return end;
  };
  while (i < clusters.size()) {
    const Cluster& cluster = clusters[i];
    if (cluster.code_point == U'\n') {
      lines.push_back({line_begin, end_of_content(i)});
      line_begin = ++i;
      line_width = 0;
      last_break = 0;
      continue;
    }
    if (i > line_begin && can_break_between(clusters[i - 1].code_point, cluster.code_point)) last_break = i;
    const int advance = cluster.glyph->advance;
    if (wrap && i > line_begin && line_width + advance > max_width && !is_space(cluster.code_point)) {
      const std::size_t break_at = last_break > line_begin ? last_break : i;
      // No legal break on the line: the break falls inside a word (or a run kinsoku holds together).
      if (break_at == i && !can_break_between(clusters[i - 1].code_point, cluster.code_point)) layout.word_broken = true;
      lines.push_back({line_begin, end_of_content(break_at)});
      line_begin = break_at;
      while (line_begin < clusters.size() && is_space(clusters[line_begin].code_point)) ++line_begin;
      i = line_begin;
      line_width = 0;
      last_break = 0;
      continue;
    }
    line_width += advance;
    ++i;
  }
  if (line_begin < clusters.size() || lines.empty()) lines.push_back({line_begin, end_of_content(clusters.size())});

  // No orphan: a paragraph whose wrapped last line is one CJK character ("最多跑一 / 次", "信 / 息。") takes one
  // more character down from the line before, where a break is allowed there.
  for (std::size_t l = 1; wrap && l < lines.size(); ++l) {
    Line& previous = lines[l - 1];
    Line& line = lines[l];
    const bool soft_wrapped = previous.end <= line.begin && line.begin > 0 && clusters[line.begin - 1].code_point != U'\n' &&
                              (previous.end == line.begin || is_space(clusters[previous.end].code_point));
    const bool paragraph_ends = l + 1 == lines.size() || clusters[lines[l + 1].begin - 1].code_point == U'\n';
    if (!soft_wrapped || !paragraph_ends) continue;
    std::size_t characters = 0;  // closing punctuation does not count: "息。" is an orphan too
    for (std::size_t k = line.begin; k < line.end; ++k) characters += text::is_no_line_start(clusters[k].code_point) ? 0 : 1;
    if (characters != 1) continue;
    if (!text::is_cjk_breakable(clusters[line.begin].code_point)) continue;
    if (previous.end - previous.begin < 3) continue;
    const std::size_t moved = previous.end - 1;
    if (!can_break_between(clusters[moved - 1].code_point, clusters[moved].code_point)) continue;
    line.begin = moved;
    previous.end = moved;
    while (previous.end > previous.begin && is_space(clusters[previous.end - 1].code_point)) --previous.end;
  }

  if (style.max_lines > 0 && static_cast<int>(lines.size()) > style.max_lines) {
    lines.resize(static_cast<std::size_t>(style.max_lines));
    layout.truncated = true;
  }

  const GlyphEntry& ellipsis = atlas.glyph(style.font, U'…');
  for (std::size_t line_index = 0; line_index < lines.size(); ++line_index) {
    Line line = lines[line_index];
    const bool add_ellipsis = layout.truncated && line_index + 1 == lines.size();
    auto width_of = [&](std::size_t end) {
      int width = 0;
      for (std::size_t k = line.begin; k < end; ++k) width += clusters[k].glyph->advance;
      return width;
    };
    int width = width_of(line.end);
    if (add_ellipsis) {
      while (line.end > line.begin && wrap && width + ellipsis.advance > max_width) {
        --line.end;
        width = width_of(line.end);
      }
      width += ellipsis.advance;
    }
    int x = 0;
    if (wrap && style.align == Align::center) x = (max_width - width) / 2;
    if (wrap && style.align == Align::end) x = max_width - width;
    const int y = static_cast<int>(line_index) * layout.line_height + box_offset;
    for (std::size_t k = line.begin; k < line.end; ++k) {
      layout.glyphs.push_back({clusters[k].glyph, x, y});
      x += clusters[k].glyph->advance;
    }
    if (add_ellipsis) layout.glyphs.push_back({&ellipsis, x, y});
    layout.width = std::max(layout.width, width);
  }
  layout.line_count = static_cast<int>(lines.size());
  layout.height = layout.line_count * layout.line_height;
  return layout;
}

}  // namespace

TextLayout layout_text(GlyphAtlas& atlas, std::string_view utf8, const TextStyle& style, int max_width) {
  TextLayout layout = layout_at_size(atlas, utf8, style, max_width);
  if (max_width <= 0 || style.min_size_px <= 0) return layout;
  TextStyle smaller = style;
  // About 10 % a step: a handful of layouts at most between a role's size and its floor.
  while ((layout.word_broken || layout.truncated) && smaller.font.size_px > style.min_size_px) {
    const int next = std::min(smaller.font.size_px - 1, smaller.font.size_px * 9 / 10);
    smaller.font.size_px = std::max(style.min_size_px, next);
    layout = layout_at_size(atlas, utf8, smaller, max_width);
  }
  if (layout.truncated && !style.ellipsis) {
    smaller.max_lines = 0;
    layout = layout_at_size(atlas, utf8, smaller, max_width);
  }
  return layout;
}

void draw_text(Canvas& canvas, const GlyphAtlas& atlas, const TextLayout& layout, Point origin, Color color) {
  const Rect clip = canvas.clip();
  for (const PlacedGlyph& placed : layout.glyphs) {
    const GlyphEntry& g = *placed.glyph;
    if (g.width == 0) continue;
    const int x = origin.x + placed.x + g.offset_x;
    const int y = origin.y + placed.y + g.offset_y;
    if (y >= clip.bottom() || y + g.height <= clip.y) continue;
    const std::uint8_t* mask = atlas.page_pixels(g.page) + g.atlas_y * GlyphAtlas::page_size + g.atlas_x;
    canvas.draw_mask(x, y, g.width, g.height, mask, GlyphAtlas::page_size, color);
  }
}

}  // namespace kiosk::ui
