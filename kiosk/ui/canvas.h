#pragma once
// Canvas: our own software rasteriser over an ARGB8888 framebuffer. Every backend (SDL window,
// headless script driver, benchmark) draws the same pixels, so golden images taken headless hold
// for the terminal too; the window only uploads the finished frame as one texture.

#include <cstdint>
#include <vector>

#include "kiosk/ui/geometry.h"

namespace kiosk::ui {

class GlyphAtlas;
struct GlyphEntry;

// An 8-bit coverage mask that thick anti-aliased lines are drawn into (a signature's ink), then put
// on a canvas with Canvas::draw_mask like a glyph. Lines take the larger coverage where they meet
// instead of blending twice, so the joints of a polyline show no darker beads at the edges, and the
// mask can grow segment by segment while a finger moves without redrawing what is there.
class CoverageMask {
 public:
  CoverageMask() = default;
  CoverageMask(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  const std::uint8_t* data() const { return values_.data(); }
  std::uint8_t at(int x, int y) const { return values_[static_cast<std::size_t>(y) * width_ + x]; }
  void clear();
  // A line from (x0, y0) to (x1, y1) in mask pixels (pixel centres at +0.5), `thickness` px wide
  // with round caps and a 1 px anti-aliased edge; equal ends give a disc.
  void add_line(double x0, double y0, double x1, double y1, double thickness);

 private:
  int width_ = 0;
  int height_ = 0;
  std::vector<std::uint8_t> values_;
};

class Canvas {
 public:
  Canvas(int width, int height);

  int width() const { return width_; }
  int height() const { return height_; }
  const std::uint32_t* pixels() const { return pixels_.data(); }
  std::uint32_t* pixels() { return pixels_.data(); }
  int pitch_bytes() const { return width_ * 4; }
  void resize(int width, int height);

  // Clip stack: drawing is limited to the intersection of all pushed rectangles.
  void push_clip(Rect rect);
  void pop_clip();
  Rect clip() const { return clip_; }

  void clear(Color color);
  void fill_rect(Rect rect, Color color);
  // Anti-aliased rounded rectangle; radius is clamped to half the shorter side.
  void fill_rounded_rect(Rect rect, int radius, Color color);
  void stroke_rounded_rect(Rect rect, int radius, int thickness, Color color);
  void fill_circle(Point center, int radius, Color color);
  // An 8-bit coverage mask (glyph) drawn in one colour at (x, y).
  void draw_mask(int x, int y, int width, int height, const std::uint8_t* mask, int mask_pitch, Color color);
  // Copies `image` with its top-left corner at (x, y), clipped; its alpha is ignored (photos and
  // camera frames are opaque, and the canvas stays opaque for the blend formulas above).
  void draw_image(int x, int y, const Canvas& image);

  std::uint32_t pixel(int x, int y) const { return pixels_[static_cast<std::size_t>(y) * width_ + x]; }

 private:
  void blend_span(int x, int y, int length, Color color, std::uint8_t coverage);

  int width_;
  int height_;
  std::vector<std::uint32_t> pixels_;
  std::vector<Rect> clip_stack_;
  Rect clip_;
};

}  // namespace kiosk::ui
