// The script driver's commands for the simulated devices: printer states, unplug/plug, and what
// the cameras see. Each command is checked by its effect on the device, not by the driver's word.
#include <gtest/gtest.h>

#include "devices/registry.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

class SimCommandsTest : public AppTest {
 protected:
  SimCommandsTest() : AppTest(sim_devices()) {}
  void SetUp() override { start(); }
};

TEST_F(SimCommandsTest, PrinterStatesAndOk) {
  ASSERT_TRUE(run("printer paper-out"));
  auto status = devices_.receipt_printer->status();
  EXPECT_EQ(status.state, hal::DeviceState::user_error);
  EXPECT_EQ(status.paper, hal::Supply::out);
  ASSERT_TRUE(run("printer cover-open"));
  status = devices_.receipt_printer->status();
  EXPECT_TRUE(status.cover_open);
  EXPECT_NE(status.paper, hal::Supply::out) << "a new state replaces the last one";
  ASSERT_TRUE(run("printer ok"));
  EXPECT_EQ(devices_.receipt_printer->status().state, hal::DeviceState::online);

  ASSERT_TRUE(run("printer document paper-near-end"));
  EXPECT_EQ(devices_.document_printer->status().paper, hal::Supply::near_end);
  EXPECT_EQ(devices_.receipt_printer->status().state, hal::DeviceState::online);

  EXPECT_FALSE(run("printer jammed"));
  EXPECT_FALSE(run("printer fax ok"));
}

TEST_F(SimCommandsTest, UnplugAndPlug) {
  ASSERT_TRUE(run("unplug card_reader"));
  EXPECT_EQ(devices_.card_reader->status().state, hal::DeviceState::offline);
  ASSERT_TRUE(run("plug card_reader"));
  EXPECT_EQ(devices_.card_reader->status().state, hal::DeviceState::online);
  ASSERT_TRUE(run("unplug receipt_printer"));
  EXPECT_EQ(devices_.receipt_printer->status().state, hal::DeviceState::offline);
  // "printer ok" clears paper and cover, not the unplug.
  ASSERT_TRUE(run("printer ok"));
  EXPECT_EQ(devices_.receipt_printer->status().state, hal::DeviceState::offline);
  EXPECT_FALSE(run("unplug toaster"));
}

TEST_F(SimCommandsTest, CamerasSeeWhatTheScriptShows) {
  ASSERT_TRUE(run("face none"));
  hal::FaceCamera* camera = devices_.face_camera.get();
  EXPECT_FALSE(camera->capture(hal::CancelToken{}, std::chrono::milliseconds(100)).ok());
  ASSERT_TRUE(run("face face-ok.ppm"));
  auto frame = camera->capture(hal::CancelToken{}, std::chrono::milliseconds(1000));
  ASSERT_TRUE(frame.ok());
  EXPECT_GT(frame->width, 0);

  ASSERT_TRUE(run("scan document-page.pgm"));
  hal::DocumentCamera* scanner = devices_.document_camera.get();
  auto page = scanner->capture(hal::CancelToken{}, std::chrono::milliseconds(1000));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->format, hal::PixelFormat::gray8);

  auto missing = driver::parse_script("scan file=no-such-page.pgm");
  ASSERT_TRUE(missing.ok());
  auto status = runner_->run(*missing);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("no-such-page.pgm"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace kiosk
