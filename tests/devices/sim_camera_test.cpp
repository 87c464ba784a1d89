#include "devices/sim/sim_camera.h"

#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "devices/sim/pnm.h"
#include "tests/devices/device_test_support.h"

namespace kiosk::devices {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using sim::CommonFaults;

hal::Image solid(int width, int height, std::uint8_t value) {
  hal::Image image;
  image.width = width;
  image.height = height;
  image.format = hal::PixelFormat::gray8;
  image.pixels.assign(static_cast<std::size_t>(width * height), value);
  return image;
}

// Both camera sims share one template; the tests run on each.
template <typename Camera>
class SimCamera : public testing::Test {};

struct CameraNames {
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, sim::SimFaceCamera> ? "Face" : "Document";
  }
};

using CameraTypes = testing::Types<sim::SimFaceCamera, sim::SimDocumentCamera>;
TYPED_TEST_SUITE(SimCamera, CameraTypes, CameraNames);

TYPED_TEST(SimCamera, ClassAndDriver) {
  TypeParam camera;
  const hal::DeviceClass expected = std::is_same_v<TypeParam, sim::SimFaceCamera> ? hal::DeviceClass::face_camera
                                                                                  : hal::DeviceClass::document_camera;
  EXPECT_EQ(camera.device_class(), expected);
  EXPECT_EQ(camera.driver(), "sim");
  EXPECT_TRUE(camera.status().ready());
}

TYPED_TEST(SimCamera, WithoutFramesTimesOut) {
  TypeParam camera;
  EXPECT_EQ(camera.capabilities().width, 0);
  EXPECT_EQ(camera.capabilities().height, 0);
  auto frame = camera.capture(hal::CancelToken{}, kTimeout);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::timeout);
  EXPECT_EQ(camera.history(), Strings{"capture timeout"});
}

TYPED_TEST(SimCamera, PlaysItsFramesInALoop) {
  TypeParam camera({solid(4, 3, 1), solid(2, 2, 2)});
  EXPECT_EQ(camera.capabilities().width, 4);
  EXPECT_EQ(camera.capabilities().height, 3);
  std::vector<std::uint8_t> seen;
  for (int i = 0; i < 5; ++i) {
    auto frame = camera.capture(hal::CancelToken{}, kTimeout);
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_TRUE(frame->valid());
    seen.push_back(frame->pixels.front());
  }
  EXPECT_EQ(seen, (std::vector<std::uint8_t>{1, 2, 1, 2, 1}));
  EXPECT_EQ(camera.history(), (Strings{"capture 4x3", "capture 2x2", "capture 4x3", "capture 2x2", "capture 4x3"}));
}

TYPED_TEST(SimCamera, SetFramesRestartsFromTheFirst) {
  TypeParam camera({solid(1, 1, 1), solid(1, 1, 2)});
  ASSERT_TRUE(camera.capture(hal::CancelToken{}, kTimeout).ok());
  camera.set_frames({solid(3, 1, 7), solid(3, 1, 8)});
  auto frame = camera.capture(hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->pixels.front(), 7);
  EXPECT_EQ(camera.capabilities().width, 3);
  camera.set_frames({});
  EXPECT_EQ(camera.capture(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::timeout);
}

TYPED_TEST(SimCamera, PlaysTheSampleImages) {
  auto face = sim::load_pnm(std::string(KIOSK_TEST_ASSETS) + "/images/face-ok.ppm");
  ASSERT_TRUE(face.ok()) << face.error().message;
  const hal::Image expected = *face;
  TypeParam camera({face.release_value()});
  EXPECT_EQ(camera.capabilities().width, expected.width);
  auto frame = camera.capture(hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->pixels, expected.pixels);
  EXPECT_EQ(frame->format, hal::PixelFormat::rgb24);
}

TYPED_TEST(SimCamera, UnpluggedIsOfflineAndFailsWithNoDevice) {
  TypeParam camera({solid(1, 1, 1)});
  EventRecorder recorder(camera);
  camera.set_faults(faults<CommonFaults>(&CommonFaults::unplugged));
  EXPECT_EQ(camera.status().state, DeviceState::offline);
  EXPECT_NE(camera.status().detail.find("unplugged"), std::string::npos);
  ASSERT_EQ(recorder.kinds(), std::vector<Kind>{Kind::status_changed});
  EXPECT_EQ(recorder.events()[0].status.state, DeviceState::offline);
  EXPECT_EQ(camera.capture(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::no_device);
  EXPECT_EQ(camera.history(), Strings{"capture no_device"});
  camera.set_faults({});
  EXPECT_TRUE(camera.status().ready());
  EXPECT_TRUE(camera.capture(hal::CancelToken{}, kTimeout).ok());
  EXPECT_TRUE(camera.faults().unplugged == false);
}

TYPED_TEST(SimCamera, HardwareErrorAndGarbage) {
  TypeParam camera({solid(1, 1, 1)});
  camera.set_faults(faults<CommonFaults>(&CommonFaults::hardware_error));
  EXPECT_EQ(camera.status().state, DeviceState::hardware_error);
  EXPECT_EQ(camera.capture(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::hardware);
  camera.set_faults(faults<CommonFaults>(&CommonFaults::garbage));
  EXPECT_EQ(camera.status().state, DeviceState::online);
  EXPECT_EQ(camera.capture(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::bad_data);
  EXPECT_TRUE(camera.faults().garbage);
  EXPECT_EQ(camera.history(), (Strings{"capture hardware", "capture bad_data"}));
}

TYPED_TEST(SimCamera, CancelledCaptureReturnsCancelled) {
  TypeParam camera({solid(1, 1, 1)});
  hal::CancelToken cancel;
  cancel.cancel();
  EXPECT_EQ(camera.capture(cancel, kTimeout).error().code, DeviceErrorCode::cancelled);
  EXPECT_EQ(camera.history(), Strings{"capture cancelled"});
}

TYPED_TEST(SimCamera, RefreshIsRecorded) {
  TypeParam camera;
  EXPECT_TRUE(camera.refresh(kTimeout).ok());
  EXPECT_EQ(camera.history(), Strings{"refresh"});
}

TEST(SimCommonFaults, StatusAndFailureOrder) {
  EXPECT_EQ(sim::status_for({}, "x").state, DeviceState::online);
  EXPECT_TRUE(sim::status_for({}, "x").detail.empty());
  const auto unplugged_and_broken = faults<CommonFaults>(&CommonFaults::unplugged, &CommonFaults::hardware_error);
  const hal::DeviceStatus status = sim::status_for(unplugged_and_broken, "widget");
  EXPECT_EQ(status.state, DeviceState::offline);  // unplugged hides the fault
  EXPECT_NE(status.detail.find("widget"), std::string::npos);
  EXPECT_EQ(sim::common_failure(unplugged_and_broken, hal::CancelToken{})->code, DeviceErrorCode::no_device);
  EXPECT_EQ(sim::common_failure(faults<CommonFaults>(&CommonFaults::hardware_error, &CommonFaults::garbage),
                                hal::CancelToken{})->code,
            DeviceErrorCode::hardware);
  EXPECT_FALSE(sim::common_failure({}, hal::CancelToken{}).has_value());
}

TEST(SimHistory, RecordsInOrder) {
  sim::History history;
  EXPECT_TRUE(history.entries().empty());
  history.add("a");
  history.add("b");
  EXPECT_EQ(history.entries(), (Strings{"a", "b"}));
}

}  // namespace
}  // namespace kiosk::devices
