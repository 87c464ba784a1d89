// The demo panel (kiosk/app/demo_panel.h, kiosk/driver/sim_actions.h): the strip and the keys
// exist only when the app is given demo actions (config demo.panel), run each action off the UI
// thread, take turns on a shared key, and the panel's actions move the simulated devices.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kiosk/driver/sim_actions.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

bool has_widget(App& app, const std::string& id) {
  for (const ui::VisibleWidget& entry : app.visible_widgets()) {
    if (entry.widget->id() == id) return true;
  }
  return false;
}

bool shows_text_containing(App& app, const std::string& text) {
  for (const ui::VisibleWidget& entry : app.visible_widgets()) {
    if (std::string(entry.widget->text()).find(text) != std::string::npos) return true;
  }
  return false;
}

class DemoPanelTest : public AppTest {
 protected:
  DemoPanelTest() : AppTest(sim_devices()) {}

  // As AppTest::start, with the demo actions main() builds in demo mode.
  void start_demo(std::vector<DemoAction> actions) {
    const std::filesystem::path assets = KIOSK_TEST_ASSETS;
    Config config;
    config.assets_dir = assets;
    config.catalog_file = assets / "catalog/items.json";
    config.voice.enabled = false;
    auto strings = Strings::load(assets / "strings");
    ASSERT_TRUE(strings.ok()) << strings.error().message;
    auto atlas = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
    ASSERT_TRUE(atlas.ok()) << atlas.error().message;
    App::Dependencies dependencies{config, strings.release_value(), atlas.release_value(), &clock_, &devices_, &factory_, nullptr, {}};
    dependencies.demo_actions = std::move(actions);
    app_ = std::make_unique<App>(std::move(dependencies));
    app_->start();
    runner_ = std::make_unique<driver::ScriptRunner>(*app_, clock_, devices_, driver::RunOptions{{}, {}, false, assets, {}});
  }
};

TEST_F(DemoPanelTest, NeitherStripNorKeysWithTheNormalConfig) {
  start();
  ASSERT_TRUE(run("expect-screen attract"));
  EXPECT_FALSE(has_widget(*app_, "demo-strip"));
  EXPECT_FALSE(shows_text_containing(*app_, "DEMO"));
  for (const char* key : {"F1", "F2", "F8"}) EXPECT_FALSE(app_->key(key).ok()) << key;
  EXPECT_FALSE(app_->dialog_open());
  ASSERT_TRUE(run("tap id=start\nexpect-screen home"));
  EXPECT_FALSE(has_widget(*app_, "demo-strip"));
}

TEST_F(DemoPanelTest, TheStripOpensTheMenuWhoseActionsRunOffTheUiThread) {
  const std::thread::id ui_thread = std::this_thread::get_id();
  auto ran_on = std::make_shared<std::thread::id>();
  auto first = std::make_shared<std::atomic<int>>(0), second = std::make_shared<std::atomic<int>>(0);
  start_demo({{"first", "demo.card", "one", false, "F1",
               [ran_on, first] {
                 *ran_on = std::this_thread::get_id();
                 ++*first;
                 return Status{};
               }},
              {"second", "demo.card", "two", false, "F1",
               [second]() -> Status {
                 ++*second;
                 return Error::make(ErrorKind::unsupported, "the card reader is not the simulator");
               }}});
  ASSERT_TRUE(run("expect-screen attract\nexpect \"演示 DEMO · 模拟设备：点此或按 F1–F8\""));
  ASSERT_TRUE(has_widget(*app_, "demo-strip"));
  ASSERT_TRUE(run("tap id=demo-strip\nexpect \"演示面板 DEMO · 模拟设备\"\ntap id=demo-first"));
  EXPECT_EQ(first->load(), 1);
  EXPECT_NE(*ran_on, ui_thread);
  EXPECT_FALSE(app_->dialog_open()) << "the menu closes on a pick";
  ASSERT_TRUE(run("expect \"演示 DEMO · 已执行：放置身份证 one\""));
  // F1 is shared: the presses take turns, and a failure is said on the strip.
  ASSERT_TRUE(app_->key("F1").ok());
  ASSERT_TRUE(run("wait 10"));
  EXPECT_EQ(first->load(), 2);
  ASSERT_TRUE(app_->key("F1").ok());
  ASSERT_TRUE(run("expect \"演示 DEMO · 未执行：放置身份证 two（the card reader is not the simulator）\""));
  EXPECT_EQ(second->load(), 1);
  // F8 opens and shuts the menu; close shuts it too.
  ASSERT_TRUE(app_->key("F8").ok());
  EXPECT_TRUE(app_->dialog_open());
  ASSERT_TRUE(app_->key("F8").ok());
  EXPECT_FALSE(app_->dialog_open());
  ASSERT_TRUE(run("tap id=demo-strip\ntap id=demo-close"));
  EXPECT_FALSE(app_->dialog_open());
  EXPECT_FALSE(app_->key("F5").ok()) << "a key no action has";
}

TEST_F(DemoPanelTest, ThePanelsActionsMoveTheSimulatedDevices) {
  auto actions = std::make_shared<driver::SimActions>(devices_, KIOSK_TEST_ASSETS);
  EXPECT_TRUE(actions->any_simulated());
  EXPECT_EQ(actions->card_samples(), (std::vector<std::string>{"ahe-yi", "lisi", "wangfang-expired", "zhangsan"}));
  start_demo(driver::demo_panel_actions(actions));
  // A card from the menu starts a session on the attract screen, as a real card does.
  ASSERT_TRUE(run("tap id=demo-strip\ntap id=demo-card-lisi\nexpect-screen home"));
  ASSERT_TRUE(run("expect \"演示 DEMO · 已执行：放置身份证 lisi\""));
  // F5 takes turns: paper out, then paper in.
  ASSERT_TRUE(app_->key("F5").ok());
  ASSERT_TRUE(run("wait 10"));
  EXPECT_EQ(devices_.receipt_printer->status().paper, hal::Supply::out);
  ASSERT_TRUE(app_->key("F5").ok());
  ASSERT_TRUE(run("wait 10"));
  EXPECT_EQ(devices_.receipt_printer->status().state, hal::DeviceState::online);
  // F6 unplugs the card reader; the notice says so on screen.
  ASSERT_TRUE(app_->key("F6").ok());
  ASSERT_TRUE(run("wait 10"));
  EXPECT_EQ(devices_.card_reader->status().state, hal::DeviceState::offline);
  ASSERT_TRUE(run("tap id=demo-strip\ntap id=demo-plug-card_reader\nwait 10"));
  EXPECT_EQ(devices_.card_reader->status().state, hal::DeviceState::online);
  // F3: nobody in front of the face camera, then a good face again.
  ASSERT_TRUE(app_->key("F3").ok());
  ASSERT_TRUE(run("wait 10"));
  EXPECT_TRUE(devices_.face_camera->capture(hal::CancelToken{}, std::chrono::milliseconds(100)).ok());
  ASSERT_TRUE(app_->key("F3").ok());
  ASSERT_TRUE(run("wait 10"));
  EXPECT_FALSE(devices_.face_camera->capture(hal::CancelToken{}, std::chrono::milliseconds(100)).ok());
  // The document camera shows a sample's ID card front (a partner's, while the citizen's stays put).
  ASSERT_TRUE(run("tap id=demo-strip\ntap id=demo-scan-idcard-zhangsan\nwait 10"));
  auto page = devices_.document_camera->capture(hal::CancelToken{}, std::chrono::milliseconds(1000));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->width, 1012);
}

}  // namespace
}  // namespace kiosk
