// Receipt layout (kiosk/receipt): the page a printer gets, checked on its pixels. The QR code is
// read back with zbarimg from a PNG of the page, as a phone would read the paper.
#include "kiosk/receipt/receipt_layout.h"

#include <gtest/gtest.h>

#include "kiosk/receipt/qr_code.h"
#include "kiosk/receipt/raster_image.h"
#include "tests/kiosk/receipt/receipt_test_support.h"

namespace kiosk::receipt {
namespace {

using testing_support::case_receipt;
using testing_support::ink;
using testing_support::scan_qr;
using testing_support::shared_atlas;
using testing_support::TemporaryDirectory;

constexpr int kLine = 36;  // body 28 px × line spacing 1.3, rounded

RenderedReceipt render(const Receipt& receipt, int width) {
  auto rendered = render_receipt(shared_atlas(), receipt, width);
  EXPECT_TRUE(rendered.ok()) << (rendered.ok() ? "" : rendered.error().message);
  return rendered.ok() ? rendered.release_value() : RenderedReceipt{};
}

class ReceiptWidth : public testing::TestWithParam<int> {};

TEST_P(ReceiptWidth, PageHasThePrintersWidthAndEveryPartHasInk) {
  const int width = GetParam();
  const RenderedReceipt rendered = render(case_receipt(), width);
  ASSERT_TRUE(rendered.page.valid());
  EXPECT_EQ(rendered.page.width_dots, width);
  for (const char* name : {"title", "subtitle", "field 0", "field 1", "field 2", "field 3", "qr", "qr caption",
                           "footer 0", "footer 1"}) {
    const ReceiptRegion* region = rendered.region(name);
    ASSERT_NE(region, nullptr) << name;
    EXPECT_GE(region->rect.x, 0) << name;
    EXPECT_LE(region->rect.right(), width) << name;
    EXPECT_LE(region->rect.bottom(), rendered.page.height) << name;
    EXPECT_GT(ink(rendered.page, region->rect), 50) << name << " is blank";
  }
  // Nothing is printed in the side margins (8 dots): text wraps inside the content width.
  const ReceiptStyle style;
  EXPECT_EQ(ink(rendered.page, {0, 0, style.margin_dots, rendered.page.height}), 0);
  EXPECT_EQ(ink(rendered.page, {width - style.margin_dots, 0, style.margin_dots, rendered.page.height}), 0);
}

TEST_P(ReceiptWidth, QrCodeScansToTheCaseNumber) {
  const RenderedReceipt rendered = render(case_receipt("LZ20261125-000123"), GetParam());
  TemporaryDirectory directory;
  EXPECT_EQ(scan_qr(rendered.page, directory.path()), "LZ20261125-000123");
  // The quiet zone (4 modules) around the code is white.
  const ReceiptRegion* qr = rendered.region("qr");
  ASSERT_NE(qr, nullptr);
  ASSERT_GE(rendered.qr_module_dots, ReceiptStyle{}.min_module_dots);
  ASSERT_LE(rendered.qr_module_dots, ReceiptStyle{}.max_module_dots);
  const int quiet = 4 * rendered.qr_module_dots;
  EXPECT_EQ(ink(rendered.page, {qr->rect.x, qr->rect.y, qr->rect.width, quiet}), 0);
  EXPECT_EQ(ink(rendered.page, {qr->rect.x, qr->rect.bottom() - quiet, qr->rect.width, quiet}), 0);
  EXPECT_EQ(ink(rendered.page, {qr->rect.x, qr->rect.y, quiet, qr->rect.height}), 0);
  EXPECT_EQ(ink(rendered.page, {qr->rect.right() - quiet, qr->rect.y, quiet, qr->rect.height}), 0);
}

INSTANTIATE_TEST_SUITE_P(Paper, ReceiptWidth, testing::Values(576, 384),
                         [](const testing::TestParamInfo<int>& case_info) { return case_info.param == 576 ? "mm80" : "mm58"; });

TEST(ReceiptLayout, LongChineseValueWrapsInItsColumn) {
  Receipt receipt;
  receipt.fields = {{"事项名称", "短"},
                    {"事项名称", "城乡居民基本养老保险参保登记与户籍迁移后的养老保险关系转移接续及待遇领取资格认证"}};
  const RenderedReceipt rendered = render(receipt, 576);
  const ReceiptRegion* one_line = rendered.region("field 0");
  const ReceiptRegion* wrapped = rendered.region("field 1");
  ASSERT_TRUE(one_line && wrapped);
  EXPECT_EQ(one_line->rect.height, kLine);
  EXPECT_GE(wrapped->rect.height, 3 * kLine);
  // Every wrapped line has ink, and it starts at the value column, not under the label.
  const int label_column = 140;  // "事项名称：" is 5 × 28 dots wide
  for (int line = 0; line * kLine < wrapped->rect.height; ++line) {
    const ui::Rect row{label_column, wrapped->rect.y + line * kLine, 576 - label_column, kLine};
    EXPECT_GT(ink(rendered.page, row), 50) << "line " << line;
    if (line > 0) {
      EXPECT_EQ(ink(rendered.page, {0, row.y, label_column, kLine}), 0) << "line " << line;
    }
  }
}

TEST(ReceiptLayout, CaseNumberTooWideForItsColumnGoesWholeUnderItsLabel) {
  Receipt receipt;
  receipt.fields = {{"办件编号", "LZ20261125-000123"}};
  const RenderedReceipt narrow = render(receipt, 384);
  const RenderedReceipt wide = render(receipt, 576);
  EXPECT_EQ(wide.region("field 0")->rect.height, kLine);
  ASSERT_EQ(narrow.region("field 0")->rect.height, 2 * kLine);
  // The second line holds the whole number: ink from near the left edge, not from the value column.
  const int top = narrow.region("field 0")->rect.y + kLine;
  EXPECT_GT(ink(narrow.page, {28, top, 100, kLine}), 50);
}

TEST(ReceiptLayout, WithoutPayloadThereIsNoCode) {
  Receipt receipt = case_receipt();
  receipt.qr_payload.clear();
  const RenderedReceipt rendered = render(receipt, 576);
  EXPECT_EQ(rendered.region("qr"), nullptr);
  EXPECT_EQ(rendered.qr_module_dots, 0);
  EXPECT_LT(rendered.page.height, render(case_receipt(), 576).page.height);
}

TEST(ReceiptLayout, RejectsWidthsThatAreNotWholeBytes) {
  for (int width : {0, -8, 100, 575, 8, 8192}) {
    auto rendered = render_receipt(shared_atlas(), case_receipt(), width);
    ASSERT_FALSE(rendered.ok()) << width;
    EXPECT_EQ(rendered.error().kind, ErrorKind::invalid_argument);
  }
}

TEST(ReceiptLayout, PayloadTooLongForThePaperIsAnErrorWithoutTheText) {
  Receipt receipt = case_receipt();
  receipt.qr_payload = std::string(1500, 'Q') + "身份证号";
  auto rendered = render_receipt(shared_atlas(), receipt, 384);
  ASSERT_FALSE(rendered.ok());
  EXPECT_EQ(rendered.error().message.find("QQQQ"), std::string::npos) << rendered.error().message;
  EXPECT_EQ(rendered.error().message.find("身份证"), std::string::npos) << rendered.error().message;
}

TEST(QrCode, EncodesWithLibqrencodeAndRefusesWhatCannotBeEncoded) {
  auto code = encode_qr("LZ20261125-000123");
  ASSERT_TRUE(code.ok());
  EXPECT_EQ((code->size - 17) % 4, 0) << "a QR side is 17 + 4 × version";
  EXPECT_EQ(code->modules.size(), static_cast<std::size_t>(code->size * code->size));
  EXPECT_TRUE(code->dark(0, 0) && code->dark(6, 6) && !code->dark(7, 7)) << "finder pattern";
  EXPECT_EQ(encode_qr("").error().kind, ErrorKind::invalid_argument);
  EXPECT_EQ(encode_qr(std::string(4000, 'x')).error().kind, ErrorKind::unsupported);
}

TEST(RasterImage, ThresholdsByLuminanceAndShowsDotsAsBlackOnWhite) {
  ui::Canvas canvas(16, 2);
  canvas.clear(ui::Color::rgb(0xFFFFFF));
  canvas.fill_rect({0, 0, 1, 1}, ui::Color::rgb(0x646464));  // luma 100: black
  canvas.fill_rect({1, 0, 1, 1}, ui::Color::rgb(0xC8C8C8));  // luma 200: white
  canvas.fill_rect({15, 1, 1, 1}, ui::Color::rgb(0x0000FF));  // pure blue is dark (luma 29)
  const hal::RasterPage page = threshold_canvas(canvas, 150);
  ASSERT_TRUE(page.valid());
  EXPECT_EQ(page.bits, (std::vector<std::uint8_t>{0x80, 0x00, 0x00, 0x01}));
  const ui::Canvas shown = raster_to_canvas(page);
  EXPECT_EQ(shown.pixel(0, 0), 0xFF000000u);
  EXPECT_EQ(shown.pixel(1, 0), 0xFFFFFFFFu);
  EXPECT_EQ(shown.pixel(15, 1), 0xFF000000u);
}

}  // namespace
}  // namespace kiosk::receipt
