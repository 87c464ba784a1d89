// kioskctl device idcard read | sam-id: the real SAM reader driver, built by the registry from
// the same options the kiosk's config takes, so options are parsed in one place.
#include <thread>

#include "devices/registry.h"
#include "kiosk/core/check_digits.h"
#include "tools/kioskctl/device_commands.h"

namespace kiosk::kioskctl {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The card_reader options of the kiosk's config, from --serial/--baud or --usb.
Outcome<nlohmann::json> reader_options(const Arguments& arguments) {
  const bool serial = arguments.has("--serial"), usb = arguments.has("--usb");
  if (serial == usb) return usage_error("give exactly one of --serial PATH or --usb VID:PID");
  if (usb) {
    if (arguments.has("--baud")) return usage_error("--baud is for --serial");
    const auto [vendor, product] = TRY(usb_ids(*arguments.value("--usb")));
    return nlohmann::json{{"driver", "sam-usb"}, {"vid", vendor}, {"pid", product}};
  }
  nlohmann::json options{{"driver", "sam-serial"}, {"path", *arguments.value("--serial")}};
  if (arguments.has("--baud")) options["baud"] = TRY(arguments.integer("--baud", 115200, 1, 4'000'000));
  return options;
}

Outcome<hal::Devices> open_reader(const Arguments& arguments) {
  const nlohmann::json options = TRY(reader_options(arguments));
  auto devices = devices::make_devices({{"card_reader", options}}, devices::DriverContext{});
  if (!devices.ok()) return usage_error(devices.error().message);
  return devices.release_value();
}

// The reader opens its port and checks the SAM on its own thread: wait for it to say online.
Outcome<milliseconds> wait_until_online(const hal::CardReader& reader, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (reader.status().state != hal::DeviceState::online) {
    if (Clock::now() >= deadline) {
      return failed("card reader not ready after " + std::to_string(timeout.count()) +
                    " ms: " + hal::describe(reader.status()));
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  return std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
}

nlohmann::json card_json(const hal::IdentityCard& card) {
  return {{"name", card.name},
          {"sex", card.sex},
          {"nation", card.nation},
          {"birth_date", card.birth_date},
          {"address", card.address},
          {"id_number", card.id_number},
          {"id_number_valid", check_digits::valid_id_number(card.id_number)},
          {"authority", card.authority},
          {"valid_from", card.valid_from},
          {"valid_until", card.valid_until},
          {"photo_bytes", card.photo.size()}};
}

}  // namespace

Outcome<nlohmann::json> idcard_read(const Arguments& arguments) {
  const milliseconds timeout = TRY(timeout_of(arguments));
  hal::Devices devices = TRY(open_reader(arguments));
  hal::CardReader& reader = *devices.card_reader;
  const milliseconds left = TRY(wait_until_online(reader, timeout));
  auto card = reader.read_card(hal::CancelToken{}, std::max(left, milliseconds(1)));
  if (!card.ok()) return failed("read failed: " + describe(card.error()));
  nlohmann::json answer{{"driver", reader.driver()}, {"card", card_json(*card)}, {"status", status_json(reader.status())}};
  card->wipe();
  return answer;
}

Outcome<nlohmann::json> idcard_sam_id(const Arguments& arguments) {
  const milliseconds timeout = TRY(timeout_of(arguments));
  hal::Devices devices = TRY(open_reader(arguments));
  hal::CardReader& reader = *devices.card_reader;
  const milliseconds left = TRY(wait_until_online(reader, timeout));
  auto sam = reader.sam_id(std::max(left, milliseconds(1)));
  if (!sam.ok()) return failed("SAM id: " + describe(sam.error()));
  return nlohmann::json{{"driver", reader.driver()}, {"sam_id", *sam}, {"status", status_json(reader.status())}};
}

}  // namespace kiosk::kioskctl
