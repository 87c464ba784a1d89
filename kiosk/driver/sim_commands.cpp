// Script commands that drive the simulated devices: `card`, `fault`, `face`, `scan`, `printer`,
// `unplug` and `plug` are SimActions (sim_actions.h, shared with the demo panel and `kioskctl
// sim`); `receipt` looks at what the simulated receipt printer printed.
#include "devices/sim/sim_printers.h"
#include "kiosk/driver/script.h"
#include "kiosk/receipt/raster_image.h"
#include "kiosk/ui/png.h"

#include <cstdio>

namespace kiosk::driver {

using devices::sim::SimReceiptPrinter;

// The sim actions, with file= paths relative to the script.
Status ScriptRunner::sim_action(const Command& command) {
  return sim_actions_.run(command.verb, command.arguments, options_.script_dir);
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
