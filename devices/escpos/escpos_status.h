#pragma once
// Real-time status of an ESC/POS printer: DLE EOT n (10 04 n, n = 1…4) asks for one status byte
// each. Every answer has the fixed bits 0xx1xx10 (bit 7 = 0, bit 4 = 1, bit 1 = 1, bit 0 = 0); a
// byte that fails that mask is not a status byte (line noise, a spurious answer, a wrong baud rate)
// and is never trusted: parsing gives bad_data.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "devices/escpos/escpos_encoder.h"
#include "hal/device.h"

namespace kiosk::devices::escpos {

enum class StatusQuery : std::uint8_t {
  printer = 1,        // bit 3 offline, bit 5 waiting for online recovery, bit 6 feed button pressed
  offline_cause = 2,  // bit 2 cover open, bit 3 feeding by button, bit 5 stopped by paper end, bit 6 error
  error_cause = 3,    // bit 3 cutter error, bit 5 unrecoverable error, bit 6 auto-recoverable error
  paper_sensor = 4,   // bits 2–3 paper near end, bits 5–6 paper end
};
inline constexpr std::array<StatusQuery, 4> kAllStatusQueries = {
    StatusQuery::printer, StatusQuery::offline_cause, StatusQuery::error_cause, StatusQuery::paper_sensor};

Bytes encode_status_query(StatusQuery query);  // 10 04 n

inline constexpr std::uint8_t kStatusFixedMask = 0x93;   // bits 7, 4, 1, 0
inline constexpr std::uint8_t kStatusFixedValue = 0x12;  // 0xx1xx10
inline bool passes_status_mask(std::uint8_t byte) { return (byte & kStatusFixedMask) == kStatusFixedValue; }

// What the four answers say, decoded bit by bit.
struct PrinterStatus {
  // DLE EOT 1
  bool offline = false;
  bool waiting_for_recovery = false;
  bool feed_button_pressed = false;
  // DLE EOT 2
  bool cover_open = false;
  bool feeding_by_button = false;
  bool stopped_by_paper_end = false;
  bool error = false;
  // DLE EOT 3
  bool cutter_error = false;
  bool unrecoverable_error = false;
  bool auto_recoverable_error = false;  // e.g. print head too hot: clears by itself
  // DLE EOT 4
  bool paper_near_end = false;
  bool paper_end = false;
  // The raw answers, for technicians ("DLE EOT 1-4: 16 12 12 1E").
  std::array<std::optional<std::uint8_t>, 4> raw{};

  bool operator==(const PrinterStatus&) const = default;
};

// Folds the answer to `query` into `status`. bad_data (and `status` unchanged) when the byte fails
// the fixed-bit mask.
hal::DeviceStatusResult apply_status_byte(StatusQuery query, std::uint8_t byte, PrinterStatus& status);

// "DLE EOT 1-4: 16 12 12 12" (missing answers as "--").
std::string describe_raw(const PrinterStatus& status);

// The hal status these answers mean. Precedence: hardware faults, then what a person can fix
// (paper, cover), then offline; paper near end alone leaves the printer online.
hal::DeviceStatus to_device_status(const PrinterStatus& status);

// The error a print must give before (or after) a job with this status, if any: hardware
// (cutter, unrecoverable), cover_open, paper_out, offline (auto-recoverable error, offline bit).
std::optional<hal::DeviceError> job_refusal(const PrinterStatus& status);

}  // namespace kiosk::devices::escpos
