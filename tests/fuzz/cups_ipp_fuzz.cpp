// Fuzz target: IPP answers from cupsd (Get-Printer-Attributes / Get-Job-Attributes) as the CUPS
// document printer driver reads them: libcups decodes the bytes, the driver reads its snapshots
// and maps printer-state-reasons to a status and print errors.
#include <cstdint>
#include <span>

#include "devices/cups/cups_ipp.h"
#include "tests/devices/cups/ipp_bytes.h"

namespace cups = kiosk::devices::cups;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto answer = cups::test_support::read_ipp(std::span(data, size));
  if (!answer) return 0;
  auto printer = cups::printer_snapshot(answer.get());
  if (printer.ok()) {
    // What comes out is bounded, whatever came in.
    if (printer->reasons.size() > cups::kMaxReasons || printer->message.size() > cups::kMaxMessageLength) {
      __builtin_trap();
    }
    const auto status = cups::status_from_printer(printer.value(), "fuzz");
    if (status.detail.size() > 4 * cups::kMaxMessageLength) __builtin_trap();
    (void)cups::printing_blocked(status);
  }
  auto job = cups::job_snapshot(answer.get());
  if (job.ok()) {
    if (static_cast<int>(job->state) < 3 || static_cast<int>(job->state) > 9) __builtin_trap();
    (void)cups::job_failure("fuzz-1", job.value(), printer.ok() ? printer.value() : cups::PrinterSnapshot{}, "fuzz");
  }
  return 0;
}
