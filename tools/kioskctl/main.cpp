// kioskctl: the technician's command line on a terminal. `kioskctl status|devices|selftest|…` ask
// the running kiosk over its control socket (ops_commands.h); `kioskctl device …` runs one driver
// or tool standalone while the kiosk is stopped and prints JSON (indented; --json for one line).
// Exit 0 on success, 1 when the operation failed (one line on stderr says why), 2 for a usage
// mistake (with the usage).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "tools/kioskctl/device_commands.h"
#include "tools/kioskctl/ops_commands.h"

namespace {

using namespace kiosk::kioskctl;

std::string usage() {
  std::string text =
      "usage: kioskctl [--json] [--socket PATH] [--config FILE] COMMAND [ARGUMENTS]\n"
      "       kioskctl --version | --help\n"
      "Exit 0 on success, 1 when the operation failed, 2 for a usage mistake; --json: one JSON line.\n\n"
      "commands for the running kiosk:\n" +
      ops_usage() +
      "\ndevice commands (the kiosk stopped): run one device driver or tool standalone and print JSON\n"
      "(indented; --json: one line). Some print personal data: run them only where the screen cannot\n"
      "be overlooked.\n";
  for (const auto& command : device_commands()) {
    text += std::string("  device ") + command.group + (*command.action ? " " : "") + command.action + " " +
            command.synopsis + "\n      " + command.summary + "\n";
  }
  return text;
}

int usage_failure(const std::string& message) {
  std::fprintf(stderr, "kioskctl: %s\n%s", message.c_str(), usage().c_str());
  return kExitUsage;
}

const DeviceCommand* find_command(const std::vector<std::string>& words, std::size_t& used) {
  for (const auto& command : device_commands()) {
    if (words.empty() || words[0] != command.group) continue;
    if (*command.action == '\0') {
      used = 1;
      return &command;
    }
    if (words.size() >= 2 && words[1] == command.action) {
      used = 2;
      return &command;
    }
  }
  return nullptr;
}

int run(std::vector<std::string> words) {
  bool compact = false;
  std::erase_if(words, [&](const std::string& word) { return word == "--json" ? (compact = true) : false; });
  for (const auto& word : words) {
    if (word == "--help" || word == "-h") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    }
    if (word == "--version") {
      std::printf("kioskctl %s\n", KIOSK_VERSION);
      return 0;
    }
  }
  GlobalOptions options;
  options.json = compact;
  // --socket PATH and --config FILE before the command.
  while (!words.empty() && (words[0] == "--socket" || words[0] == "--config")) {
    if (words.size() < 2 || words[1].empty()) return usage_failure(words[0] + " needs a value");
    auto& slot = words[0] == "--socket" ? options.socket : options.config;
    if (slot) return usage_failure(words[0] + " given twice");
    slot = words[1];
    words.erase(words.begin(), words.begin() + 2);
  }
  if (!words.empty() && is_ops_command(words[0])) return run_ops_command(words, options, usage_failure);
  if (words.empty() || words[0] != "device") return usage_failure(words.empty() ? "no command" : "unknown command " + words[0]);
  words.erase(words.begin());
  std::size_t used = 0;
  const DeviceCommand* command = find_command(words, used);
  if (command == nullptr) {
    return usage_failure(words.empty() ? "device needs a command" : "unknown device command " + words[0]);
  }
  const std::string name = std::string("device ") + command->group + (*command->action ? " " : "") + command->action;
  auto arguments = Arguments::parse({words.begin() + static_cast<std::ptrdiff_t>(used), words.end()}, command->spec);
  if (!arguments.ok()) return usage_failure(name + ": " + arguments.error().message);
  auto answer = command->run(*arguments);
  if (!answer.ok()) {
    if (answer.error().exit_code == kExitUsage) return usage_failure(name + ": " + answer.error().message);
    std::fprintf(stderr, "kioskctl: %s: %s\n", name.c_str(), answer.error().message.c_str());
    return answer.error().exit_code;
  }
  const std::string text = answer->dump(compact ? -1 : 2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::printf("%s\n", text.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "kioskctl: internal error: %s\n", error.what());
    return kExitFailed;
  }
}
