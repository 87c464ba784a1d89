// Script commands that drive the simulated devices: `card`, `fault`, `face`, `scan`, `printer`,
// `unplug` and `plug`. They need the sim twin of the device in question; against a real driver
// they fail with a clear message.
#include "devices/sim/identities.h"
#include "devices/sim/pnm.h"
#include "devices/sim/sim_camera.h"
#include "devices/sim/sim_card_reader.h"
#include "devices/sim/sim_printers.h"
#include "kiosk/driver/script.h"
#include "kiosk/ui/png.h"
#include "kiosk/ocr/sample_documents.h"
#include "kiosk/receipt/raster_image.h"
#include "kiosk/ui/png.h"

#include <cstdio>

namespace kiosk::driver {
namespace {

using namespace devices::sim;

Error not_sim(const std::string& device) {
  return Error::make(ErrorKind::unsupported, "the " + device + " is not the simulator (driver \"sim\")");
}

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
  return Error::make(ErrorKind::invalid_argument,
                     "unknown fault \"" + name + "\" for " + device + " (known: " + known + ")");
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

}  // namespace

Status ScriptRunner::card(const Command& command) {
  auto* reader = dynamic_cast<SimCardReader*>(devices_.card_reader.get());
  if (!reader) return not_sim("card reader");
  const std::string& what = command.arguments[0];
  if (what == "none") {
    reader->remove_card();
    return {};
  }
  Result<hal::IdentityCard> card = what.rfind("file=", 0) == 0
                                       ? load_identity(options_.script_dir / what.substr(5))
                                       : load_sample_identity(options_.assets_dir, what);
  if (!card.ok()) return card.release_error();
  reader->place_card(card.release_value());
  return {};
}

Status ScriptRunner::fault(const Command& command) {
  const std::string& device = command.arguments[0];
  const std::string& name = command.arguments[1];
  const std::string value = command.arguments.size() > 2 ? command.arguments[2] : "on";
  if (value != "on" && value != "off") return Error::make(ErrorKind::invalid_argument, "expected on or off, got \"" + value + "\"");
  const bool on = value == "on";
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
    if (device == "receipt_printer") {
      auto* printer = dynamic_cast<SimReceiptPrinter*>(devices_.receipt_printer.get());
      if (!printer) return not_sim(device);
      auto faults = printer->faults();
      if (!set_printer(faults, name, on)) return unknown_switch(device, name, known);
      printer->set_faults(faults);
    } else {
      auto* printer = dynamic_cast<SimDocumentPrinter*>(devices_.document_printer.get());
      if (!printer) return not_sim(device);
      auto faults = printer->faults();
      if (!set_printer(faults, name, on)) return unknown_switch(device, name, known);
      printer->set_faults(faults);
    }
    return {};
  }
  if (device == "face_camera") return camera_fault<SimFaceCamera>(devices_.face_camera.get(), device, name, on);
  if (device == "document_camera") {
    return camera_fault<SimDocumentCamera>(devices_.document_camera.get(), device, name, on);
  }
  return Error::make(ErrorKind::invalid_argument,
                     "unknown device \"" + device +
                         "\" (card_reader, face_camera, document_camera, receipt_printer, document_printer)");
}

// `face file=<image>` / `scan file=<image>`: what the face or document camera sees from now on (a
// PNM file, relative to the script; a bare name is looked up in assets/images/). `none`: nothing.
// `scan receipt`: the document camera sees the last receipt the simulated printer printed.
Status ScriptRunner::camera_frames(const Command& command) {
  const bool face = command.verb == "face";
  const std::string device = face ? "face_camera" : "document_camera";
  const std::string& what = command.arguments[0];
  std::vector<hal::Image> frames;
  if (what.rfind("sample=", 0) == 0) {
    // A fictional document drawn by kiosk/ocr's samples: sample=idcard:<identity> (that sample
    // identity's card front) or sample=licence (a business licence).
    const std::string sample = what.substr(7);
    auto documents = ocr::samples::SampleDocuments::create();
    if (!documents.ok()) return Error::make(documents.error().kind, command.verb + ": " + documents.error().message);
    if (sample.rfind("idcard:", 0) == 0) {
      auto card = load_sample_identity(options_.assets_dir, sample.substr(7));
      if (!card.ok()) return Error::make(card.error().kind, command.verb + ": " + card.error().message);
      frames.push_back(documents.value()->id_card_front(card.value()));
    } else if (sample == "licence") {
      frames.push_back(documents.value()->business_licence({}));
    } else {
      return Error::make(ErrorKind::invalid_argument, command.verb + ": unknown sample \"" + sample + "\" (idcard:<name>, licence)");
    }
  } else if (what == "receipt" && !face) {
    // `scan receipt`: the last receipt the simulated receipt printer printed, laid under the camera.
    auto* printer = dynamic_cast<SimReceiptPrinter*>(devices_.receipt_printer.get());
    if (!printer) return not_sim("receipt printer");
    const auto printed = printer->printed();
    if (printed.empty()) return Error::make(ErrorKind::invalid_argument, "scan receipt: nothing was printed");
    frames.push_back(receipt_on_desk(receipt::raster_to_canvas(printed.back().page)));
  } else if (what != "none") {
    const std::filesystem::path path = what.rfind("file=", 0) == 0 ? options_.script_dir / what.substr(5)
                                                                    : options_.assets_dir / "images" / what;
    const std::string extension = path.extension().string();
    // PNM as the simulators read it; JPEG and PNG (the face gate's test pictures) through SDL_image.
    auto image = extension == ".jpg" || extension == ".jpeg" || extension == ".png" ? load_picture(path)
                                                                                     : load_pnm(path);
    if (!image.ok()) return Error::make(image.error().kind, command.verb + ": " + image.error().message);
    frames.push_back(image.release_value());
  }
  if (face) {
    auto* camera = dynamic_cast<SimFaceCamera*>(devices_.face_camera.get());
    if (!camera) return not_sim(device);
    camera->set_frames(std::move(frames));
  } else {
    auto* camera = dynamic_cast<SimDocumentCamera*>(devices_.document_camera.get());
    if (!camera) return not_sim(device);
    camera->set_frames(std::move(frames));
  }
  return {};
}

// `printer [receipt|document] paper-out|cover-open|paper-near-end|ok`: the receipt printer unless
// named; `ok` clears the paper and cover states.
Status ScriptRunner::printer(const Command& command) {
  const bool named = command.arguments.size() == 2;
  const std::string which = named ? command.arguments[0] : "receipt";
  const std::string& state = command.arguments[named ? 1 : 0];
  if (which != "receipt" && which != "document") {
    return Error::make(ErrorKind::invalid_argument, "printer: expected receipt or document, got \"" + which + "\"");
  }
  auto apply = [&](auto* printer) -> Status {
    if (!printer) return not_sim(which + "_printer");
    PrinterFaults faults = printer->faults();  // unplug/hardware switches stay as they are
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

// `unplug <device>` / `plug <device>`: the same as `fault <device> unplug on|off`.
Status ScriptRunner::plug(const Command& command) {
  Command fault_command = command;
  fault_command.verb = "fault";
  fault_command.arguments = {command.arguments[0], "unplug", command.verb == "unplug" ? "on" : "off"};
  return fault(fault_command);
}

// What the simulated receipt printer printed:
//   receipt count <n>      that many receipts so far
//   receipt save <name>    the last one as OUT/<name>.png (as the paper looks)
//   receipt qr <value>     the last one's QR code, read back by zbarimg from that PNG, is <value>
//                          ("abc*": starts with abc)
Status ScriptRunner::receipt(const Command& command) {
  auto* printer = dynamic_cast<SimReceiptPrinter*>(devices_.receipt_printer.get());
  if (!printer) return Error::make(ErrorKind::invalid_argument, "receipt: the receipt printer is not the simulator");
  const auto printed = printer->printed();
  const std::string& action = command.arguments[0];
  const std::string want = command.arguments.size() > 1 ? command.arguments[1] : "";
  if (action == "count") {
    if (std::to_string(printed.size()) != want) {
      return Error::make(ErrorKind::invalid_argument, "receipt: " + std::to_string(printed.size()) + " printed, expected " + want);
    }
    return {};
  }
  if (action != "save" && action != "qr") return Error::make(ErrorKind::invalid_argument, "receipt: unknown action \"" + action + "\" (count, save, qr)");
  if (printed.empty()) return Error::make(ErrorKind::invalid_argument, "receipt: nothing was printed");
  std::error_code ignored;
  std::filesystem::create_directories(options_.out_dir, ignored);
  const auto path = options_.out_dir / ((action == "save" ? want : std::string("receipt-qr")) + ".png");
  TRY_STATUS(ui::save_png(receipt::raster_to_canvas(printed.back().page), path));
  if (action == "save") return {};
  const std::string shell = "zbarimg --raw -q '" + path.string() + "' 2>/dev/null";
  std::FILE* pipe = popen(shell.c_str(), "r");
  if (!pipe) return Error::make(ErrorKind::io, "receipt: cannot run zbarimg");
  std::string text;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
  pclose(pipe);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const bool ok = !want.empty() && want.back() == '*' ? text.rfind(want.substr(0, want.size() - 1), 0) == 0 && !text.empty()
                                                       : text == want;
  if (!ok) return Error::make(ErrorKind::invalid_argument, "receipt: the QR code reads \"" + text + "\", expected " + want);
  return {};
}

}  // namespace kiosk::driver
