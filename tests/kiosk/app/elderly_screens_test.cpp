// The MIIT 适老化 numbers checked on what the screens really show, not only on the theme: every
// screen of the first set is walked in elderly mode (portrait and landscape), and on each one every
// visible text is ≥ 18 pt, every tappable widget is ≥ 60 × 60 dp, and the text's ink against its
// background, read from the rendered frame, has a contrast of at least 4.5:1.
#include <gtest/gtest.h>

#include "kiosk/ui/widget_tree.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

ui::Color colour_at(const ui::Canvas& canvas, int x, int y) {
  const std::uint32_t pixel = canvas.pixel(x, y);
  return {static_cast<std::uint8_t>(pixel >> 16), static_cast<std::uint8_t>(pixel >> 8), static_cast<std::uint8_t>(pixel), 255};
}

// The contrast between the darkest and the lightest pixel inside `area`: for a text, its ink and
// the background it sits on.
double rendered_contrast(const ui::Canvas& canvas, ui::Rect area) {
  double darkest = 2, lightest = -1;
  for (int y = area.y; y < area.bottom(); ++y) {
    for (int x = area.x; x < area.right(); ++x) {
      const double luminance = ui::relative_luminance(colour_at(canvas, x, y));
      darkest = std::min(darkest, luminance);
      lightest = std::max(lightest, luminance);
    }
  }
  return (lightest + 0.05) / (darkest + 0.05);
}

class ElderlyScreensTest : public AppTest, public testing::WithParamInterface<bool> {
 protected:
  // Checks the screen on show; `where` names it in failures.
  void check_screen(const std::string& where) {
    const ui::Theme& theme = app_->theme();
    const ui::Display& display = theme.display();
    const auto visible = app_->visible_widgets();
    int texts = 0;
    for (const auto& entry : visible) {
      ui::Widget* widget = entry.widget;
      if (widget->tappable() && entry.visible == widget->rect()) {  // wholly on screen
        EXPECT_GE(display.density_independent(widget->rect().width), 60.0) << where << ": " << widget->text() << " " << widget->id();
        EXPECT_GE(display.density_independent(widget->rect().height), 60.0) << where << ": " << widget->text() << " " << widget->id();
      }
      if (auto* label = dynamic_cast<ui::Label*>(widget); label && !label->text().empty() && entry.visible == widget->rect()) {
        ++texts;
        EXPECT_GE(display.points(theme.font_size(label->role())), 18.0) << where << ": " << label->text();
        EXPECT_GE(rendered_contrast(app_->canvas(), entry.visible), 4.5) << where << ": " << label->text();
      }
      if (auto* button = dynamic_cast<ui::Button*>(widget)) {
        EXPECT_GE(display.points(theme.font_size(button->text_role())), 18.0) << where << ": " << button->text();
        if (!button->detail().empty()) {
          EXPECT_GE(display.points(theme.font_size(button->detail_role())), 18.0) << where;
        }
      }
    }
    EXPECT_GT(texts, 0) << where << ": no text checked";
  }
};

TEST_P(ElderlyScreensTest, EveryScreenMeetsTheMiitNumbers) {
  Config config;
  config.elderly_mode = true;
  if (GetParam()) std::swap(config.display_width, config.display_height);  // landscape
  start(config);
  ASSERT_TRUE(app_->theme().elderly_mode());
  check_screen("attract");
  ASSERT_TRUE(run("tap id=start\nwait-for \"公安\""));
  check_screen("home");
  ASSERT_TRUE(run("tap id=search"));
  check_screen("search (keyboard)");
  ASSERT_TRUE(run("type \"sfz\"\ntap id=keyboard-hide"));
  check_screen("search results");
  ASSERT_TRUE(run("scroll-to \"居民身份证有效期满换领\"\ntap \"居民身份证有效期满换领\"\nexpect-screen guide"));
  check_screen("guide");
  ASSERT_TRUE(run("tap id=home\ntap id=category-public-security\nexpect-screen category"));
  check_screen("category");
  ASSERT_TRUE(run("scroll-to \"户口簿遗失补领\"\ntap \"户口簿遗失补领\"\nexpect \"本机不能办理此事项\""));
  check_screen("guide (elsewhere)");
  ASSERT_TRUE(run("wait 90000\nexpect \"您还在办理吗？\""));
  check_screen("inactivity dialog");
}

INSTANTIATE_TEST_SUITE_P(Orientations, ElderlyScreensTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& param) { return param.param ? "landscape" : "portrait"; });

}  // namespace
}  // namespace kiosk
