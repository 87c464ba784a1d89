#include "kiosk/ui/canvas.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "kiosk/ui/png.h"

namespace kiosk::ui {
namespace {

TEST(Canvas, FillsRespectTheClip) {
  Canvas canvas(100, 100);
  canvas.clear(Color::rgb(0xFFFFFF));
  canvas.push_clip({0, 0, 50, 100});
  canvas.fill_rect({0, 0, 100, 100}, Color::rgb(0x000000));
  canvas.pop_clip();
  EXPECT_EQ(canvas.pixel(10, 10) & 0xFFFFFF, 0x000000u);
  EXPECT_EQ(canvas.pixel(60, 10) & 0xFFFFFF, 0xFFFFFFu);
}

TEST(Canvas, RoundedCornersAreAntialiased) {
  Canvas canvas(100, 100);
  canvas.clear(Color::rgb(0xFFFFFF));
  canvas.fill_rounded_rect({0, 0, 100, 100}, 30, Color::rgb(0x000000));
  EXPECT_EQ(canvas.pixel(0, 0) & 0xFFFFFF, 0xFFFFFFu);    // outside the corner
  EXPECT_EQ(canvas.pixel(50, 50) & 0xFFFFFF, 0x000000u);  // inside
  // Somewhere on the arc there is a grey (partially covered) pixel.
  bool grey = false;
  for (int x = 0; x < 30; ++x) {
    const auto value = canvas.pixel(x, 9) & 0xFF;
    grey = grey || (value > 0x10 && value < 0xF0);
  }
  EXPECT_TRUE(grey);
}

TEST(Canvas, MaskBlendsOneColour) {
  Canvas canvas(4, 1);
  canvas.clear(Color::rgb(0xFFFFFF));
  const std::uint8_t mask[4] = {0, 128, 255, 0};
  canvas.draw_mask(0, 0, 4, 1, mask, 4, Color::rgb(0x000000));
  EXPECT_EQ(canvas.pixel(0, 0) & 0xFF, 0xFFu);
  EXPECT_NEAR(static_cast<int>(canvas.pixel(1, 0) & 0xFF), 127, 2);
  EXPECT_EQ(canvas.pixel(2, 0) & 0xFF, 0x00u);
}

// The vector path (4 pixels at a time) and the scalar tail give the same pixels as the blend
// written out per channel, for every coverage, on a background that differs per pixel, with an
// opaque and a translucent colour.
TEST(Canvas, MaskBlendIsExactForEveryCoverage) {
  for (const Color colour : {Color::rgb(0x1B1F24), Color{200, 30, 90, 128}}) {
    const int width = 259;  // not a multiple of 4: the tail runs too
    Canvas canvas(width, 1);
    std::vector<std::uint8_t> mask(width);
    for (int x = 0; x < width; ++x) {
      canvas.pixels()[x] = 0xFF000000u | static_cast<std::uint32_t>(x * 0x010203 % 0xFFFFFF);
      mask[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(x % 256);
    }
    const std::vector<std::uint32_t> before(canvas.pixels(), canvas.pixels() + width);
    canvas.draw_mask(0, 0, width, 1, mask.data(), width, colour);
    const unsigned colour_alpha = colour.a + (colour.a >> 7u);
    for (int x = 0; x < width; ++x) {
      const unsigned coverage = mask[static_cast<std::size_t>(x)];
      const unsigned alpha = ((coverage + (coverage >> 7u)) * colour_alpha) >> 8u;
      const std::uint32_t old = before[static_cast<std::size_t>(x)];
      auto channel = [&](unsigned source, int shift) {
        return ((source * alpha + ((old >> shift) & 0xFFu) * (256 - alpha)) >> 8u) << shift;
      };
      const std::uint32_t expected = 0xFF000000u | channel(colour.r, 16) | channel(colour.g, 8) | channel(colour.b, 0);
      ASSERT_EQ(canvas.pixel(x, 0), expected) << "x=" << x << " coverage=" << coverage;
      if (coverage == 0) {
        ASSERT_EQ(canvas.pixel(x, 0), old);
      }
    }
  }
}

TEST(Png, SavesLoadsAndCompares) {
  Canvas canvas(64, 32);
  canvas.clear(Color::rgb(0x0B57A4));
  canvas.fill_circle({32, 16}, 10, Color::rgb(0xFFFFFF));
  const auto path = std::filesystem::temp_directory_path() / "kiosk-canvas-test.png";
  ASSERT_TRUE(save_png(canvas, path).ok());
  auto loaded = load_png(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  auto same = compare_images(canvas, *loaded);
  EXPECT_TRUE(same.same_size);
  EXPECT_EQ(same.differing_fraction, 0.0);
  loaded->fill_rect({0, 0, 32, 32}, Color::rgb(0x000000));
  auto different = compare_images(canvas, *loaded);
  EXPECT_GT(different.differing_fraction, 0.4);
  std::filesystem::remove(path);
}

TEST(Png, MalformedFileIsAnError) {
  const auto path = std::filesystem::temp_directory_path() / "kiosk-not-a-png.png";
  FILE* file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  std::fputs("\x89PNG\r\n\x1a\n garbage", file);
  std::fclose(file);
  EXPECT_FALSE(load_png(path).ok());
  EXPECT_FALSE(load_png("/nonexistent.png").ok());
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace kiosk::ui
