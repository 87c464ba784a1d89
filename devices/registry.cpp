#include "devices/registry.h"

#include "devices/cups/cups_printer.h"
#include "devices/escpos/escpos_options.h"
#include "devices/idcard/sam_options.h"
#include "devices/sim/identities.h"
#include "devices/sim/pnm.h"
#include "devices/sim/sim_camera.h"
#include "devices/sim/sim_card_reader.h"
#include "devices/sim/sim_printers.h"
#include "devices/v4l2/v4l2_options.h"

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
      {DeviceClass::card_reader, "sim", "simulated ID card reader (sample identities)", create_sim_card_reader},
      {DeviceClass::card_reader, "sam-serial", "resident ID card reader, SAM module on a serial port",
       [](const nlohmann::json& options, const DriverContext&) { return idcard::create_sam_serial_reader(options); }},
      {DeviceClass::card_reader, "sam-usb", "resident ID card reader, SAM module on USB bulk endpoints",
       [](const nlohmann::json& options, const DriverContext&) { return idcard::create_sam_usb_reader(options); }},
      {DeviceClass::face_camera, "sim", "simulated face camera (plays image files)",
       [](const nlohmann::json& options, const DriverContext& context) {
         return create_sim_camera<sim::SimFaceCamera>(DeviceClass::face_camera, options, context);
       }},
      {DeviceClass::document_camera, "sim", "simulated document camera (plays image files)",
       [](const nlohmann::json& options, const DriverContext& context) {
         return create_sim_camera<sim::SimDocumentCamera>(DeviceClass::document_camera, options, context);
       }},
      {DeviceClass::face_camera, "v4l2", "UVC / V4L2 face camera (path, width, height, frame_timeout_ms)",
       [](const nlohmann::json& options, const DriverContext&) { return v4l2::create_face_camera(options); }},
      {DeviceClass::document_camera, "v4l2", "UVC / V4L2 document camera (path, width, height, frame_timeout_ms)",
       [](const nlohmann::json& options, const DriverContext&) { return v4l2::create_document_camera(options); }},
      {DeviceClass::receipt_printer, "sim", "simulated receipt printer (keeps the raster pages)",
       [](const nlohmann::json&, const DriverContext&) -> Created {
         return std::unique_ptr<hal::Device>(std::make_unique<sim::SimReceiptPrinter>());
       }},
      {DeviceClass::receipt_printer, "escpos-serial", "ESC/POS receipt printer on a serial port or capture file (path, baud, width_dots)",
       [](const nlohmann::json& options, const DriverContext&) { return escpos::create_escpos_serial_printer(options); }},
      {DeviceClass::receipt_printer, "escpos-usb", "ESC/POS receipt printer on USB, printer class (vid, pid, width_dots)",
       [](const nlohmann::json& options, const DriverContext&) { return escpos::create_escpos_usb_printer(options); }},
      {DeviceClass::document_printer, "sim", "simulated certificate printer (keeps the PDFs)",
       [](const nlohmann::json&, const DriverContext&) -> Created {
         return std::unique_ptr<hal::Device>(std::make_unique<sim::SimDocumentPrinter>());
       }},
      {DeviceClass::document_printer, "cups", "certificate / A4 printer through CUPS (printer, server, job_timeout_s)",
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

Result<hal::Devices> make_devices(const nlohmann::json& config, const DriverContext& context) {
  if (!config.is_object()) return Error::make(ErrorKind::parse, "devices: expected an object");
  for (const auto& [key, value] : config.items()) {
    bool known = false;
    for (hal::DeviceClass device : hal::kAllDeviceClasses) known = known || key == hal::to_string(device);
    if (!known) return Error::make(ErrorKind::parse, "devices." + key + ": unknown device class");
  }
  hal::Devices devices;
  for (hal::DeviceClass device : hal::kAllDeviceClasses) {
    const char* key = hal::to_string(device);
    if (!config.contains(key)) continue;
    const auto& options = config[key];
    if (!options.is_object()) return option_error(device, "", "expected an object");
    if (!options.contains("driver") || !options["driver"].is_string()) {
      return option_error(device, "driver", "expected a driver name");
    }
    const std::string name = options["driver"].get<std::string>();
    if (name == "none") continue;
    const DriverEntry* found = nullptr;
    for (const auto& entry : driver_table()) {
      if (entry.device == device && name == entry.name) found = &entry;
    }
    if (!found) {
      std::string known;
      for (const auto& candidate : driver_names(device)) known += (known.empty() ? "" : ", ") + candidate;
      return option_error(device, "driver", "unknown driver \"" + name + "\" (known: " + known + ")");
    }
    auto created = found->create(options, context);
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
