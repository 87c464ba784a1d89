#include "kiosk/ui/canvas.h"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>

namespace kiosk::ui {
namespace {

inline std::uint32_t pack(Color c) {
  return (std::uint32_t{c.a} << 24) | (std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | c.b;
}

// Blends a colour with alpha `alpha` (0..255) over an opaque destination pixel.
inline std::uint32_t blend(std::uint32_t destination, Color c, unsigned alpha) {
  const unsigned inverse = 255 - alpha;
  const unsigned dr = (destination >> 16) & 0xFF, dg = (destination >> 8) & 0xFF, db = destination & 0xFF;
  const unsigned r = (c.r * alpha + dr * inverse + 127) / 255;
  const unsigned g = (c.g * alpha + dg * inverse + 127) / 255;
  const unsigned b = (c.b * alpha + db * inverse + 127) / 255;
  return 0xFF000000u | (r << 16) | (g << 8) | b;
}

double channel_luminance(std::uint8_t value) {
  const double v = value / 255.0;
  return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

}  // namespace

double relative_luminance(Color c) {
  return 0.2126 * channel_luminance(c.r) + 0.7152 * channel_luminance(c.g) + 0.0722 * channel_luminance(c.b);
}

double contrast_ratio(Color a, Color b) {
  double la = relative_luminance(a), lb = relative_luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
}

Canvas::Canvas(int width, int height) { resize(width, height); }

void Canvas::resize(int width, int height) {
  width_ = width;
  height_ = height;
  pixels_.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0xFF000000u);
  clip_stack_.clear();
  clip_ = {0, 0, width, height};
}

void Canvas::push_clip(Rect rect) {
  clip_stack_.push_back(clip_);
  clip_ = clip_.intersect(rect);
}

void Canvas::pop_clip() {
  if (clip_stack_.empty()) return;
  clip_ = clip_stack_.back();
  clip_stack_.pop_back();
}

void Canvas::clear(Color color) { std::fill(pixels_.begin(), pixels_.end(), pack(color)); }

void Canvas::blend_span(int x, int y, int length, Color color, std::uint8_t coverage) {
  if (y < clip_.y || y >= clip_.bottom()) return;
  int start = std::max(x, clip_.x);
  const int end = std::min(x + length, clip_.right());
  if (start >= end) return;
  std::uint32_t* row = pixels_.data() + static_cast<std::size_t>(y) * width_;
  const unsigned alpha = (unsigned{color.a} * coverage + 127) / 255;
  if (alpha == 0) return;
  if (alpha == 255) {
    std::fill(row + start, row + end, pack(color) | 0xFF000000u);
    return;
  }
  for (; start < end; ++start) row[start] = blend(row[start], color, alpha);
}

void Canvas::fill_rect(Rect rect, Color color) {
  const Rect r = rect.intersect(clip_);
  for (int y = r.y; y < r.bottom(); ++y) blend_span(r.x, y, r.width, color, 255);
}

void Canvas::fill_rounded_rect(Rect rect, int radius, Color color) {
  if (rect.empty()) return;
  radius = std::max(0, std::min({radius, rect.width / 2, rect.height / 2}));
  if (radius == 0) {
    fill_rect(rect, color);
    return;
  }
  const Rect visible = rect.intersect(clip_);
  for (int y = visible.y; y < visible.bottom(); ++y) {
    const int row = y - rect.y;
    int corner_row = -1;  // distance into the corner band, measured from the band's inner edge
    if (row < radius) corner_row = radius - row;
    else if (row >= rect.height - radius) corner_row = row - (rect.height - radius) + 1;
    if (corner_row < 0) {
      blend_span(rect.x, y, rect.width, color, 255);
      continue;
    }
    // Pixel centres inside the circle of the corner: coverage from the signed distance, 1 px ramp.
    const double dy = corner_row - 0.5;
    for (int side = 0; side < 2; ++side) {
      for (int i = 0; i < radius; ++i) {
        const double dx = radius - i - 0.5;
        const double distance = std::sqrt(dx * dx + dy * dy);
        const double coverage = std::clamp(radius - distance + 0.5, 0.0, 1.0);
        if (coverage <= 0) continue;
        const int px = side == 0 ? rect.x + i : rect.right() - 1 - i;
        blend_span(px, y, 1, color, static_cast<std::uint8_t>(coverage * 255 + 0.5));
      }
    }
    blend_span(rect.x + radius, y, rect.width - 2 * radius, color, 255);
  }
}

void Canvas::stroke_rounded_rect(Rect rect, int radius, int thickness, Color color) {
  // Stroke = outer shape minus inner shape, drawn as four bands plus corner arcs by sampling.
  if (rect.empty() || thickness <= 0) return;
  radius = std::max(0, std::min({radius, rect.width / 2, rect.height / 2}));
  const Rect visible = rect.intersect(clip_);
  const double outer = radius;
  const double inner = std::max(0, radius - thickness);
  for (int y = visible.y; y < visible.bottom(); ++y) {
    for (int x = visible.x; x < visible.right(); ++x) {
      const int lx = x - rect.x, ly = y - rect.y;
      const bool in_corner_x = lx < radius || lx >= rect.width - radius;
      const bool in_corner_y = ly < radius || ly >= rect.height - radius;
      double coverage;
      if (in_corner_x && in_corner_y) {
        const double cx = lx < radius ? radius : rect.width - radius;
        const double cy = ly < radius ? radius : rect.height - radius;
        const double dx = lx + 0.5 - cx, dy = ly + 0.5 - cy;
        const double d = std::sqrt(dx * dx + dy * dy);
        coverage = std::clamp(outer - d + 0.5, 0.0, 1.0) * std::clamp(d - inner + 0.5, 0.0, 1.0);
      } else {
        const int edge = std::min({lx, ly, rect.width - 1 - lx, rect.height - 1 - ly});
        coverage = edge < thickness ? 1.0 : 0.0;
      }
      if (coverage > 0) blend_span(x, y, 1, color, static_cast<std::uint8_t>(coverage * 255 + 0.5));
    }
  }
}

void Canvas::fill_circle(Point center, int radius, Color color) {
  fill_rounded_rect({center.x - radius, center.y - radius, 2 * radius, 2 * radius}, radius, color);
}

namespace {

// One row of a glyph mask blended onto opaque pixels: out = (colour·a + pixel·(256 − a)) >> 8 per
// channel, with a in 0…256 (coverage 0 keeps the pixel, 255 gives the colour exactly).
void blend_mask_row(std::uint32_t* destination, const std::uint8_t* source, int count, Color color,
                    unsigned colour_alpha) {
  int i = 0;
#if defined(__SSE2__)
  // Four pixels at a time in 16-bit lanes (SSE2 is the x86-64 baseline).
  const __m128i zero = _mm_setzero_si128();
  const __m128i colour_pixel = _mm_set1_epi32(static_cast<int>(pack(color)));
  const __m128i colour16 = _mm_unpacklo_epi8(colour_pixel, zero);  // two pixels, 16-bit channels
  const __m128i full = _mm_set1_epi16(256);
  const __m128i opaque = _mm_set1_epi32(static_cast<int>(0xFF000000u));
  const __m128i colour_alpha16 = _mm_set1_epi16(static_cast<short>(colour_alpha));
  for (; i + 4 <= count; i += 4) {
    std::uint32_t coverage4;
    std::memcpy(&coverage4, source + i, 4);
    if (coverage4 == 0) continue;  // gaps between strokes are common
    __m128i alpha = _mm_unpacklo_epi8(_mm_cvtsi32_si128(static_cast<int>(coverage4)), zero);
    alpha = _mm_add_epi16(alpha, _mm_srli_epi16(alpha, 7));
    if (colour_alpha != 256) alpha = _mm_srli_epi16(_mm_mullo_epi16(alpha, colour_alpha16), 8);
    const __m128i pairs = _mm_unpacklo_epi16(alpha, alpha);
    const __m128i alpha_low = _mm_unpacklo_epi32(pairs, pairs);   // pixels 0, 1
    const __m128i alpha_high = _mm_unpackhi_epi32(pairs, pairs);  // pixels 2, 3
    auto* target = reinterpret_cast<__m128i*>(destination + i);
    const __m128i pixels = _mm_loadu_si128(target);
    const __m128i low = _mm_unpacklo_epi8(pixels, zero);
    const __m128i high = _mm_unpackhi_epi8(pixels, zero);
    const __m128i out_low = _mm_srli_epi16(
        _mm_add_epi16(_mm_mullo_epi16(colour16, alpha_low), _mm_mullo_epi16(low, _mm_sub_epi16(full, alpha_low))), 8);
    const __m128i out_high = _mm_srli_epi16(
        _mm_add_epi16(_mm_mullo_epi16(colour16, alpha_high), _mm_mullo_epi16(high, _mm_sub_epi16(full, alpha_high))), 8);
    _mm_storeu_si128(target, _mm_or_si128(_mm_packus_epi16(out_low, out_high), opaque));
  }
#endif
  const std::uint32_t source_rb = (static_cast<std::uint32_t>(color.r) << 16) | color.b;
  const std::uint32_t source_g = static_cast<std::uint32_t>(color.g) << 8;
  for (; i < count; ++i) {
    std::uint32_t alpha = source[i];
    alpha = ((alpha + (alpha >> 7)) * colour_alpha) >> 8;
    const std::uint32_t inverse = 256 - alpha;
    const std::uint32_t pixel = destination[i];
    const std::uint32_t rb = ((source_rb * alpha + (pixel & 0xFF00FFu) * inverse) >> 8) & 0xFF00FFu;
    const std::uint32_t g = ((source_g * alpha + (pixel & 0x00FF00u) * inverse) >> 8) & 0x00FF00u;
    destination[i] = 0xFF000000u | rb | g;
  }
}

}  // namespace

CoverageMask::CoverageMask(int width, int height)
    : width_(std::max(0, width)), height_(std::max(0, height)),
      values_(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), 0) {}

void CoverageMask::clear() { std::fill(values_.begin(), values_.end(), std::uint8_t{0}); }

void CoverageMask::add_line(double x0, double y0, double x1, double y1, double thickness) {
  const double radius = std::max(0.5, thickness / 2);
  const int left = std::max(0, static_cast<int>(std::floor(std::min(x0, x1) - radius - 1)));
  const int top = std::max(0, static_cast<int>(std::floor(std::min(y0, y1) - radius - 1)));
  const int right = std::min(width_, static_cast<int>(std::ceil(std::max(x0, x1) + radius + 1)));
  const int bottom = std::min(height_, static_cast<int>(std::ceil(std::max(y0, y1) + radius + 1)));
  const double dx = x1 - x0, dy = y1 - y0;
  const double length_squared = dx * dx + dy * dy;
  for (int y = top; y < bottom; ++y) {
    std::uint8_t* row = values_.data() + static_cast<std::size_t>(y) * width_;
    const double py = y + 0.5 - y0;
    for (int x = left; x < right; ++x) {
      // Distance from the pixel centre to the segment: coverage falls from 1 to 0 over 1 px.
      const double px = x + 0.5 - x0;
      const double t = length_squared > 0 ? std::clamp((px * dx + py * dy) / length_squared, 0.0, 1.0) : 0.0;
      const double ex = px - t * dx, ey = py - t * dy;
      const double coverage = std::clamp(radius - std::sqrt(ex * ex + ey * ey) + 0.5, 0.0, 1.0);
      const auto value = static_cast<std::uint8_t>(coverage * 255 + 0.5);
      if (value > row[x]) row[x] = value;
    }
  }
}

void Canvas::draw_mask(int x, int y, int width, int height, const std::uint8_t* mask, int mask_pitch, Color color) {
  const Rect target = Rect{x, y, width, height}.intersect(clip_);
  if (target.empty()) return;
  // Text is the hot path: a page of Chinese is ~10^6 mask pixels.
  const unsigned colour_alpha = color.a + (color.a >> 7u);  // 0…256
  for (int row = target.y; row < target.bottom(); ++row) {
    const std::uint8_t* source = mask + static_cast<std::size_t>(row - y) * mask_pitch + (target.x - x);
    std::uint32_t* destination = pixels_.data() + static_cast<std::size_t>(row) * width_ + target.x;
    blend_mask_row(destination, source, target.width, color, colour_alpha);
  }
}

void Canvas::draw_image(int x, int y, const Canvas& image) {
  const Rect target = Rect{x, y, image.width(), image.height()}.intersect(clip_);
  for (int row = target.y; row < target.bottom(); ++row) {
    const std::uint32_t* source = image.pixels() + static_cast<std::size_t>(row - y) * image.width() + (target.x - x);
    std::uint32_t* destination = pixels_.data() + static_cast<std::size_t>(row) * width_ + target.x;
    for (int i = 0; i < target.width; ++i) destination[i] = source[i] | 0xFF000000u;
  }
}

}  // namespace kiosk::ui
