#pragma once

#include <algorithm>
#include <cstdint>

namespace kiosk::ui {

struct Point {
  int x = 0;
  int y = 0;
};

struct Size {
  int width = 0;
  int height = 0;
};

struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;

  int right() const { return x + width; }
  int bottom() const { return y + height; }
  bool empty() const { return width <= 0 || height <= 0; }
  bool contains(Point p) const { return p.x >= x && p.x < right() && p.y >= y && p.y < bottom(); }
  Point center() const { return {x + width / 2, y + height / 2}; }
  Rect intersect(const Rect& other) const {
    const int left = std::max(x, other.x);
    const int top = std::max(y, other.y);
    const int r = std::min(right(), other.right());
    const int b = std::min(bottom(), other.bottom());
    return {left, top, std::max(0, r - left), std::max(0, b - top)};
  }
  Rect inset(int dx, int dy) const { return {x + dx, y + dy, width - 2 * dx, height - 2 * dy}; }
  bool operator==(const Rect&) const = default;
};

// 0xAARRGGBB
struct Color {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;

  static constexpr Color rgb(std::uint32_t hex) {
    return {static_cast<std::uint8_t>(hex >> 16), static_cast<std::uint8_t>(hex >> 8), static_cast<std::uint8_t>(hex),
            255};
  }
  constexpr Color with_alpha(std::uint8_t alpha) const { return {r, g, b, alpha}; }
  bool operator==(const Color&) const = default;
};

// WCAG 2.x relative luminance and contrast ratio (1..21).
double relative_luminance(Color color);
double contrast_ratio(Color a, Color b);

}  // namespace kiosk::ui
