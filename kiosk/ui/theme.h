#pragma once
// Theme: colours and sizes for the two modes. Elderly mode (长辈版) follows the MIIT 2021 rules
// (DOMAIN.md): main text ≥ 18 pt, largest ≥ 30 pt, line spacing ≥ 1.3, contrast ≥ 4.5:1, touch
// targets ≥ 60 dp; standard mode keeps targets ≥ 44 dp. Sizes are pixels at the panel's density;
// `Display` converts them to points, dp and millimetres so tests can check the rules.

#include "kiosk/ui/geometry.h"
#include "kiosk/ui/text_layout.h"

namespace kiosk::ui {

enum class TextRole { caption, body, button, heading, title, display };

struct Display {
  int width = 1080;
  int height = 1920;
  double pixels_per_inch = 102.5;  // 21.5" 1080×1920 panel, the common hall terminal

  double points(int pixels) const { return pixels * 72.0 / pixels_per_inch; }
  double density_independent(int pixels) const { return pixels * 160.0 / pixels_per_inch; }
  double millimetres(int pixels) const { return pixels * 25.4 / pixels_per_inch; }
  bool portrait() const { return height >= width; }
};

struct Palette {
  Color background;
  Color surface;         // cards, list rows
  Color text;
  Color text_secondary;
  Color primary;         // main action buttons
  Color on_primary;
  Color secondary;       // secondary buttons
  Color on_secondary;
  Color border;
  Color header;          // top bar
  Color on_header;
  Color warning;         // fault notices
  Color on_warning;
  // Outcome symbols (a shape in a circle, never colour alone): ✓ done, ! take care, ✕ failed.
  Color success;
  Color caution;
  Color failure;
  Color on_symbol;       // the mark inside the circle
  Color scrim;           // behind modal dialogs (translucent)
  Color focus;
};

class Theme {
 public:
  static Theme standard(const Display& display);
  static Theme elderly(const Display& display);

  bool elderly_mode() const { return elderly_; }
  const Display& display() const { return display_; }
  const Palette& palette() const { return palette_; }

  TextStyle text(TextRole role, Color color) const;
  TextStyle text(TextRole role) const { return text(role, palette_.text); }
  int font_size(TextRole role) const;
  // The smallest size a role's text may shrink to so that a word is not broken or a title cut:
  // three quarters of the role's size, and never under 18 pt in elderly mode (MIIT).
  int min_font_size(TextRole role) const;
  double line_spacing() const { return line_spacing_; }

  int min_touch_target() const { return min_touch_target_; }  // pixels, both sides
  int button_height() const { return button_height_; }
  int spacing() const { return spacing_; }                    // gap between widgets
  int padding() const { return padding_; }                    // inside containers and screens
  int corner_radius() const { return corner_radius_; }
  int header_height() const { return header_height_; }

 private:
  Display display_;
  Palette palette_;
  bool elderly_ = false;
  int font_sizes_[6] = {};
  double line_spacing_ = 1.5;
  int min_touch_target_ = 0;
  int button_height_ = 0;
  int spacing_ = 0;
  int padding_ = 0;
  int corner_radius_ = 0;
  int header_height_ = 0;
};

}  // namespace kiosk::ui
