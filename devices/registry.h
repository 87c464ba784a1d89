#pragma once
// Drivers are picked by name from a table, per device class, driven by the config's "devices"
// object (like SDL's video bootstrap): {"card_reader": {"driver": "sim", …options}}. The sims are
// used only when named. "none" — or no entry for a class — means the terminal has no such device.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hal/devices.h"
#include "kiosk/core/result.h"

namespace kiosk::devices {

struct DriverContext {
  std::filesystem::path assets_dir;  // sample identities and images for the sims
};

// One driver: creates a device of its class from its options, or says why not. `options` names
// every option it reads besides "driver": make_devices() refuses any other key before the driver
// runs, with the key meant (`unknown key `devices.card_reader.buad`; did you mean
// `devices.card_reader.baud`?`), so a misspelt option is never silently left at its default.
struct DriverEntry {
  hal::DeviceClass device;
  const char* name;
  const char* description;
  std::vector<std::string> options;
  std::function<Result<std::unique_ptr<hal::Device>>(const nlohmann::json& options, const DriverContext& context)> create;
};

// Every driver this build has.
const std::vector<DriverEntry>& driver_table();
std::vector<std::string> driver_names(hal::DeviceClass device);

// Builds the terminal's devices. Errors name the config path:
// `devices.receipt_printer.driver: unknown driver "foo" (known: sim, none)`; a device class or an
// option no driver knows is refused with the nearest known one, as the config's own keys are
// (kiosk/core/config.h closest_key): `unknown key `devices.card_raeder`; did you mean
// `devices.card_reader`?`.
// The checks of make_devices() that need no device: every class, driver name and option name is
// one this build knows. For config checks that must not open anything.
Status check_devices(const nlohmann::json& devices_config);
Result<hal::Devices> make_devices(const nlohmann::json& devices_config, const DriverContext& context);

}  // namespace kiosk::devices
