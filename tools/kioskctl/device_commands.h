#pragma once
// The `kioskctl device …` commands: each runs one driver or tool standalone and answers JSON.
// The table drives dispatch and the usage text; handlers live in idcard_commands.cpp,
// printer_commands.cpp and document_commands.cpp.

#include <chrono>
#include <vector>

#include <nlohmann/json.hpp>

#include "hal/device.h"
#include "tools/kioskctl/arguments.h"

namespace kiosk::kioskctl {

using Handler = Outcome<nlohmann::json> (*)(const Arguments& arguments);

struct DeviceCommand {
  const char* group;     // "idcard", "receipt", "ocr" …
  const char* action;    // "read", "print" …; "" when the group is the whole command
  const char* synopsis;  // the arguments, for the usage text
  const char* summary;
  ArgumentSpec spec;
  Handler run;
};

const std::vector<DeviceCommand>& device_commands();

// Handlers.
Outcome<nlohmann::json> idcard_read(const Arguments& arguments);
Outcome<nlohmann::json> idcard_sam_id(const Arguments& arguments);
Outcome<nlohmann::json> receipt_print(const Arguments& arguments);
Outcome<nlohmann::json> receipt_status(const Arguments& arguments);
Outcome<nlohmann::json> escpos_to_png(const Arguments& arguments);
Outcome<nlohmann::json> print_pdf(const Arguments& arguments);
Outcome<nlohmann::json> ocr_image(const Arguments& arguments);
Outcome<nlohmann::json> face_image(const Arguments& arguments);

// Shared by the handlers.
inline constexpr long long kDefaultTimeoutMs = 5000;
Outcome<std::chrono::milliseconds> timeout_of(const Arguments& arguments, long long fallback_ms = kDefaultTimeoutMs);
nlohmann::json status_json(const hal::DeviceStatus& status);
// "paper_out: …" — a device call's error as one line.
std::string describe(const hal::DeviceError& error);

}  // namespace kiosk::kioskctl
