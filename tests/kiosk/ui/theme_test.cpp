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
    for (Color symbol : {p.success, p.caution, p.failure}) {
      EXPECT_GE(contrast_ratio(p.on_symbol, symbol), 4.5);
      EXPECT_GE(contrast_ratio(symbol, p.background), 3.0);  // the circle stands out (WCAG 1.4.11)
    }
  }
}

// Text may shrink so that a word is not broken, but elderly text never under 18 pt, and never
// below three quarters of its role's size.
TEST(Theme, ShrinkFloorsKeepTheMiitMinimum) {
  for (Display display : {Display{1080, 1920, 102.5}, Display{1920, 1080, 102.5}}) {
    const Theme standard = Theme::standard(display);
    const Theme elderly = Theme::elderly(display);
    for (TextRole role : {TextRole::caption, TextRole::body, TextRole::button, TextRole::heading, TextRole::title,
                          TextRole::display}) {
      EXPECT_GE(display.points(elderly.min_font_size(role)), 18.0);
      EXPECT_LE(elderly.min_font_size(role), elderly.font_size(role));
      EXPECT_GE(standard.min_font_size(role) * 4, standard.font_size(role) * 3 - 4);
      EXPECT_EQ(standard.text(role).min_size_px, standard.min_font_size(role));
    }
    EXPECT_FALSE(standard.text(TextRole::title).ellipsis);  // titles wrap or shrink, never "…"
    EXPECT_TRUE(standard.text(TextRole::caption).ellipsis);
  }
}

TEST(Theme, ContrastRatioMatchesWcagExamples) {
  EXPECT_NEAR(contrast_ratio(Color::rgb(0x000000), Color::rgb(0xFFFFFF)), 21.0, 0.01);
  EXPECT_NEAR(contrast_ratio(Color::rgb(0x777777), Color::rgb(0xFFFFFF)), 4.48, 0.02);
}

}  // namespace
}  // namespace kiosk::ui
