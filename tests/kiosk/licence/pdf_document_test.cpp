// Licence PDFs opened and drawn for the screen (kiosk/licence/pdf_document.h): page count, sizes,
// a page fitted into a box, and every kind of broken input refused with a typed error.
#include "kiosk/licence/pdf_document.h"

#include <gtest/gtest.h>

#include "tests/kiosk/licence/sample_pdf.h"

namespace kiosk::licence {
namespace {

using test_support::sample_pdf;

std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }
std::vector<std::uint8_t> operator+(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(PdfDocumentTest, CountsPagesAndSizes) {
  const auto pdf = sample_pdf(3, "不动产权证书");
  auto document = PdfDocument::open(pdf);
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document.value()->page_count(), 3);
  const PageSize size = document.value()->page_size(2);
  EXPECT_NEAR(size.width, 595, 0.5);
  EXPECT_NEAR(size.height, 842, 0.5);
  EXPECT_EQ(document.value()->page_size(3).width, 0);
  EXPECT_NE(document.value()->page_text(1).find("不动产权证书 第2页"), std::string::npos) << document.value()->page_text(1);
}

TEST(PdfDocumentTest, RendersAPageToFitTheBox) {
  const auto pdf = sample_pdf(2, "结婚证");
  auto document = PdfDocument::open(pdf);
  ASSERT_TRUE(document.ok());
  // A4 into 300 × 300: the height limits it; the shape is kept.
  auto page = document.value()->render_page(0, 300, 300);
  ASSERT_TRUE(page.ok()) << page.error().message;
  const ui::Canvas& canvas = *page.value();
  EXPECT_EQ(canvas.height(), 300);
  EXPECT_NEAR(canvas.width(), 300 * 595 / 842, 1);
  // White paper at the corner, the black box in the middle, and every pixel opaque.
  EXPECT_EQ(canvas.pixel(0, 0), 0xFFFFFFFFu);
  EXPECT_EQ(canvas.pixel(canvas.width() / 2, canvas.height() / 2), 0xFF000000u);
  bool ink = false;
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      ASSERT_EQ(canvas.pixel(x, y) >> 24, 0xFFu);
      if (y < canvas.height() / 4 && (canvas.pixel(x, y) & 0xFF) < 0x80) ink = true;
    }
  }
  EXPECT_TRUE(ink) << "the title text is drawn";
  // A wide box: the width limits it.
  auto wide = document.value()->render_page(1, 200, 1000);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide.value()->width(), 200);
  EXPECT_NEAR(wide.value()->height(), 200 * 842 / 595, 1);
  wipe(*page.value());
  EXPECT_EQ(canvas.pixel(0, 0), 0u);
}

TEST(PdfDocumentTest, BadRenderRequestsAreErrors) {
  auto document = PdfDocument::open(sample_pdf(1, "x"));
  ASSERT_TRUE(document.ok());
  for (auto [index, width, height] : {std::tuple{1, 100, 100}, std::tuple{-1, 100, 100}, std::tuple{0, 0, 100},
                                      std::tuple{0, 100, -5}}) {
    auto page = document.value()->render_page(index, width, height);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.error().kind, LicenceErrorKind::malformed);
  }
  // A huge box is drawn at most 4096 a side.
  auto big = document.value()->render_page(0, 100000, 100000);
  ASSERT_TRUE(big.ok());
  EXPECT_LE(big.value()->height(), 4096);
}

TEST(PdfDocumentTest, MalformedInputIsRefused) {
  const auto good = sample_pdf(1, "营业执照");
  std::vector<std::vector<std::uint8_t>> inputs = {
      {},
      bytes("%PDF-"),
      bytes("hello, this is not a PDF at all"),
      bytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
      bytes("%PDF-1.4\n") + std::vector<std::uint8_t>(4096, 0xFF),
      std::vector<std::uint8_t>(good.begin(), good.begin() + 40),
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto document = PdfDocument::open(inputs[i]);
    ASSERT_FALSE(document.ok()) << "input " << i;
    EXPECT_EQ(document.error().kind, LicenceErrorKind::malformed) << "input " << i << ": " << document.error().message;
  }
}

TEST(PdfDocumentTest, OversizedInputIsRefusedBeforeParsing) {
  std::vector<std::uint8_t> huge = bytes("%PDF-1.4\n");
  huge.resize(kMaxPdfBytes + 1, ' ');
  auto document = PdfDocument::open(huge);
  ASSERT_FALSE(document.ok());
  EXPECT_EQ(document.error().kind, LicenceErrorKind::too_large);

  auto many = PdfDocument::open(sample_pdf(kMaxPages + 1, "x", 100, 100));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().kind, LicenceErrorKind::too_large);
}

}  // namespace
}  // namespace kiosk::licence
