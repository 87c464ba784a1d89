// idcard-emu: an emulated resident ID card reader (SAM module protocol) on a pseudo-terminal, for
// running the kiosk's real sam-serial driver without hardware. Prints the pty's path, keeps an
// optional stable symlink to it, and takes commands on standard input:
//
//   place <identity.json>     put a card on the reader (assets/identities format)
//   remove                    take it away
//   fault <name> [read]       checksum, garbage, split, pull, no_answer, duplicate, late_duplicate
//                             (one-shot; with "read", on the next read text+photo), unknown_card,
//                             sam_fail (switches)
//   fault clear               all faults off
//   unplug / plug             close the pty (the driver sees a hang-up) / open a new one
//   history                   the commands answered so far
//   quit                      (also end of input)
//
// Each command answers one line: "ok …" or "error: …".
#include <iostream>
#include <sstream>
#include <string>

#include "devices/idcard/emulator.h"
#include "devices/sim/identities.h"

namespace {

using kiosk::devices::idcard::FaultTarget;
using kiosk::devices::idcard::PtyEmulator;

constexpr const char* kUsage =
    "usage: idcard-emu [--link PATH] [--card IDENTITY.json]\n"
    "commands on stdin: place FILE | remove | fault NAME [read] | fault clear | unplug | plug | history | quit\n";

std::string place(PtyEmulator& pty, const std::string& file) {
  auto card = kiosk::devices::sim::load_identity(file);
  if (!card.ok()) return "error: " + card.error().message;
  auto placed = pty.emulator().place(*card);
  card->wipe();
  return placed.ok() ? "ok placed" : "error: " + placed.error().message;
}

std::string fault(PtyEmulator& pty, const std::string& name, const std::string& target) {
  if (name == "clear") {
    pty.emulator().clear_faults();
    return "ok faults cleared";
  }
  const auto which = kiosk::devices::idcard::fault_from_name(name);
  if (!which) return "error: unknown fault \"" + name + "\"";
  if (!target.empty() && target != "read") return "error: a fault's target is \"read\" or nothing";
  pty.emulator().inject(*which, target == "read" ? FaultTarget::next_read : FaultTarget::next_answer);
  return std::string("ok fault ") + name + (target.empty() ? "" : " on the next read");
}

// One command line → its answer; `quit` set when the emulator should stop.
std::string run_command(PtyEmulator& pty, const std::string& line, bool& quit) {
  std::istringstream words(line);
  std::string verb, argument, extra;
  words >> verb >> argument >> extra;
  if (verb.empty()) return "";
  if (verb == "quit") {
    quit = true;
    return "ok bye";
  }
  if (verb == "place") return argument.empty() ? "error: place needs an identity file" : place(pty, argument);
  if (verb == "remove") {
    pty.emulator().remove();
    return "ok removed";
  }
  if (verb == "fault") return fault(pty, argument, extra);
  if (verb == "unplug") {
    pty.unplug();
    return "ok unplugged";
  }
  if (verb == "plug") {
    auto plugged = pty.plug();
    return plugged.ok() ? "ok plugged " + pty.slave_path() : "error: " + plugged.error().message;
  }
  if (verb == "history") {
    std::string text;
    for (const auto& entry : pty.emulator().history()) text += entry + "\n";
    return text + "ok history";
  }
  return "error: unknown command \"" + verb + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  std::string link;
  std::string card;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if ((argument == "--link" || argument == "--card") && i + 1 < argc) {
      (argument == "--link" ? link : card) = argv[++i];
    } else {
      std::cerr << kUsage;
      return argument == "--help" ? 0 : 2;
    }
  }
  auto created = PtyEmulator::create(link);
  if (!created.ok()) {
    std::cerr << "idcard-emu: " << created.error().message << "\n";
    return 1;
  }
  PtyEmulator& pty = **created;
  std::cout << "idcard-emu: serving on " << pty.slave_path() << (link.empty() ? "" : " (link " + link + ")") << "\n"
            << "sam id " << pty.emulator().sam_id() << std::endl;
  if (!card.empty()) std::cout << place(pty, card) << std::endl;
  bool quit = false;
  std::string line;
  while (!quit && std::getline(std::cin, line)) {
    const std::string answer = run_command(pty, line, quit);
    if (!answer.empty()) std::cout << answer << std::endl;
  }
  return 0;
}
