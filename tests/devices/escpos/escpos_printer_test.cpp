// The ESC/POS driver (devices/escpos/escpos_printer) through the real serial transport against a
// printer emulated on a pty: what the driver sends is captured, decoded back to paper and checked
// (width, cut, QR read by zbarimg, ink where the text is); faults come from the printer's answers
// to DLE EOT (paper, cover, cutter, garbage, silence) or from the pty vanishing.
#include "devices/escpos/escpos_printer.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "devices/escpos/escpos_decoder.h"
#include "devices/escpos/printer_emulator.h"
#include "devices/escpos/serial_transport.h"
#include "tests/kiosk/receipt/receipt_test_support.h"

namespace kiosk::devices::escpos {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using hal::Supply;
using receipt::testing_support::case_receipt;
using receipt::testing_support::ink;
using receipt::testing_support::scan_qr;
using receipt::testing_support::shared_atlas;
using receipt::testing_support::TemporaryDirectory;
using std::chrono::milliseconds;
using TestClock = std::chrono::steady_clock;

constexpr milliseconds kJobTimeout{10'000};  // generous: the emulator takes a receipt in milliseconds

// No idle polls during a test that counts the status queries on the wire (the poll thread still
// reopens a vanished printer: a job that loses it wakes the thread).
EscposOptions quiet() {
  EscposOptions options;
  options.poll_interval = std::chrono::hours{1};
  return options;
}

// Polls `condition` every 5 ms until it holds or `timeout` passes.
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

class EscposPrinterTest : public testing::Test {
 protected:
  void SetUp() override {
    auto created = PtyPrinterEmulator::create();
    ASSERT_TRUE(created.ok()) << created.error().message;
    emulator_ = created.release_value();
  }

  void start(EscposOptions options = quiet()) {
    SerialOptions serial;
    serial.path = emulator_->path();
    printer_ = std::make_unique<EscposPrinter>("escpos-serial", [serial] { return open_serial_transport(serial); },
                                               options);
    ASSERT_TRUE(eventually([&] { return printer_->status().state != DeviceState::offline; }, milliseconds{3000}))
        << hal::describe(printer_->status());
    emulator_->printer().clear();
  }

  void set_state(EmulatorState state) { emulator_->printer().set_state(state); }

  DecodedCapture capture() {
    auto decoded = decode_capture(emulator_->printer().captured());
    EXPECT_TRUE(decoded.ok()) << decoded.error().message;
    return decoded.ok() ? decoded.release_value() : DecodedCapture{};
  }

  std::unique_ptr<PtyPrinterEmulator> emulator_;
  std::unique_ptr<EscposPrinter> printer_;
};

TEST_F(EscposPrinterTest, PrintsAReceiptThatDecodesBackToTheSamePaper) {
  start();
  auto rendered = receipt::render_receipt(shared_atlas(), case_receipt("LZ20261125-000123"), 576);
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  const hal::ReceiptJob job{rendered->page, true};

  ASSERT_TRUE(printer_->print(job, hal::CancelToken{}, kJobTimeout).ok());

  const DecodedCapture paper = capture();
  ASSERT_EQ(paper.pages.size(), 1u);
  const hal::RasterPage& page = paper.pages[0];
  EXPECT_EQ(page.width_dots, 576);
  EXPECT_EQ(page.height, job.page.height);
  EXPECT_TRUE(paper.ends_with_cut());
  EXPECT_EQ(paper.cuts.size(), 1u);
  EXPECT_EQ(paper.initializations, 1);
  EXPECT_EQ(paper.unknown_count, 0u);
  EXPECT_EQ(paper.status_queries, (std::vector<int>{1, 2, 3, 4, 1, 2, 3, 4})) << "status before and after";
  // What the paper shows: the code scans to the case number, and there is ink where the text is.
  TemporaryDirectory directory;
  EXPECT_EQ(scan_qr(page, directory.path()), "LZ20261125-000123");
  for (const auto& region : rendered->regions) {
    EXPECT_GT(ink(page, region.rect), 50) << region.name;
    EXPECT_EQ(ink(page, region.rect), ink(job.page, region.rect)) << region.name;
  }
  EXPECT_EQ(printer_->status().state, DeviceState::online);
  EXPECT_EQ(printer_->status().paper, Supply::ok);
}

TEST_F(EscposPrinterTest, ImageBytesThatLookLikeRealTimeCommandsNeverReachThePrinter) {
  start();
  hal::RasterPage page = striped_page(576, 64);
  for (std::size_t i = 0; i + 2 < page.bits.size(); i += 97) {
    page.bits[i] = 0x10, page.bits[i + 1] = 0x04, page.bits[i + 2] = 0x01;  // DLE EOT 1 in the picture
  }
  ASSERT_TRUE(printer_->print({page, true}, hal::CancelToken{}, kJobTimeout).ok());
  // The emulator, like many printers, answers 10 04 n anywhere: it saw only the driver's queries.
  EXPECT_EQ(emulator_->printer().status_queries().size(), 8u);
  const DecodedCapture paper = capture();
  ASSERT_EQ(paper.pages.size(), 1u);
  int differing = 0;
  for (std::size_t i = 0; i < page.bits.size(); ++i) differing += paper.pages[0].bits[i] != page.bits[i] ? 1 : 0;
  EXPECT_GT(differing, 0);
  EXPECT_LE(differing, static_cast<int>(page.bits.size() / 97 + 1)) << "one escaped byte per sequence";
}

struct RefusalCase {
  const char* name;
  bool EmulatorState::*fault;
  DeviceErrorCode error;
  DeviceState state;
};

void PrintTo(const RefusalCase& refusal, std::ostream* out) { *out << refusal.name; }

class EscposPrinterRefusal : public EscposPrinterTest, public testing::WithParamInterface<RefusalCase> {};

TEST_P(EscposPrinterRefusal, RefusesBeforePrintingAnything) {
  start();
  EmulatorState state;
  state.*GetParam().fault = true;
  set_state(state);
  auto printed = printer_->print({striped_page(576, 200), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, GetParam().error) << printed.error().message;
  const DecodedCapture paper = capture();
  EXPECT_TRUE(paper.pages.empty()) << "nothing printed";
  EXPECT_TRUE(paper.cuts.empty());
  EXPECT_GE(paper.status_queries.size(), 1u) << "only the status was asked";
  EXPECT_LE(paper.status_queries.size(), 4u) << "a garbage answer ends the queries at once";
  EXPECT_EQ(printer_->status().state, GetParam().state) << hal::describe(printer_->status());
}

INSTANTIATE_TEST_SUITE_P(
    Faults, EscposPrinterRefusal,
    testing::Values(
        RefusalCase{"paper_out", &EmulatorState::paper_out, DeviceErrorCode::paper_out, DeviceState::user_error},
        RefusalCase{"cover_open", &EmulatorState::cover_open, DeviceErrorCode::cover_open, DeviceState::user_error},
        RefusalCase{"cutter", &EmulatorState::cutter_error, DeviceErrorCode::hardware, DeviceState::hardware_error},
        RefusalCase{"unrecoverable", &EmulatorState::unrecoverable_error, DeviceErrorCode::hardware,
                    DeviceState::hardware_error},
        RefusalCase{"head_hot", &EmulatorState::auto_recoverable_error, DeviceErrorCode::offline, DeviceState::offline},
        RefusalCase{"garbage_status", &EmulatorState::garbage_status, DeviceErrorCode::bad_data, DeviceState::offline}),
    [](const testing::TestParamInfo<RefusalCase>& case_info) { return case_info.param.name; });

TEST_F(EscposPrinterTest, GarbageStatusByteIsNeverTrusted) {
  start();
  set_state(EmulatorState{.paper_out = true, .garbage_status = true});
  auto printed = printer_->print({striped_page(576, 16), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::bad_data);
  EXPECT_NE(printed.error().message.find("0xFF"), std::string::npos) << printed.error().message;
  EXPECT_NE(printer_->status().detail.find("fails the fixed bits"), std::string::npos) << printer_->status().detail;
  EXPECT_EQ(printer_->status().paper, Supply::unknown) << "0xFF has the paper-end bits set: not believed";
}

TEST_F(EscposPrinterTest, PaperNearEndStillPrintsAndSaysSo) {
  start();
  set_state(EmulatorState{.paper_near_end = true});
  ASSERT_TRUE(printer_->print({striped_page(576, 40), true}, hal::CancelToken{}, kJobTimeout).ok());
  EXPECT_EQ(capture().pages.size(), 1u);
  EXPECT_EQ(printer_->status().state, DeviceState::online);
  EXPECT_EQ(printer_->status().paper, Supply::near_end);
}

TEST_F(EscposPrinterTest, SilentPrinterIsOfflineWithinTheStatusTimeout) {
  EscposOptions options = quiet();
  options.status_timeout = milliseconds{300};
  start(options);
  set_state(EmulatorState{.no_answer = true});
  const auto begin = TestClock::now();
  auto printed = printer_->print({striped_page(576, 40), true}, hal::CancelToken{}, kJobTimeout);
  const auto took = TestClock::now() - begin;
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::offline) << printed.error().message;
  EXPECT_LT(took, milliseconds{2000});
  EXPECT_TRUE(capture().pages.empty());
  EXPECT_EQ(printer_->status().state, DeviceState::offline);
  // Switched back on: it answers again on the same port.
  set_state(EmulatorState{});
  EXPECT_TRUE(printer_->print({striped_page(576, 40), true}, hal::CancelToken{}, kJobTimeout).ok());
}

TEST_F(EscposPrinterTest, PrinterThatVanishesMidJobIsOfflineAtOnceAndComesBack) {
  start();
  const hal::RasterPage page = striped_page(576, 2000);  // 144 KB: far more than the pty buffers
  emulator_->vanish_after(40'000);
  const auto begin = TestClock::now();
  auto printed = printer_->print({page, true}, hal::CancelToken{}, kJobTimeout);
  const auto took = TestClock::now() - begin;
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::offline) << printed.error().message;
  EXPECT_LT(took, milliseconds{3000}) << "a hang-up is seen at once, not at the job's deadline";
  EXPECT_LT(emulator_->printer().captured_size(), page.bits.size());
  EXPECT_EQ(printer_->status().state, DeviceState::offline);

  // Plugged back in: the poll thread reopens with backoff and reports it within 2 s.
  ASSERT_TRUE(emulator_->reappear().ok());
  EXPECT_TRUE(eventually([&] { return printer_->status().state == DeviceState::online; }, milliseconds{2000}))
      << hal::describe(printer_->status());
  emulator_->printer().clear();
  ASSERT_TRUE(printer_->print({striped_page(576, 40), true}, hal::CancelToken{}, kJobTimeout).ok());
  EXPECT_TRUE(capture().ends_with_cut());
}

TEST_F(EscposPrinterTest, IdleStatusChangesReachTheListenerWithinTwoSeconds) {
  start(EscposOptions{});  // the default poll interval: 1 s
  std::mutex mutex;
  std::vector<hal::DeviceStatus> seen;
  printer_->set_listener([&](const hal::DeviceEvent& event) {
    std::lock_guard lock(mutex);
    seen.push_back(event.status);
  });
  auto saw = [&](auto predicate) {
    return eventually([&] {
      std::lock_guard lock(mutex);
      return std::any_of(seen.begin(), seen.end(), predicate);
    }, milliseconds{2000});
  };
  set_state(EmulatorState{.paper_out = true});
  EXPECT_TRUE(saw([](const hal::DeviceStatus& s) { return s.paper == Supply::out && s.state == DeviceState::user_error; }));
  emulator_->vanish();
  EXPECT_TRUE(saw([](const hal::DeviceStatus& s) { return s.state == DeviceState::offline; }));
  printer_->set_listener(nullptr);
}

TEST_F(EscposPrinterTest, CancelStopsBetweenBandsAndCutsWhatWasPrinted) {
  start();
  emulator_->set_bytes_per_second(200'000);  // about a fast printer's pace
  const hal::RasterPage page = striped_page(576, 1500);  // 108 KB: half a second at that pace
  hal::CancelToken cancel;
  std::thread canceller([&] {
    emulator_->printer().wait_for_captured(20'000, milliseconds{5000});
    cancel.cancel();
  });
  const auto begin = TestClock::now();
  auto printed = printer_->print({page, true}, cancel, kJobTimeout);
  canceller.join();
  const auto took = TestClock::now() - begin;
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::cancelled) << printed.error().message;
  EXPECT_LT(took, milliseconds{2000});
  emulator_->set_bytes_per_second(0);
  // The printer got whole bands only (the stream decodes), then a cut under the partial receipt.
  ASSERT_TRUE(eventually([&] { return decode_capture(emulator_->printer().captured()).ok() &&
                                      !decode_capture(emulator_->printer().captured())->cuts.empty(); },
                         milliseconds{2000}));
  const DecodedCapture paper = capture();
  ASSERT_EQ(paper.pages.size(), 1u);
  EXPECT_LT(paper.pages[0].height, page.height);
  EXPECT_EQ(paper.pages[0].height % kBandRows, 0) << "whole bands";
  EXPECT_TRUE(paper.ends_with_cut());
}

TEST_F(EscposPrinterTest, RefusesPagesItCannotPrintAndASecondJobAtOnce) {
  start();
  hal::RasterPage wrong = striped_page(576, 10);
  wrong.bits.pop_back();
  EXPECT_EQ(printer_->print({wrong, true}, hal::CancelToken{}, kJobTimeout).error().code, DeviceErrorCode::unsupported);
  EXPECT_EQ(printer_->print({striped_page(640, 10), true}, hal::CancelToken{}, kJobTimeout).error().code,
            DeviceErrorCode::unsupported);
  hal::CancelToken cancelled;
  cancelled.cancel();
  EXPECT_EQ(printer_->print({striped_page(576, 10), true}, cancelled, kJobTimeout).error().code,
            DeviceErrorCode::cancelled);

  emulator_->set_bytes_per_second(100'000);
  std::thread first([&] { EXPECT_TRUE(printer_->print({striped_page(576, 600), true}, hal::CancelToken{}, kJobTimeout).ok()); });
  ASSERT_TRUE(emulator_->printer().wait_for_captured(5'000, milliseconds{5000}));
  EXPECT_EQ(printer_->print({striped_page(576, 10), true}, hal::CancelToken{}, kJobTimeout).error().code,
            DeviceErrorCode::busy);
  first.join();
  EXPECT_TRUE(capture().pages.size() == 1u);
}

TEST_F(EscposPrinterTest, CaptureFileTakesTheBytesAndReportsStatusUnknown) {
  TemporaryDirectory directory;
  const auto file = directory.path() / "capture.bin";
  { std::ofstream touch(file); }
  SerialOptions serial;
  serial.path = file;
  EscposPrinter printer("escpos-serial", [serial] { return open_serial_transport(serial); }, quiet());
  ASSERT_TRUE(printer.refresh(milliseconds{2000}).ok());
  EXPECT_EQ(printer.status().state, DeviceState::online);
  EXPECT_EQ(printer.status().paper, Supply::unknown);
  ASSERT_TRUE(printer.print({striped_page(384, 100), true}, hal::CancelToken{}, kJobTimeout).ok());
  std::ifstream in(file, std::ios::binary);
  const Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = decode_capture(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->pages.size(), 1u);
  EXPECT_TRUE(decoded->pages[0].bits == striped_page(384, 100).bits);
  EXPECT_TRUE(decoded->status_queries.empty()) << "no query is sent where no answer can come";
}

TEST_F(EscposPrinterTest, MissingDeviceIsOfflineAndNeverCreated) {
  SerialOptions serial;
  serial.path = "/dev/ttyESCPOS-does-not-exist";
  EscposPrinter printer("escpos-serial", [serial] { return open_serial_transport(serial); });
  auto printed = printer.print({striped_page(576, 10), true}, hal::CancelToken{}, kJobTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::offline);
  EXPECT_EQ(printer.status().state, DeviceState::offline);
  EXPECT_FALSE(std::filesystem::exists(serial.path));
}

}  // namespace
}  // namespace kiosk::devices::escpos
