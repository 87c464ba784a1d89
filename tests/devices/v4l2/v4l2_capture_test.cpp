// V4l2Capture, the real streaming I/O code, against the fake UVC camera (fake_v4l2.c): format
// negotiation, buffers, conversion of what the camera sends, corrupt and missing frames, unplug,
// cancel, and that closing gives everything back.
#include "devices/v4l2/v4l2_capture.h"

#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>

#include "kiosk/face/face_image.h"
#include "tests/devices/v4l2/fake_camera.h"

namespace kiosk::devices::v4l2 {
namespace {

using hal::DeviceErrorCode;
using std::chrono::milliseconds;

constexpr milliseconds kFrameWait{2000};  // frames come every 20 ms; this only bounds a failure

hal::Image picture(const std::string& name) {
  auto image = face::load_image(std::string(KIOSK_FACE_TEST_IMAGES) + "/" + name);
  EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
  return image.ok() ? image.release_value() : hal::Image{};
}

std::vector<std::uint8_t> file_bytes(const std::string& name) {
  std::ifstream in(std::string(KIOSK_FACE_TEST_IMAGES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class V4l2CaptureTest : public testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_FAKE_CAMERA(camera_);
    face_ = picture("face-ok.jpg");
    camera_.change([](fake_v4l2_settings& s) {
      s.width = 320;
      s.height = 240;
    });
    camera_.set_frame(to_yuyv(face_));
  }

  std::unique_ptr<V4l2Capture> open(hal::PixelFormat output = hal::PixelFormat::rgb24) {
    auto capture = V4l2Capture::open({camera_.path(), 640, 480, output});
    EXPECT_TRUE(capture.ok()) << (capture.ok() ? "" : capture.error().message);
    return capture.ok() ? capture.release_value() : nullptr;
  }

  FakeCamera camera_{0};
  hal::Image face_;
};

TEST_F(V4l2CaptureTest, NegotiatesYuyvAtTheCamerasSize) {
  auto capture = open();
  ASSERT_TRUE(capture);
  // The camera lists MJPEG first; YUYV is chosen. It has only 320×240; 640×480 was asked.
  EXPECT_EQ(capture->layout().encoding, FrameEncoding::yuyv);
  EXPECT_EQ(capture->layout().width, 320);
  EXPECT_EQ(capture->layout().height, 240);
  EXPECT_EQ(capture->layout().bytes_per_line, 640u);
  EXPECT_EQ(capture->card(), "Fake UVC Camera");
  EXPECT_EQ(capture->describe(), "YUYV 320x240, Fake UVC Camera");
  const fake_v4l2_counters counters = camera_.counters();
  EXPECT_EQ(counters.buffers, kBufferCount);
  EXPECT_EQ(counters.mapped, kBufferCount);
  EXPECT_EQ(counters.streaming, 1);
}

TEST_F(V4l2CaptureTest, DeliversThePictureTheCameraSends) {
  auto capture = open();
  ASSERT_TRUE(capture);
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_EQ(frame->width, 320);
  EXPECT_EQ(frame->format, hal::PixelFormat::rgb24);
  // YUYV shares chroma between two pixels and rounds: close, not equal.
  EXPECT_LT(mean_difference(*frame, face_), 4.0);
  // A second user of the node cannot take the format or buffers from the first (EBUSY).
  auto second = V4l2Capture::open({camera_.path(), 640, 480, hal::PixelFormat::gray8});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, DeviceErrorCode::io);
  EXPECT_NE(second.error().message.find("busy"), std::string::npos) << second.error().message;
  EXPECT_EQ(camera_.counters().open_fds, 1);
}

TEST_F(V4l2CaptureTest, GrayOutput) {
  auto capture = open(hal::PixelFormat::gray8);
  ASSERT_TRUE(capture);
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_EQ(frame->format, hal::PixelFormat::gray8);
  EXPECT_EQ(frame->pixels.size(), 320u * 240u);
}

TEST_F(V4l2CaptureTest, DecodesMjpegWhenTheCameraHasNoYuyv) {
  camera_.change([](fake_v4l2_settings& s) { s.formats = FAKE_V4L2_MJPEG; });
  camera_.set_frame(file_bytes("face-ok.jpg"));
  auto capture = open();
  ASSERT_TRUE(capture);
  EXPECT_EQ(capture->layout().encoding, FrameEncoding::mjpeg);
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_LT(mean_difference(*frame, face_), 1.0);  // the same JPEG through the same decoder family
}

TEST_F(V4l2CaptureTest, SkipsCorruptFrames) {
  camera_.change([](fake_v4l2_settings& s) { s.error_frames = 3; });
  auto capture = open();
  ASSERT_TRUE(capture);
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_EQ(capture->corrupt_frames(), 3);
  EXPECT_LT(mean_difference(*frame, face_), 4.0);
}

TEST_F(V4l2CaptureTest, OnlyCorruptFramesAreBadData) {
  camera_.set_frame(std::vector<std::uint8_t>(1000, 0x10));  // far shorter than a 320×240 YUYV frame
  auto capture = open();
  ASSERT_TRUE(capture);
  auto frame = capture->next_frame(hal::CancelToken{}, milliseconds(300));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::bad_data);
  EXPECT_NE(frame.error().message.find("short YUYV frame"), std::string::npos) << frame.error().message;
  EXPECT_GT(capture->corrupt_frames(), 0);
}

TEST_F(V4l2CaptureTest, AStalledCameraTimesOut) {
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 1; });
  auto capture = open();
  ASSERT_TRUE(capture);
  const auto start = std::chrono::steady_clock::now();
  auto frame = capture->next_frame(hal::CancelToken{}, milliseconds(250));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::timeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(250));
  EXPECT_NE(frame.error().message.find("/dev/video-fake0: no frame in 250 ms"), std::string::npos);
}

TEST_F(V4l2CaptureTest, SlowFramesStillArrive) {
  camera_.change([](fake_v4l2_settings& s) { s.frame_interval_ms = 300; });
  auto capture = open();
  ASSERT_TRUE(capture);
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
}

TEST_F(V4l2CaptureTest, CancelStopsTheWaitWithinASlice) {
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 1; });
  auto capture = open();
  ASSERT_TRUE(capture);
  hal::CancelToken cancel;
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(milliseconds(50));
    cancel.cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto frame = capture->next_frame(cancel, milliseconds(10'000));
  canceller.join();
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5'000));  // not the 10 s timeout
}

TEST_F(V4l2CaptureTest, StaleFramesAreDropped) {
  auto capture = open();
  ASSERT_TRUE(capture);
  // Every buffer fills with the first picture while nobody asks…
  std::this_thread::sleep_for(milliseconds(200));
  const hal::Image dark = picture("face-dark.jpg");
  camera_.set_frame(to_yuyv(dark));
  // …and the frame asked for after the change shows the new one.
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  EXPECT_LT(mean_difference(*frame, dark), 4.0);
  EXPECT_GT(mean_difference(*frame, face_), 20.0);
}

TEST_F(V4l2CaptureTest, UnplugFailsWithNoDevice) {
  auto capture = open();
  ASSERT_TRUE(capture);
  ASSERT_TRUE(capture->next_frame(hal::CancelToken{}, kFrameWait).ok());
  camera_.change([](fake_v4l2_settings& s) { s.present = 0; });
  auto frame = capture->next_frame(hal::CancelToken{}, kFrameWait);
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.error().code, DeviceErrorCode::no_device);
  EXPECT_FALSE(capture->drain().ok());
  capture.reset();
  EXPECT_EQ(camera_.counters().mapped, 0);
  EXPECT_EQ(camera_.counters().open_fds, 0);
}

TEST_F(V4l2CaptureTest, ClosingGivesEverythingBack) {
  auto capture = open();
  ASSERT_TRUE(capture);
  ASSERT_TRUE(capture->next_frame(hal::CancelToken{}, kFrameWait).ok());
  capture.reset();
  const fake_v4l2_counters counters = camera_.counters();
  EXPECT_EQ(counters.open_fds, 0);
  EXPECT_EQ(counters.mapped, 0);
  EXPECT_EQ(counters.buffers, 0);
  EXPECT_EQ(counters.streaming, 0);
  EXPECT_TRUE(open()) << "the camera can be opened again";
}

TEST_F(V4l2CaptureTest, RefusesWhatIsNotACamera) {
  auto missing = V4l2Capture::open({"/dev/video-fake0-none", 640, 480, hal::PixelFormat::rgb24});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, DeviceErrorCode::no_device);
  EXPECT_NE(missing.error().message.find("/dev/video-fake0-none: open:"), std::string::npos);

  auto not_v4l2 = V4l2Capture::open({"/dev/null", 640, 480, hal::PixelFormat::rgb24});
  ASSERT_FALSE(not_v4l2.ok());
  EXPECT_EQ(not_v4l2.error().code, DeviceErrorCode::unsupported);
  EXPECT_NE(not_v4l2.error().message.find("not a V4L2 device"), std::string::npos);

  camera_.change([](fake_v4l2_settings& s) { s.capture_node = 0; });  // a UVC metadata node
  auto metadata = V4l2Capture::open({camera_.path(), 640, 480, hal::PixelFormat::rgb24});
  ASSERT_FALSE(metadata.ok());
  EXPECT_EQ(metadata.error().code, DeviceErrorCode::unsupported);
  EXPECT_NE(metadata.error().message.find("not a streaming video capture node"), std::string::npos);

  camera_.change([](fake_v4l2_settings& s) {
    s.capture_node = 1;
    s.formats = 0;
  });
  auto no_format = V4l2Capture::open({camera_.path(), 640, 480, hal::PixelFormat::rgb24});
  ASSERT_FALSE(no_format.ok());
  EXPECT_EQ(no_format.error().code, DeviceErrorCode::unsupported);
  EXPECT_NE(no_format.error().message.find("offers neither YUYV nor MJPG (offers: nothing)"), std::string::npos);
  EXPECT_EQ(camera_.counters().open_fds, 0) << "failed opens close what they opened";
}

TEST_F(V4l2CaptureTest, RefusesADriverWithTooFewBuffers) {
  camera_.change([](fake_v4l2_settings& s) { s.max_buffers = 1; });
  auto capture = V4l2Capture::open({camera_.path(), 640, 480, hal::PixelFormat::rgb24});
  ASSERT_FALSE(capture.ok());
  EXPECT_EQ(capture.error().code, DeviceErrorCode::io);
  EXPECT_NE(capture.error().message.find("only 1 buffer"), std::string::npos);
  EXPECT_EQ(camera_.counters().open_fds, 0);
  EXPECT_EQ(camera_.counters().mapped, 0);
}

TEST_F(V4l2CaptureTest, DrainHandsWaitingFramesBack) {
  auto capture = open();
  ASSERT_TRUE(capture);
  std::this_thread::sleep_for(milliseconds(150));  // ≥ 4 frame intervals: every buffer is full
  camera_.change([](fake_v4l2_settings& s) { s.stalled = 1; });  // and no more come
  auto drained = capture->drain();
  ASSERT_TRUE(drained.ok());
  EXPECT_EQ(*drained, kBufferCount);
  auto again = capture->drain();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(camera_.counters().dequeued, kBufferCount);
}

}  // namespace
}  // namespace kiosk::devices::v4l2
