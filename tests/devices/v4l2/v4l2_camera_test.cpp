// The V4L2 face and document cameras (health thread, hot-plug, capture) against the fake UVC
// camera: online once opened, offline within 2 s of an unplug or a stall, online again within 2 s
// of a replug, and a face the gate accepts straight from the camera.
#include "devices/v4l2/v4l2_camera.h"

#include <thread>

#include <gtest/gtest.h>

#include "kiosk/face/face_gate.h"
#include "kiosk/face/face_image.h"
#include "tests/devices/device_test_support.h"
#include "tests/devices/v4l2/fake_camera.h"

namespace kiosk::devices::v4l2 {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using std::chrono::milliseconds;

constexpr milliseconds kReportWithin{2000};  // every device reports a status change within 2 s
constexpr milliseconds kGenerous{5000};      // bounds a wait that should end much sooner

class V4l2CameraTest : public testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_FAKE_CAMERA(camera_);
    auto face = face::load_image(std::string(KIOSK_FACE_TEST_IMAGES) + "/face-ok.jpg");
    ASSERT_TRUE(face.ok());
    face_ = face.release_value();
    camera_.change([](fake_v4l2_settings& s) {
      s.width = 320;
      s.height = 240;
    });
    camera_.set_frame(to_yuyv(face_));
  }

  V4l2CameraOptions options(milliseconds frame_timeout = milliseconds(400)) const {
    V4l2CameraOptions options;
    options.capture = {camera_.path(), 640, 480, hal::PixelFormat::rgb24};
    options.frame_timeout = frame_timeout;
    return options;
  }

  FakeCamera camera_{1};
  hal::Image face_;
};

TEST_F(V4l2CameraTest, ComesOnlineAndCaptures) {
  V4l2FaceCamera camera(options());
  EXPECT_EQ(camera.driver(), "v4l2");
  EXPECT_EQ(camera.device_class(), hal::DeviceClass::face_camera);
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  EXPECT_EQ(camera.status().detail, "/dev/video-fake1: YUYV 320x240, Fake UVC Camera");
  EXPECT_EQ(camera.capabilities().width, 320);
  EXPECT_EQ(camera.capabilities().height, 240);
  auto frame = camera.capture(hal::CancelToken{}, milliseconds(2000));
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_LT(mean_difference(*frame, face_), 4.0);
  EXPECT_EQ(camera.opens(), 1);
}

TEST_F(V4l2CameraTest, TheGateAcceptsTheFaceFromTheCamera) {
  auto gate = face::FaceGate::create();
  ASSERT_TRUE(gate.ok()) << gate.error().message;
  V4l2FaceCamera camera(options());
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  std::vector<hal::Image> burst;
  for (int i = 0; i < 3; ++i) {
    auto frame = camera.capture(hal::CancelToken{}, milliseconds(2000));
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    burst.push_back(frame.release_value());
  }
  auto best = gate->best_of(burst);
  ASSERT_TRUE(best.ok()) << best.error().message;
  EXPECT_TRUE(best->verdict.ok) << face::to_string(best->verdict.reason);
  EXPECT_EQ(best->frame.width, 320);
}

TEST_F(V4l2CameraTest, UnplugAndReplugAreReportedWithinTwoSeconds) {
  V4l2FaceCamera camera(options());
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  EventRecorder events(camera);

  camera_.change([](fake_v4l2_settings& s) { s.present = 0; });
  auto gone = wait_for_state(camera, DeviceState::offline, kGenerous);
  ASSERT_TRUE(gone);
  EXPECT_LE(*gone, kReportWithin);
  auto frame = camera.capture(hal::CancelToken{}, milliseconds(500));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::offline);

  // Offline for a while: the reopen backoff has grown to its longest.
  std::this_thread::sleep_for(milliseconds(1000));
  camera_.change([](fake_v4l2_settings& s) { s.present = 1; });
  auto back = wait_for_state(camera, DeviceState::online, kGenerous);
  ASSERT_TRUE(back);
  EXPECT_LE(*back, kReportWithin);
  EXPECT_EQ(camera.opens(), 2);
  EXPECT_TRUE(camera.capture(hal::CancelToken{}, milliseconds(2000)).ok());
  // One offline and one online event: reopen attempts in between are not status changes.
  EXPECT_EQ(events.kinds(), (std::vector<Kind>{Kind::status_changed, Kind::status_changed}));
  const auto seen = events.events();
  EXPECT_EQ(seen.front().status.state, DeviceState::offline);
  EXPECT_EQ(seen.back().status.state, DeviceState::online);
}

TEST_F(V4l2CameraTest, AStalledCameraIsTreatedAsUnplugged) {
  V4l2FaceCamera camera(options());
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 1; });
  auto stalled = wait_for_state(camera, DeviceState::offline, kGenerous);
  ASSERT_TRUE(stalled);
  EXPECT_LE(*stalled, kReportWithin);
  EXPECT_NE(camera.status().detail.find("(treated as a disconnect)"), std::string::npos) << camera.status().detail;
  // The node is still there: reopening works, and once frames flow it stays online.
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 0; });
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  EXPECT_GE(camera.opens(), 2);
  EXPECT_TRUE(camera.capture(hal::CancelToken{}, milliseconds(2000)).ok());
}

TEST_F(V4l2CameraTest, ACaptureThatSeesNoFrameReportsTheDisconnect) {
  V4l2FaceCamera camera(options(milliseconds(300)));
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 1; });
  // A caller willing to wait 5 s hears after frame_timeout that no frame is coming.
  const auto start = std::chrono::steady_clock::now();
  auto frame = camera.capture(hal::CancelToken{}, milliseconds(5000));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(3000));
  EXPECT_EQ(camera.status().state, DeviceState::offline);
}

TEST_F(V4l2CameraTest, AShortTimeoutIsNotADisconnect) {
  camera_.change([](fake_v4l2_settings& s) { s.frame_interval_ms = 400; });
  V4l2FaceCamera camera(options(milliseconds(1500)));
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  // Asking for a frame within 10 ms of a 400 ms camera times out, and the camera stays online.
  auto frame = camera.capture(hal::CancelToken{}, milliseconds(10));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::timeout);
  EXPECT_EQ(camera.status().state, DeviceState::online);
}

TEST_F(V4l2CameraTest, CaptureIsCancellable) {
  V4l2FaceCamera camera(options(milliseconds(1500)));
  ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 1; });
  hal::CancelToken cancel;
  cancel.cancel();
  auto frame = camera.capture(cancel, milliseconds(5000));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::cancelled);
}

TEST_F(V4l2CameraTest, AMissingCameraIsOfflineUntilItAppears) {
  camera_.change([](fake_v4l2_settings& s) { s.present = 0; });
  V4l2DocumentCamera camera(options());
  EXPECT_EQ(camera.device_class(), hal::DeviceClass::document_camera);
  EXPECT_EQ(camera.status().state, DeviceState::offline);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(camera.status().state, DeviceState::offline);
  EXPECT_NE(camera.status().detail.find("/dev/video-fake1"), std::string::npos);
  EXPECT_EQ(camera.capture(hal::CancelToken{}, milliseconds(100)).error().code, DeviceErrorCode::offline);
  EXPECT_FALSE(camera.refresh(milliseconds(1000)).ok());
  camera_.change([](fake_v4l2_settings& s) { s.present = 1; });
  auto online = wait_for_state(camera, DeviceState::online, kGenerous);
  ASSERT_TRUE(online);
  EXPECT_LE(*online, kReportWithin);
  EXPECT_TRUE(camera.refresh(milliseconds(1000)).ok());
}

TEST_F(V4l2CameraTest, ANodeThatIsNoCameraIsAHardwareError) {
  camera_.change([](fake_v4l2_settings& s) { s.capture_node = 0; });
  V4l2FaceCamera camera(options());
  ASSERT_TRUE(wait_for_state(camera, DeviceState::hardware_error, kGenerous));
  EXPECT_NE(camera.status().detail.find("not a streaming video capture node"), std::string::npos);
}

TEST_F(V4l2CameraTest, DestroyingTheCameraClosesTheDevice) {
  {
    V4l2FaceCamera camera(options());
    ASSERT_TRUE(wait_for_state(camera, DeviceState::online, kGenerous));
    EXPECT_EQ(camera_.counters().open_fds, 1);
  }
  EXPECT_EQ(camera_.counters().open_fds, 0);
  EXPECT_EQ(camera_.counters().mapped, 0);
}

}  // namespace
}  // namespace kiosk::devices::v4l2
