#pragma once
// kioskctl's operations commands: status, devices, selftest, network, outbox, logs and bundle ask
// the running kiosk over its control socket (kiosk/ops/control_protocol.h); `audit verify` and
// `pin-hash` work without it. Human-readable lines by default, one JSON line with --json.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::kioskctl {

struct GlobalOptions {
  bool json = false;
  std::optional<std::filesystem::path> socket;  // --socket
  std::optional<std::filesystem::path> config;  // --config; else /etc/kiosk/config.json if present
};

inline constexpr const char* kDefaultConfigFile = "/etc/kiosk/config.json";
inline constexpr const char* kDefaultControlSocket = "/run/kiosk/control.sock";

// The usage lines of these commands.
std::string ops_usage();
// Whether `word` starts one of these commands.
bool is_ops_command(const std::string& word);
// Prints "kioskctl: <message>" and the usage on stderr; returns 2.
using UsageFailure = int (*)(const std::string& message);
// Runs one (`words` non-empty, starting with the command); returns the exit code (0, 1 with one
// line on stderr, 2 through `usage`).
int run_ops_command(const std::vector<std::string>& words, const GlobalOptions& options, UsageFailure usage);

}  // namespace kiosk::kioskctl
