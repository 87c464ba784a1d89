#include "kiosk/ui/theme.h"

#include <algorithm>
#include <cmath>

namespace kiosk::ui {
namespace {

Palette base_palette() {
  Palette p;
  p.background = Color::rgb(0xF2F5F9);
  p.surface = Color::rgb(0xFFFFFF);
  p.text = Color::rgb(0x1B1F24);
  p.text_secondary = Color::rgb(0x4A5563);
  p.primary = Color::rgb(0x0B57A4);  // government-service blue
  p.on_primary = Color::rgb(0xFFFFFF);
  p.secondary = Color::rgb(0xE3EBF5);
  p.on_secondary = Color::rgb(0x0B3E75);
  p.border = Color::rgb(0xC5CFDB);
  p.header = Color::rgb(0x0B57A4);
  p.on_header = Color::rgb(0xFFFFFF);
  p.warning = Color::rgb(0xB3261E);
  p.on_warning = Color::rgb(0xFFFFFF);
  p.success = Color::rgb(0x1E7B34);
  p.caution = Color::rgb(0x9A5B00);
  p.failure = Color::rgb(0xB3261E);
  p.on_symbol = Color::rgb(0xFFFFFF);
  p.scrim = Color{0, 0, 0, 140};
  p.focus = Color::rgb(0xE8A317);
  return p;
}

// Pixels for a length in dp on this display, never below `minimum_pixels`.
int dp(const Display& display, double value) {
  return static_cast<int>(std::lround(value * display.pixels_per_inch / 160.0));
}

}  // namespace

Theme Theme::standard(const Display& display) {
  Theme t;
  t.display_ = display;
  t.palette_ = base_palette();
  // caption, body, button, heading, title, display: body 32 px ≈ 22 pt on a 102 ppi panel.
  const int sizes[6] = {26, 32, 34, 38, 46, 72};
  std::copy(std::begin(sizes), std::end(sizes), t.font_sizes_);
  t.line_spacing_ = 1.5;
  t.min_touch_target_ = std::max(80, dp(display, 44));
  t.button_height_ = 104;
  t.spacing_ = 20;
  t.padding_ = 40;
  t.corner_radius_ = 16;
  t.header_height_ = 132;
  return t;
}

Theme Theme::elderly(const Display& display) {
  Theme t = standard(display);
  t.elderly_ = true;
  // Every text role 1.5× the standard one; stronger text contrast; bigger targets and gaps.
  for (int& size : t.font_sizes_) size = static_cast<int>(std::lround(size * 1.5));
  t.palette_.text = Color::rgb(0x000000);
  t.palette_.text_secondary = Color::rgb(0x2B2F36);
  t.palette_.background = Color::rgb(0xFFFFFF);
  t.palette_.surface = Color::rgb(0xF4F7FB);
  t.palette_.primary = Color::rgb(0x003E8A);
  t.palette_.header = Color::rgb(0x003E8A);
  t.palette_.border = Color::rgb(0x6B7785);
  t.line_spacing_ = 1.5;
  t.min_touch_target_ = std::max(96, dp(display, 60));
  t.button_height_ = 140;
  t.spacing_ = 28;
  t.padding_ = 40;
  t.header_height_ = 160;
  return t;
}

int Theme::font_size(TextRole role) const { return font_sizes_[static_cast<int>(role)]; }

int Theme::min_font_size(TextRole role) const {
  const int size = font_size(role);
  int floor = static_cast<int>(std::lround(size * 0.75));
  if (elderly_) floor = std::max(floor, static_cast<int>(std::ceil(18.0 * display_.pixels_per_inch / 72.0)));
  return std::min(size, floor);
}

TextStyle Theme::text(TextRole role, Color color) const {
  TextStyle style;
  style.font = {font_size(role), role == TextRole::title || role == TextRole::heading || role == TextRole::display ||
                                     role == TextRole::button};
  style.color = color;
  style.line_spacing = line_spacing_;
  style.min_size_px = min_font_size(role);
  // A title is never cut: past its lines it wraps on (TextLayout's ellipsis is for details).
  style.ellipsis = role != TextRole::title && role != TextRole::display;
  return style;
}

}  // namespace kiosk::ui
