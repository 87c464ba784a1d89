// The progress query inside the app without a platform (the end-to-end runs with one are
// tests/journey/progress-*.script): every way in ends on a plain page with a way forward, a number
// that cannot be one is said at the field, and the driver's `scan receipt` puts the last printed
// receipt under the document camera.
#include <gtest/gtest.h>

#include "devices/registry.h"
#include "kiosk/receipt/qr_reader.h"
#include "kiosk/receipt/receipt_layout.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

class ProgressTest : public AppTest {
 protected:
  ProgressTest() : AppTest(sim_devices()) {}
  void SetUp() override { start(); }
  ::testing::AssertionResult open_progress() {
    return run("tap id=start\nwait-for \"办事进度查询\"\ntap id=progress\nexpect-screen progress");
  }
};

TEST_F(ProgressTest, ANumberThatCannotBeOneIsSaidAtTheField) {
  ASSERT_TRUE(open_progress());
  ASSERT_TRUE(run("tap id=way-number\nexpect-screen progress-number\ntap id=progress-search\nexpect \"请先输入编号。\""));
  ASSERT_TRUE(run("type \"SC2026/11\"\ntap id=progress-search\nexpect \"编号只有字母、数字和“-”，请对照回执再看一下。\""));
  // Typing again clears the message; lower case shows upper case.
  ASSERT_TRUE(run("key Backspace\nkey Backspace\nkey Backspace\ntype \"sc\"\nexpect-not \"编号只有字母\"\nexpect \"SC2026SC\""));
}

TEST_F(ProgressTest, WithoutAPlatformEveryWayEndsOnUnreachableWithAWayForward) {
  ASSERT_TRUE(open_progress());
  ASSERT_TRUE(run("tap id=way-number\ntype \"SC20261121000102\"\ntap id=progress-search\n"
                  "wait-for \"暂时连不上政务服务平台\"\nexpect-not \"no_platform\"\n"
                  "expect \"再试一次\"\ntap \"换一种方式查询\"\nexpect-screen progress"));
  ASSERT_TRUE(run("tap id=way-card\nexpect-screen progress-card\nexpect \"请把身份证放在读卡区\"\ncard zhangsan\n"
                  "wait-for \"暂时连不上政务服务平台\"\ntap \"换一种方式查询\""));
  // The document camera sees a page without a code: looked at a few times, then "not found".
  ASSERT_TRUE(run("scan sample=licence\ntap id=way-qr\nwait-for \"没有找到二维码\" 15000\ntap id=outcome-1\n"
                  "expect-screen progress-number"));
}

TEST_F(ProgressTest, ACameraThatGivesNothingSendsToTheNumber) {
  ASSERT_TRUE(open_progress());
  ASSERT_TRUE(run("scan none\ntap id=way-qr\nwait-for \"高拍仪暂时不能使用\"\ntap id=outcome-0\nexpect-screen progress-number"));
}

TEST_F(ProgressTest, ScanReceiptShowsTheLastPrintedReceiptToTheDocumentCamera) {
  EXPECT_FALSE(run("scan receipt")) << "nothing printed yet";
  receipt::Receipt slip;
  slip.title = "受理回执";
  slip.fields = {{"受理编号", "SC20261121000102"}};
  slip.qr_payload = "SC20261121000102";
  auto rendered = receipt::render_receipt(app_->atlas(), slip, 576);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  ASSERT_TRUE(devices_.receipt_printer->print(hal::ReceiptJob{rendered->page}, hal::CancelToken{}, std::chrono::seconds(5)).ok());
  ASSERT_TRUE(run("scan receipt"));
  auto frame = devices_.document_camera->capture(hal::CancelToken{}, std::chrono::seconds(1));
  ASSERT_TRUE(frame.ok());
  EXPECT_GT(frame->width, rendered->page.width_dots) << "the paper lies on a desk";
  auto codes = receipt::read_qr_codes(frame.value());
  ASSERT_TRUE(codes.ok()) << codes.error().message;
  ASSERT_EQ(codes->size(), 1u);
  EXPECT_EQ(codes->front(), "SC20261121000102");
  EXPECT_FALSE(run("face receipt")) << "the face camera does not look at receipts";
}

}  // namespace
}  // namespace kiosk
