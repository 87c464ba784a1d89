// kioskctl device receipt print | status, escpos2png, print-pdf: the ESC/POS and CUPS drivers
// built by the registry from config-style options, and the escpos2png conversion shared with
// tools/escpos2png.
#include <fstream>
#include <iterator>
#include <system_error>

#include "devices/registry.h"
#include "kiosk/receipt/receipt_layout.h"
#include "kiosk/ui/glyph_atlas.h"
#include "tools/escpos2png/escpos_paper.h"
#include "tools/kioskctl/device_commands.h"

namespace kiosk::kioskctl {
namespace {

using std::chrono::milliseconds;

// The receipt_printer options of the kiosk's config. --out creates (or empties) a capture file:
// the escpos-serial driver writes to an existing regular file instead of a port.
Outcome<nlohmann::json> printer_options(const Arguments& arguments, bool capture_allowed) {
  const int targets = (arguments.has("--out") ? 1 : 0) + (arguments.has("--serial") ? 1 : 0) + (arguments.has("--usb") ? 1 : 0);
  if (targets != 1) {
    return usage_error(capture_allowed ? "give exactly one of --out FILE, --serial PATH or --usb VID:PID"
                                       : "give exactly one of --serial PATH or --usb VID:PID");
  }
  if (arguments.has("--baud") && !arguments.has("--serial")) return usage_error("--baud is for --serial");
  std::optional<long long> width;  // checked before --out creates its file
  if (arguments.has("--width")) {
    width = TRY(arguments.integer("--width", 576, 384, 576));
    if (*width != 384 && *width != 576) return usage_error("--width expects 576 (80 mm) or 384 (58 mm)");
  }
  nlohmann::json options;
  if (arguments.has("--usb")) {
    const auto [vendor, product] = TRY(usb_ids(*arguments.value("--usb")));
    options = {{"driver", "escpos-usb"}, {"vid", vendor}, {"pid", product}};
  } else if (arguments.has("--serial")) {
    options = {{"driver", "escpos-serial"}, {"path", *arguments.value("--serial")}};
    if (arguments.has("--baud")) options["baud"] = TRY(arguments.integer("--baud", 115200, 1, 4'000'000));
  } else {
    const std::string out = *arguments.value("--out");
    if (!std::ofstream(out, std::ios::binary | std::ios::trunc)) return failed("cannot create " + out);
    options = {{"driver", "escpos-serial"}, {"path", out}};
  }
  if (width) options["width_dots"] = *width;
  return options;
}

Outcome<hal::Devices> open_printer(const nlohmann::json& options) {
  auto devices = devices::make_devices({{"receipt_printer", options}}, devices::DriverContext{});
  if (!devices.ok()) return usage_error(devices.error().message);
  return devices.release_value();
}

receipt::Receipt demo_receipt() {
  receipt::Receipt demo;
  demo.title = "测试回执";
  demo.subtitle = "自助终端打印测试";
  demo.fields = {{"办件编号", "TEST-000000"},
                 {"事项名称", "打印机自检（此回执无效）"},
                 {"打印宽度", "中文、English、0123456789"}};
  demo.qr_payload = "TEST-000000";
  demo.qr_caption = "扫码测试";
  demo.footer = {"此回执仅用于设备测试"};
  return demo;
}

std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

}  // namespace

Outcome<nlohmann::json> receipt_print(const Arguments& arguments) {
  if (!arguments.has("--demo")) return usage_error("receipt print needs --demo (the only receipt it prints)");
  const milliseconds timeout = TRY(timeout_of(arguments));
  const nlohmann::json options = TRY(printer_options(arguments, true));
  hal::Devices devices = TRY(open_printer(options));
  hal::ReceiptPrinter& printer = *devices.receipt_printer;
  auto atlas = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
  if (!atlas.ok()) return failed("fonts: " + atlas.error().message);
  const int width = printer.capabilities().width_dots;
  auto rendered = receipt::render_receipt(**atlas, demo_receipt(), width);
  if (!rendered.ok()) return failed("layout: " + rendered.error().message);
  const hal::ReceiptJob job{rendered->page, true};
  auto printed = printer.print(job, hal::CancelToken{}, timeout);
  if (!printed.ok()) return failed("print failed: " + describe(printed.error()));
  nlohmann::json answer{{"driver", printer.driver()},
                        {"printed", true},
                        {"width_dots", job.page.width_dots},
                        {"height_dots", job.page.height},
                        {"qr_module_dots", rendered->qr_module_dots},
                        {"status", status_json(printer.status())}};
  if (arguments.has("--out")) {
    answer["out"] = *arguments.value("--out");
    answer["bytes"] = file_size_or_zero(*arguments.value("--out"));
  }
  return answer;
}

Outcome<nlohmann::json> receipt_status(const Arguments& arguments) {
  const milliseconds timeout = TRY(timeout_of(arguments));
  const nlohmann::json options = TRY(printer_options(arguments, false));
  hal::Devices devices = TRY(open_printer(options));
  hal::ReceiptPrinter& printer = *devices.receipt_printer;
  auto refreshed = printer.refresh(timeout);
  if (!refreshed.ok()) return failed("status: " + describe(refreshed.error()));
  return nlohmann::json{{"driver", printer.driver()}, {"status", status_json(printer.status())}};
}

Outcome<nlohmann::json> escpos_to_png(const Arguments& arguments) {
  const std::string capture_path = arguments.positionals()[0], png = arguments.positionals()[1];
  auto decoded = devices::escpos::read_capture(capture_path);
  if (!decoded.ok()) return failed(decoded.error().message);
  const auto& capture = decoded.value();
  auto saved = devices::escpos::write_paper_png(capture, png);
  if (!saved.ok()) return failed(capture_path + ": " + saved.error().message);
  nlohmann::json pages = nlohmann::json::array();
  for (const auto& page : capture.pages) pages.push_back({{"width_dots", page.width_dots}, {"height_dots", page.height}});
  nlohmann::json unknown = nlohmann::json::array();
  for (const auto& command : capture.unknown) unknown.push_back({{"offset", command.offset}, {"what", command.what}});
  return nlohmann::json{{"png", png},
                        {"pages", pages},
                        {"cuts", capture.cuts.size()},
                        {"ends_with_cut", capture.ends_with_cut()},
                        {"status_queries", capture.status_queries.size()},
                        {"initialisations", capture.initializations},
                        {"unknown_commands", capture.unknown_count},
                        {"unknown", unknown}};
}

Outcome<nlohmann::json> print_pdf(const Arguments& arguments) {
  if (!arguments.has("--printer")) return usage_error("print-pdf needs --printer NAME (the CUPS queue)");
  const milliseconds timeout = TRY(timeout_of(arguments, 120'000));
  const std::string path = arguments.positionals()[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) return failed("cannot read " + path);
  hal::PrintDocument document;
  document.title = "kioskctl";
  document.pdf.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  nlohmann::json options{{"driver", "cups"}, {"printer", *arguments.value("--printer")}};
  if (arguments.has("--server")) options["server"] = *arguments.value("--server");
  auto devices = devices::make_devices({{"document_printer", options}}, devices::DriverContext{});
  if (!devices.ok()) return usage_error(devices.error().message);
  hal::DocumentPrinter& printer = *devices->document_printer;
  auto job = printer.print(document, hal::CancelToken{}, timeout);
  if (!job.ok()) return failed("print failed: " + describe(job.error()));
  return nlohmann::json{{"driver", printer.driver()},
                        {"job", *job},
                        {"bytes", document.pdf.size()},
                        {"status", status_json(printer.status())}};
}

}  // namespace kiosk::kioskctl
