#include "kiosk/app/app.h"

#include <gtest/gtest.h>

#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

TEST_F(AppTest, StartsOnTheAttractScreenAndATouchStartsASession) {
  start();
  EXPECT_EQ(app_->current_screen_name(), "attract");
  EXPECT_FALSE(app_->session().active);
  ASSERT_TRUE(run("tap id=start\nexpect-screen home"));
  EXPECT_TRUE(app_->session().active);
}

TEST_F(AppTest, ATouchAnywhereOnTheAttractScreenStarts) {
  start();
  // The top corner holds only the hall's name: no button there, yet a touch starts.
  ASSERT_TRUE(run("expect-screen attract\ntap 20 20\nexpect-screen home"));
  EXPECT_TRUE(app_->session().active);
}

TEST_F(AppTest, InactivityWarnsThenWipesTheSession) {
  start();  // defaults: 90 s without a touch, then a 30 s warning
  ASSERT_TRUE(run("tap id=start\ntap id=search\ntype \"sfz\""));
  EXPECT_EQ(app_->session().search_query, "sfz");
  ASSERT_TRUE(run("wait 89000\nexpect-not \"您还在办理吗？\""));
  ASSERT_TRUE(run("wait 1000\nexpect \"您还在办理吗？\"\nexpect \"30 秒后\""));
  ASSERT_TRUE(run("wait 10000\nexpect \"20 秒后\""));  // the countdown is live
  ASSERT_TRUE(run("wait 20000\nexpect-screen attract"));
  EXPECT_FALSE(app_->session().active);
  EXPECT_TRUE(app_->session().search_query.empty());
  EXPECT_FALSE(app_->dialog_open());
}

TEST_F(AppTest, ContinuingKeepsTheSession) {
  start();
  ASSERT_TRUE(run("tap id=start\nwait 95000\ntap \"继续办理\"\nexpect-screen home\nwait 80000\nexpect-not \"您还在办理吗？\""));
  EXPECT_TRUE(app_->session().active);
}

TEST_F(AppTest, TheAttractScreenHasNoTimeout) {
  start();
  ASSERT_TRUE(run("wait 600000\nexpect-screen attract\nexpect-not \"您还在办理吗？\""));
}

TEST_F(AppTest, BackAndHomeWorkEverywhere) {
  start();
  ASSERT_TRUE(run("tap id=start\ntap id=search\nexpect-screen search\ntap id=back\nexpect-screen home"));
  ASSERT_TRUE(run("tap id=search\ntap id=home\nexpect-screen home"));
}

TEST_F(AppTest, ModeAndLanguageSwitchesRebuildTheScreen) {
  start();
  ASSERT_TRUE(run("tap id=start\ntap id=elderly\nexpect \"标准版\""));
  EXPECT_TRUE(app_->theme().elderly_mode());
  ASSERT_TRUE(run("tap id=language\nexpect \"Services\"\nexpect \"Standard\""));
  ASSERT_TRUE(run("lang zh\nelderly off\nexpect \"长辈版\""));
  EXPECT_FALSE(app_->theme().elderly_mode());
}

TEST_F(AppTest, ElderlyModeShowsNoPromotionsAndNeverChangesByItself) {
  Config config;
  config.elderly_mode = true;
  start(config);
  app_->render();
  const auto before = std::vector<std::uint32_t>(app_->canvas().pixels(),
                                                 app_->canvas().pixels() + app_->canvas().width() * app_->canvas().height());
  ASSERT_TRUE(run("wait 60000\nexpect-not \"7×24小时自助办理，不打烊\""));
  app_->render();
  const auto after = std::vector<std::uint32_t>(app_->canvas().pixels(),
                                                app_->canvas().pixels() + app_->canvas().width() * app_->canvas().height());
  EXPECT_EQ(before, after);
}

TEST_F(AppTest, IdleAppAsksForNoWakeUpsInElderlyAttract) {
  Config config;
  config.elderly_mode = true;
  start(config);
  ASSERT_TRUE(run("wait 100"));
  // Nothing to animate, no timer: the window loop may sleep until input (≈ 0 % CPU).
  const auto next = app_->tick();
  EXPECT_TRUE(!next.has_value() || *next - clock_.now() >= 60'000);
  EXPECT_FALSE(app_->render());  // nothing changed, nothing drawn
}

}  // namespace
}  // namespace kiosk
