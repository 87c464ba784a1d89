#include "devices/registry.h"

#include <algorithm>

#include "devices/cups/cups_printer.h"
#include "devices/escpos/escpos_options.h"
#include "devices/idcard/sam_options.h"
#include "devices/sim/identities.h"
#include "devices/sim/pnm.h"
#include "devices/sim/sim_camera.h"
#include "devices/sim/sim_card_reader.h"
#include "devices/sim/sim_printers.h"
#include "devices/v4l2/v4l2_options.h"
#include "kiosk/core/config.h"

namespace kiosk::devices {
namespace {

using Created = Result<std::unique_ptr<hal::Device>>;

Error option_error(hal::DeviceClass device, const std::string& option, const std::string& what) {
  // An empty option names the class itself: `devices.card_reader: expected an object`.
  return Error::make(ErrorKind::parse, std::string("devices.") + hal::to_string(device) +
                                           (option.empty() ? "" : "." + option) + ": " + what);
}

// "frames": ["images/face-ok.ppm", …] relative to the assets folder.
Result<std::vector<hal::Image>> load_frames(hal::DeviceClass device, const nlohmann::json& options,
                                            const DriverContext& context) {
  std::vector<hal::Image> frames;
  if (!options.contains("frames")) return frames;
  const auto& list = options["frames"];
  if (!list.is_array()) return option_error(device, "frames", "expected an array of image paths");
  for (const auto& entry : list) {
    if (!entry.is_string()) return option_error(device, "frames", "expected an array of image paths");
    auto image = sim::load_pnm(context.assets_dir / entry.get<std::string>());
    if (!image.ok()) return option_error(device, "frames", image.error().message);
    frames.push_back(image.release_value());
  }
  return frames;
}

Created create_sim_card_reader(const nlohmann::json& options, const DriverContext& context) {
  auto reader = std::make_unique<sim::SimCardReader>();
  if (options.contains("card")) {
    if (!options["card"].is_string()) return option_error(hal::DeviceClass::card_reader, "card", "expected a sample name");
    auto card = sim::load_sample_identity(context.assets_dir, options["card"].get<std::string>());
    if (!card.ok()) return option_error(hal::DeviceClass::card_reader, "card", card.error().message);
    reader->place_card(card.release_value());
  }
  return std::unique_ptr<hal::Device>(std::move(reader));
}

template <typename Camera>
Created create_sim_camera(hal::DeviceClass device, const nlohmann::json& options, const DriverContext& context) {
  auto frames = load_frames(device, options, context);
  if (!frames.ok()) return frames.release_error();
  return std::unique_ptr<hal::Device>(std::make_unique<Camera>(frames.release_value()));
}

}  // namespace

const std::vector<DriverEntry>& driver_table() {
  using hal::DeviceClass;
  static const std::vector<DriverEntry> table = {
      {DeviceClass::card_reader, "sim", "simulated ID card reader (sample identities)", {"card"}, create_sim_card_reader},
      {DeviceClass::card_reader, "sam-serial", "resident ID card reader, SAM module on a serial port",
       {"path", "baud", "poll_ms"},
       [](const nlohmann::json& options, const DriverContext&) { return idcard::create_sam_serial_reader(options); }},
      {DeviceClass::card_reader, "sam-usb", "resident ID card reader, SAM module on USB bulk endpoints",
       {"vid", "pid", "poll_ms"},
       [](const nlohmann::json& options, const DriverContext&) { return idcard::create_sam_usb_reader(options); }},
      {DeviceClass::face_camera, "sim", "simulated face camera (plays image files)", {"frames"},
       [](const nlohmann::json& options, const DriverContext& context) {
         return create_sim_camera<sim::SimFaceCamera>(DeviceClass::face_camera, options, context);
       }},
      {DeviceClass::document_camera, "sim", "simulated document camera (plays image files)", {"frames"},
       [](const nlohmann::json& options, const DriverContext& context) {
         return create_sim_camera<sim::SimDocumentCamera>(DeviceClass::document_camera, options, context);
       }},
      {DeviceClass::face_camera, "v4l2", "UVC / V4L2 face camera (path, width, height, frame_timeout_ms)",
       {"path", "width", "height", "frame_timeout_ms"},
       [](const nlohmann::json& options, const DriverContext&) { return v4l2::create_face_camera(options); }},
      {DeviceClass::document_camera, "v4l2", "UVC / V4L2 document camera (path, width, height, frame_timeout_ms)",
       {"path", "width", "height", "frame_timeout_ms"},
       [](const nlohmann::json& options, const DriverContext&) { return v4l2::create_document_camera(options); }},
      {DeviceClass::receipt_printer, "sim", "simulated receipt printer (keeps the raster pages)", {},
       [](const nlohmann::json&, const DriverContext&) -> Created {
         return std::unique_ptr<hal::Device>(std::make_unique<sim::SimReceiptPrinter>());
       }},
      {DeviceClass::receipt_printer, "escpos-serial", "ESC/POS receipt printer on a serial port or capture file (path, baud, width_dots)",
       {"path", "baud", "flow_control", "width_dots"},
       [](const nlohmann::json& options, const DriverContext&) { return escpos::create_escpos_serial_printer(options); }},
      {DeviceClass::receipt_printer, "escpos-usb", "ESC/POS receipt printer on USB, printer class (vid, pid, width_dots)",
       {"vid", "pid", "width_dots"},
       [](const nlohmann::json& options, const DriverContext&) { return escpos::create_escpos_usb_printer(options); }},
      {DeviceClass::document_printer, "sim", "simulated certificate printer (keeps the PDFs)", {},
       [](const nlohmann::json&, const DriverContext&) -> Created {
         return std::unique_ptr<hal::Device>(std::make_unique<sim::SimDocumentPrinter>());
       }},
      {DeviceClass::document_printer, "cups", "certificate / A4 printer through CUPS (printer, server, job_timeout_s)",
       {"printer", "server", "job_timeout_s"},
       [](const nlohmann::json& options, const DriverContext&) { return cups::create_document_printer(options); }},
  };
  return table;
}

std::vector<std::string> driver_names(hal::DeviceClass device) {
  std::vector<std::string> names;
  for (const auto& entry : driver_table()) {
    if (entry.device == device) names.emplace_back(entry.name);
  }
  names.emplace_back("none");
  return names;
}

namespace {

// `unknown key `devices.card_raeder`; did you mean `devices.card_reader`?`, as the config's own
// unknown keys are worded (kiosk/core/config.cpp); without a near key, the keys known there.
Error unknown_key(const std::string& object, const std::string& key, const std::vector<std::string>& known,
                  const std::string& known_where) {
  const std::string full = object + "." + key;
  if (auto meant = closest_key(key, known)) {
    return Error::make(ErrorKind::parse, "unknown key `" + full + "`; did you mean `" + object + "." + *meant + "`?");
  }
  std::string list;
  for (const auto& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
  return Error::make(ErrorKind::parse, "unknown key `" + full + "` (known " + known_where + ": " + list + ")");
}

// The driver `options` names ("none": nullptr), or why not.
Result<const DriverEntry*> driver_of(hal::DeviceClass device, const nlohmann::json& options) {
  if (!options.is_object()) return option_error(device, "", "expected an object");
  if (!options.contains("driver") || !options["driver"].is_string()) {
    return option_error(device, "driver", "expected a driver name");
  }
  const std::string name = options["driver"].get<std::string>();
  if (name == "none") return static_cast<const DriverEntry*>(nullptr);
  for (const auto& entry : driver_table()) {
    if (entry.device == device && name == entry.name) return &entry;
  }
  std::string known;
  for (const auto& candidate : driver_names(device)) known += (known.empty() ? "" : ", ") + candidate;
  return option_error(device, "driver", "unknown driver \"" + name + "\" (known: " + known + ")");
}

}  // namespace

Status check_devices(const nlohmann::json& config) {
  if (!config.is_object()) return Error::make(ErrorKind::parse, "devices: expected an object");
  std::vector<std::string> classes;
  for (hal::DeviceClass device : hal::kAllDeviceClasses) classes.emplace_back(hal::to_string(device));
  for (const auto& [key, value] : config.items()) {
    if (std::find(classes.begin(), classes.end(), key) == classes.end()) return unknown_key("devices", key, classes, "here");
  }
  for (hal::DeviceClass device : hal::kAllDeviceClasses) {
    const char* key = hal::to_string(device);
    if (!config.contains(key)) continue;
    const nlohmann::json& options = config[key];
    const DriverEntry* driver = TRY(driver_of(device, options));
    // Every key is "driver" or an option the driver declares ("none" has none).
    std::vector<std::string> known{"driver"};
    if (driver) known.insert(known.end(), driver->options.begin(), driver->options.end());
    for (const auto& [option, value] : options.items()) {
      if (std::find(known.begin(), known.end(), option) != known.end()) continue;
      return unknown_key(std::string("devices.") + key, option, known,
                         std::string("for driver ") + (driver ? driver->name : "none"));
    }
  }
  return {};
}

Result<hal::Devices> make_devices(const nlohmann::json& config, const DriverContext& context) {
  // All of it before any driver runs: a misspelt option would otherwise be left at its default.
  TRY_STATUS(check_devices(config));
  hal::Devices devices;
  for (hal::DeviceClass device : hal::kAllDeviceClasses) {
    const char* key = hal::to_string(device);
    if (!config.contains(key)) continue;
    const nlohmann::json& options = config[key];
    const DriverEntry* driver = TRY(driver_of(device, options));
    if (!driver) continue;  // "none"
    auto created = driver->create(options, context);
    if (!created.ok()) return created.release_error();
    std::unique_ptr<hal::Device> made = created.release_value();
    // The table guarantees the class; the casts hand each device to its typed slot.
    switch (device) {
      case hal::DeviceClass::card_reader:
        devices.card_reader.reset(static_cast<hal::CardReader*>(made.release()));
        break;
      case hal::DeviceClass::face_camera:
        devices.face_camera.reset(static_cast<hal::FaceCamera*>(made.release()));
        break;
      case hal::DeviceClass::document_camera:
        devices.document_camera.reset(static_cast<hal::DocumentCamera*>(made.release()));
        break;
      case hal::DeviceClass::receipt_printer:
        devices.receipt_printer.reset(static_cast<hal::ReceiptPrinter*>(made.release()));
        break;
      case hal::DeviceClass::document_printer:
        devices.document_printer.reset(static_cast<hal::DocumentPrinter*>(made.release()));
        break;
    }
  }
  return devices;
}

}  // namespace kiosk::devices
