// The government-use watermark (kiosk/licence/watermark.h): the stamped copy is a valid PDF with
// the same pages, whose text has the watermark and still the licence's own text.
#include "kiosk/licence/watermark.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/kiosk/licence/sample_pdf.h"

namespace kiosk::licence {
namespace {

using test_support::sample_pdf;

const std::string kWatermark = "此件由泸州市江阳区政务服务中心提供，仅供办理政务服务事项时使用，有效期至2026-12-25";

std::string without_spaces(std::string text) {
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r'; }), text.end());
  return text;
}

TEST(WatermarkTest, EveryPageCarriesTheWatermarkAndKeepsItsText) {
  const auto original = sample_pdf(2, "不动产权证书");
  auto stamped = stamp_watermark(original, kWatermark, CancelToken());
  ASSERT_TRUE(stamped.ok()) << stamped.error().message;
  ASSERT_GT(stamped.value().size(), 100u);
  EXPECT_EQ(std::string(stamped.value().begin(), stamped.value().begin() + 5), "%PDF-");
  auto document = PdfDocument::open(stamped.value());
  ASSERT_TRUE(document.ok()) << document.error().message;
  ASSERT_EQ(document.value()->page_count(), 2);
  for (int page = 0; page < 2; ++page) {
    EXPECT_NEAR(document.value()->page_size(page).width, 595, 0.5);
    EXPECT_NEAR(document.value()->page_size(page).height, 842, 0.5);
    const std::string text = without_spaces(document.value()->page_text(page));
    EXPECT_NE(text.find(kWatermark), std::string::npos) << text;
    EXPECT_NE(text.find("不动产权证书第" + std::to_string(page + 1) + "页"), std::string::npos) << text;
  }
  // The page still looks like the licence: the box in the middle is still black.
  auto drawn = document.value()->render_page(0, 300, 300);
  ASSERT_TRUE(drawn.ok());
  EXPECT_EQ(drawn.value()->pixel(drawn.value()->width() / 2, drawn.value()->height() / 2) & 0xFFFFFF, 0u);
}

TEST(WatermarkTest, ALongWatermarkShrinksToFitANarrowPage) {
  const std::string longer = kWatermark + "，" + kWatermark;
  auto stamped = stamp_watermark(sample_pdf(1, "证", 300, 400), longer, CancelToken());
  ASSERT_TRUE(stamped.ok()) << stamped.error().message;
  auto document = PdfDocument::open(stamped.value());
  ASSERT_TRUE(document.ok());
  EXPECT_NE(without_spaces(document.value()->page_text(0)).find(longer), std::string::npos);
}

TEST(WatermarkTest, LineBreaksInTheWatermarkBecomeSpaces) {
  auto stamped = stamp_watermark(sample_pdf(1, "证"), "仅供办理\n政务服务事项时使用", CancelToken());
  ASSERT_TRUE(stamped.ok()) << stamped.error().message;
  auto document = PdfDocument::open(stamped.value());
  ASSERT_TRUE(document.ok());
  EXPECT_NE(without_spaces(document.value()->page_text(0)).find("仅供办理政务服务事项时使用"), std::string::npos);
}

TEST(WatermarkTest, MalformedPdfIsAnError) {
  for (const std::string& input : {std::string(), std::string("%PDF-1.4\ngarbage garbage"), std::string("plain text")}) {
    auto stamped = stamp_watermark(std::vector<std::uint8_t>(input.begin(), input.end()), kWatermark, CancelToken());
    ASSERT_FALSE(stamped.ok()) << input;
    EXPECT_EQ(stamped.error().kind, LicenceErrorKind::malformed);
  }
}

TEST(WatermarkTest, BadWatermarksAreErrors) {
  const auto pdf = sample_pdf(1, "证");
  for (const std::string& watermark : {std::string(), std::string(501, 'x'), std::string("\xFF\xFE bad UTF-8")}) {
    auto stamped = stamp_watermark(pdf, watermark, CancelToken());
    ASSERT_FALSE(stamped.ok()) << watermark.size();
    EXPECT_EQ(stamped.error().kind, LicenceErrorKind::malformed);
  }
}

TEST(WatermarkTest, CancelStopsBetweenPages) {
  CancelToken cancel;
  cancel.cancel();
  auto stamped = stamp_watermark(sample_pdf(2, "证"), kWatermark, cancel);
  ASSERT_FALSE(stamped.ok());
  EXPECT_EQ(stamped.error().kind, LicenceErrorKind::cancelled);
}

}  // namespace
}  // namespace kiosk::licence
