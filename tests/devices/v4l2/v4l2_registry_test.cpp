// The registry's "v4l2" driver for both camera classes: options, defaults and the errors that
// name the config path.
#include "devices/registry.h"

#include <gtest/gtest.h>

#include "devices/v4l2/v4l2_camera.h"
#include "devices/v4l2/v4l2_options.h"
#include "tests/devices/v4l2/fake_camera.h"

namespace kiosk::devices::v4l2 {
namespace {

using nlohmann::json;

TEST(V4l2Registry, BothCameraClassesHaveTheDriver) {
  for (hal::DeviceClass device : {hal::DeviceClass::face_camera, hal::DeviceClass::document_camera}) {
    const auto names = driver_names(device);
    EXPECT_NE(std::find(names.begin(), names.end(), "v4l2"), names.end()) << hal::to_string(device);
  }
}

TEST(V4l2Registry, MakesRunningCameras) {
  FakeCamera face(2);
  FakeCamera document(3);
  REQUIRE_FAKE_CAMERA(face);
  auto devices = make_devices(json::parse(R"({"face_camera": {"driver": "v4l2", "path": "/dev/video-fake2"},
                                               "document_camera": {"driver": "v4l2", "path": "/dev/video-fake3",
                                                                   "width": 1280, "height": 960}})"),
                              DriverContext{});
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  ASSERT_TRUE(devices->face_camera);
  ASSERT_TRUE(devices->document_camera);
  EXPECT_EQ(devices->face_camera->driver(), "v4l2");
  EXPECT_EQ(devices->document_camera->driver(), "v4l2");
  ASSERT_TRUE(wait_for_state(*devices->face_camera, hal::DeviceState::online, std::chrono::milliseconds(5000)));
  EXPECT_EQ(devices->face_camera->capabilities().width, 640);  // the fake's default size
}

TEST(V4l2Registry, Defaults) {
  auto face = parse_camera_options(json{{"path", "/dev/video0"}}, "face_camera", 640, 480);
  ASSERT_TRUE(face.ok());
  EXPECT_EQ(face->capture.path, "/dev/video0");
  EXPECT_EQ(face->capture.width, 640);
  EXPECT_EQ(face->capture.height, 480);
  EXPECT_EQ(face->frame_timeout, std::chrono::milliseconds(1500));
  auto set = parse_camera_options(json{{"path", "/dev/video2"}, {"width", 1920}, {"height", 1080}, {"frame_timeout_ms", 800}},
                                  "document_camera", 2592, 1944);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->capture.width, 1920);
  EXPECT_EQ(set->capture.height, 1080);
  EXPECT_EQ(set->frame_timeout, std::chrono::milliseconds(800));
}

struct BadOptions {
  const char* name;
  const char* config;
  const char* message;
};

class V4l2RegistryBad : public testing::TestWithParam<BadOptions> {};

TEST_P(V4l2RegistryBad, NamesTheOption) {
  auto devices = make_devices(json::parse(GetParam().config), DriverContext{});
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.error().kind, ErrorKind::parse);
  EXPECT_NE(devices.error().message.find(GetParam().message), std::string::npos) << devices.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Options, V4l2RegistryBad,
    testing::Values(
        BadOptions{"no_path", R"({"face_camera": {"driver": "v4l2"}})", "devices.face_camera.path: expected"},
        BadOptions{"empty_path", R"({"document_camera": {"driver": "v4l2", "path": ""}})", "devices.document_camera.path"},
        BadOptions{"odd_width", R"({"face_camera": {"driver": "v4l2", "path": "/dev/video0", "width": 641}})",
                   "devices.face_camera.width: expected an even number"},
        BadOptions{"tiny_width", R"({"face_camera": {"driver": "v4l2", "path": "/dev/video0", "width": 8}})",
                   "devices.face_camera.width"},
        BadOptions{"text_height", R"({"face_camera": {"driver": "v4l2", "path": "/dev/video0", "height": "480"}})",
                   "devices.face_camera.height"},
        BadOptions{"huge_height", R"({"face_camera": {"driver": "v4l2", "path": "/dev/video0", "height": 20000}})",
                   "devices.face_camera.height"},
        BadOptions{"long_timeout",
                   R"({"face_camera": {"driver": "v4l2", "path": "/dev/video0", "frame_timeout_ms": 5000}})",
                   "devices.face_camera.frame_timeout_ms: expected milliseconds 200…1750"}),
    [](const testing::TestParamInfo<BadOptions>& parameter) { return std::string(parameter.param.name); });

}  // namespace
}  // namespace kiosk::devices::v4l2
