#pragma once
// An App on virtual time with the shipped strings and sample catalog, driven by script commands.
#include <gtest/gtest.h>

#include "devices/registry.h"

#include "kiosk/app/app.h"
#include "kiosk/driver/script.h"
#include "screens/screens.h"

namespace kiosk {

// Every device class on its simulator, as a config without "devices" gives the kiosk; `options`
// adds simulator options per class ({"face_camera": {"frames": […]}}).
inline hal::Devices sim_devices(const nlohmann::json& options = nlohmann::json::object()) {
  nlohmann::json config = nlohmann::json::object();
  for (hal::DeviceClass device : hal::kAllDeviceClasses) config[hal::to_string(device)] = {{"driver", "sim"}};
  config.merge_patch(options);
  auto devices = devices::make_devices(config, devices::DriverContext{KIOSK_TEST_ASSETS});
  EXPECT_TRUE(devices.ok());
  return devices.release_value();
}

class AppTest : public testing::Test {
 protected:
  explicit AppTest(hal::Devices devices = {}) : devices_(std::move(devices)) {}

  // `channel`: a platform channel the test opened (null: no platform, as most tests run).
  void start(Config config = {}, Services services = {}, platform::Channel* channel = nullptr) {
    const std::filesystem::path assets = KIOSK_TEST_ASSETS;
    config.assets_dir = assets;
    config.catalog_file = assets / "catalog/items.json";
    auto strings = Strings::load(assets / "strings");
    ASSERT_TRUE(strings.ok()) << strings.error().message;
    auto atlas = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
    ASSERT_TRUE(atlas.ok()) << atlas.error().message;
    App::Dependencies dependencies{config, strings.release_value(), atlas.release_value(), &clock_, &devices_, &factory_,
                                   channel, services};
    auto zone = TimeZone::load(config.time_zone);  // as main() does
    ASSERT_TRUE(zone.ok()) << zone.error().message;
    dependencies.time_zone = zone.release_value();
    app_ = std::make_unique<App>(std::move(dependencies));
    app_->start();
    runner_ = std::make_unique<driver::ScriptRunner>(*app_, clock_, devices_, driver::RunOptions{{}, {}, false, assets, {}});
  }

  // Runs script lines; the test fails with the driver's message if a line fails.
  ::testing::AssertionResult run(const std::string& script) {
    auto commands = driver::parse_script(script);
    if (!commands.ok()) return ::testing::AssertionFailure() << commands.error().message;
    auto status = runner_->run(*commands);
    if (!status.ok()) return ::testing::AssertionFailure() << status.error().message;
    return ::testing::AssertionSuccess();
  }

  VirtualClock clock_;
  hal::Devices devices_;
  screens::StandardScreens factory_;
  std::unique_ptr<App> app_;
  std::unique_ptr<driver::ScriptRunner> runner_;
};

}  // namespace kiosk
