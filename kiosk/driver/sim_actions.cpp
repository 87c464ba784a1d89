// The simulated devices' actions (sim_actions.h), shared by the script driver, the demo panel and
// `kioskctl sim`.
#include "kiosk/driver/sim_actions.h"

#include <algorithm>

#include "devices/sim/identities.h"
#include "devices/sim/pnm.h"
#include "devices/sim/sim_camera.h"
#include "devices/sim/sim_card_reader.h"
#include "devices/sim/sim_printers.h"
#include "kiosk/ocr/sample_documents.h"
#include "kiosk/receipt/raster_image.h"
#include "kiosk/ui/png.h"

namespace kiosk::driver {
namespace {

using namespace devices::sim;

constexpr const char* kDeviceNames = "card_reader, face_camera, document_camera, receipt_printer, document_printer";

Error not_sim(const std::string& device) {
  return Error::make(ErrorKind::unsupported, "the " + device + " is not the simulator (driver \"sim\")");
}

Error invalid(std::string message) { return Error::make(ErrorKind::invalid_argument, std::move(message)); }

// Sets `name` among the common switches; false if it is not one of them.
bool set_common(CommonFaults& faults, const std::string& name, bool on) {
  if (name == "unplug") faults.unplugged = on;
  else if (name == "garbage") faults.garbage = on;
  else if (name == "hardware") faults.hardware_error = on;
  else return false;
  return true;
}

bool set_printer(PrinterFaults& faults, const std::string& name, bool on) {
  if (set_common(faults, name, on)) return true;
  if (name == "paper-near-end") faults.paper_near_end = on;
  else if (name == "paper-out") faults.paper_out = on;
  else if (name == "cover-open") faults.cover_open = on;
  else return false;
  return true;
}

Error unknown_switch(const std::string& device, const std::string& name, const char* known) {
  return invalid("unknown fault \"" + name + "\" for " + device + " (known: " + known + ")");
}

template <typename Sim>
Status camera_fault(hal::Device* device, const std::string& device_name, const std::string& name, bool on) {
  auto* camera = dynamic_cast<Sim*>(device);
  if (!camera) return not_sim(device_name);
  auto faults = camera->faults();
  if (!set_common(faults, name, on)) return unknown_switch(device_name, name, "unplug, garbage, hardware");
  camera->set_faults(faults);
  return {};
}

// A JPEG or PNG as an rgb24 frame.
Result<hal::Image> load_picture(const std::filesystem::path& path) {
  auto canvas = ui::load_png(path);  // SDL_image: any format it knows
  if (!canvas.ok()) return canvas.error();
  hal::Image image;
  image.width = canvas.value().width();
  image.height = canvas.value().height();
  image.format = hal::PixelFormat::rgb24;
  image.pixels.reserve(static_cast<std::size_t>(image.width) * image.height * 3);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const std::uint32_t pixel = canvas.value().pixel(x, y);
      image.pixels.push_back(static_cast<std::uint8_t>(pixel >> 16));
      image.pixels.push_back(static_cast<std::uint8_t>(pixel >> 8));
      image.pixels.push_back(static_cast<std::uint8_t>(pixel));
    }
  }
  return image;
}

// A printed receipt as the document camera sees it laid on the desk: the paper (one pixel a dot)
// on a grey surround, as rgb24.
hal::Image receipt_on_desk(const ui::Canvas& paper) {
  constexpr int kMargin = 96;
  constexpr std::uint8_t kDesk = 0x70;
  hal::Image image;
  image.width = paper.width() + 2 * kMargin;
  image.height = paper.height() + 2 * kMargin;
  image.format = hal::PixelFormat::rgb24;
  image.pixels.assign(static_cast<std::size_t>(image.width) * image.height * 3, kDesk);
  for (int y = 0; y < paper.height(); ++y) {
    for (int x = 0; x < paper.width(); ++x) {
      const std::uint32_t pixel = paper.pixel(x, y);
      std::uint8_t* out = &image.pixels[(static_cast<std::size_t>(y + kMargin) * image.width + x + kMargin) * 3];
      out[0] = static_cast<std::uint8_t>(pixel >> 16);
      out[1] = static_cast<std::uint8_t>(pixel >> 8);
      out[2] = static_cast<std::uint8_t>(pixel);
    }
  }
  return image;
}

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

SimActions::SimActions(hal::Devices& devices, std::filesystem::path assets_dir)
    : devices_(devices), assets_dir_(std::move(assets_dir)) {}

bool SimActions::is_action(std::string_view verb) {
  for (const char* known : {"card", "fault", "face", "scan", "printer", "unplug", "plug"}) {
    if (verb == known) return true;
  }
  return false;
}

Status SimActions::run(const std::string& verb, const std::vector<std::string>& arguments,
                       const std::filesystem::path& base_dir) const {
  auto count = [&](std::size_t least, std::size_t most) -> Status {
    if (arguments.size() < least || arguments.size() > most) {
      return invalid(verb + ": expected " + std::to_string(least) + (most > least ? "–" + std::to_string(most) : "") +
                     " argument" + (most > 1 ? "s" : "") + ", got " + std::to_string(arguments.size()));
    }
    return {};
  };
  if (verb == "card") {
    TRY_STATUS(count(1, 1));
    return card(arguments[0], base_dir);
  }
  if (verb == "fault") {
    TRY_STATUS(count(2, 3));
    const std::string value = arguments.size() > 2 ? arguments[2] : "on";
    if (value != "on" && value != "off") return invalid("expected on or off, got \"" + value + "\"");
    return fault(arguments[0], arguments[1], value == "on");
  }
  if (verb == "face" || verb == "scan") {
    TRY_STATUS(count(1, 1));
    return camera_frames(verb == "face", arguments[0], base_dir);
  }
  if (verb == "printer") {
    TRY_STATUS(count(1, 2));
    return arguments.size() == 2 ? printer(arguments[0], arguments[1]) : printer("receipt", arguments[0]);
  }
  if (verb == "unplug" || verb == "plug") {
    TRY_STATUS(count(1, 1));
    return fault(arguments[0], "unplug", verb == "unplug");
  }
  return invalid("unknown action \"" + verb + "\" (card, fault, face, scan, printer, unplug, plug)");
}

Status SimActions::card(const std::string& what, const std::filesystem::path& base_dir) const {
  auto* reader = dynamic_cast<SimCardReader*>(devices_.card_reader.get());
  if (!reader) return not_sim("card reader");
  if (what == "none") {
    reader->remove_card();
    return {};
  }
  Result<hal::IdentityCard> card = starts_with(what, "file=") ? load_identity(base_dir / what.substr(5))
                                                              : load_sample_identity(assets_dir_, what);
  if (!card.ok()) return card.release_error();
  reader->place_card(card.release_value());
  return {};
}

Status SimActions::fault(const std::string& device, const std::string& name, bool on) const {
  if (device == "card_reader") {
    auto* reader = dynamic_cast<SimCardReader*>(devices_.card_reader.get());
    if (!reader) return not_sim(device);
    auto faults = reader->faults();
    if (name == "card-removed-mid-read") faults.card_removed_mid_read = on;
    else if (!set_common(faults, name, on)) return unknown_switch(device, name, "unplug, garbage, hardware, card-removed-mid-read");
    reader->set_faults(faults);
    return {};
  }
  if (device == "receipt_printer" || device == "document_printer") {
    constexpr const char* known = "unplug, garbage, hardware, paper-near-end, paper-out, cover-open";
    auto apply = [&](auto* printer) -> Status {
      if (!printer) return not_sim(device);
      auto faults = printer->faults();
      if (!set_printer(faults, name, on)) return unknown_switch(device, name, known);
      printer->set_faults(faults);
      return {};
    };
    if (device == "receipt_printer") return apply(dynamic_cast<SimReceiptPrinter*>(devices_.receipt_printer.get()));
    return apply(dynamic_cast<SimDocumentPrinter*>(devices_.document_printer.get()));
  }
  if (device == "face_camera") return camera_fault<SimFaceCamera>(devices_.face_camera.get(), device, name, on);
  if (device == "document_camera") return camera_fault<SimDocumentCamera>(devices_.document_camera.get(), device, name, on);
  return invalid("unknown device \"" + device + "\" (" + kDeviceNames + ")");
}

// What the face or document camera sees from now on. `sample=` is optional before idcard:<name>
// and licence (fictional documents drawn by kiosk/ocr's samples); `receipt` is the last receipt
// the simulated printer printed; `ok` (face) is assets/images/face-ok.ppm; a bare name is looked
// up in assets/images/; `none`: nothing (the camera times out).
Status SimActions::camera_frames(bool face, const std::string& what, const std::filesystem::path& base_dir) const {
  const std::string verb = face ? "face" : "scan";
  const std::string sample = starts_with(what, "sample=") ? what.substr(7) : what;
  std::vector<hal::Image> frames;
  if (!face && (starts_with(sample, "idcard:") || sample == "licence")) {
    auto documents = ocr::samples::SampleDocuments::create();
    if (!documents.ok()) return Error::make(documents.error().kind, verb + ": " + documents.error().message);
    if (sample == "licence") {
      frames.push_back(documents.value()->business_licence({}));
    } else {
      auto card = load_sample_identity(assets_dir_, sample.substr(7));
      if (!card.ok()) return Error::make(card.error().kind, verb + ": " + card.error().message);
      frames.push_back(documents.value()->id_card_front(card.value()));
    }
  } else if (starts_with(what, "sample=")) {
    return invalid(verb + ": unknown sample \"" + sample + "\" (idcard:<name>, licence)");
  } else if (what == "receipt" && !face) {
    auto* printer = dynamic_cast<SimReceiptPrinter*>(devices_.receipt_printer.get());
    if (!printer) return not_sim("receipt printer");
    const auto printed = printer->printed();
    if (printed.empty()) return invalid("scan receipt: nothing was printed");
    frames.push_back(receipt_on_desk(receipt::raster_to_canvas(printed.back().page)));
  } else if (what != "none") {
    const std::filesystem::path path = starts_with(what, "file=") ? base_dir / what.substr(5)
                                       : face && what == "ok"     ? assets_dir_ / "images" / "face-ok.ppm"
                                                                  : assets_dir_ / "images" / what;
    const std::string extension = path.extension().string();
    // PNM as the simulators read it; JPEG and PNG (the face gate's test pictures) through SDL_image.
    auto image = extension == ".jpg" || extension == ".jpeg" || extension == ".png" ? load_picture(path) : load_pnm(path);
    if (!image.ok()) return Error::make(image.error().kind, verb + ": " + image.error().message);
    frames.push_back(image.release_value());
  }
  if (face) {
    auto* camera = dynamic_cast<SimFaceCamera*>(devices_.face_camera.get());
    if (!camera) return not_sim("face_camera");
    camera->set_frames(std::move(frames));
  } else {
    auto* camera = dynamic_cast<SimDocumentCamera*>(devices_.document_camera.get());
    if (!camera) return not_sim("document_camera");
    camera->set_frames(std::move(frames));
  }
  return {};
}

// `ok` clears the paper and cover states; unplug and hardware switches stay as they are.
Status SimActions::printer(const std::string& which, const std::string& state) const {
  if (which != "receipt" && which != "document") return invalid("printer: expected receipt or document, got \"" + which + "\"");
  auto apply = [&](auto* printer) -> Status {
    if (!printer) return not_sim(which + "_printer");
    PrinterFaults faults = printer->faults();
    faults.paper_near_end = faults.paper_out = faults.cover_open = false;
    if (state != "ok" && !set_printer(faults, state, true)) {
      return unknown_switch(which + "_printer", state, "paper-out, cover-open, paper-near-end, ok");
    }
    printer->set_faults(faults);
    return {};
  };
  if (which == "receipt") return apply(dynamic_cast<SimReceiptPrinter*>(devices_.receipt_printer.get()));
  return apply(dynamic_cast<SimDocumentPrinter*>(devices_.document_printer.get()));
}

std::vector<std::string> SimActions::card_samples() const {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(assets_dir_ / "identities", error)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json SimActions::describe() const {
  nlohmann::json simulated = nlohmann::json::array();
  for (hal::DeviceClass device_class : hal::kAllDeviceClasses) {
    const hal::Device* device = devices_.get(device_class);
    if (device && device->driver() == "sim") simulated.push_back(hal::to_string(device_class));
  }
  nlohmann::json documents = nlohmann::json::array();
  for (const std::string& sample : card_samples()) documents.push_back("idcard:" + sample);
  documents.push_back("licence");
  documents.push_back("receipt");
  documents.push_back("none");
  return {{"cards", card_samples()},
          {"faces", {"ok", "none"}},
          {"documents", documents},
          {"printer_states", {"paper-out", "cover-open", "paper-near-end", "ok"}},
          {"simulated_devices", simulated}};
}

bool SimActions::any_simulated() const {
  for (hal::DeviceClass device_class : hal::kAllDeviceClasses) {
    const hal::Device* device = devices_.get(device_class);
    if (device && device->driver() == "sim") return true;
  }
  return false;
}

std::vector<DemoAction> demo_panel_actions(std::shared_ptr<const SimActions> actions) {
  const std::vector<std::string> samples = actions->card_samples();
  auto simple = [actions](std::string verb, std::vector<std::string> arguments) {
    return [actions, verb = std::move(verb), arguments = std::move(arguments)] { return actions->run(verb, arguments); };
  };
  std::vector<DemoAction> list;
  for (const std::string& sample : samples) list.push_back({"card-" + sample, "demo.card", sample, false, "F1", simple("card", {sample})});
  list.push_back({"card-none", "demo.card_none", "", false, "F2", simple("card", {"none"})});
  list.push_back({"face-ok", "demo.face_ok", "", false, "F3", simple("face", {"ok"})});
  list.push_back({"face-none", "demo.face_none", "", false, "F3", simple("face", {"none"})});
  // Any sample's card front, not only the one on the reader: a partner's or an agent's ID card is
  // photographed while the citizen's own card stays on the reader.
  for (const std::string& sample : samples) {
    list.push_back({"scan-idcard-" + sample, "demo.scan_idcard", sample, false, "F4", simple("scan", {"idcard:" + sample})});
  }
  list.push_back({"scan-licence", "demo.scan_licence", "", false, "F4", simple("scan", {"licence"})});
  list.push_back({"scan-receipt", "demo.scan_receipt", "", false, "F4", simple("scan", {"receipt"})});
  list.push_back({"scan-none", "demo.scan_none", "", false, "F4", simple("scan", {"none"})});
  list.push_back({"receipt-paper-out", "demo.paper_out", "device.receipt_printer", true, "F5", simple("printer", {"receipt", "paper-out"})});
  list.push_back({"receipt-paper-ok", "demo.paper_ok", "device.receipt_printer", true, "F5", simple("printer", {"receipt", "ok"})});
  list.push_back({"document-paper-out", "demo.paper_out", "device.document_printer", true, "", simple("printer", {"document", "paper-out"})});
  list.push_back({"document-paper-ok", "demo.paper_ok", "device.document_printer", true, "", simple("printer", {"document", "ok"})});
  for (hal::DeviceClass device_class : hal::kAllDeviceClasses) {
    const std::string device = hal::to_string(device_class);
    const std::string key = device_class == hal::DeviceClass::card_reader       ? "F6"
                            : device_class == hal::DeviceClass::receipt_printer ? "F7"
                                                                                : "";
    list.push_back({"unplug-" + device, "demo.unplug", "device." + device, true, key, simple("unplug", {device})});
    list.push_back({"plug-" + device, "demo.plug", "device." + device, true, key, simple("plug", {device})});
  }
  return list;
}

}  // namespace kiosk::driver
