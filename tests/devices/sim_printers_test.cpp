#include "devices/sim/sim_printers.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/devices/device_test_support.h"

namespace kiosk::devices {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using hal::Supply;
using sim::PrinterFaults;
using sim::SimDocumentPrinter;
using sim::SimReceiptPrinter;

hal::ReceiptJob receipt(int width_dots = 576, int height = 10, bool cut = true) {
  hal::ReceiptJob job;
  job.page.width_dots = width_dots;
  job.page.height = height;
  job.page.bits.assign(static_cast<std::size_t>(width_dots / 8 * height), 0x55);
  job.cut = cut;
  return job;
}

hal::PrintDocument pdf(int copies = 1) {
  const std::string text = "%PDF-1.7\n%%EOF\n";
  return hal::PrintDocument{"licence", std::vector<std::uint8_t>(text.begin(), text.end()), copies};
}

// --- printer_status / printer_failure: the fault table both printers share ---

struct FaultCase {
  const char* name;
  PrinterFaults faults;
  DeviceState state;
  Supply paper;
  bool cover_open;
  bool print_fails;
  DeviceErrorCode error;
};

void PrintTo(const FaultCase& fault, std::ostream* out) { *out << fault.name; }

class SimPrinterFaults : public testing::TestWithParam<FaultCase> {};

TEST_P(SimPrinterFaults, StatusAndPrintResult) {
  const FaultCase& fault = GetParam();
  const hal::DeviceStatus status = sim::printer_status(fault.faults);
  EXPECT_EQ(status.state, fault.state) << hal::describe(status);
  EXPECT_EQ(status.paper, fault.paper) << hal::describe(status);
  EXPECT_EQ(status.cover_open, fault.cover_open);
  EXPECT_FALSE(status.card_present);
  EXPECT_EQ(status.state != DeviceState::online, !status.detail.empty()) << hal::describe(status);

  const auto failure = sim::printer_failure(fault.faults, hal::CancelToken{});
  EXPECT_EQ(failure.has_value(), fault.print_fails);
  if (failure && fault.print_fails) {
    EXPECT_EQ(failure->code, fault.error) << failure->message;
    EXPECT_FALSE(failure->message.empty());
  }

  // Both sims report the same and fail the same way.
  SimReceiptPrinter receipt_printer;
  receipt_printer.set_faults(fault.faults);
  EXPECT_EQ(receipt_printer.status(), status);
  const auto receipt_result = receipt_printer.print(receipt(), hal::CancelToken{}, kTimeout);
  EXPECT_EQ(receipt_result.ok(), !fault.print_fails);
  if (!receipt_result.ok() && fault.print_fails) {
    EXPECT_EQ(receipt_result.error().code, fault.error);
    EXPECT_EQ(receipt_printer.history(), Strings{std::string("print ") + hal::to_string(fault.error)});
    EXPECT_TRUE(receipt_printer.printed().empty());
  }

  SimDocumentPrinter document_printer;
  document_printer.set_faults(fault.faults);
  EXPECT_EQ(document_printer.status(), status);
  const auto document_result = document_printer.print(pdf(), hal::CancelToken{}, kTimeout);
  EXPECT_EQ(document_result.ok(), !fault.print_fails);
  if (!document_result.ok() && fault.print_fails) {
    EXPECT_EQ(document_result.error().code, fault.error);
    EXPECT_TRUE(document_printer.printed().empty());
  }
}

PrinterFaults printer_faults(bool PrinterFaults::*first, bool PrinterFaults::*second = nullptr) {
  PrinterFaults result;
  result.*first = true;
  if (second) result.*second = true;
  return result;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SimPrinterFaults,
    testing::Values(
        FaultCase{"none", PrinterFaults{}, DeviceState::online, Supply::ok, false, false, DeviceErrorCode::io},
        FaultCase{"paper_near_end", printer_faults(&PrinterFaults::paper_near_end), DeviceState::online, Supply::near_end,
                  false, false, DeviceErrorCode::io},
        FaultCase{"paper_out", printer_faults(&PrinterFaults::paper_out), DeviceState::user_error, Supply::out, false, true,
                  DeviceErrorCode::paper_out},
        FaultCase{"paper_out_wins_over_near_end", printer_faults(&PrinterFaults::paper_out, &PrinterFaults::paper_near_end),
                  DeviceState::user_error, Supply::out, false, true, DeviceErrorCode::paper_out},
        FaultCase{"cover_open", printer_faults(&PrinterFaults::cover_open), DeviceState::user_error, Supply::ok, true, true,
                  DeviceErrorCode::cover_open},
        FaultCase{"cover_open_and_paper_out", printer_faults(&PrinterFaults::cover_open, &PrinterFaults::paper_out),
                  DeviceState::user_error, Supply::out, true, true, DeviceErrorCode::cover_open},
        FaultCase{"unplugged", printer_faults(&PrinterFaults::unplugged), DeviceState::offline, Supply::unknown, false, true,
                  DeviceErrorCode::no_device},
        FaultCase{"unplugged_hides_paper_and_cover",
                  printer_faults(&PrinterFaults::unplugged, &PrinterFaults::cover_open), DeviceState::offline,
                  Supply::unknown, false, true, DeviceErrorCode::no_device},
        FaultCase{"hardware_error", printer_faults(&PrinterFaults::hardware_error), DeviceState::hardware_error,
                  Supply::ok, false, true, DeviceErrorCode::hardware},
        FaultCase{"hardware_error_over_paper_out", printer_faults(&PrinterFaults::hardware_error, &PrinterFaults::paper_out),
                  DeviceState::hardware_error, Supply::out, false, true, DeviceErrorCode::hardware},
        FaultCase{"garbage", printer_faults(&PrinterFaults::garbage), DeviceState::online, Supply::ok, false, true,
                  DeviceErrorCode::bad_data}),
    [](const testing::TestParamInfo<FaultCase>& parameter) { return std::string(parameter.param.name); });

TEST(SimPrinterStatus, DescribeNamesPaperAndCover) {
  const std::string text = hal::describe(sim::printer_status(printer_faults(&PrinterFaults::cover_open, &PrinterFaults::paper_out)));
  EXPECT_EQ(text, "user_error (paper out, cover open): sim: paper out");
  EXPECT_EQ(hal::describe(sim::printer_status(printer_faults(&PrinterFaults::paper_near_end))), "online (paper near_end)");
}

TEST(SimPrinterStatus, CancelledBeforeFaults) {
  hal::CancelToken cancel;
  cancel.cancel();
  const auto failure = sim::printer_failure(printer_faults(&PrinterFaults::paper_out), cancel);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->code, DeviceErrorCode::cancelled);
}

// --- SimReceiptPrinter ---

TEST(SimReceiptPrinter, StartsOnlineWithPaper) {
  SimReceiptPrinter printer;
  EXPECT_EQ(printer.device_class(), hal::DeviceClass::receipt_printer);
  EXPECT_EQ(printer.driver(), "sim");
  EXPECT_TRUE(printer.status().ready());
  EXPECT_EQ(printer.status().paper, Supply::ok);
  EXPECT_FALSE(printer.status().cover_open);
  EXPECT_GT(printer.capabilities().width_dots, 0);
  EXPECT_EQ(printer.capabilities().width_dots % 8, 0);
}

TEST(SimReceiptPrinter, KeepsWhatItPrinted) {
  SimReceiptPrinter printer;
  const int width = printer.capabilities().width_dots;
  ASSERT_TRUE(printer.print(receipt(width, 10, true), hal::CancelToken{}, kTimeout).ok());
  ASSERT_TRUE(printer.print(receipt(384, 3, false), hal::CancelToken{}, kTimeout).ok());
  const auto printed = printer.printed();
  ASSERT_EQ(printed.size(), 2u);
  EXPECT_EQ(printed[0].page.width_dots, width);
  EXPECT_EQ(printed[0].page.bits, receipt(width, 10).page.bits);
  EXPECT_TRUE(printed[0].cut);
  EXPECT_EQ(printed[1].page.height, 3);
  EXPECT_FALSE(printed[1].cut);
  EXPECT_EQ(printer.history(), (Strings{"print " + std::to_string(width) + "x10 cut", "print 384x3"}));
}

TEST(SimReceiptPrinter, PrintsWhenPaperIsNearItsEnd) {
  SimReceiptPrinter printer;
  printer.set_faults(printer_faults(&PrinterFaults::paper_near_end));
  EXPECT_EQ(printer.status().paper, Supply::near_end);
  EXPECT_TRUE(printer.status().ready());
  EXPECT_TRUE(printer.print(receipt(), hal::CancelToken{}, kTimeout).ok());
  EXPECT_EQ(printer.printed().size(), 1u);
}

TEST(SimReceiptPrinter, RejectsMalformedAndTooWidePages) {
  SimReceiptPrinter printer;
  hal::ReceiptJob short_bits = receipt();
  short_bits.page.bits.pop_back();
  auto result = printer.print(short_bits, hal::CancelToken{}, kTimeout);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, DeviceErrorCode::unsupported);
  hal::ReceiptJob odd_width = receipt();
  odd_width.page.width_dots = 575;
  EXPECT_EQ(printer.print(odd_width, hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::unsupported);
  const int too_wide = printer.capabilities().width_dots + 8;
  EXPECT_EQ(printer.print(receipt(too_wide, 2), hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::unsupported);
  EXPECT_EQ(printer.print(hal::ReceiptJob{}, hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::unsupported);
  EXPECT_TRUE(printer.printed().empty());
  EXPECT_EQ(printer.history(), (Strings{"print invalid_page", "print invalid_page", "print too_wide", "print invalid_page"}));
}

TEST(SimReceiptPrinter, FaultChangesAreEmittedOnce) {
  SimReceiptPrinter printer;
  EventRecorder recorder(printer);
  printer.set_faults(printer_faults(&PrinterFaults::paper_out));
  printer.set_faults(printer_faults(&PrinterFaults::paper_out));  // no change
  printer.set_faults(printer_faults(&PrinterFaults::paper_out, &PrinterFaults::cover_open));
  printer.set_faults({});
  const auto events = recorder.events();
  ASSERT_EQ(events.size(), 3u);
  for (const auto& event : events) {
    EXPECT_EQ(event.kind, Kind::status_changed);
    EXPECT_EQ(event.device, hal::DeviceClass::receipt_printer);
  }
  EXPECT_EQ(events[0].status.paper, Supply::out);
  EXPECT_FALSE(events[0].status.cover_open);
  EXPECT_TRUE(events[1].status.cover_open);
  EXPECT_TRUE(events[2].status.ready());
  EXPECT_EQ(events[2].status.paper, Supply::ok);
}

TEST(SimReceiptPrinter, CancelledPrintPrintsNothing) {
  SimReceiptPrinter printer;
  hal::CancelToken cancel;
  cancel.cancel();
  auto result = printer.print(receipt(), cancel, kTimeout);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, DeviceErrorCode::cancelled);
  EXPECT_TRUE(printer.printed().empty());
  EXPECT_EQ(printer.history(), Strings{"print cancelled"});
}

TEST(SimReceiptPrinter, RecoversWhenTheFaultIsCleared) {
  SimReceiptPrinter printer;
  printer.set_faults(printer_faults(&PrinterFaults::paper_out));
  EXPECT_FALSE(printer.print(receipt(), hal::CancelToken{}, kTimeout).ok());
  printer.set_faults({});
  EXPECT_TRUE(printer.print(receipt(), hal::CancelToken{}, kTimeout).ok());
  EXPECT_TRUE(printer.refresh(kTimeout).ok());
  EXPECT_EQ(printer.history(), (Strings{"print paper_out", "print 576x10 cut", "refresh"}));
  EXPECT_EQ(printer.printed().size(), 1u);
}

// --- SimDocumentPrinter ---

TEST(SimDocumentPrinter, StartsOnline) {
  SimDocumentPrinter printer;
  EXPECT_EQ(printer.device_class(), hal::DeviceClass::document_printer);
  EXPECT_EQ(printer.driver(), "sim");
  EXPECT_TRUE(printer.status().ready());
  EXPECT_EQ(printer.status().paper, Supply::ok);
}

TEST(SimDocumentPrinter, NumbersJobsAndKeepsThePdfs) {
  SimDocumentPrinter printer;
  auto first = printer.print(pdf(2), hal::CancelToken{}, kTimeout);
  auto second = printer.print(pdf(), hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_NE(*first, *second);
  EXPECT_EQ(printer.history(), (Strings{"print " + *first + " copies=2", "print " + *second + " copies=1"}));
  const auto printed = printer.printed();
  ASSERT_EQ(printed.size(), 2u);
  EXPECT_EQ(printed[0].pdf, pdf().pdf);
  EXPECT_EQ(printed[0].copies, 2);
  EXPECT_EQ(printed[0].title, "licence");
}

TEST(SimDocumentPrinter, RejectsWhatIsNotAPdf) {
  SimDocumentPrinter printer;
  hal::PrintDocument document = pdf();
  document.pdf = {'%', 'P', 'D', 'F'};  // too short for the magic
  EXPECT_EQ(printer.print(document, hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::unsupported);
  const std::string png = "\x89PNG\r\n\x1a\n";
  document.pdf.assign(png.begin(), png.end());
  EXPECT_EQ(printer.print(document, hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::unsupported);
  document.pdf.clear();
  EXPECT_EQ(printer.print(document, hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::unsupported);
  EXPECT_TRUE(printer.printed().empty());
  EXPECT_EQ(printer.history(), (Strings{"print not_pdf", "print not_pdf", "print not_pdf"}));
}

TEST(SimDocumentPrinter, CoverOpenEmitsAndFails) {
  SimDocumentPrinter printer;
  EventRecorder recorder(printer);
  printer.set_faults(printer_faults(&PrinterFaults::cover_open));
  ASSERT_EQ(recorder.kinds(), std::vector<Kind>{Kind::status_changed});
  EXPECT_EQ(recorder.events()[0].device, hal::DeviceClass::document_printer);
  EXPECT_EQ(recorder.events()[0].status.state, DeviceState::user_error);
  EXPECT_TRUE(recorder.events()[0].status.cover_open);
  auto result = printer.print(pdf(), hal::CancelToken{}, kTimeout);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, DeviceErrorCode::cover_open);
  EXPECT_EQ(printer.history(), Strings{"print cover_open"});
}

TEST(SimDocumentPrinter, CancelledPrintPrintsNothing) {
  SimDocumentPrinter printer;
  hal::CancelToken cancel;
  cancel.cancel();
  EXPECT_EQ(printer.print(pdf(), cancel, kTimeout).error().code, DeviceErrorCode::cancelled);
  EXPECT_TRUE(printer.printed().empty());
  EXPECT_EQ(printer.history(), Strings{"print cancelled"});
  // The job counter did not move: the next job is the first one printed.
  auto job = printer.print(pdf(), hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(printer.history().back(), "print " + *job + " copies=1");
}

}  // namespace
}  // namespace kiosk::devices
