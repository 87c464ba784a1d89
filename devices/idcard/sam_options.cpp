// Parsing of the sam-serial / sam-usb options and construction of the reader.
#include "devices/idcard/sam_options.h"

#include "devices/idcard/sam_reader.h"
#include "devices/idcard/transport.h"
#include "devices/options.h"

namespace kiosk::devices::idcard {
namespace {

OptionReader reader_of(const nlohmann::json& options) { return OptionReader(options, "card_reader"); }

// A USB id that must be there: "0400", "0x0400", "C35A".
Result<std::uint16_t> required_usb_id(const OptionReader& reader, const char* name) {
  const auto id = TRY(reader.usb_id(name));
  if (!id) return reader.error(name, "expected a hex string such as \"0400\"");
  return *id;
}

Result<SamReaderOptions> reader_options(const nlohmann::json& options) {
  SamReaderOptions reader;
  auto poll = reader_of(options).integer("poll_ms", static_cast<int>(reader.poll_interval.count()));
  if (!poll.ok()) return poll.release_error();
  if (*poll < kMinPollInterval.count() || *poll > 10'000) {
    return reader_of(options).error("poll_ms", "expected 300…10000 (readers allow no faster polling than every 300 ms)");
  }
  reader.poll_interval = milliseconds{*poll};
  return reader;
}

}  // namespace

Result<std::unique_ptr<hal::Device>> create_sam_serial_reader(const nlohmann::json& options) {
  const OptionReader option_reader = reader_of(options);
  SerialOptions serial;
  serial.path = TRY(option_reader.required_string("path", "the serial device's path (\"/dev/ttyUSB0\")"));
  auto baud = option_reader.integer("baud", serial.baud);
  if (!baud.ok()) return baud.release_error();
  if (!supported_baud(*baud)) {
    return option_reader.error("baud", "unsupported speed " + std::to_string(*baud) + " (9600, 19200, 38400, 57600, 115200)");
  }
  serial.baud = *baud;
  auto reader = reader_options(options);
  if (!reader.ok()) return reader.release_error();
  return std::unique_ptr<hal::Device>(
      std::make_unique<SamReader>("sam-serial", [serial] { return open_serial(serial); }, *reader));
}

Result<std::unique_ptr<hal::Device>> create_sam_usb_reader(const nlohmann::json& options) {
  UsbOptions usb;
  const OptionReader option_reader = reader_of(options);
  auto vendor = required_usb_id(option_reader, "vid");
  if (!vendor.ok()) return vendor.release_error();
  auto product = required_usb_id(option_reader, "pid");
  if (!product.ok()) return product.release_error();
  usb.vendor_id = *vendor;
  usb.product_id = *product;
  auto reader = reader_options(options);
  if (!reader.ok()) return reader.release_error();
  return std::unique_ptr<hal::Device>(std::make_unique<SamReader>("sam-usb", [usb] { return open_usb(usb); }, *reader));
}

}  // namespace kiosk::devices::idcard
