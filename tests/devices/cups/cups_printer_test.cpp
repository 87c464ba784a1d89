// The CUPS driver against a real, private cupsd on a loopback port (private_cupsd.h): jobs
// followed to completed / aborted / canceled, printer-state-reasons from a backend, stopped
// queues, cancel, timeouts, cupsd killed and a queue deleted in the middle of a job.

#include "devices/cups/cups_printer.h"

#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/devices/cups/private_cupsd.h"
#include "tests/devices/device_test_support.h"

namespace kiosk::devices::cups {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using test_support::PrivateCupsd;
using test_support::wait_until;

constexpr std::chrono::milliseconds kStatusDeadline{2000};  // the driver's promise
constexpr std::chrono::milliseconds kPrintTimeout{15000};   // generous: nothing here takes that long
constexpr std::chrono::milliseconds kGenerous{10000};       // for waits on cupsd itself

std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

// A minimal valid one-page PDF (ISO 32000-1 §7.5: header, objects, xref, trailer).
hal::PrintDocument licence_pdf(std::string title = "licence") {
  return hal::PrintDocument{std::move(title),
                            bytes("%PDF-1.4\n"
                                  "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                                  "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                                  "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
                                  "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
                                  "0000000052 00000 n \n0000000101 00000 n \n"
                                  "trailer<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n"),
                            1};
}

std::unique_ptr<CupsPrinter> make_printer(const std::string& queue, const std::string& server,
                                          std::chrono::seconds job_timeout = std::chrono::seconds(120)) {
  CupsPrinterOptions options;
  options.queue = queue;
  options.server = server;
  options.job_timeout = job_timeout;
  auto printer = CupsPrinter::create(options);
  EXPECT_TRUE(printer.ok()) << printer.error().message;
  return printer.ok() ? printer.release_value() : nullptr;
}

bool reaches(const hal::Device& device, DeviceState state, std::chrono::milliseconds within = kStatusDeadline) {
  return wait_until([&] { return device.status().state == state; }, within);
}

// A print running on another thread, as the app runs it on a worker.
struct BackgroundPrint {
  hal::CancelToken cancel;
  std::future<hal::DeviceResult<std::string>> result;
  BackgroundPrint(CupsPrinter& printer, std::chrono::milliseconds timeout) {
    result = std::async(std::launch::async, [&printer, token = cancel, timeout] {
      return printer.print(licence_pdf(), token, timeout);
    });
  }
  bool ends_within(std::chrono::milliseconds limit) { return result.wait_for(limit) == std::future_status::ready; }
};

class CupsPrinterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = PrivateCupsd::start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    cupsd_ = started.release_value();
  }
  void TearDown() override {
    if (HasFailure() && cupsd_) std::cerr << "--- private cupsd log ---\n" << cupsd_->error_log() << "\n";
  }

  // Waits until CUPS shows the queue's job as processing (its backend runs).
  bool job_processing(const std::string& queue) {
    return wait_until(
        [&] {
          const auto jobs = cupsd_->jobs(queue);
          return !jobs.empty() && jobs.front().state == IPP_JSTATE_PROCESSING;
        },
        kGenerous);
  }
  bool job_ends_as(const std::string& queue, ipp_jstate_t state) {
    return wait_until(
        [&] {
          const auto jobs = cupsd_->jobs(queue);
          return jobs.size() == 1 && jobs.front().state == state;
        },
        kGenerous);
  }

  std::unique_ptr<PrivateCupsd> cupsd_;
};

TEST_F(CupsPrinterTest, PrintsAPdfAndFollowsTheJobToCompleted) {
  ASSERT_TRUE(cupsd_->add_queue("licence", "copy").ok());
  auto printer = make_printer("licence", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  EXPECT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());
  EXPECT_EQ(printer->status().paper, hal::Supply::ok);

  const hal::PrintDocument document = licence_pdf();
  auto printed = printer->print(document, hal::CancelToken{}, kPrintTimeout);
  ASSERT_TRUE(printed.ok()) << printed.error().message;
  EXPECT_EQ(printed.value(), "licence-1");
  // The raw queue passes the bytes through: what reached the "device" is the PDF itself.
  EXPECT_EQ(test_support::read_file(cupsd_->output("licence")), std::string(document.pdf.begin(), document.pdf.end()));
  auto jobs = cupsd_->jobs("licence");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].state, IPP_JSTATE_COMPLETED);
  EXPECT_EQ(jobs[0].title, "licence");

  // A title with personal data never reaches CUPS.
  auto second = printer->print(licence_pdf("张三 11010519491231002X"), hal::CancelToken{}, kPrintTimeout);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second.value(), "licence-2");
  jobs = cupsd_->jobs("licence");
  ASSERT_EQ(jobs.size(), 2u);
  for (const auto& job : jobs) {
    EXPECT_EQ(job.state, IPP_JSTATE_COMPLETED);
    if (job.id == 2) {
      EXPECT_EQ(job.title, "document");
    }
  }
}

TEST_F(CupsPrinterTest, AStoppedQueueIsOfflineWithinTwoSecondsAndGetsNoJob) {
  ASSERT_TRUE(cupsd_->add_queue("licence", "copy").ok());
  auto printer = make_printer("licence", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  ASSERT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());
  EventRecorder events(*printer);

  ASSERT_TRUE(cupsd_->disable("licence").ok());
  EXPECT_TRUE(reaches(*printer, DeviceState::offline)) << hal::describe(printer->status());
  EXPECT_NE(printer->status().detail.find("stopped"), std::string::npos) << printer->status().detail;
  EXPECT_NE(printer->status().detail.find("paused"), std::string::npos) << printer->status().detail;
  EXPECT_FALSE(events.events().empty());
  EXPECT_EQ(events.events().back().status.state, DeviceState::offline);

  auto refused = printer->print(licence_pdf(), hal::CancelToken{}, kPrintTimeout);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, DeviceErrorCode::offline) << refused.error().message;
  EXPECT_NE(refused.error().message.find("paused"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(cupsd_->jobs("licence").empty());  // nothing left queued to print later

  // refresh() asks at once, without waiting for the status thread.
  ASSERT_TRUE(cupsd_->enable("licence").ok());
  ASSERT_TRUE(printer->refresh(std::chrono::milliseconds(2000)).ok());
  EXPECT_EQ(printer->status().state, DeviceState::online) << hal::describe(printer->status());
}

TEST_F(CupsPrinterTest, MediaEmptyFromTheBackendIsPaperOutAndTheJobIsCancelled) {
  // The backend reports "STATE: +media-empty-error" and exits with CUPS_BACKEND_STOP: CUPS stops
  // the queue and keeps the job pending, to print when someone refills and restarts the queue.
  ASSERT_TRUE(cupsd_->add_queue("tray", "media-empty").ok());
  auto printer = make_printer("tray", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  ASSERT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());

  auto printed = printer->print(licence_pdf(), hal::CancelToken{}, kPrintTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::paper_out) << printed.error().message;
  EXPECT_NE(printed.error().message.find("media-empty-error"), std::string::npos) << printed.error().message;
  EXPECT_NE(printed.error().message.find("tray-1"), std::string::npos) << printed.error().message;
  EXPECT_EQ(printer->status().state, DeviceState::user_error) << hal::describe(printer->status());
  EXPECT_EQ(printer->status().paper, hal::Supply::out);
  // The kiosk said "not printed", so the job must not come out when the queue restarts.
  EXPECT_TRUE(job_ends_as("tray", IPP_JSTATE_CANCELED));
}

TEST_F(CupsPrinterTest, AJamAbortsTheJobAndNamesTheReason) {
  // With printer-error-policy=abort-job, a failing backend aborts the job.
  ASSERT_TRUE(cupsd_->add_queue("jam", "media-jam", {"-o", "printer-error-policy=abort-job"}).ok());
  auto printer = make_printer("jam", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  ASSERT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());

  auto printed = printer->print(licence_pdf(), hal::CancelToken{}, kPrintTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::hardware) << printed.error().message;
  EXPECT_NE(printed.error().message.find("jam-1 aborted"), std::string::npos) << printed.error().message;
  EXPECT_NE(printed.error().message.find("media-jam-error"), std::string::npos) << printed.error().message;
  EXPECT_EQ(printer->status().state, DeviceState::hardware_error) << hal::describe(printer->status());
  auto jobs = cupsd_->jobs("jam");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].state, IPP_JSTATE_ABORTED);
}

TEST_F(CupsPrinterTest, CancelMidJobCancelsTheCupsJob) {
  ASSERT_TRUE(cupsd_->add_queue("slow", "hang").ok());
  auto printer = make_printer("slow", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  ASSERT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());

  BackgroundPrint print(*printer, kPrintTimeout);
  ASSERT_TRUE(job_processing("slow"));
  EXPECT_TRUE(reaches(*printer, DeviceState::busy)) << hal::describe(printer->status());
  const auto cancelled_at = std::chrono::steady_clock::now();
  print.cancel.cancel();
  ASSERT_TRUE(print.ends_within(kGenerous));
  // The token is checked every 100 ms; the answer comes after the CUPS job is cancelled too.
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, std::chrono::milliseconds(2500));
  auto result = print.result.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, DeviceErrorCode::cancelled) << result.error().message;
  EXPECT_TRUE(job_ends_as("slow", IPP_JSTATE_CANCELED));
}

TEST_F(CupsPrinterTest, AJobThatTakesTooLongTimesOutAndIsCancelled) {
  ASSERT_TRUE(cupsd_->add_queue("slow", "hang").ok());
  // job_timeout caps whatever the caller allows.
  auto printer = make_printer("slow", cupsd_->server(), std::chrono::seconds(1));
  ASSERT_NE(printer, nullptr);
  const auto started = std::chrono::steady_clock::now();
  auto printed = printer->print(licence_pdf(), hal::CancelToken{}, std::chrono::minutes(10));
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::timeout) << printed.error().message;
  EXPECT_NE(printed.error().message.find("slow-1 did not finish in time"), std::string::npos)
      << printed.error().message;
  EXPECT_GE(took, std::chrono::milliseconds(1000));
  EXPECT_LT(took, std::chrono::milliseconds(5000));
  EXPECT_TRUE(job_ends_as("slow", IPP_JSTATE_CANCELED));
}

TEST_F(CupsPrinterTest, CupsdKilledMidJobIsOfflineAndNothingHangs) {
  ASSERT_TRUE(cupsd_->add_queue("slow", "hang").ok());
  auto printer = make_printer("slow", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  ASSERT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());

  BackgroundPrint print(*printer, kPrintTimeout);
  ASSERT_TRUE(job_processing("slow"));
  cupsd_->kill();
  ASSERT_TRUE(print.ends_within(kGenerous)) << "print still waiting after cupsd died";
  auto result = print.result.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, DeviceErrorCode::offline) << result.error().message;
  EXPECT_NE(result.error().message.find("slow-1"), std::string::npos) << result.error().message;
  EXPECT_TRUE(reaches(*printer, DeviceState::offline)) << hal::describe(printer->status());

  // With cupsd gone, a new print fails at once and says so.
  const auto started = std::chrono::steady_clock::now();
  auto again = printer->print(licence_pdf(), hal::CancelToken{}, kPrintTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2000));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, DeviceErrorCode::offline);
  EXPECT_NE(again.error().message.find("nothing answers at"), std::string::npos) << again.error().message;
  EXPECT_NE(again.error().message.find(cupsd_->server()), std::string::npos) << again.error().message;
}

TEST_F(CupsPrinterTest, AQueueDeletedMidJobEndsThePrint) {
  ASSERT_TRUE(cupsd_->add_queue("slow", "hang").ok());
  auto printer = make_printer("slow", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  ASSERT_TRUE(reaches(*printer, DeviceState::online)) << hal::describe(printer->status());

  BackgroundPrint print(*printer, kPrintTimeout);
  ASSERT_TRUE(job_processing("slow"));
  ASSERT_TRUE(cupsd_->remove_queue("slow").ok());
  ASSERT_TRUE(print.ends_within(kGenerous)) << "print still waiting after its queue vanished";
  auto result = print.result.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, DeviceErrorCode::no_device) << result.error().message;
  EXPECT_NE(result.error().message.find("vanished"), std::string::npos) << result.error().message;
  EXPECT_TRUE(reaches(*printer, DeviceState::no_device)) << hal::describe(printer->status());
}

TEST_F(CupsPrinterTest, AnUnknownQueueIsNoDevice) {
  auto printer = make_printer("nosuchqueue", cupsd_->server());
  ASSERT_NE(printer, nullptr);
  EXPECT_TRUE(reaches(*printer, DeviceState::no_device)) << hal::describe(printer->status());
  EXPECT_NE(printer->status().detail.find("nosuchqueue"), std::string::npos);
  auto printed = printer->print(licence_pdf(), hal::CancelToken{}, kPrintTimeout);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::no_device) << printed.error().message;
}

// --- no cupsd at all ---

TEST(CupsPrinterWithoutCups, IsOfflineWithAClearDetailAndPrintsFailFast) {
  const std::string server = "127.0.0.1:" + std::to_string(test_support::free_port());
  auto printer = make_printer("licence", server);
  ASSERT_NE(printer, nullptr);
  EXPECT_TRUE(wait_until(
      [&] { return printer->status().detail.find("nothing answers at") != std::string::npos; }, kStatusDeadline))
      << hal::describe(printer->status());
  EXPECT_EQ(printer->status().state, DeviceState::offline);
  EXPECT_NE(printer->status().detail.find(server), std::string::npos) << printer->status().detail;

  const auto started = std::chrono::steady_clock::now();
  auto printed = printer->print(licence_pdf(), hal::CancelToken{}, kPrintTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2000));
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, DeviceErrorCode::offline);
  EXPECT_NE(printed.error().message.find("is cupsd running?"), std::string::npos) << printed.error().message;

  auto refreshed = printer->refresh(std::chrono::milliseconds(1000));
  ASSERT_FALSE(refreshed.ok());
  EXPECT_EQ(refreshed.error().code, DeviceErrorCode::offline);
}

TEST(CupsPrinterWithoutCups, ANonPdfIsRefusedBeforeCups) {
  // Nothing listens: a bad_data answer (not offline) shows the check runs before any contact.
  auto printer = make_printer("licence", "127.0.0.1:" + std::to_string(test_support::free_port()));
  ASSERT_NE(printer, nullptr);
  for (std::string_view text : {"", "%PD", "hello", "%!PS-Adobe-3.0\n", "\x89PNG\r\n\x1a\n"}) {
    auto printed = printer->print(hal::PrintDocument{"licence", bytes(text), 1}, hal::CancelToken{}, kPrintTimeout);
    ASSERT_FALSE(printed.ok());
    EXPECT_EQ(printed.error().code, DeviceErrorCode::bad_data) << printed.error().message;
  }
  for (int copies : {0, -1, 100}) {
    hal::PrintDocument document = licence_pdf();
    document.copies = copies;
    auto printed = printer->print(document, hal::CancelToken{}, kPrintTimeout);
    ASSERT_FALSE(printed.ok());
    EXPECT_EQ(printed.error().code, DeviceErrorCode::bad_data) << copies;
  }
}

TEST(CupsPrinterWithoutCups, ACancelledTokenEndsTheConnectAttempt) {
  // 192.0.2.1 (TEST-NET-1, RFC 5737) is never routed: connecting would wait for the deadline.
  auto printer = make_printer("licence", "192.0.2.1:631");
  ASSERT_NE(printer, nullptr);
  hal::CancelToken cancel;
  auto canceller = std::async(std::launch::async, [cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  auto printed = printer->print(licence_pdf(), cancel, kPrintTimeout);
  const auto took = std::chrono::steady_clock::now() - started;
  canceller.get();
  ASSERT_FALSE(printed.ok());
  // Either the cancel ended the attempt, or the network refused at once (no route): never a wait.
  EXPECT_TRUE(printed.error().code == DeviceErrorCode::cancelled || printed.error().code == DeviceErrorCode::offline)
      << printed.error().message;
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

}  // namespace
}  // namespace kiosk::devices::cups
