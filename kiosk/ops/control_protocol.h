#pragma once
// The control socket's wire protocol (kioskctl ↔ the running kiosk, kiosk/ops/control_server.h):
// one JSON request line, answered by one JSON line, then the connection closes.
//
//   → {"command":"selftest","device":"receipt_printer","force":false}
//   ← {"ok":true,"result":{…}}   or   {"ok":false,"error":{"kind":"busy","message":"…"}}
//
// Commands: status, devices, selftest (device, force), network, outbox, outbox-retry, logs (limit),
// bundle (dir), audit-verify, sim (action, arguments: demo mode only, e.g.
// {"command":"sim","action":"card","arguments":["lisi"]}). Requests are outside data (anyone allowed on the socket can write
// anything): the parser is strict — an unknown command or field, a wrong type or an out-of-range
// value is refused with a message naming it — and fuzzed (tests/fuzz/control_request_fuzz.cpp).
// The error kinds on the wire are ErrorKind's enumerator names ("invalid_argument", "busy" …).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hal/device.h"
#include "kiosk/core/result.h"

namespace kiosk::ops {

inline constexpr std::size_t kMaxControlRequestBytes = 64 * 1024;  // one request line, newline excluded
inline constexpr int kDefaultLogLines = 100;
inline constexpr int kMaxLogLines = 10'000;

enum class ControlCommand { status, devices, selftest, network, outbox, outbox_retry, logs, bundle, audit_verify, sim };

// The simulator actions `sim` takes (kiosk/driver/sim_actions.h; "list": the samples), and how many
// arguments a request may carry.
inline constexpr const char* kSimActions[] = {"card", "face", "scan", "printer", "unplug", "plug", "list"};
inline constexpr std::size_t kMaxSimArguments = 3;

struct ControlRequest {
  ControlCommand command = ControlCommand::status;
  hal::DeviceClass device = hal::DeviceClass::card_reader;  // selftest only
  bool force = false;                                       // selftest only
  int limit = kDefaultLogLines;                             // logs only
  std::filesystem::path dir;                                // bundle only; empty: the kiosk's bundle_dir
  std::string sim_action;                                   // sim only: one of kSimActions
  std::vector<std::string> sim_arguments;                   // sim only
};

// "outbox-retry" ↔ ControlCommand::outbox_retry.
const char* command_name(ControlCommand command);
std::optional<ControlCommand> command_from_name(std::string_view name);
// Whether a command is written to the audit trail (everything that acts or reveals more than a
// status glance: selftest, network, outbox-retry, bundle, audit-verify).
bool command_is_audited(ControlCommand command);
// The event name in the audit trail: "kioskctl_selftest", "kioskctl_outbox_retry" …
std::string audit_event_name(ControlCommand command);

// One request line (without its newline). Errors: parse (not JSON, not an object, too long) or
// invalid_argument (unknown command or field, wrong type, value out of range).
Result<ControlRequest> parse_control_request(std::string_view line);
// The request line a client sends, newline included.
std::string control_request_line(const ControlRequest& request);

// Answer lines, newline included. Invalid UTF-8 in a result is replaced, never thrown on.
std::string ok_answer_line(const nlohmann::json& result);
std::string error_answer_line(const Error& error);

// "busy" ↔ ErrorKind::busy.
const char* error_kind_name(ErrorKind kind);
std::optional<ErrorKind> error_kind_from_name(std::string_view name);

// A client reading the answer line: the result, or the kiosk's error as an Error (its kind, its
// message). A malformed answer is a parse error.
Result<nlohmann::json> parse_control_answer(std::string_view line);

}  // namespace kiosk::ops
