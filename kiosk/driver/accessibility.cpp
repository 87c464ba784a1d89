#include "kiosk/driver/accessibility.h"

#include <algorithm>
#include <cstdio>

#include "kiosk/ui/theme.h"
#include "kiosk/ui/widget_tree.h"

namespace kiosk::driver {
namespace {

ui::Color colour_at(const ui::Canvas& canvas, int x, int y) {
  const std::uint32_t pixel = canvas.pixel(x, y);
  return {static_cast<std::uint8_t>(pixel >> 16), static_cast<std::uint8_t>(pixel >> 8), static_cast<std::uint8_t>(pixel), 255};
}

// The contrast between the darkest and the lightest pixel inside `area`: for a text, its ink and
// the background it sits on.
double rendered_contrast(const ui::Canvas& canvas, ui::Rect area) {
  double darkest = 2, lightest = -1;
  const int right = std::min(area.right(), canvas.width()), bottom = std::min(area.bottom(), canvas.height());
  for (int y = std::max(area.y, 0); y < bottom; ++y) {
    for (int x = std::max(area.x, 0); x < right; ++x) {
      const double luminance = ui::relative_luminance(colour_at(canvas, x, y));
      darkest = std::min(darkest, luminance);
      lightest = std::max(lightest, luminance);
    }
  }
  return lightest < 0 ? 21.0 : (lightest + 0.05) / (darkest + 0.05);
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string name_of(const ui::Widget& widget) {
  std::string name = "\"" + std::string(widget.text()) + "\"";
  if (!widget.id().empty()) name += " (id " + std::string(widget.id()) + ")";
  return name;
}

// A text that is a string key ("progress.title"): Strings::get shows the key when a language lacks it.
bool looks_like_key(std::string_view text) {
  if (text.empty() || !(text[0] >= 'a' && text[0] <= 'z')) return false;
  bool dot = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (i + 1 == text.size() || text[i + 1] == '.') return false;
      dot = true;
    } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return false;
    }
  }
  return dot;
}

}  // namespace

AccessibilityReport check_accessibility(App& app) {
  AccessibilityReport report;
  const ui::Theme& theme = app.theme();
  const ui::Display& display = theme.display();
  const bool elderly = theme.elderly_mode();
  const double min_target_dp = elderly ? 60.0 : 44.0;
  const auto visible = app.visible_widgets();
  const ui::Canvas& canvas = app.canvas();
  for (const ui::VisibleWidget& entry : visible) {
    ui::Widget* widget = entry.widget;
    if (looks_like_key(widget->text())) report.problems.push_back("untranslated: " + name_of(*widget));
    const bool whole = entry.visible == widget->rect();
    if (widget->tappable() && whole) {
      ++report.targets_checked;
      const double width = display.density_independent(widget->rect().width);
      const double height = display.density_independent(widget->rect().height);
      if (width < min_target_dp || height < min_target_dp) {
        report.problems.push_back("target " + number(width) + " × " + number(height) + " dp < " + number(min_target_dp) +
                                  ": " + name_of(*widget));
      }
    }
    const bool blank = widget->text().find_first_not_of(" \t\n") == std::string_view::npos;
    if (auto* label = dynamic_cast<ui::Label*>(widget); label && !blank && whole) {
      ++report.texts_checked;
      const double points = display.points(theme.font_size(label->role()));
      if (elderly && points < 18.0) report.problems.push_back("text " + number(points) + " pt < 18 pt: " + name_of(*widget));
      const double contrast = rendered_contrast(canvas, entry.visible);
      if (contrast < 4.5) report.problems.push_back("contrast " + number(contrast) + ":1 < 4.5:1: " + name_of(*widget));
    }
    if (auto* button = dynamic_cast<ui::Button*>(widget); button && looks_like_key(button->detail())) {
      report.problems.push_back("untranslated: \"" + std::string(button->detail()) + "\"");
    }
    if (auto* button = dynamic_cast<ui::Button*>(widget); button && elderly) {
      const double points = display.points(theme.font_size(button->text_role()));
      if (points < 18.0) report.problems.push_back("button text " + number(points) + " pt < 18 pt: " + name_of(*widget));
      if (!button->detail().empty()) {
        const double detail = display.points(theme.font_size(button->detail_role()));
        if (detail < 18.0) report.problems.push_back("button detail " + number(detail) + " pt < 18 pt: " + name_of(*widget));
      }
    }
  }
  return report;
}

}  // namespace kiosk::driver
