// Parsing of the escpos-serial / escpos-usb options and construction of the printer.
#include "devices/escpos/escpos_options.h"

#include "devices/escpos/escpos_printer.h"
#include "devices/options.h"
#include "devices/escpos/serial_transport.h"
#include "devices/escpos/usb_transport.h"

namespace kiosk::devices::escpos {
namespace {

OptionReader reader_of(const nlohmann::json& options) { return OptionReader(options, "receipt_printer"); }

Result<EscposOptions> printer_options(const nlohmann::json& options) {
  EscposOptions printer;
  const int width = TRY(reader_of(options).integer("width_dots", printer.width_dots));
  if (width < 384 || width > 2048 || width % 8 != 0) {
    return reader_of(options).error("width_dots", "expected 384 … 2048, a multiple of 8 (576 for 80 mm, 384 for 58 mm)");
  }
  printer.width_dots = width;
  return printer;
}

}  // namespace

Result<std::unique_ptr<hal::Device>> create_escpos_serial_printer(const nlohmann::json& options) {
  const OptionReader reader = reader_of(options);
  SerialOptions serial;
  serial.path = TRY(reader.required_string("path", "the printer's device or capture file (\"/dev/ttyUSB0\")"));
  serial.baud = TRY(reader.integer("baud", serial.baud));
  if (!is_supported_baud(serial.baud)) {
    return reader.error("baud", "unsupported speed " + std::to_string(serial.baud) +
                                    " (9600, 19200, 38400, 57600, 115200, 230400)");
  }
  if (options.contains("flow_control")) {
    const auto& flow = options["flow_control"];
    if (!flow.is_string() || (flow != "none" && flow != "rtscts")) {
      return reader.error("flow_control", "expected \"none\" or \"rtscts\"");
    }
    serial.hardware_flow_control = flow == "rtscts";
  }
  const EscposOptions printer = TRY(printer_options(options));
  return std::unique_ptr<hal::Device>(std::make_unique<EscposPrinter>(
      "escpos-serial", [serial] { return open_serial_transport(serial); }, printer));
}

Result<std::unique_ptr<hal::Device>> create_escpos_usb_printer(const nlohmann::json& options) {
  const OptionReader reader = reader_of(options);
  UsbOptions usb;
  usb.vendor_id = TRY(reader.usb_id("vid"));
  usb.product_id = TRY(reader.usb_id("pid"));
  if (usb.product_id && !usb.vendor_id) return reader.error("pid", "needs \"vid\" too");
  const EscposOptions printer = TRY(printer_options(options));
  return std::unique_ptr<hal::Device>(
      std::make_unique<EscposPrinter>("escpos-usb", [usb] { return open_usb_transport(usb); }, printer));
}

}  // namespace kiosk::devices::escpos
