// JPEG encoding of frames with libjpeg-turbo: what it writes decodes back to the same picture
// (within JPEG's loss), grey stays grey, and a broken image is refused.
#include "kiosk/face/jpeg.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "kiosk/face/face_image.h"

namespace kiosk::face {
namespace {

hal::Image gradient(int width, int height, hal::PixelFormat format) {
  hal::Image image;
  image.width = width;
  image.height = height;
  image.format = format;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const auto value = static_cast<std::uint8_t>((x * 255) / (width - 1));
      image.pixels.push_back(value);
      if (format == hal::PixelFormat::rgb24) {
        image.pixels.push_back(static_cast<std::uint8_t>((y * 255) / (height - 1)));
        image.pixels.push_back(128);
      }
    }
  }
  return image;
}

TEST(Jpeg, EncodesWhatDecodesBackToThePicture) {
  const hal::Image image = gradient(160, 120, hal::PixelFormat::rgb24);
  auto jpeg = encode_jpeg(image, 90);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  ASSERT_GE(jpeg.value().size(), 4u);
  EXPECT_EQ(jpeg.value()[0], 0xFF);
  EXPECT_EQ(jpeg.value()[1], 0xD8);  // SOI
  auto decoded = decode_image(jpeg.value());
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded.value().width, 160);
  ASSERT_EQ(decoded.value().height, 120);
  long worst = 0;
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    worst = std::max(worst, std::labs(static_cast<long>(image.pixels[i]) - decoded.value().pixels[i]));
  }
  EXPECT_LT(worst, 24) << "a smooth gradient survives quality 90";
}

TEST(Jpeg, GreyFramesStayGrey) {
  auto jpeg = encode_jpeg(gradient(96, 64, hal::PixelFormat::gray8));
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  auto decoded = decode_image(jpeg.value());
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& p = decoded.value().pixels;
  for (std::size_t i = 0; i + 2 < p.size(); i += 3) {
    ASSERT_EQ(p[i], p[i + 1]);
    ASSERT_EQ(p[i], p[i + 2]);
  }
}

TEST(Jpeg, RefusesAnImageThatIsNotSelfConsistent) {
  hal::Image broken = gradient(32, 32, hal::PixelFormat::rgb24);
  broken.pixels.resize(100);
  auto jpeg = encode_jpeg(broken);
  ASSERT_FALSE(jpeg.ok());
  EXPECT_EQ(jpeg.error().kind, ErrorKind::invalid_argument);
  EXPECT_FALSE(encode_jpeg(hal::Image{}).ok());
}

}  // namespace
}  // namespace kiosk::face
