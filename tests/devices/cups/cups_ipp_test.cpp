// Reading cupsd's IPP answers (RFC 8010 encoding, RFC 8011 attributes) into snapshots: good
// answers, and malformed ones — missing or mistyped attributes, out-of-range enums, oversized
// lists and texts, truncated, corrupted and garbage bytes.

#include "devices/cups/cups_ipp.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/devices/cups/ipp_bytes.h"

namespace kiosk::devices::cups {
namespace {

using hal::DeviceErrorCode;
using test_support::IppPointer;
using test_support::job_answer;
using test_support::printer_answer;
using test_support::read_ipp;
using test_support::write_ipp;

TEST(CupsIpp, ReadsAPrinterAnswer) {
  const auto answer = printer_answer(5, {"media-empty-error", "paused"}, "out of paper", false);
  const auto snapshot = printer_snapshot(answer.get());
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  EXPECT_EQ(snapshot->state, PrinterState::stopped);
  EXPECT_FALSE(snapshot->accepting_jobs);
  EXPECT_EQ(snapshot->reasons, (std::vector<std::string>{"media-empty-error", "paused"}));
  EXPECT_EQ(snapshot->message, "out of paper");
}

TEST(CupsIpp, ReadsAJobAnswer) {
  const auto answer = job_answer(8, {"aborted-by-system"}, "paper jam");
  const auto snapshot = job_snapshot(answer.get());
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  EXPECT_EQ(snapshot->state, JobState::aborted);
  EXPECT_EQ(snapshot->reasons, (std::vector<std::string>{"aborted-by-system"}));
  EXPECT_EQ(snapshot->message, "paper jam");
}

TEST(CupsIpp, SurvivesTheBytesRoundTrip) {
  const auto bytes = write_ipp(printer_answer(4, {"none"}, "printing").get());
  ASSERT_GT(bytes.size(), 8u);
  const IppPointer decoded = read_ipp(bytes);
  ASSERT_NE(decoded, nullptr);
  const auto snapshot = printer_snapshot(decoded.get());
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
  EXPECT_EQ(snapshot->state, PrinterState::processing);
  EXPECT_EQ(snapshot->message, "printing");
}

TEST(CupsIpp, MissingOrMistypedStateIsBadData) {
  EXPECT_EQ(printer_snapshot(nullptr).error().code, DeviceErrorCode::bad_data);
  EXPECT_EQ(job_snapshot(nullptr).error().code, DeviceErrorCode::bad_data);

  IppPointer empty(ippNew());
  const auto missing = printer_snapshot(empty.get());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, DeviceErrorCode::bad_data);
  EXPECT_EQ(missing.error().message, "CUPS answer without printer-state");

  IppPointer as_integer(ippNew());  // integer, not enum
  ippAddInteger(as_integer.get(), IPP_TAG_PRINTER, IPP_TAG_INTEGER, "printer-state", 3);
  EXPECT_EQ(printer_snapshot(as_integer.get()).error().code, DeviceErrorCode::bad_data);

  IppPointer as_text(ippNew());
  ippAddString(as_text.get(), IPP_TAG_JOB, IPP_TAG_KEYWORD, "job-state", nullptr, "completed");
  EXPECT_EQ(job_snapshot(as_text.get()).error().code, DeviceErrorCode::bad_data);
}

TEST(CupsIpp, OutOfRangeStatesAreBadData) {
  for (int state : {0, 2, 6, 1000, -1}) {
    const auto snapshot = printer_snapshot(printer_answer(state, {}, nullptr).get());
    ASSERT_FALSE(snapshot.ok()) << state;
    EXPECT_EQ(snapshot.error().code, DeviceErrorCode::bad_data);
    EXPECT_NE(snapshot.error().message.find(std::to_string(state)), std::string::npos) << snapshot.error().message;
  }
  for (int state : {2, 10}) EXPECT_FALSE(job_snapshot(job_answer(state, {}, nullptr).get()).ok()) << state;
  for (int state = 3; state <= 9; ++state) EXPECT_TRUE(job_snapshot(job_answer(state, {}, nullptr).get()).ok());
}

TEST(CupsIpp, OversizedListsAndTextsAreBounded) {
  const std::string long_reason(300, 'r');
  std::vector<const char*> reasons(100, long_reason.c_str());
  const std::string long_message(5000, 'm');
  const auto snapshot = printer_snapshot(printer_answer(3, reasons, long_message.c_str()).get());
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->reasons.size(), kMaxReasons);
  for (const auto& reason : snapshot->reasons) EXPECT_LE(reason.size(), kMaxReasonLength);
  EXPECT_EQ(snapshot->message.size(), kMaxMessageLength);
  // And the status built from it stays bounded too.
  EXPECT_LT(status_from_printer(*snapshot, "q").detail.size(), 2 * kMaxMessageLength + 64);
}

TEST(CupsIpp, OptionalAttributesMayBeMissingOrMistyped) {
  IppPointer answer(ippNew());
  ippAddInteger(answer.get(), IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state", 3);
  ippAddInteger(answer.get(), IPP_TAG_PRINTER, IPP_TAG_INTEGER, "printer-state-reasons", 7);  // not keywords
  ippAddString(answer.get(), IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-state-message", nullptr, "bad\x01\x7f" "text");
  const auto snapshot = printer_snapshot(answer.get());
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->accepting_jobs);  // absent: CUPS did not say otherwise
  EXPECT_TRUE(snapshot->reasons.empty());
  EXPECT_EQ(snapshot->message, "badtext");
}

TEST(CupsIpp, TruncatedBytesNeverDecodeToAWrongAnswer) {
  const auto bytes = write_ipp(printer_answer(5, {"media-empty-error"}, "out of paper").get());
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    const IppPointer decoded = read_ipp(std::span(bytes.data(), length));
    if (!decoded) continue;  // refused: the usual outcome
    // A prefix that ends between attributes decodes to fewer attributes, never to other values.
    const auto snapshot = printer_snapshot(decoded.get());
    if (snapshot.ok()) {
      EXPECT_EQ(snapshot->state, PrinterState::stopped) << length;
    }
  }
}

TEST(CupsIpp, CorruptedAndGarbageBytesAreRefusedOrRead) {
  const auto bytes = write_ipp(job_answer(9, {"job-completed-successfully"}, "done").get());
  int refused = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (std::uint8_t flip : {0x01, 0x80, 0xff}) {
      auto corrupted = bytes;
      corrupted[i] ^= flip;
      const IppPointer decoded = read_ipp(corrupted);
      if (!decoded) {
        ++refused;
        continue;
      }
      const auto snapshot = job_snapshot(decoded.get());  // must not crash; may be bad_data
      if (snapshot.ok()) {
        EXPECT_TRUE(static_cast<int>(snapshot->state) >= 3 && static_cast<int>(snapshot->state) <= 9);
      }
    }
  }
  EXPECT_GT(refused, 0);
  const std::string garbage = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  EXPECT_EQ(read_ipp(std::span(reinterpret_cast<const std::uint8_t*>(garbage.data()), garbage.size())), nullptr);
  const std::vector<std::uint8_t> huge_length = {2, 0, 0, 0, 0, 0, 0, 1, 0x04, 0x21, 0xff, 0xff, 'x'};
  EXPECT_EQ(read_ipp(huge_length), nullptr);
}

}  // namespace
}  // namespace kiosk::devices::cups
