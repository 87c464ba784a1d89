// YUYV conversion and MJPEG decoding of V4L2 frames: known colours (BT.601 limited range, V4L2
// "Packed YUV formats"), strides, and refusal of short, odd, corrupt and mis-sized frames.
#include "devices/v4l2/v4l2_frame.h"

#include <linux/videodev2.h>
#include <turbojpeg.h>

#include <gtest/gtest.h>

namespace kiosk::devices::v4l2 {
namespace {

using Bytes = std::vector<std::uint8_t>;

FrameLayout yuyv(int width, int height, std::size_t stride = 0) { return {FrameEncoding::yuyv, width, height, stride}; }
FrameLayout mjpeg(int width, int height) { return {FrameEncoding::mjpeg, width, height, 0}; }

// A JPEG of a horizontal red→blue ramp, made with libjpeg-turbo.
Bytes ramp_jpeg(int width, int height, hal::Image* source = nullptr) {
  hal::Image image;
  image.width = width;
  image.height = height;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const auto level = static_cast<std::uint8_t>(255 * x / (width - 1));
      image.pixels.insert(image.pixels.end(), {static_cast<std::uint8_t>(255 - level), 64, level});
    }
  }
  tjhandle encoder = tjInitCompress();
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(tjCompress2(encoder, image.pixels.data(), width, 0, height, TJPF_RGB, &jpeg, &size, TJSAMP_422, 95, 0), 0);
  Bytes bytes(jpeg, jpeg + size);
  tjFree(jpeg);
  tjDestroy(encoder);
  if (source) *source = image;
  return bytes;
}

TEST(V4l2Frame, YuyvKnownColours) {
  // Two macro-pixels: black and white (Y 16, 235; no chroma), then pure red (Y 81, U 90, V 240).
  const Bytes frame = {16, 128, 235, 128, 81, 90, 81, 240};
  auto image = convert_yuyv(frame, yuyv(4, 1), hal::PixelFormat::rgb24);
  ASSERT_TRUE(image.ok()) << image.error().message;
  ASSERT_TRUE(image->valid());
  const Bytes expected = {0, 0, 0, 255, 255, 255, 255, 0, 0, 255, 0, 0};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(image->pixels[i], expected[i], 2) << "byte " << i;
}

TEST(V4l2Frame, YuyvToGrayStretchesLuma) {
  const Bytes frame = {16, 0, 235, 255, 126, 7, 200, 9};
  auto image = convert_yuyv(frame, yuyv(4, 1), hal::PixelFormat::gray8);
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->format, hal::PixelFormat::gray8);
  EXPECT_EQ(image->pixels, (Bytes{0, 255, 128, 214}));
}

TEST(V4l2Frame, YuyvHonoursThePaddedStride) {
  // 2×2 pixels, rows of 4 bytes padded to 8; the last row needs no padding.
  const Bytes frame = {235, 128, 235, 128, 1, 2, 3, 4, 16, 128, 16, 128};
  auto image = convert_yuyv(frame, yuyv(2, 2, 8), hal::PixelFormat::gray8);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->pixels, (Bytes{255, 255, 0, 0}));
}

TEST(V4l2Frame, YuyvRefusesBadFrames) {
  EXPECT_NE(convert_yuyv(Bytes(6), yuyv(4, 1), hal::PixelFormat::rgb24).error().message.find("short YUYV frame: 6 of 8"),
            std::string::npos);
  EXPECT_NE(convert_yuyv(Bytes(8), yuyv(3, 1), hal::PixelFormat::rgb24).error().message.find("odd"), std::string::npos);
  EXPECT_NE(convert_yuyv(Bytes(16), yuyv(4, 2, 4), hal::PixelFormat::rgb24).error().message.find("narrower"),
            std::string::npos);
  EXPECT_FALSE(convert_yuyv(Bytes(16), yuyv(4, 2, 1 << 20), hal::PixelFormat::rgb24).ok());
  EXPECT_FALSE(convert_yuyv(Bytes(16), yuyv(0, 2), hal::PixelFormat::rgb24).ok());
  EXPECT_FALSE(convert_yuyv(Bytes(16), yuyv(kMaxFrameSide + 2, 1), hal::PixelFormat::rgb24).ok());
  EXPECT_EQ(convert_yuyv(Bytes{}, yuyv(2, 1), hal::PixelFormat::rgb24).error().kind, ErrorKind::parse);
}

TEST(V4l2Frame, MjpegDecodesToTheSource) {
  hal::Image source;
  const Bytes jpeg = ramp_jpeg(64, 32, &source);
  auto image = decode_mjpeg(jpeg, mjpeg(64, 32), hal::PixelFormat::rgb24);
  ASSERT_TRUE(image.ok()) << image.error().message;
  ASSERT_TRUE(image->valid());
  long difference = 0;
  for (std::size_t i = 0; i < source.pixels.size(); ++i) difference += std::abs(source.pixels[i] - image->pixels[i]);
  EXPECT_LT(static_cast<double>(difference) / static_cast<double>(source.pixels.size()), 3.0);
  auto gray = decode_mjpeg(jpeg, mjpeg(64, 32), hal::PixelFormat::gray8);
  ASSERT_TRUE(gray.ok());
  EXPECT_EQ(gray->pixels.size(), 64u * 32u);
}

TEST(V4l2Frame, MjpegAcceptsZeroPaddingAfterTheEnd) {
  Bytes jpeg = ramp_jpeg(16, 16);
  jpeg.resize(jpeg.size() + 100, 0);  // UVC payloads are often padded to the buffer's end
  EXPECT_TRUE(decode_mjpeg(jpeg, mjpeg(16, 16), hal::PixelFormat::rgb24).ok());
}

TEST(V4l2Frame, MjpegRefusesBrokenFrames) {
  const Bytes jpeg = ramp_jpeg(16, 16);
  const Bytes truncated(jpeg.begin(), jpeg.begin() + static_cast<long>(jpeg.size() / 2));
  EXPECT_NE(decode_mjpeg(truncated, mjpeg(16, 16), hal::PixelFormat::rgb24).error().message.find("not a complete JPEG"),
            std::string::npos);
  EXPECT_NE(decode_mjpeg(jpeg, mjpeg(32, 16), hal::PixelFormat::rgb24).error().message.find("16x16, expected 32x16"),
            std::string::npos);
  Bytes garbage = {0xFF, 0xD8};
  for (int i = 0; i < 300; ++i) garbage.push_back(static_cast<std::uint8_t>(i * 37));
  garbage.insert(garbage.end(), {0xFF, 0xD9});
  auto broken = decode_mjpeg(garbage, mjpeg(16, 16), hal::PixelFormat::rgb24);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().kind, ErrorKind::parse);
  EXPECT_FALSE(decode_mjpeg(Bytes{}, mjpeg(16, 16), hal::PixelFormat::rgb24).ok());
}

TEST(V4l2Frame, ConvertDispatchesOnTheEncoding) {
  EXPECT_TRUE(convert_frame(ramp_jpeg(16, 8), mjpeg(16, 8), hal::PixelFormat::rgb24).ok());
  EXPECT_TRUE(convert_frame(Bytes(32), yuyv(16, 1), hal::PixelFormat::rgb24).ok());
}

TEST(V4l2Frame, FourccNames) {
  EXPECT_EQ(fourcc_name(V4L2_PIX_FMT_YUYV), "YUYV");
  EXPECT_EQ(fourcc_name(V4L2_PIX_FMT_MJPEG), "MJPG");
  EXPECT_EQ(fourcc_name(0x00010203), "????");
}

}  // namespace
}  // namespace kiosk::devices::v4l2
