// Image files for the face gate: headers read by hand, decoding, and refusal of files that are
// not images, truncated, corrupt, tiny or huge — before any decoder allocates for them.
#include "kiosk/face/face_image.h"

#include "kiosk/face/jpeg.h"

#include <cstdlib>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "tests/kiosk/face/face_test_support.h"

namespace kiosk::face {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes text_bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

void expect_error(const Result<ImageHeader>& header, ErrorKind kind, const std::string& words) {
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.error().kind, kind) << header.error().message;
  EXPECT_NE(header.error().message.find(words), std::string::npos) << header.error().message;
}

// A JPEG skeleton: SOI, a baseline frame header of the given size, a scan header, one byte of
// data and EOI. Enough for the header reader; no decoder would make a picture of it.
Bytes jpeg_skeleton(int width, int height) {
  return {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, static_cast<std::uint8_t>(height >> 8), static_cast<std::uint8_t>(height),
          static_cast<std::uint8_t>(width >> 8), static_cast<std::uint8_t>(width), 0x01, 0x01, 0x11, 0x00,
          0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0xFF, 0xD9};
}

// A PNG skeleton: signature, IHDR of the given size, IEND (CRCs are not checked by the reader).
Bytes png_skeleton(std::uint32_t width, std::uint32_t height) {
  Bytes bytes = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (std::uint32_t value : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
  }
  const Bytes rest = {8, 2, 0, 0, 0, 0, 0, 0, 0,  // depth, colour type, compression, filter, interlace, CRC
                      0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
  bytes.insert(bytes.end(), rest.begin(), rest.end());
  return bytes;
}

TEST(FaceImage, ReadsTheHeadersOfTheThreeKinds) {
  auto jpeg = read_image_header(read_bytes(test_image_path("face-ok.jpg")));
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  EXPECT_EQ(jpeg->type, ImageType::jpeg);
  EXPECT_EQ(jpeg->width, 320);
  EXPECT_EQ(jpeg->height, 240);
  auto png = read_image_header(read_bytes(test_image_path("face-small.png")));
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->type, ImageType::png);
  EXPECT_EQ(png->width, 160);
  EXPECT_EQ(png->height, 120);
  auto pnm = read_image_header(read_bytes(std::filesystem::path(KIOSK_TEST_ASSETS) / "images/face-ok.ppm"));
  ASSERT_TRUE(pnm.ok()) << pnm.error().message;
  EXPECT_EQ(pnm->type, ImageType::pnm);
  EXPECT_EQ(pnm->width, 320);
}

TEST(FaceImage, DecodesToRgbMatchingTheSource) {
  // face-ok.ppm was made from face-ok.jpg: the two decodes agree to within JPEG decoder rounding.
  const hal::Image jpeg = test_image("face-ok.jpg");
  const Bytes ppm = read_bytes(std::filesystem::path(KIOSK_TEST_ASSETS) / "images/face-ok.ppm");
  auto pnm = decode_image(ppm);
  ASSERT_TRUE(pnm.ok()) << pnm.error().message;
  ASSERT_EQ(pnm->format, hal::PixelFormat::rgb24);
  ASSERT_TRUE(pnm->valid());
  // A PPM's pixels are the file's last width × height × 3 bytes, in RGB order.
  EXPECT_TRUE(std::equal(pnm->pixels.begin(), pnm->pixels.end(), ppm.end() - static_cast<long>(pnm->pixels.size())));
  ASSERT_EQ(jpeg.pixels.size(), pnm->pixels.size());
  long difference = 0;
  for (std::size_t i = 0; i < jpeg.pixels.size(); ++i) difference += std::abs(jpeg.pixels[i] - pnm->pixels[i]);
  EXPECT_LT(static_cast<double>(difference) / static_cast<double>(jpeg.pixels.size()), 2.0);
  const hal::Image png = test_image("face-small.png");
  EXPECT_EQ(png.width, 160);
  EXPECT_TRUE(png.valid());
}

TEST(FaceImage, RefusesWhatIsNotAnImage) {
  expect_error(read_image_header(text_bytes("hello, this is text")), ErrorKind::parse, "not an image");
  expect_error(read_image_header(Bytes{}), ErrorKind::parse, "not an image");
  expect_error(read_image_header(text_bytes("GIF89a\x01\x00\x01\x00")), ErrorKind::parse, "not an image");
  EXPECT_EQ(decode_image(text_bytes("%PDF-1.7")).error().kind, ErrorKind::parse);
}

TEST(FaceImage, RefusesTruncatedFiles) {
  for (const char* name : {"face-ok.jpg", "face-small.png"}) {
    Bytes bytes = read_bytes(test_image_path(name));
    bytes.resize(bytes.size() / 2);
    auto header = read_image_header(bytes);
    expect_error(header, ErrorKind::parse, "truncated");
    EXPECT_FALSE(decode_image(bytes).ok());
  }
  Bytes ppm = read_bytes(std::filesystem::path(KIOSK_TEST_ASSETS) / "images/face-ok.ppm");
  ppm.resize(ppm.size() - 1);
  expect_error(read_image_header(ppm), ErrorKind::parse, "truncated PNM");
  expect_error(read_image_header(Bytes{0xFF, 0xD8, 0xFF, 0xE0, 0x00}), ErrorKind::parse, "truncated JPEG");
  expect_error(read_image_header(text_bytes("P6\n320 240\n")), ErrorKind::parse, "truncated PNM");
}

TEST(FaceImage, RefusesCorruptHeaders) {
  Bytes jpeg = read_bytes(test_image_path("face-ok.jpg"));
  jpeg[2] = 0x12;  // the first marker is gone
  expect_error(read_image_header(jpeg), ErrorKind::parse, "not an image");
  jpeg = read_bytes(test_image_path("face-ok.jpg"));
  jpeg[4] = 0x00;  // the first segment's length becomes 1: impossible
  jpeg[5] = 0x01;
  expect_error(read_image_header(jpeg), ErrorKind::parse, "corrupt JPEG");
  Bytes png = read_bytes(test_image_path("face-small.png"));
  png[12] = 'X';  // IHDR → XHDR
  expect_error(read_image_header(png), ErrorKind::parse, "corrupt PNG");
  expect_error(read_image_header(text_bytes("P6\n320 240\n65535\n")), ErrorKind::parse, "maxval");
  expect_error(read_image_header(text_bytes("P6\n99999999 1\n255\n")), ErrorKind::parse, "too large");
}

TEST(FaceImage, RefusesHugeImagesBeforeDecoding) {
  // 20000×20000 would need 1.2 GB of pixels: refused from the header alone.
  expect_error(read_image_header(jpeg_skeleton(20000, 20000)), ErrorKind::invalid_argument, "20000x20000 is too large");
  expect_error(read_image_header(png_skeleton(20000, 20000)), ErrorKind::invalid_argument, "too large");
  expect_error(read_image_header(png_skeleton(0xFFFFFFFFu, 100)), ErrorKind::invalid_argument, "too large");
  expect_error(read_image_header(text_bytes("P6\n20000 20000\n255\n\x01\x02\x03")), ErrorKind::invalid_argument,
               "too large");
  // 8000×8000 is within each side but 64 megapixels.
  expect_error(read_image_header(jpeg_skeleton(8000, 8000)), ErrorKind::invalid_argument, "megapixels");
  auto decoded = decode_image(jpeg_skeleton(20000, 20000));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().kind, ErrorKind::invalid_argument);
}

TEST(FaceImage, RefusesTinyImages) {
  std::string tiny = "P6\n8 8\n255\n";
  tiny.append(8 * 8 * 3, '\x80');
  expect_error(read_image_header(text_bytes(tiny)), ErrorKind::invalid_argument, "8x8 is too small");
  expect_error(read_image_header(jpeg_skeleton(8, 8)), ErrorKind::invalid_argument, "too small");
  expect_error(read_image_header(png_skeleton(1, 1)), ErrorKind::invalid_argument, "too small");
  EXPECT_FALSE(decode_image(text_bytes(tiny)).ok());
}

TEST(FaceImage, LoadRefusesHugeAndMissingFiles) {
  char name[] = "/tmp/face_image_test_XXXXXX";
  const int fd = mkstemp(name);
  ASSERT_GE(fd, 0);
  close(fd);
  std::filesystem::resize_file(name, kMaxImageFileBytes + 1);  // sparse: takes no disk
  auto huge = load_image(name);
  std::filesystem::remove(name);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, ErrorKind::invalid_argument);
  EXPECT_NE(huge.error().message.find("too large"), std::string::npos) << huge.error().message;

  auto missing = load_image("/nonexistent/photo.jpg");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_NE(missing.error().message.find("/nonexistent/photo.jpg"), std::string::npos);
}


// Quadrants: top-left red, top-right green, bottom-left blue, bottom-right white (128 × 64).
hal::Image quadrants() {
  hal::Image image;
  image.width = 128;
  image.height = 64;
  image.format = hal::PixelFormat::rgb24;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const bool right = x >= 64, bottom = y >= 32;
      const std::uint8_t r = (!right && !bottom) || (right && bottom) ? 255 : 0;
      const std::uint8_t g = (right && !bottom) || (right && bottom) ? 255 : 0;
      const std::uint8_t b = (!right && bottom) || (right && bottom) ? 255 : 0;
      image.pixels.insert(image.pixels.end(), {r, g, b});
    }
  }
  return image;
}

// An APP1 "Exif" segment whose IFD0 holds only the Orientation tag, in either byte order.
Bytes exif_segment(int orientation, bool little) {
  const auto u16 = [&](unsigned v) { return little ? Bytes{std::uint8_t(v), std::uint8_t(v >> 8)} : Bytes{std::uint8_t(v >> 8), std::uint8_t(v)}; };
  const auto u32 = [&](unsigned v) {
    Bytes high = u16(v >> 16), low = u16(v & 0xFFFF);
    if (little) std::swap(high, low);
    high.insert(high.end(), low.begin(), low.end());
    return high;
  };
  Bytes tiff = little ? Bytes{'I', 'I'} : Bytes{'M', 'M'};
  for (const Bytes& part : {u16(42), u32(8), u16(1), u16(0x0112), u16(3), u32(1), u16(static_cast<unsigned>(orientation)), u16(0),
                            u32(0)}) {
    tiff.insert(tiff.end(), part.begin(), part.end());
  }
  Bytes segment = {0xFF, 0xE1, 0, static_cast<std::uint8_t>(2 + 6 + tiff.size()), 'E', 'x', 'i', 'f', 0, 0};
  segment.insert(segment.end(), tiff.begin(), tiff.end());
  return segment;
}

// The colour nearest to the pixel: 'r', 'g', 'b' or 'w'.
char colour_at(const hal::Image& image, int x, int y) {
  const std::uint8_t* p = image.pixels.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)) * 3;
  if (p[0] > 200 && p[1] > 200 && p[2] > 200) return 'w';
  if (p[0] > 200) return 'r';
  if (p[1] > 200) return 'g';
  if (p[2] > 200) return 'b';
  return '?';
}

TEST(FaceImage, JpegExifOrientationIsApplied) {
  auto encoded = encode_jpeg(quadrants(), 95);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message;
  // Without EXIF: as stored.
  auto plain = decode_image(*encoded);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->width, 128);
  EXPECT_EQ(std::string({colour_at(*plain, 16, 16), colour_at(*plain, 112, 16), colour_at(*plain, 16, 48), colour_at(*plain, 112, 48)}),
            "rgbw");
  // What each orientation shows at the corners (top-left, top-right, bottom-left, bottom-right).
  const struct {
    int orientation;
    bool little;
    const char* corners;
  } cases[] = {{1, true, "rgbw"}, {2, false, "grwb"}, {3, true, "wbgr"}, {4, false, "bwrg"},
               {5, true, "rbgw"}, {6, false, "brwg"}, {7, true, "wgbr"}, {8, true, "gwrb"}};
  for (const auto& c : cases) {
    Bytes bytes = *encoded;
    const Bytes segment = exif_segment(c.orientation, c.little);
    bytes.insert(bytes.begin() + 2, segment.begin(), segment.end());  // after SOI
    auto image = decode_image(bytes);
    ASSERT_TRUE(image.ok()) << c.orientation << ": " << image.error().message;
    const bool turned = c.orientation >= 5;
    EXPECT_EQ(image->width, turned ? 64 : 128) << c.orientation;
    EXPECT_EQ(image->height, turned ? 128 : 64) << c.orientation;
    const int w = image->width, h = image->height;
    EXPECT_EQ(std::string({colour_at(*image, 8, 8), colour_at(*image, w - 9, 8), colour_at(*image, 8, h - 9),
                           colour_at(*image, w - 9, h - 9)}),
              c.corners)
        << "orientation " << c.orientation;
  }
}

TEST(FaceImage, GreyPnmIsSpreadToThreeChannels) {
  std::string pgm = "P5\n# a comment\n64 64\n255\n";
  for (int i = 0; i < 64 * 64; ++i) pgm += static_cast<char>(i % 251);
  auto image = decode_image(text_bytes(pgm));
  ASSERT_TRUE(image.ok()) << image.error().message;
  ASSERT_EQ(image->pixels.size(), 64u * 64u * 3u);
  for (const int i : {0, 1, 250, 251, 4095}) {
    for (int channel = 0; channel < 3; ++channel) {
      EXPECT_EQ(image->pixels[static_cast<std::size_t>(i) * 3 + static_cast<std::size_t>(channel)], i % 251) << i;
    }
  }
}

}  // namespace
}  // namespace kiosk::face
