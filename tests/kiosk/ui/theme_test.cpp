#include "kiosk/ui/theme.h"

#include <gtest/gtest.h>

namespace kiosk::ui {
namespace {

// MIIT 适老化 rules and WCAG numbers from DOMAIN.md, checked on both themes and orientations.
TEST(Theme, ElderlyModeMeetsTheMiitNumbers) {
  for (Display display : {Display{1080, 1920, 102.5}, Display{1920, 1080, 102.5}}) {
    const Theme standard = Theme::standard(display);
    const Theme elderly = Theme::elderly(display);
    EXPECT_GE(display.points(elderly.font_size(TextRole::body)), 18.0);
    EXPECT_GE(display.points(elderly.font_size(TextRole::display)), 30.0);
    EXPECT_GE(display.points(elderly.font_size(TextRole::caption)), 18.0);  // no small print at all
    for (TextRole role : {TextRole::caption, TextRole::body, TextRole::button, TextRole::heading, TextRole::title}) {
      EXPECT_GE(elderly.font_size(role), standard.font_size(role) * 3 / 2);
    }
    EXPECT_GE(elderly.line_spacing(), 1.3);
    EXPECT_GE(display.density_independent(elderly.min_touch_target()), 60.0);
    EXPECT_GE(display.density_independent(standard.min_touch_target()), 44.0);
    EXPECT_GE(display.millimetres(standard.font_size(TextRole::caption)), 4.8);  // EN 301 549 kiosk text
  }
}

TEST(Theme, TextContrastIsAtLeast4_5) {
  for (const Theme& theme : {Theme::standard({}), Theme::elderly({})}) {
    const Palette& p = theme.palette();
    EXPECT_GE(contrast_ratio(p.text, p.background), 4.5);
    EXPECT_GE(contrast_ratio(p.text, p.surface), 4.5);
    EXPECT_GE(contrast_ratio(p.text_secondary, p.surface), 4.5);
    EXPECT_GE(contrast_ratio(p.text_secondary, p.background), 4.5);
    EXPECT_GE(contrast_ratio(p.on_primary, p.primary), 4.5);
    EXPECT_GE(contrast_ratio(p.on_secondary, p.secondary), 4.5);
    EXPECT_GE(contrast_ratio(p.on_header, p.header), 4.5);
    EXPECT_GE(contrast_ratio(p.on_warning, p.warning), 4.5);
    EXPECT_GE(contrast_ratio(p.primary, p.background), 4.5);  // tag text on the page
  }
}

TEST(Theme, ContrastRatioMatchesWcagExamples) {
  EXPECT_NEAR(contrast_ratio(Color::rgb(0x000000), Color::rgb(0xFFFFFF)), 21.0, 0.01);
  EXPECT_NEAR(contrast_ratio(Color::rgb(0x777777), Color::rgb(0xFFFFFF)), 4.48, 0.02);
}

}  // namespace
}  // namespace kiosk::ui
