#include "devices/sim/pnm.h"

#include <string>

#include <gtest/gtest.h>

namespace kiosk::devices {
namespace {

using sim::parse_pnm;

// A string literal's bytes, embedded NULs included (without the terminating one).
template <std::size_t N>
std::string bytes(const char (&text)[N]) {
  return std::string(text, N - 1);
}

void expect_error(const std::string& input, const std::string& mentions) {
  auto image = parse_pnm(input);
  ASSERT_FALSE(image.ok()) << testing::PrintToString(input);
  EXPECT_EQ(image.error().kind, ErrorKind::parse);
  EXPECT_EQ(image.error().message.rfind("pnm: ", 0), 0u) << image.error().message;
  EXPECT_NE(image.error().message.find(mentions), std::string::npos) << image.error().message;
}

TEST(Pnm, ParsesP5Gray) {
  auto image = parse_pnm(bytes("P5\n2 2\n255\n\x00\x40\x80\xFF"));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->format, hal::PixelFormat::gray8);
  EXPECT_EQ(image->width, 2);
  EXPECT_EQ(image->height, 2);
  EXPECT_EQ(image->pixels, (std::vector<std::uint8_t>{0x00, 0x40, 0x80, 0xFF}));
  EXPECT_TRUE(image->valid());
}

TEST(Pnm, ParsesP6Rgb) {
  auto image = parse_pnm(bytes("P6 2 1 255 \x01\x02\x03\x04\x05\x06"));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->format, hal::PixelFormat::rgb24);
  EXPECT_EQ(image->width, 2);
  EXPECT_EQ(image->height, 1);
  EXPECT_EQ(image->pixels, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(image->valid());
}

TEST(Pnm, CommentsInTheHeaderAreSkipped) {
  auto image = parse_pnm(bytes("P6\n# made by a test\n1 # width\n1\n# maxval next\n255\n\x0A\x0B\x0C"));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->width, 1);
  EXPECT_EQ(image->pixels, (std::vector<std::uint8_t>{0x0A, 0x0B, 0x0C}));
}

TEST(Pnm, ExactlyOneWhitespaceByteBeforeThePixels) {
  // The first pixel is a newline byte (10): only one whitespace byte belongs to the header.
  auto image = parse_pnm(bytes("P5 1 2 255\n\n\x20"));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->pixels, (std::vector<std::uint8_t>{10, 32}));
}

TEST(Pnm, ExtraBytesAfterThePixelsAreIgnored) {
  auto image = parse_pnm(bytes("P5 1 1 255 \x07trailing"));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->pixels, std::vector<std::uint8_t>{7});
}

TEST(Pnm, RejectsOtherFormats) {
  for (const char* input : {"", "P", "P3 1 1 255 000", "P2 1 1 255 0", "P4 1 1 \x01", "PX", "BM", "p5 1 1 255 x"}) {
    expect_error(input, "not a binary PGM (P5) or PPM (P6) file");
  }
}

TEST(Pnm, RejectsMaxvalOtherThan255) {
  expect_error("P5 1 1 65535 \x01\x01", "maxval must be 255, got 65535");
  expect_error("P5 1 1 1 \x01", "maxval must be 255, got 1");
  expect_error("P5 1 1 0 \x01", "maxval must be 255, got 0");
  expect_error("P6 1 1 256 abc", "maxval must be 255, got 256");
}

TEST(Pnm, RejectsTruncatedPixels) {
  expect_error(bytes("P5 2 2 255 \x01\x02\x03"), "pixel data too short: 3 of 4 bytes");
  expect_error("P6 2 1 255 abcde", "pixel data too short: 5 of 6 bytes");
  expect_error("P5 1 1 255 ", "pixel data too short: 0 of 1 bytes");
}

TEST(Pnm, RejectsMissingOrMalformedHeaderNumbers) {
  expect_error("P5", "expected the width");
  expect_error("P5 ", "expected the width");
  expect_error("P5 2", "expected the height");
  expect_error("P5 2 2", "expected the maxval");
  expect_error("P5 -2 2 255 ", "expected the width");
  expect_error("P5 2 x 255 ", "expected the height");
  expect_error("P5 # only a comment", "expected the width");
  expect_error("P5 1 1 255", "expected one whitespace byte before the pixels");
  expect_error("P5 1 1 255x", "expected one whitespace byte before the pixels");
}

TEST(Pnm, RejectsSizesOutOfRangeWithoutAllocating) {
  expect_error("P5 0 1 255 ", "size 0x1 out of range");
  expect_error("P5 1 0 255 ", "size 1x0 out of range");
  expect_error("P5 8193 1 255 \x01", "size 8193x1 out of range");
  expect_error("P6 1 999999 255 \x01", "size 1x999999 out of range");
  expect_error("P5 1234567 1 255 \x01", "width too large");
  expect_error("P5 1 99999999999999999999 255 \x01", "height too large");
  // The largest accepted size with a short body fails on the length check, not on memory.
  expect_error("P6 8192 8192 255 \x01", "pixel data too short: 1 of 201326592 bytes");
}

TEST(Pnm, LargestSideIsAccepted) {
  std::string input = "P5 8192 1 255\n";
  input.append(8192, '\x42');
  auto image = parse_pnm(input);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->width, 8192);
  EXPECT_TRUE(image->valid());
}

TEST(Pnm, LoadsTheSampleImages) {
  auto face = sim::load_pnm(std::string(KIOSK_TEST_ASSETS) + "/images/face-ok.ppm");
  ASSERT_TRUE(face.ok()) << face.error().message;
  EXPECT_EQ(face->format, hal::PixelFormat::rgb24);
  EXPECT_TRUE(face->valid());
  auto page = sim::load_pnm(std::string(KIOSK_TEST_ASSETS) + "/images/document-page.pgm");
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->format, hal::PixelFormat::gray8);
  EXPECT_TRUE(page->valid());
}

TEST(Pnm, LoadErrorsNameThePath) {
  auto missing = sim::load_pnm("/nonexistent/frame.ppm");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::io);
  EXPECT_NE(missing.error().message.find("/nonexistent/frame.ppm"), std::string::npos);
  const std::string not_an_image = std::string(KIOSK_TEST_ASSETS) + "/catalog/items.json";
  auto wrong = sim::load_pnm(not_an_image);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::parse);
  EXPECT_NE(wrong.error().message.find(not_an_image), std::string::npos);
  EXPECT_NE(wrong.error().message.find("pnm: "), std::string::npos);
}

TEST(Pnm, ImageWipeEmptiesIt) {
  auto image = parse_pnm(bytes("P5 2 1 255 \x01\x02"));
  ASSERT_TRUE(image.ok());
  image->wipe();
  EXPECT_TRUE(image->empty());
  EXPECT_EQ(image->width, 0);
  EXPECT_FALSE(image->valid());
}

}  // namespace
}  // namespace kiosk::devices
