// Reading QR codes back from camera pictures with libzbar (kiosk/receipt/qr_reader.h): a printed
// receipt as the document camera sees it, a bare code in grey and colour, nothing to find, and
// pictures that are not pictures.
#include <gtest/gtest.h>

#include <algorithm>

#include "kiosk/receipt/qr_code.h"
#include "kiosk/receipt/qr_reader.h"
#include "kiosk/receipt/raster_image.h"
#include "tests/kiosk/receipt/receipt_test_support.h"

namespace kiosk::receipt {
namespace {

// `payload` as a QR code, `scale` pixels a module, with the 4-module quiet zone, on a grey page
// of `page` pixels a side (the code in its middle).
hal::Image code_image(const std::string& payload, int scale, int page, hal::PixelFormat format) {
  auto code = encode_qr(payload);
  EXPECT_TRUE(code.ok());
  hal::Image image;
  image.width = image.height = page;
  image.format = format;
  image.pixels.assign(static_cast<std::size_t>(page) * page * image.bytes_per_pixel(), 0xC8);
  const int side = (code->size + 8) * scale;
  const int origin = (page - side) / 2;
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const int mx = x / scale - 4, my = y / scale - 4;
      const bool dark = mx >= 0 && my >= 0 && mx < code->size && my < code->size && code->dark(mx, my);
      const std::size_t at = (static_cast<std::size_t>(origin + y) * page + origin + x) * image.bytes_per_pixel();
      for (int c = 0; c < image.bytes_per_pixel(); ++c) image.pixels[at + c] = dark ? 0x10 : 0xFF;
    }
  }
  return image;
}

TEST(QrReader, ReadsACodeInGreyAndInColour) {
  for (auto format : {hal::PixelFormat::gray8, hal::PixelFormat::rgb24}) {
    auto codes = read_qr_codes(code_image("SC20261103000101", 6, 400, format));
    ASSERT_TRUE(codes.ok()) << codes.error().message;
    ASSERT_EQ(codes->size(), 1u);
    EXPECT_EQ(codes->front(), "SC20261103000101");
  }
}

TEST(QrReader, ReadsThePrintedReceiptsCode) {
  auto rendered = render_receipt(testing_support::shared_atlas(), testing_support::case_receipt("L-0001-000042"), 576);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  const ui::Canvas paper = raster_to_canvas(rendered->page);
  hal::Image image;
  image.width = paper.width();
  image.height = paper.height();
  image.format = hal::PixelFormat::gray8;
  for (int y = 0; y < paper.height(); ++y) {
    for (int x = 0; x < paper.width(); ++x) image.pixels.push_back(static_cast<std::uint8_t>(paper.pixel(x, y)));
  }
  auto codes = read_qr_codes(image);
  ASSERT_TRUE(codes.ok()) << codes.error().message;
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ(codes->front(), "L-0001-000042");
}

TEST(QrReader, ABlankOrSpeckledPageHasNoCode) {
  hal::Image blank{640, 480, hal::PixelFormat::gray8, std::vector<std::uint8_t>(640 * 480, 0xF0)};
  auto none = read_qr_codes(blank);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  hal::Image speckled = blank;
  std::uint32_t state = 12345;
  for (auto& pixel : speckled.pixels) {
    state = state * 1103515245u + 12345u;
    pixel = (state >> 16) & 1 ? 0x00 : 0xFF;
  }
  auto noise = read_qr_codes(speckled);
  ASSERT_TRUE(noise.ok());
  EXPECT_TRUE(noise->empty());
}

TEST(QrReader, AReceiptLaidUpsideDownStillReads) {
  hal::Image image = code_image("L-0001-000042", 5, 300, hal::PixelFormat::gray8);
  std::reverse(image.pixels.begin(), image.pixels.end());  // turned half way round
  auto codes = read_qr_codes(image);
  ASSERT_TRUE(codes.ok());
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ(codes->front(), "L-0001-000042");
}

TEST(QrReader, RefusesPicturesThatAreNotSelfConsistentOrOutOfBounds) {
  EXPECT_EQ(read_qr_codes(hal::Image{}).error().kind, ErrorKind::invalid_argument);
  hal::Image short_pixels{100, 100, hal::PixelFormat::rgb24, std::vector<std::uint8_t>(100 * 100, 0)};
  EXPECT_EQ(read_qr_codes(short_pixels).error().kind, ErrorKind::invalid_argument);
  hal::Image tiny{20, 20, hal::PixelFormat::gray8, std::vector<std::uint8_t>(400, 0xFF)};
  EXPECT_EQ(read_qr_codes(tiny).error().kind, ErrorKind::invalid_argument);
  hal::Image huge{8000, 6000, hal::PixelFormat::gray8, {}};
  huge.pixels.resize(8000u * 6000u);  // 48 MP: refused before zbar sees it
  EXPECT_EQ(read_qr_codes(huge).error().kind, ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace kiosk::receipt
