// Turns what CUPS reports about a queue and a job into the hal status vocabulary and print errors.

#include "devices/cups/cups_status.h"

#include <algorithm>
#include <array>

#include "kiosk/core/text.h"

namespace kiosk::devices::cups {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using hal::Supply;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

template <std::size_t N>
bool one_of(std::string_view keyword, const std::array<std::string_view, N>& keywords) {
  return std::find(keywords.begin(), keywords.end(), keyword) != keywords.end();
}

constexpr std::array<std::string_view, 2> kPaperOut = {"media-empty", "media-needed"};
constexpr std::array<std::string_view, 3> kCoverOpen = {"cover-open", "door-open", "interlock-open"};
// Faults staff must fix: the print cannot go on.
constexpr std::array<std::string_view, 9> kHardwareFaults = {
    "media-jam",         "toner-empty",      "marker-supply-empty", "marker-waste-full", "fuser-over-temp",
    "fuser-under-temp", "input-tray-missing", "output-area-full",    "other"};
// The queue or the device is not taking work.
constexpr std::array<std::string_view, 4> kOffline = {"offline", "paused", "shutdown", "moving-to-paused"};

// What the reasons of one printer add up to.
struct ReasonSummary {
  Supply paper = Supply::ok;
  bool cover_open = false;
  bool hardware_fault = false;
  bool offline = false;
  std::string listed;  // the reasons as sent, for the detail ("none" left out)
};

void add_reason(ReasonSummary& summary, std::string_view text) {
  const StateReason reason = parse_state_reason(text);
  if (reason.keyword.empty() || reason.keyword == "none") return;
  summary.listed += (summary.listed.empty() ? "" : ", ") + std::string(text);
  if (reason.severity == ReasonSeverity::report) return;  // information only
  const bool error = reason.severity == ReasonSeverity::error;
  if (one_of(reason.keyword, kPaperOut) && error) {
    summary.paper = Supply::out;
  } else if (one_of(reason.keyword, kPaperOut) || reason.keyword == "media-low") {
    if (summary.paper == Supply::ok) summary.paper = Supply::near_end;  // "media-empty-warning": near end
  } else if (!error) {
    return;  // other warnings: in the detail only
  } else if (one_of(reason.keyword, kCoverOpen)) {
    summary.cover_open = true;
  } else if (one_of(reason.keyword, kHardwareFaults)) {
    summary.hardware_fault = true;
  } else if (one_of(reason.keyword, kOffline)) {
    summary.offline = true;
  } else if (ends_with(text, "-error")) {
    summary.hardware_fault = true;  // an unknown fault the printer calls an error
  }
  // Unknown keywords without a suffix ("connecting-to-device", "cups-remote-pending") are how
  // CUPS says what it is doing: information only, although RFC 8011 would call them errors.
}

const char* printer_state_name(PrinterState state) {
  switch (state) {
    case PrinterState::idle: return "idle";
    case PrinterState::processing: return "processing";
    case PrinterState::stopped: return "stopped";
  }
  return "unknown";
}

std::string printer_detail(const PrinterSnapshot& printer, const ReasonSummary& summary, const std::string& queue) {
  std::string detail = "cups queue \"" + queue + "\": " + printer_state_name(printer.state);
  if (!printer.accepting_jobs) detail += ", not accepting jobs";
  if (!summary.listed.empty()) detail += "; " + bounded_text(summary.listed, kMaxMessageLength);
  if (!printer.message.empty()) detail += "; \"" + bounded_text(printer.message, kMaxMessageLength) + "\"";
  return detail;
}

std::string join_reasons(const std::vector<std::string>& reasons) {
  std::string joined;
  for (const auto& reason : reasons) joined += (joined.empty() ? "" : ", ") + reason;
  return joined.empty() ? "none" : bounded_text(joined, kMaxMessageLength);
}

}  // namespace

StateReason parse_state_reason(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, ReasonSeverity>, 3> kSuffixes = {
      {{"-error", ReasonSeverity::error}, {"-warning", ReasonSeverity::warning}, {"-report", ReasonSeverity::report}}};
  for (const auto& [suffix, severity] : kSuffixes) {
    if (text.size() > suffix.size() && ends_with(text, suffix)) {
      return StateReason{std::string(text.substr(0, text.size() - suffix.size())), severity};
    }
  }
  return StateReason{std::string(text), ReasonSeverity::error};
}

const char* to_string(JobState state) {
  switch (state) {
    case JobState::pending: return "pending";
    case JobState::pending_held: return "held";
    case JobState::processing: return "processing";
    case JobState::processing_stopped: return "stopped";
    case JobState::canceled: return "canceled";
    case JobState::aborted: return "aborted";
    case JobState::completed: return "completed";
  }
  return "unknown";
}

bool job_finished(JobState state) {
  return state == JobState::canceled || state == JobState::aborted || state == JobState::completed;
}

std::string bounded_text(std::string_view text, std::size_t limit) {
  std::string bounded;
  for (char32_t c : text::decode_utf8(text)) {
    if (c < 0x20 || c == 0x7f) continue;
    std::string encoded;
    text::append_utf8(encoded, c);
    if (bounded.size() + encoded.size() > limit) break;
    bounded += encoded;
  }
  return bounded;
}

hal::DeviceStatus status_from_printer(const PrinterSnapshot& printer, const std::string& queue) {
  ReasonSummary summary;
  for (std::size_t i = 0; i < printer.reasons.size() && i < kMaxReasons; ++i) add_reason(summary, printer.reasons[i]);
  hal::DeviceStatus status;
  status.paper = summary.paper;
  status.cover_open = summary.cover_open;
  status.detail = printer_detail(printer, summary, queue);
  if (summary.paper == Supply::out || summary.cover_open) {
    status.state = DeviceState::user_error;
  } else if (summary.hardware_fault) {
    status.state = DeviceState::hardware_error;
  } else if (summary.offline || printer.state == PrinterState::stopped || !printer.accepting_jobs) {
    status.state = DeviceState::offline;
  } else if (printer.state == PrinterState::processing) {
    status.state = DeviceState::busy;
  } else {
    status.state = DeviceState::online;
  }
  return status;
}

std::optional<hal::DeviceError> printing_blocked(const hal::DeviceStatus& status) {
  const std::string why = "printer not ready: " + hal::describe(status);
  switch (status.state) {
    case DeviceState::online:
    case DeviceState::busy: return std::nullopt;
    case DeviceState::user_error:
      return hal::device_error(status.paper == Supply::out ? DeviceErrorCode::paper_out : DeviceErrorCode::cover_open,
                               why);
    case DeviceState::hardware_error: return hal::device_error(DeviceErrorCode::hardware, why);
    case DeviceState::offline: return hal::device_error(DeviceErrorCode::offline, why);
    case DeviceState::no_device: return hal::device_error(DeviceErrorCode::no_device, why);
  }
  return hal::device_error(DeviceErrorCode::hardware, why);
}

hal::DeviceError job_failure(const std::string& job_id, const JobSnapshot& job, const PrinterSnapshot& printer,
                             const std::string& queue) {
  const hal::DeviceStatus status = status_from_printer(printer, queue);
  std::string message = "job " + job_id + " " + to_string(job.state) + " (job reasons: " + join_reasons(job.reasons);
  if (!job.message.empty()) message += "; \"" + bounded_text(job.message, kMaxMessageLength) + "\"";
  message += "); printer " + hal::describe(status);
  const auto blocked = printing_blocked(status);
  // The printer's own fault names the cause best (paper out, cover open, jam); else the job failed.
  DeviceErrorCode code = DeviceErrorCode::hardware;
  if (blocked && blocked->code != DeviceErrorCode::offline) code = blocked->code;
  return hal::device_error(code, message);
}

std::string safe_job_title(std::string_view title) {
  static constexpr std::size_t kMaxTitle = 48;
  static constexpr int kMaxDigitRun = 4;  // a year passes; an ID, phone or case number does not
  if (title.empty() || title.size() > kMaxTitle) return "document";
  int digit_run = 0;
  for (char c : title) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !letter && c != ' ' && c != '-' && c != '_' && c != '.') return "document";
    digit_run = digit ? digit_run + 1 : 0;
    if (digit_run > kMaxDigitRun) return "document";
  }
  return std::string(title);
}

bool looks_like_pdf(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view kMagic = "%PDF-";
  if (bytes.size() < kMagic.size()) return false;
  return std::equal(kMagic.begin(), kMagic.end(), bytes.begin(),
                    [](char expected, std::uint8_t actual) { return static_cast<std::uint8_t>(expected) == actual; });
}

bool valid_queue_name(std::string_view name) {
  if (name.empty() || name.size() > 127) return false;
  for (char c : name) {
    if (c <= ' ' || c == 0x7f || static_cast<unsigned char>(c) >= 0x80) return false;
    if (c == '/' || c == '\\' || c == '#' || c == '?' || c == '\'' || c == '"') return false;
  }
  return true;
}

}  // namespace kiosk::devices::cups
