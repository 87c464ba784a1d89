#pragma once
// What CUPS tells about a queue and a job, and how the kiosk reads it: printer-state,
// printer-state-reasons and job-state turned into the hal status vocabulary and print errors.
// Pure functions without libcups, so the mapping is unit-tested and fuzzed on its own.
//
// printer-state-reasons keywords (RFC 8011 §5.4.12, PWG 5100.9): a keyword may end in "-error",
// "-warning" or "-report"; without a suffix it counts as an error. "none" means nothing to report.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hal/device.h"

namespace kiosk::devices::cups {

enum class ReasonSeverity { error, warning, report };

struct StateReason {
  std::string keyword;  // without its suffix: "media-empty"
  ReasonSeverity severity = ReasonSeverity::error;
};
// "media-empty-error" → {media-empty, error}; "toner-low-warning" → {toner-low, warning};
// "media-jam" → {media-jam, error}.
StateReason parse_state_reason(std::string_view text);

// printer-state (RFC 8011 §5.4.11).
enum class PrinterState { idle = 3, processing = 4, stopped = 5 };
// job-state (RFC 8011 §5.3.7).
enum class JobState {
  pending = 3,
  pending_held = 4,
  processing = 5,
  processing_stopped = 6,
  canceled = 7,
  aborted = 8,
  completed = 9,
};
const char* to_string(JobState state);
bool job_finished(JobState state);  // canceled, aborted or completed

// The answer to Get-Printer-Attributes, as far as the kiosk reads it.
struct PrinterSnapshot {
  PrinterState state = PrinterState::idle;
  bool accepting_jobs = true;        // printer-is-accepting-jobs
  std::vector<std::string> reasons;  // printer-state-reasons as sent ("none" included)
  std::string message;               // printer-state-message (from the printer or its backend)
};

// The answer to Get-Job-Attributes.
struct JobSnapshot {
  JobState state = JobState::pending;
  std::vector<std::string> reasons;  // job-state-reasons
  std::string message;               // job-printer-state-message, else job-state-message
};

// Outside data is bounded before it reaches a status or a log line.
inline constexpr std::size_t kMaxReasons = 32;
inline constexpr std::size_t kMaxReasonLength = 96;
inline constexpr std::size_t kMaxMessageLength = 160;
// Cuts text to at most `limit` bytes on a UTF-8 character boundary and drops control characters.
std::string bounded_text(std::string_view text, std::size_t limit);

// The hal status of the queue `queue`. Precedence: a fault a person fixes (paper out, cover open)
// → user_error; another fault (jam, toner empty, any "-error") → hardware_error; a stopped or
// paused queue, "offline", not accepting jobs → offline; processing → busy; else online.
// "-warning" on a media reason means near end; "-report" reasons are information only.
hal::DeviceStatus status_from_printer(const PrinterSnapshot& printer, const std::string& queue);

// The error a print must give when the printer is in `status`, or nothing when it may print.
std::optional<hal::DeviceError> printing_blocked(const hal::DeviceStatus& status);

// The error for a job that ended without completing; names the job's and the printer's reasons.
hal::DeviceError job_failure(const std::string& job_id, const JobSnapshot& job, const PrinterSnapshot& printer,
                             const std::string& queue);

// A job title safe to send to CUPS (it lands in the spool, logs and other users' queue views):
// a short ASCII word list ("licence", "tax-certificate") passes; anything else — Chinese text, a
// run of digits that could be an ID number, overlong text — becomes "document".
std::string safe_job_title(std::string_view title);

// A PDF starts with "%PDF-" (ISO 32000-1 §7.5.2).
bool looks_like_pdf(std::span<const std::uint8_t> bytes);

// A CUPS queue name: 1–127 printable ASCII characters without space, '/', '\\', '#', '?', quotes.
bool valid_queue_name(std::string_view name);

}  // namespace kiosk::devices::cups
