// The MIIT 适老化 numbers checked on what the screens really show, not only on the theme: the first
// screens are walked in elderly mode (portrait and landscape), and on each one every visible text
// is ≥ 18 pt, every tappable widget is ≥ 60 × 60 dp, and the text's ink against its background,
// read from the rendered frame, has a contrast of at least 4.5:1 (kiosk/driver/accessibility.h;
// the journey scripts run the same check on every screenshot, in elderly mode on every screen of
// both journeys).
#include <gtest/gtest.h>

#include "kiosk/driver/accessibility.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

class ElderlyScreensTest : public AppTest, public testing::WithParamInterface<bool> {
 protected:
  // Checks the screen on show; `where` names it in failures.
  void check_screen(const std::string& where) {
    const driver::AccessibilityReport report = driver::check_accessibility(*app_);
    for (const std::string& problem : report.problems) ADD_FAILURE() << where << ": " << problem;
    EXPECT_GT(report.texts_checked, 0) << where << ": no text checked";
    EXPECT_GT(report.targets_checked, 0) << where << ": no touch target checked";
  }
};

TEST_P(ElderlyScreensTest, EveryScreenMeetsTheMiitNumbers) {
  Config config;
  config.elderly_mode = true;
  if (GetParam()) std::swap(config.display_width, config.display_height);  // landscape
  start(config);
  ASSERT_TRUE(app_->theme().elderly_mode());
  check_screen("attract");
  ASSERT_TRUE(run("tap id=start\nwait-for \"办事进度查询\""));
  check_screen("home");
  ASSERT_TRUE(run("tap id=search"));
  check_screen("search (keyboard)");
  ASSERT_TRUE(run("type \"sfz\"\ntap id=keyboard-hide"));
  check_screen("search results");
  ASSERT_TRUE(run("scroll-to \"居民身份证有效期满换领\"\ntap \"居民身份证有效期满换领\"\nexpect-screen guide"));
  check_screen("guide");
  ASSERT_TRUE(run("tap id=home\nscroll-to id=category-public-security\ntap id=category-public-security\nexpect-screen category"));
  check_screen("category");
  ASSERT_TRUE(run("scroll-to \"户口簿遗失补领\"\ntap \"户口簿遗失补领\"\nexpect \"本机不能办理此事项\""));
  check_screen("guide (elsewhere)");
  ASSERT_TRUE(run("wait 90000\nexpect \"您还在办理吗？\""));
  check_screen("inactivity dialog");
}

// The check itself can fail: faint text and buttons squeezed into one row are reported.
class CrampedScreen final : public Screen {
 public:
  std::string name() const override { return "cramped"; }
  std::string title(AppContext&) const override { return "cramped"; }
  std::unique_ptr<ui::Widget> build(AppContext&) override {
    auto page = std::make_unique<ui::Column>(8);
    page->add(std::make_unique<ui::Label>("faint text", ui::TextRole::body, ui::Color::rgb(0xE8E8E8)));
    page->add(std::make_unique<ui::Label>("cramped.missing_text", ui::TextRole::body));
    auto row = std::make_unique<ui::Row>(4);
    for (int i = 0; i < 40; ++i) row->add(std::make_unique<ui::Button>("k", ui::ButtonKind::key, [] {}));
    page->add(std::move(row));
    return page;
  }
};

TEST_F(AppTest, AccessibilityCheckReportsFaintTextAndSmallTargets) {
  Config config;
  config.elderly_mode = true;
  start(config);
  ASSERT_TRUE(run("tap id=start"));
  EXPECT_TRUE(driver::check_accessibility(*app_).problems.empty());
  app_->push(std::make_unique<CrampedScreen>());
  const driver::AccessibilityReport report = driver::check_accessibility(*app_);
  const auto mentions = [&report](const std::string& what) {
    return std::any_of(report.problems.begin(), report.problems.end(),
                       [&what](const std::string& problem) { return problem.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("contrast")) << testing::PrintToString(report.problems);
  EXPECT_TRUE(mentions("target")) << testing::PrintToString(report.problems);
  EXPECT_TRUE(mentions("untranslated: \"cramped.missing_text\"")) << testing::PrintToString(report.problems);
}

INSTANTIATE_TEST_SUITE_P(Orientations, ElderlyScreensTest, testing::Values(false, true),
                         [](const testing::TestParamInfo<bool>& param) { return param.param ? "landscape" : "portrait"; });

}  // namespace
}  // namespace kiosk
