// Parsing of the escpos-serial / escpos-usb options and construction of the printer.
#include "devices/escpos/escpos_options.h"

#include <cctype>

#include "devices/escpos/escpos_printer.h"
#include "devices/escpos/serial_transport.h"
#include "devices/escpos/usb_transport.h"

namespace kiosk::devices::escpos {
namespace {

Error option_error(const std::string& option, const std::string& what) {
  return Error::make(ErrorKind::parse, "devices.receipt_printer." + option + ": " + what);
}

Result<int> integer_option(const nlohmann::json& options, const char* name, int fallback) {
  if (!options.contains(name)) return fallback;
  if (!options[name].is_number_integer()) return option_error(name, "expected an integer");
  const auto value = options[name].get<long long>();
  if (value < 0 || value > 1'000'000) return option_error(name, "out of range");
  return static_cast<int>(value);
}

// "0416", "0x0416" or 1046 → a 16-bit id; absent → nullopt.
Result<std::optional<std::uint16_t>> usb_id_option(const nlohmann::json& options, const char* name) {
  if (!options.contains(name)) return std::optional<std::uint16_t>{};
  const auto& value = options[name];
  if (value.is_number_integer()) {
    const auto number = value.get<long long>();
    if (number < 0 || number > 0xFFFF) return option_error(name, "out of range (0…0xffff)");
    return std::optional<std::uint16_t>(static_cast<std::uint16_t>(number));
  }
  if (!value.is_string()) return option_error(name, "expected a hex string such as \"0416\"");
  std::string text = value.get<std::string>();
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) text = text.substr(2);
  if (text.empty() || text.size() > 4) return option_error(name, "expected 1 to 4 hex digits");
  unsigned number = 0;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return option_error(name, "expected 1 to 4 hex digits");
    number = number * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                                                                                              : std::tolower(c) - 'a' + 10);
  }
  return std::optional<std::uint16_t>(static_cast<std::uint16_t>(number));
}

Result<EscposOptions> printer_options(const nlohmann::json& options) {
  EscposOptions printer;
  const int width = TRY(integer_option(options, "width_dots", printer.width_dots));
  if (width < 384 || width > 2048 || width % 8 != 0) {
    return option_error("width_dots", "expected 384 … 2048, a multiple of 8 (576 for 80 mm, 384 for 58 mm)");
  }
  printer.width_dots = width;
  return printer;
}

}  // namespace

Result<std::unique_ptr<hal::Device>> create_escpos_serial_printer(const nlohmann::json& options) {
  if (!options.contains("path") || !options["path"].is_string() || options["path"].get<std::string>().empty()) {
    return option_error("path", "expected the printer's device or capture file (\"/dev/ttyUSB0\")");
  }
  SerialOptions serial;
  serial.path = options["path"].get<std::string>();
  serial.baud = TRY(integer_option(options, "baud", serial.baud));
  if (!is_supported_baud(serial.baud)) {
    return option_error("baud", "unsupported speed " + std::to_string(serial.baud) +
                                    " (9600, 19200, 38400, 57600, 115200, 230400)");
  }
  if (options.contains("flow_control")) {
    const auto& flow = options["flow_control"];
    if (!flow.is_string() || (flow != "none" && flow != "rtscts")) {
      return option_error("flow_control", "expected \"none\" or \"rtscts\"");
    }
    serial.hardware_flow_control = flow == "rtscts";
  }
  const EscposOptions printer = TRY(printer_options(options));
  return std::unique_ptr<hal::Device>(std::make_unique<EscposPrinter>(
      "escpos-serial", [serial] { return open_serial_transport(serial); }, printer));
}

Result<std::unique_ptr<hal::Device>> create_escpos_usb_printer(const nlohmann::json& options) {
  UsbOptions usb;
  usb.vendor_id = TRY(usb_id_option(options, "vid"));
  usb.product_id = TRY(usb_id_option(options, "pid"));
  if (usb.product_id && !usb.vendor_id) return option_error("pid", "needs \"vid\" too");
  const EscposOptions printer = TRY(printer_options(options));
  return std::unique_ptr<hal::Device>(
      std::make_unique<EscposPrinter>("escpos-usb", [usb] { return open_usb_transport(usb); }, printer));
}

}  // namespace kiosk::devices::escpos
