// Parsing of the sam-serial / sam-usb options and construction of the reader.
#include "devices/idcard/sam_options.h"

#include <cctype>

#include "devices/idcard/sam_reader.h"
#include "devices/idcard/transport.h"

namespace kiosk::devices::idcard {
namespace {

Error option_error(const std::string& option, const std::string& what) {
  return Error::make(ErrorKind::parse, "devices.card_reader." + option + ": " + what);
}

Result<int> integer_option(const nlohmann::json& options, const char* name, int fallback) {
  if (!options.contains(name)) return fallback;
  if (!options[name].is_number_integer()) return option_error(name, "expected an integer");
  const auto value = options[name].get<long long>();
  if (value < 0 || value > 1'000'000) return option_error(name, "out of range");
  return static_cast<int>(value);
}

// "0400", "0x0400", "C35A" → a 16-bit id.
Result<std::uint16_t> usb_id_option(const nlohmann::json& options, const char* name) {
  if (!options.contains(name) || !options[name].is_string()) return option_error(name, "expected a hex string such as \"0400\"");
  std::string text = options[name].get<std::string>();
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) text = text.substr(2);
  if (text.empty() || text.size() > 4) return option_error(name, "expected 1 to 4 hex digits");
  unsigned value = 0;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return option_error(name, "expected 1 to 4 hex digits");
    value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10);
  }
  return static_cast<std::uint16_t>(value);
}

Result<SamReaderOptions> reader_options(const nlohmann::json& options) {
  SamReaderOptions reader;
  auto poll = integer_option(options, "poll_ms", static_cast<int>(reader.poll_interval.count()));
  if (!poll.ok()) return poll.release_error();
  if (*poll < kMinPollInterval.count() || *poll > 10'000) {
    return option_error("poll_ms", "expected 300…10000 (readers allow no faster polling than every 300 ms)");
  }
  reader.poll_interval = milliseconds{*poll};
  return reader;
}

}  // namespace

Result<std::unique_ptr<hal::Device>> create_sam_serial_reader(const nlohmann::json& options) {
  if (!options.contains("path") || !options["path"].is_string() || options["path"].get<std::string>().empty()) {
    return option_error("path", "expected the serial device's path (\"/dev/ttyUSB0\")");
  }
  SerialOptions serial;
  serial.path = options["path"].get<std::string>();
  auto baud = integer_option(options, "baud", serial.baud);
  if (!baud.ok()) return baud.release_error();
  if (!supported_baud(*baud)) {
    return option_error("baud", "unsupported speed " + std::to_string(*baud) + " (9600, 19200, 38400, 57600, 115200)");
  }
  serial.baud = *baud;
  auto reader = reader_options(options);
  if (!reader.ok()) return reader.release_error();
  return std::unique_ptr<hal::Device>(
      std::make_unique<SamReader>("sam-serial", [serial] { return open_serial(serial); }, *reader));
}

Result<std::unique_ptr<hal::Device>> create_sam_usb_reader(const nlohmann::json& options) {
  UsbOptions usb;
  auto vendor = usb_id_option(options, "vid");
  if (!vendor.ok()) return vendor.release_error();
  auto product = usb_id_option(options, "pid");
  if (!product.ok()) return product.release_error();
  usb.vendor_id = *vendor;
  usb.product_id = *product;
  auto reader = reader_options(options);
  if (!reader.ok()) return reader.release_error();
  return std::unique_ptr<hal::Device>(std::make_unique<SamReader>("sam-usb", [usb] { return open_usb(usb); }, *reader));
}

}  // namespace kiosk::devices::idcard
