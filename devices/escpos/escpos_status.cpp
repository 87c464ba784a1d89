#include "devices/escpos/escpos_status.h"

#include <cstdio>

namespace kiosk::devices::escpos {
namespace {

bool bit(std::uint8_t byte, int index) { return ((byte >> index) & 1u) != 0; }

std::string hex_byte(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "%02X", static_cast<unsigned>(byte));
  return text;
}

}  // namespace

Bytes encode_status_query(StatusQuery query) { return {0x10, 0x04, static_cast<std::uint8_t>(query)}; }

hal::DeviceStatusResult apply_status_byte(StatusQuery query, std::uint8_t byte, PrinterStatus& status) {
  const int n = static_cast<int>(query);
  if (n < 1 || n > 4) {
    return hal::device_error(hal::DeviceErrorCode::unsupported, "DLE EOT " + std::to_string(n) + ": not a status query");
  }
  if (!passes_status_mask(byte)) {
    return hal::device_error(hal::DeviceErrorCode::bad_data, "DLE EOT " + std::to_string(n) + " answered 0x" +
                                                                 hex_byte(byte) +
                                                                 ", which fails the fixed bits 0xx1xx10");
  }
  switch (query) {
    case StatusQuery::printer:
      status.offline = bit(byte, 3);
      status.waiting_for_recovery = bit(byte, 5);
      status.feed_button_pressed = bit(byte, 6);
      break;
    case StatusQuery::offline_cause:
      status.cover_open = bit(byte, 2);
      status.feeding_by_button = bit(byte, 3);
      status.stopped_by_paper_end = bit(byte, 5);
      status.error = bit(byte, 6);
      break;
    case StatusQuery::error_cause:
      status.cutter_error = bit(byte, 3);
      status.unrecoverable_error = bit(byte, 5);
      status.auto_recoverable_error = bit(byte, 6);
      break;
    case StatusQuery::paper_sensor:
      // Both bits of a pair are set by Epson; some clones set only one. Either counts.
      status.paper_near_end = bit(byte, 2) || bit(byte, 3);
      status.paper_end = bit(byte, 5) || bit(byte, 6);
      break;
  }
  status.raw[static_cast<std::size_t>(n - 1)] = byte;
  return {};
}

std::string describe_raw(const PrinterStatus& status) {
  std::string text = "DLE EOT 1-4:";
  for (const auto& answer : status.raw) text += " " + (answer ? hex_byte(*answer) : std::string("--"));
  return text;
}

hal::DeviceStatus to_device_status(const PrinterStatus& status) {
  hal::DeviceStatus result;
  result.paper = status.paper_end || status.stopped_by_paper_end ? hal::Supply::out
                 : status.paper_near_end                         ? hal::Supply::near_end
                                                                 : hal::Supply::ok;
  result.cover_open = status.cover_open;
  std::string cause;
  if (status.cutter_error || status.unrecoverable_error) {
    result.state = hal::DeviceState::hardware_error;
    cause = status.cutter_error ? "cutter error" : "unrecoverable error";
  } else if (status.cover_open || result.paper == hal::Supply::out) {
    result.state = hal::DeviceState::user_error;
    cause = status.cover_open ? "cover open" : "paper end";
  } else if (status.auto_recoverable_error || status.offline || status.error) {
    result.state = hal::DeviceState::offline;
    cause = status.auto_recoverable_error ? "auto-recoverable error (head temperature?)" : "printer offline";
  } else {
    result.state = hal::DeviceState::online;
    if (result.paper == hal::Supply::near_end) cause = "paper near end";
  }
  result.detail = (cause.empty() ? "" : cause + "; ") + describe_raw(status);
  return result;
}

std::optional<hal::DeviceError> job_refusal(const PrinterStatus& status) {
  const std::string raw = describe_raw(status);
  if (status.cutter_error) return hal::device_error(hal::DeviceErrorCode::hardware, "cutter error; " + raw);
  if (status.unrecoverable_error) return hal::device_error(hal::DeviceErrorCode::hardware, "unrecoverable error; " + raw);
  if (status.cover_open) return hal::device_error(hal::DeviceErrorCode::cover_open, "cover open; " + raw);
  if (status.paper_end || status.stopped_by_paper_end) {
    return hal::device_error(hal::DeviceErrorCode::paper_out, "paper end; " + raw);
  }
  if (status.auto_recoverable_error) {
    return hal::device_error(hal::DeviceErrorCode::offline, "auto-recoverable error; " + raw);
  }
  if (status.offline || status.error) return hal::device_error(hal::DeviceErrorCode::offline, "printer offline; " + raw);
  return std::nullopt;
}

}  // namespace kiosk::devices::escpos
