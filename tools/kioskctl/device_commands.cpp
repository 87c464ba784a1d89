// The command table and the helpers the handlers share (device_commands.h).
#include "tools/kioskctl/device_commands.h"

namespace kiosk::kioskctl {

const std::vector<DeviceCommand>& device_commands() {
  static const std::vector<DeviceCommand> commands = {
      {"idcard", "read", "(--serial PATH [--baud N] | --usb VID:PID) [--timeout-ms N]",
       "read the card on the reader; PRINTS PERSONAL DATA (name, ID number, address; never the photo)",
       {{"--serial", "--baud", "--usb", "--timeout-ms"}, {}, 0}, idcard_read},
      {"idcard", "sam-id", "(--serial PATH [--baud N] | --usb VID:PID) [--timeout-ms N]",
       "the reader's SAM module id", {{"--serial", "--baud", "--usb", "--timeout-ms"}, {}, 0}, idcard_sam_id},
      {"receipt", "print", "--demo (--out FILE | --serial PATH [--baud N] | --usb VID:PID) [--width 576|384] [--timeout-ms N]",
       "print the demo receipt (to a capture file with --out)",
       {{"--out", "--serial", "--baud", "--usb", "--width", "--timeout-ms"}, {"--demo"}, 0}, receipt_print},
      {"receipt", "status", "(--serial PATH [--baud N] | --usb VID:PID) [--timeout-ms N]",
       "ask the receipt printer its status (DLE EOT)", {{"--serial", "--baud", "--usb", "--timeout-ms"}, {}, 0},
       receipt_status},
      {"escpos2png", "", "CAPTURE.bin OUT.png", "draw captured ESC/POS bytes as the paper would show them",
       {{}, {}, 2}, escpos_to_png},
      {"print-pdf", "", "--printer NAME [--server HOST:PORT] [--timeout-ms N] FILE.pdf",
       "print a PDF through CUPS and follow the job to its end",
       {{"--printer", "--server", "--timeout-ms"}, {}, 1}, print_pdf},
      {"ocr", "", "IMAGE [--kind idcard|licence|household] [--timeout-ms N] [--tessdata DIR]",
       "read a document image and extract its fields; PRINTS PERSONAL DATA",
       {{"--kind", "--timeout-ms", "--tessdata"}, {}, 1}, ocr_image},
      {"face", "", "IMAGE [--cascade FILE]",
       "judge a photo with the face quality gate (exit 0 with \"ok\": false when it does not qualify)",
       {{"--cascade"}, {}, 1}, face_image},
  };
  return commands;
}

Outcome<std::chrono::milliseconds> timeout_of(const Arguments& arguments, long long fallback_ms) {
  const long long milliseconds = TRY(arguments.integer("--timeout-ms", fallback_ms, 1, 3'600'000));
  return std::chrono::milliseconds(milliseconds);
}

nlohmann::json status_json(const hal::DeviceStatus& status) {
  return {{"state", hal::to_string(status.state)},
          {"paper", hal::to_string(status.paper)},
          {"cover_open", status.cover_open},
          {"card_present", status.card_present},
          {"detail", status.detail}};
}

std::string describe(const hal::DeviceError& error) {
  return std::string(hal::to_string(error.code)) + ": " + error.message;
}

}  // namespace kiosk::kioskctl
