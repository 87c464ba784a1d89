// kioskctl's operations commands (ops_commands.h): the control socket client, the human-readable
// views, and the two commands that need no running kiosk (audit verify, pin-hash).
#include "tools/kioskctl/ops_commands.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "kiosk/core/clock.h"
#include "kiosk/core/config.h"
#include "kiosk/core/time_zone.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/ops/audit_log.h"
#include "kiosk/ops/control_protocol.h"
#include "kiosk/ops/operations.h"
#include "kiosk/ops/technician_pin.h"
#include "tools/kioskctl/arguments.h"

namespace kiosk::kioskctl {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct Settings {
  Config config;
  bool config_loaded = false;
  fs::path socket;
  TimeZone zone;  // the terminal's (config.time_zone): times print as the kiosk shows them
};

Outcome<Settings> settings_of(const GlobalOptions& options, bool need_config) {
  Settings settings;
  const fs::path file = options.config.value_or(kDefaultConfigFile);
  std::error_code ignored;
  if (options.config || need_config || fs::exists(file, ignored)) {
    auto loaded = load_config(file);
    if (loaded.ok()) {
      settings.config = loaded.release_value();
      settings.config_loaded = true;
    } else if (options.config || need_config) {
      return failed("cannot read the config " + file.string() + ": " + loaded.error().message);
    }
    // The default config unreadable (not root): the socket path falls back to its default.
  }
  auto zone = TimeZone::load(settings.config.time_zone);
  if (!zone.ok()) return failed("time_zone: " + zone.error().message);
  settings.zone = zone.release_value();
  if (options.socket) settings.socket = *options.socket;
  // A relative socket path (the demo's) is relative to the config file's folder, as the kiosk reads it.
  else if (!settings.config.ops.control_socket.empty()) settings.socket = file.parent_path() / settings.config.ops.control_socket;
  else settings.socket = kDefaultControlSocket;
  return settings;
}

std::string permission_message(const Settings& settings) {
  const std::string group = settings.config.ops.admin_group.empty() ? "kiosk-admin" : settings.config.ops.admin_group;
  return "permission denied: run as root or as a member of " + group;
}

// One request, one answer line. `timeout_s` covers the whole exchange.
Outcome<json> ask_kiosk(const Settings& settings, const ops::ControlRequest& request, int timeout_s) {
  const fs::path& path = settings.socket;
  if (path.native().size() >= sizeof(sockaddr_un{}.sun_path)) return failed("socket path too long: " + path.string());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return failed(std::string("socket: ") + std::strerror(errno));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.native().size());
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == ENOENT) return failed("kiosk is not running (no socket at " + path.string() + ")");
    if (error == ECONNREFUSED) return failed("kiosk is not running (nothing answers at " + path.string() + ")");
    if (error == EACCES || error == EPERM) return failed(permission_message(settings));
    return failed("cannot reach the kiosk at " + path.string() + ": " + std::strerror(error));
  }
  const std::string line = ops::control_request_line(request);
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    // The kiosk may have refused us before reading: its answer says why.
  }
  std::string answer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (answer.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      ::close(fd);
      return failed("the kiosk did not answer within " + std::to_string(timeout_s) + " s");
    }
    pollfd one{fd, POLLIN, 0};
    if (::poll(&one, 1, static_cast<int>(left)) < 0 && errno != EINTR) break;
    char buffer[65536];
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got > 0) answer.append(buffer, static_cast<std::size_t>(got));
    else if (got == 0 || (errno != EINTR && errno != EAGAIN)) break;
    if (answer.size() > (64u << 20)) break;
  }
  ::close(fd);
  if (answer.empty()) return failed("the kiosk closed the connection without answering");
  auto parsed = ops::parse_control_answer(answer);
  if (!parsed.ok()) {
    if (parsed.error().kind == ErrorKind::permission) return failed(permission_message(settings));
    if (parsed.error().kind == ErrorKind::parse) return failed(parsed.error().message);
    return failed(parsed.error().message);
  }
  return parsed.release_value();
}

// "45 s", "12 min", "3 h 5 min", "2 d 4 h".
std::string age_text(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 60) return std::to_string(seconds) + " s";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min";
  if (seconds < 86400) return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
  return std::to_string(seconds / 86400) + " d " + std::to_string(seconds % 86400 / 3600) + " h";
}

std::string local_time(std::int64_t unix_ms, const TimeZone& zone) { return format_time(unix_ms / 1000, "%Y-%m-%d %H:%M:%S", zone); }

std::string text_of(const json& value, const char* key, const std::string& fallback = "") {
  const auto found = value.find(key);
  if (found == value.end() || found->is_null()) return fallback;
  return found->is_string() ? found->get<std::string>() : found->dump();
}

std::int64_t number_of(const json& value, const char* key) {
  const auto found = value.find(key);
  return found != value.end() && found->is_number() ? found->get<std::int64_t>() : 0;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text + " ";
}

std::string devices_view(const json& devices, const TimeZone& zone) {
  std::string out = pad("DEVICE", 17) + pad("DRIVER", 7) + pad("STATE", 14) + "LAST PROBLEM\n";
  for (const auto& device : devices) {
    std::string problem = text_of(device, "last_problem", "");
    if (problem.empty()) problem = "-";
    else if (number_of(device, "last_problem_at_ms") > 0) problem += " (" + local_time(number_of(device, "last_problem_at_ms"), zone) + ")";
    std::string state = text_of(device, "state");
    if (!text_of(device, "detail").empty()) problem = text_of(device, "detail") + (problem == "-" ? "" : "; last: " + problem);
    out += pad(text_of(device, "device"), 17) + pad(text_of(device, "driver", "-").empty() ? "-" : text_of(device, "driver"), 7) +
           pad(state, 14) + problem + "\n";
  }
  return out;
}

std::string outbox_view(const json& outbox) {
  if (!outbox.value("configured", false)) return "outbox      none (no platform configured)\n";
  std::string out = "outbox      " + std::to_string(number_of(outbox, "pending")) + " pending";
  if (number_of(outbox, "pending") > 0) out += ", oldest " + age_text(number_of(outbox, "oldest_pending_age_s"));
  out += "; " + std::to_string(number_of(outbox, "dead")) + " set aside for staff\n";
  if (!text_of(outbox, "last_error").empty()) out += "            last error: " + text_of(outbox, "last_error") + "\n";
  return out;
}

std::string status_view(const json& status, const TimeZone& zone) {
  std::string out;
  out += "terminal    " + text_of(status, "terminal_id") + "   version " + text_of(status, "version") + "   up " +
         age_text(number_of(status, "uptime_s")) + "   restarts " + std::to_string(number_of(status, "restarts")) +
         (status.value("crash_loop", false) ? "   CRASH LOOP" : "") + "\n";
  out += "screen      " + text_of(status, "screen", "?") + (status.value("session_active", false) ? " (a citizen is using it)" : " (idle)") +
         (status.value("staff_needed", false) ? "   STAFF NEEDED" : "") + "\n";
  const json platform = status.value("platform", json::object());
  if (!platform.value("configured", false)) out += "platform    not configured\n";
  else if (platform.value("reachable", false)) out += "platform    reachable\n";
  else out += "platform    UNREACHABLE: " + text_of(platform, "error", "unknown") + "\n";
  const json catalog = status.value("catalog", json::object());
  out += "catalog     " + text_of(catalog, "version", "?") +
         (number_of(catalog, "synced_at_ms") > 0 ? ", synced " + age_text(number_of(catalog, "age_s")) + " ago" : "") + ", " +
         std::to_string(number_of(catalog, "items")) + " items\n";
  out += outbox_view(status.value("outbox", json::object()));
  if (status.contains("certificate_days_left") && status["certificate_days_left"].is_number()) {
    const auto days = status["certificate_days_left"].get<std::int64_t>();
    out += "certificate " + std::to_string(days) + " days left" + (days < 30 ? "   RENEW SOON" : "") + "\n";
  }
  if (status.contains("clock_skew_s") && status["clock_skew_s"].is_number()) {
    const auto skew = status["clock_skew_s"].get<std::int64_t>();
    out += "clock       " + std::string(skew >= 0 ? "+" : "") + std::to_string(skew) + " s against the platform" +
           (std::abs(skew) > 300 ? "   WRONG" : "") + "\n";
  }
  out += "\n" + devices_view(status.value("devices", json::array()), zone);
  return out;
}

std::string selftest_view(const json& report) {
  std::string out = text_of(report, "device") + ": " + (report.value("passed", false) ? "PASSED" : "FAILED") + " — " +
                    text_of(report, "summary") + " (" + std::to_string(number_of(report, "duration_ms")) + " ms)\n";
  for (const auto& step : report.value("steps", json::array())) out += "  - " + (step.is_string() ? step.get<std::string>() : step.dump()) + "\n";
  return out;
}

std::string network_view(const json& report) {
  std::string out;
  for (const auto& step : report.value("steps", json::array())) {
    out += pad(step.value("ok", false) ? "ok" : "FAIL", 5) + pad(text_of(step, "name"), 12) +
           pad(std::to_string(number_of(step, "duration_ms")) + " ms", 8) + text_of(step, "detail") + "\n";
  }
  out += report.value("ok", false) ? "network and platform: all good\n" : "network and platform: NOT OK\n";
  return out;
}

int print(const GlobalOptions& options, const json& value, const std::string& human) {
  if (options.json) std::printf("%s\n", value.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  else std::fputs(human.c_str(), stdout);
  return 0;
}

int failure(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "kioskctl: %s: %s\n", command.c_str(), message.c_str());
  return kExitFailed;
}

Outcome<std::string> read_pin() {
  const bool terminal = ::isatty(STDIN_FILENO);
  termios saved{};
  auto read_line = [&](const char* prompt) -> std::optional<std::string> {
    if (terminal) {
      std::fputs(prompt, stderr);
      std::fflush(stderr);
    }
    std::string line;
    if (!std::getline(std::cin, line)) return std::nullopt;
    if (terminal) std::fputs("\n", stderr);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  if (terminal && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto first = read_line("technician PIN (6-12 digits): ");
  std::optional<std::string> second = first;
  if (terminal && first) second = read_line("the same PIN again: ");
  if (terminal) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
  if (!first) return failed("no PIN on standard input");
  if (!second || *second != *first) return failed("the two PINs differ");
  return *first;
}

// `sim ACTION ARGUMENTS` as the kiosk's SimActions words (kiosk/driver/sim_actions.h): a FILE is
// sent as file=<absolute path>, since the kiosk runs in its own working folder.
Outcome<bool> sim_request(const std::vector<std::string>& words, ops::ControlRequest& request) {
  if (words.empty()) return failed("sim needs an action (card, face, scan, printer, unplug, plug, list)");
  const std::string& action = words[0];
  const std::vector<std::string> arguments(words.begin() + 1, words.end());
  auto file = [](const std::string& path) { return "file=" + fs::absolute(path).lexically_normal().string(); };
  auto one = [&]() -> Outcome<std::string> {
    if (arguments.size() != 1) return failed(action + " takes one argument");
    return arguments[0];
  };
  request.sim_action = action;
  if (action == "list") {
    if (!arguments.empty()) return failed("list takes no arguments");
  } else if (action == "card") {
    auto what = TRY(one());
    const bool path = what.find('/') != std::string::npos || fs::path(what).extension() == ".json";
    request.sim_arguments = {path ? file(what) : what};
  } else if (action == "face") {
    auto what = TRY(one());
    request.sim_arguments = {what == "ok" || what == "none" ? what : file(what)};
  } else if (action == "scan") {
    auto what = TRY(one());
    const bool word = what.rfind("idcard:", 0) == 0 || what == "licence" || what == "receipt" || what == "none";
    request.sim_arguments = {word ? what : file(what)};
  } else if (action == "printer") {
    if (arguments.size() != 2) return failed("printer takes: receipt|document paper-out|cover-open|paper-near-end|ok");
    request.sim_arguments = arguments;
  } else if (action == "unplug" || action == "plug") {
    auto device = TRY(one());
    if (!ops::device_class_from_string(device)) {
      return failed(action + ": unknown device " + device + " (card_reader, face_camera, document_camera, receipt_printer, document_printer)");
    }
    request.sim_arguments = {device};
  } else {
    return failed("unknown action " + action + " (card, face, scan, printer, unplug, plug, list)");
  }
  return true;
}

std::string sim_view(const ops::ControlRequest& request, const json& result) {
  if (request.sim_action != "list") {
    std::string line = "done: sim " + request.sim_action;
    for (const auto& argument : request.sim_arguments) line += " " + argument;
    return line + "\n";
  }
  auto words = [&result](const char* key) {
    std::string text;
    for (const auto& word : result.value(key, json::array())) text += (text.empty() ? "" : " ") + (word.is_string() ? word.get<std::string>() : word.dump());
    return text + "\n";
  };
  return "cards       " + words("cards") + "faces       " + words("faces") + "documents   " + words("documents") +
         "printers    " + words("printer_states") + "simulated   " + words("simulated_devices");
}

}  // namespace

std::string ops_usage() {
  return "  status                 the kiosk at a glance: screen, platform, catalog, outbox, devices\n"
         "  devices                each device with its driver, state and last problem\n"
         "  selftest DEVICE [--force]\n"
         "                         test one device for real (card_reader, face_camera, document_camera,\n"
         "                         receipt_printer, document_printer); --force even during a session\n"
         "  network                DNS, TCP, TLS, certificates, clock and platform, step by step\n"
         "  outbox [retry]         what waits to reach the platform; retry: send it now\n"
         "  logs [N]               the last N log lines (default 100; no personal data)\n"
         "  bundle [DIR]           write a redacted diagnostics bundle (.tar) into DIR (default: config\n"
         "                         ops.bundle_dir) and print its path\n"
         "  sim card SAMPLE|none   demo mode only (config demo.panel): place a sample ID card on the\n"
         "                         simulated reader, or take it away\n"
         "  sim face ok|none|FILE  what the simulated face camera sees\n"
         "  sim scan idcard:SAMPLE|licence|receipt|none|FILE\n"
         "                         what the simulated document camera sees (receipt: the last one printed)\n"
         "  sim printer receipt|document paper-out|cover-open|paper-near-end|ok\n"
         "  sim unplug|plug DEVICE unplug or replug a simulated device\n"
         "  sim list               the sample cards and what each sim action takes\n"
         "  audit verify           check the audit trail's hash chain (reads the config; no running kiosk)\n"
         "  pin-hash               read a technician PIN from standard input, print its hash for the\n"
         "                         config's technician.pin_hash\n"
         "These talk to the running kiosk over its control socket (--socket PATH, else the config's\n"
         "ops.control_socket (a relative one from the config's folder), else " + std::string(kDefaultControlSocket) + "; --config FILE, default " +
         kDefaultConfigFile + ").\n"
         "A failed self-test, network check or audit check prints its report and exits 1.\n";
}

bool is_ops_command(const std::string& word) {
  for (const char* name : {"status", "devices", "selftest", "network", "outbox", "logs", "bundle", "audit", "pin-hash", "sim"}) {
    if (word == name) return true;
  }
  return false;
}

int run_ops_command(const std::vector<std::string>& words, const GlobalOptions& options, UsageFailure usage) {
  const std::string& command = words.at(0);
  const std::vector<std::string> rest(words.begin() + 1, words.end());
  auto no_more = [&](std::size_t allowed) { return rest.size() <= allowed; };

  if (command == "pin-hash") {
    if (!no_more(0)) return usage("pin-hash takes no arguments (the PIN comes on standard input)");
    auto pin = read_pin();
    if (!pin.ok()) return failure(command, pin.error().message);
    auto crypto = crypto::make_crypto();
    auto hash = ops::hash_pin(*crypto, *pin);
    std::fill(pin->begin(), pin->end(), '\0');
    if (!hash.ok()) return failure(command, hash.error().message);
    return print(options, json{{"pin_hash", *hash}}, *hash + "\n");
  }

  if (command == "audit") {
    if (rest.size() != 1 || rest[0] != "verify") return usage("audit takes one word: verify");
    auto settings = settings_of(options, true);
    if (!settings.ok()) return failure("audit verify", settings.error().message);
    const auto& ops_config = settings->config.ops;
    if (ops_config.audit_log.empty() || ops_config.audit_key_file.empty()) {
      return failure("audit verify", "no audit trail is configured (ops.audit_log and ops.audit_key_file)");
    }
    auto key = crypto::load_seal_key(ops_config.audit_key_file);
    if (!key.ok()) {
      if (::access(ops_config.audit_key_file.c_str(), R_OK) != 0 && errno == EACCES) {
        return failure("audit verify", "permission denied reading the audit key " + ops_config.audit_key_file.string() + ": run as root");
      }
      return failure("audit verify", "cannot read the audit key: " + key.error().message);
    }
    auto crypto = crypto::make_crypto();
    auto report = ops::verify_audit_log(ops_config.audit_log, *key, *crypto);
    if (!report.ok()) return failure("audit verify", report.error().message);
    const json value = {{"intact", report->intact},
                        {"records", report->records},
                        {"first_bad_line", report->first_bad_line},
                        {"problem", report->problem},
                        {"head", {{"sequence", report->head.sequence}, {"mac", report->head.mac}}}};
    if (report->intact) {
      return print(options, value, "audit trail intact: " + std::to_string(report->records) + " records, head " +
                                       std::to_string(report->head.sequence) + " " + report->head.mac + "\n");
    }
    print(options, value, "audit trail BROKEN: " + std::to_string(report->records) + " records verified before line " +
                              std::to_string(report->first_bad_line) + "\n");
    return failure("audit verify", "broken at line " + std::to_string(report->first_bad_line) + ": " + report->problem);
  }

  ops::ControlRequest request;
  int timeout_s = 15;
  if (command == "status" || command == "devices" || command == "network") {
    if (!no_more(0)) return usage(command + " takes no arguments");
    request.command = command == "status" ? ops::ControlCommand::status
                      : command == "devices" ? ops::ControlCommand::devices : ops::ControlCommand::network;
    if (command == "network") timeout_s = 120;
  } else if (command == "selftest") {
    auto arguments = Arguments::parse(rest, ArgumentSpec{{}, {"--force"}, 1});
    if (!arguments.ok()) return usage("selftest: " + arguments.error().message);
    const auto device = ops::device_class_from_string(arguments->positionals()[0]);
    if (!device) {
      return usage("selftest: unknown device " + arguments->positionals()[0] +
                   " (card_reader, face_camera, document_camera, receipt_printer, document_printer)");
    }
    request.command = ops::ControlCommand::selftest;
    request.device = *device;
    request.force = arguments->has("--force");
    timeout_s = 120;
  } else if (command == "outbox") {
    if (rest.size() > 1 || (rest.size() == 1 && rest[0] != "retry")) return usage("outbox takes nothing or: retry");
    request.command = rest.empty() ? ops::ControlCommand::outbox : ops::ControlCommand::outbox_retry;
  } else if (command == "logs") {
    if (!no_more(1)) return usage("logs takes at most one number");
    request.command = ops::ControlCommand::logs;
    if (!rest.empty()) {
      const auto& text = rest[0];
      const bool digits = !text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), ::isdigit);
      const int limit = digits ? std::stoi(text) : 0;
      if (limit < 1 || limit > ops::kMaxLogLines) return usage("logs N: N is a whole number from 1 to " + std::to_string(ops::kMaxLogLines));
      request.limit = limit;
    }
  } else if (command == "bundle") {
    if (!no_more(1)) return usage("bundle takes at most one folder");
    request.command = ops::ControlCommand::bundle;
    // The kiosk runs elsewhere (its own working folder): send an absolute path.
    if (!rest.empty()) request.dir = fs::absolute(rest[0]).lexically_normal();
    timeout_s = 120;
  } else if (command == "sim") {
    request.command = ops::ControlCommand::sim;
    auto made = sim_request(rest, request);
    if (!made.ok()) return usage("sim: " + made.error().message);
  } else {
    return usage("unknown command " + command);
  }

  auto settings = settings_of(options, false);
  if (!settings.ok()) return failure(command, settings.error().message);
  auto answer = ask_kiosk(*settings, request, timeout_s);
  if (!answer.ok()) return failure(command, answer.error().message);
  const json& result = *answer;
  switch (request.command) {
    case ops::ControlCommand::status: return print(options, result, status_view(result, settings->zone));
    case ops::ControlCommand::devices: return print(options, result, devices_view(result, settings->zone));
    case ops::ControlCommand::selftest:
      print(options, result, selftest_view(result));
      return result.value("passed", false) ? 0 : failure(command, "self-test failed: " + text_of(result, "summary"));
    case ops::ControlCommand::network: {
      print(options, result, network_view(result));
      if (result.value("ok", false)) return 0;
      for (const auto& step : result.value("steps", json::array())) {
        if (!step.value("ok", true)) return failure(command, "failed at " + text_of(step, "name") + ": " + text_of(step, "detail"));
      }
      return failure(command, "the check did not complete");
    }
    case ops::ControlCommand::outbox: return print(options, result, outbox_view(result));
    case ops::ControlCommand::outbox_retry: return print(options, result, "every pending item is due now\n" + outbox_view(result));
    case ops::ControlCommand::logs: {
      std::string lines;
      for (const auto& line : result.value("lines", json::array())) lines += (line.is_string() ? line.get<std::string>() : line.dump()) + "\n";
      return print(options, result, lines);
    }
    case ops::ControlCommand::bundle: return print(options, result, "bundle written: " + text_of(result, "path") + "\n");
    case ops::ControlCommand::audit_verify: return print(options, result, result.dump(2) + "\n");
    case ops::ControlCommand::sim: return print(options, result, sim_view(request, result));
  }
  return 0;
}

}  // namespace kiosk::kioskctl
