// Image files for OCR: what loads, and the clear errors for a file that is not an image, is
// truncated, tiny, or huge (refused from its header, before any decoding).
#include "kiosk/ocr/image_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "kiosk/ui/png.h"

namespace kiosk::ocr {
namespace {

class ImageFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ocr-image-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path write(const std::string& name, const std::string& bytes) {
    std::ofstream(directory_ / name, std::ios::binary) << bytes;
    return directory_ / name;
  }
  std::filesystem::path png(const std::string& name, int width, int height) {
    ui::Canvas canvas(width, height);
    canvas.clear(ui::Color::rgb(0x808080));
    canvas.fill_rect({0, 0, 1, 1}, ui::Color::rgb(0x000000));
    EXPECT_TRUE(ui::save_png(canvas, directory_ / name).ok());
    return directory_ / name;
  }

  std::filesystem::path directory_;
};

// A PNG signature, an IHDR chunk claiming width × height, no image data, and IEND.
std::string png_header_only(std::uint32_t width, std::uint32_t height) {
  std::string bytes = "\x89PNG\r\n\x1a\n";
  auto be32 = [&](std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes += static_cast<char>((value >> shift) & 0xFF);
  };
  be32(13);
  bytes += "IHDR";
  be32(width);
  be32(height);
  bytes += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit grey
  be32(0);                                           // CRC (not checked by a header read)
  be32(0);
  bytes += "IEND";
  be32(0xAE426082);
  return bytes;
}

TEST_F(ImageFileTest, LoadsAPngAsGrey) {
  auto image = load_image_file(png("page.png", 200, 100));
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->width, 200);
  EXPECT_EQ(image->height, 100);
  EXPECT_EQ(image->format, hal::PixelFormat::gray8);
  ASSERT_TRUE(image->valid());
  EXPECT_EQ(image->pixels[0], 0);
  EXPECT_EQ(image->pixels[1], 0x80);
}

TEST_F(ImageFileTest, SomethingThatIsNotAnImage) {
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"notes.png", "hello, this is text\n"},
                                    {"empty.jpg", ""},
                                    {"noise.bin", std::string("\x01\x02\x03\xff\xfe\x00garbage", 13)}}) {
    auto image = load_image_file(write(name, bytes));
    ASSERT_FALSE(image.ok()) << name;
    EXPECT_EQ(image.error().kind, ErrorKind::parse) << name;
    EXPECT_NE(image.error().message.find("not an image"), std::string::npos) << image.error().message;
  }
}

TEST_F(ImageFileTest, TruncatedImageData) {
  std::ifstream in(png("whole.png", 300, 300), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto image = load_image_file(write("cut.png", bytes.substr(0, bytes.size() / 2)));
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().kind, ErrorKind::parse);
  EXPECT_NE(image.error().message.find("truncated or corrupt"), std::string::npos) << image.error().message;
}

TEST_F(ImageFileTest, TinyAndHugeAreRefusedWithTheirSize) {
  auto tiny = load_image_file(png("tiny.png", 32, 200));
  ASSERT_FALSE(tiny.ok());
  EXPECT_EQ(tiny.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(tiny.error().message.find("image too small: 32 × 200 px"), std::string::npos) << tiny.error().message;
  // 60 000 × 60 000 would need 3.6 GB decoded: refused from the header alone.
  auto huge = load_image_file(write("huge.png", png_header_only(60000, 60000)));
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(huge.error().message.find("image too large: 60000 × 60000 px"), std::string::npos) << huge.error().message;
}

TEST_F(ImageFileTest, MissingFile) {
  auto image = load_image_file(directory_ / "absent.png");
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().kind, ErrorKind::not_found);
  EXPECT_NE(image.error().message.find("absent.png"), std::string::npos);
}

TEST(ImageLimits, Boundaries) {
  EXPECT_TRUE(check_image_size(64, 64).ok());
  EXPECT_FALSE(check_image_size(63, 1000).ok());
  EXPECT_TRUE(check_image_size(8000, 5000).ok()) << "exactly 40 MP";
  EXPECT_FALSE(check_image_size(8000, 5001).ok());
  EXPECT_FALSE(check_image_size(40000, 100).ok()) << "Tesseract's 32767 px a side";
}

}  // namespace
}  // namespace kiosk::ocr
