// The libusb transport (devices/escpos/usb_transport) and the driver over it, against a USB
// printer emulated by umockdev: real libusb enumeration, usblp detach, claim, bulk OUT/IN URBs.
// Runs under umockdev-wrapper (see CMakeLists.txt here); a direct run fails and says so.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "devices/escpos/escpos_decoder.h"
#include "devices/escpos/escpos_printer.h"
#include "devices/escpos/usb_transport.h"
#include "tests/devices/escpos/usb/usb_printer_emulator.h"
#include "tests/kiosk/receipt/receipt_test_support.h"

namespace kiosk::devices::escpos {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using std::chrono::milliseconds;
using TestClock = std::chrono::steady_clock;

constexpr milliseconds kJobTimeout{10'000};

template <typename Condition>
bool eventually(Condition condition, milliseconds timeout) {
  const auto deadline = TestClock::now() + timeout;
  while (TestClock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds{5});
  }
  return condition();
}

hal::RasterPage striped_page(int width, int height) {
  hal::RasterPage page;
  page.width_dots = width;
  page.height = height;
  page.bits.resize(static_cast<std::size_t>(width / 8 * height));
  for (std::size_t i = 0; i < page.bits.size(); ++i) page.bits[i] = static_cast<std::uint8_t>(i * 37 + 11);
  return page;
}

EscposOptions quiet() {
  EscposOptions options;
  options.poll_interval = std::chrono::hours{1};
  return options;
}

class EscposUsbTest : public testing::Test {
 protected:
  void SetUp() override { create({}); }

  void create(UsbPrinterIdentity identity) {
    emulator_.reset();
    auto created = UsbPrinterEmulator::create(identity);
    ASSERT_TRUE(created.ok()) << created.error().message;
    emulator_ = created.release_value();
  }

  std::unique_ptr<EscposPrinter> start(UsbOptions usb, EscposOptions options = quiet()) {
    auto printer = std::make_unique<EscposPrinter>("escpos-usb", [usb] { return open_usb_transport(usb); }, options);
    EXPECT_TRUE(eventually([&] { return printer->status().state != DeviceState::offline; }, milliseconds{3000}))
        << hal::describe(printer->status());
    emulator_->printer().clear();
    return printer;
  }

  DecodedCapture capture() {
    auto decoded = decode_capture(emulator_->printer().captured());
    EXPECT_TRUE(decoded.ok()) << decoded.error().message;
    return decoded.ok() ? decoded.release_value() : DecodedCapture{};
  }

  std::unique_ptr<UsbPrinterEmulator> emulator_;
};

TEST_F(EscposUsbTest, FindsThePrinterByIdDetachesUsblpAndPrintsAReceipt) {
  auto printer = start(UsbOptions{0x0416, 0x5011});
  EXPECT_TRUE(emulator_->usblp_detached());
  EXPECT_TRUE(emulator_->claimed());
  EXPECT_EQ(printer->status().state, DeviceState::online) << hal::describe(printer->status());

  auto rendered = receipt::render_receipt(receipt::testing_support::shared_atlas(),
                                          receipt::testing_support::case_receipt("LZ20261125-000777"), 576);
  ASSERT_TRUE(rendered.ok());
  ASSERT_TRUE(printer->print({rendered->page, true}, hal::CancelToken{}, kJobTimeout).ok());

  const DecodedCapture paper = capture();
  ASSERT_EQ(paper.pages.size(), 1u);
  EXPECT_TRUE(paper.pages[0].bits == rendered->page.bits);
  EXPECT_TRUE(paper.ends_with_cut());
  EXPECT_EQ(paper.status_queries, (std::vector<int>{1, 2, 3, 4, 1, 2, 3, 4}));
  receipt::testing_support::TemporaryDirectory directory;
  EXPECT_EQ(receipt::testing_support::scan_qr(paper.pages[0], directory.path()), "LZ20261125-000777");
}

TEST_F(EscposUsbTest, WithoutIdsTakesTheFirstPrinterClassDevice) {
  auto transport = open_usb_transport(UsbOptions{});
  ASSERT_TRUE(transport.ok()) << transport.error().message;
  EXPECT_NE((*transport)->description().find("USB 0416:5011 bus 1 address 2 interface 0"), std::string::npos)
      << (*transport)->description();
  EXPECT_TRUE((*transport)->can_read());
}

TEST_F(EscposUsbTest, OtherIdsFindNothingAndSaySo) {
  auto transport = open_usb_transport(UsbOptions{0x1234, 0x5678});
  ASSERT_FALSE(transport.ok());
  EXPECT_EQ(transport.error().code, DeviceErrorCode::offline);
  EXPECT_EQ(transport.error().message, "no USB printer 1234:5678 found");
  EXPECT_FALSE(emulator_->claimed());
}

TEST_F(EscposUsbTest, StatusComesBackOnBulkIn) {
  auto printer = start(UsbOptions{0x0416, 0x5011});
  emulator_->printer().set_state(EmulatorState{.paper_out = true});
  auto printed = printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::paper_out) << printed.error().message;
  EXPECT_TRUE(capture().pages.empty());

  emulator_->printer().set_state(EmulatorState{.garbage_status = true});
  printed = printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::bad_data) << printed.error().message;

  emulator_->printer().set_state(EmulatorState{.paper_near_end = true});
  ASSERT_TRUE(printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout).ok());
  EXPECT_EQ(printer->status().paper, hal::Supply::near_end);
}

TEST_F(EscposUsbTest, SilentPrinterTimesOutOnBulkIn) {
  EscposOptions options = quiet();
  options.status_timeout = milliseconds{300};
  auto printer = start(UsbOptions{0x0416, 0x5011}, options);
  emulator_->printer().set_state(EmulatorState{.no_answer = true});
  const auto begin = TestClock::now();
  auto printed = printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::offline) << printed.error().message;
  EXPECT_LT(TestClock::now() - begin, milliseconds{2000});
  // The discarded IN transfer left nothing behind: answering again, it prints.
  emulator_->printer().set_state(EmulatorState{});
  EXPECT_TRUE(printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout).ok());
}

TEST_F(EscposUsbTest, UnpluggedIsOfflineAndPluggedBackIsOnlineWithinTwoSeconds) {
  auto printer = start(UsbOptions{0x0416, 0x5011});
  emulator_->vanish();
  auto printed = printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::offline) << printed.error().message;
  EXPECT_EQ(printer->status().state, DeviceState::offline);

  ASSERT_TRUE(emulator_->reappear().ok());
  EXPECT_TRUE(eventually([&] { return printer->status().state == DeviceState::online; }, milliseconds{2000}))
      << hal::describe(printer->status());
  EXPECT_TRUE(emulator_->usblp_detached()) << "usblp bound again on replug and was detached again";
  emulator_->printer().clear();
  ASSERT_TRUE(printer->print({striped_page(576, 64), true}, hal::CancelToken{}, kJobTimeout).ok());
  EXPECT_TRUE(capture().ends_with_cut());
}

TEST_F(EscposUsbTest, OneWayPrinterPrintsWithStatusUnknown) {
  create(UsbPrinterIdentity{0x0416, 0x5011, 0x01});
  auto printer = start(UsbOptions{});
  EXPECT_EQ(printer->status().state, DeviceState::online);
  EXPECT_EQ(printer->status().paper, hal::Supply::unknown);
  ASSERT_TRUE(printer->print({striped_page(384, 100), true}, hal::CancelToken{}, kJobTimeout).ok());
  const DecodedCapture paper = capture();
  ASSERT_EQ(paper.pages.size(), 1u);
  EXPECT_TRUE(paper.status_queries.empty());
}

}  // namespace
}  // namespace kiosk::devices::escpos
