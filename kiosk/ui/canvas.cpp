#include "kiosk/ui/canvas.h"

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

void Canvas::draw_mask(int x, int y, int width, int height, const std::uint8_t* mask, int mask_pitch, Color color) {
  const Rect target = Rect{x, y, width, height}.intersect(clip_);
  if (target.empty()) return;
  const std::uint32_t solid = pack(color) | 0xFF000000u;
  for (int row = target.y; row < target.bottom(); ++row) {
    const std::uint8_t* source = mask + static_cast<std::size_t>(row - y) * mask_pitch + (target.x - x);
    std::uint32_t* destination = pixels_.data() + static_cast<std::size_t>(row) * width_ + target.x;
    for (int i = 0; i < target.width; ++i) {
      const unsigned coverage = source[i];
      if (coverage == 0) continue;
      if (coverage == 255 && color.a == 255) {
        destination[i] = solid;
      } else {
        destination[i] = blend(destination[i], color, (coverage * color.a + 127) / 255);
      }
    }
  }
}

}  // namespace kiosk::ui
