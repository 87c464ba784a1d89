// The control socket's request and answer lines (control_protocol.h).
#include "kiosk/ops/control_protocol.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <set>
#include <utility>

#include "kiosk/ops/operations.h"

namespace kiosk::ops {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<ControlCommand, const char*>, 10> kCommands = {{
    {ControlCommand::status, "status"},
    {ControlCommand::devices, "devices"},
    {ControlCommand::selftest, "selftest"},
    {ControlCommand::network, "network"},
    {ControlCommand::outbox, "outbox"},
    {ControlCommand::outbox_retry, "outbox-retry"},
    {ControlCommand::logs, "logs"},
    {ControlCommand::bundle, "bundle"},
    {ControlCommand::audit_verify, "audit-verify"},
    {ControlCommand::sim, "sim"},
}};

constexpr std::array<std::pair<ErrorKind, const char*>, 10> kErrorKinds = {{
    {ErrorKind::invalid_argument, "invalid_argument"},
    {ErrorKind::parse, "parse"},
    {ErrorKind::not_found, "not_found"},
    {ErrorKind::io, "io"},
    {ErrorKind::timeout, "timeout"},
    {ErrorKind::cancelled, "cancelled"},
    {ErrorKind::device, "device"},
    {ErrorKind::unsupported, "unsupported"},
    {ErrorKind::busy, "busy"},
    {ErrorKind::permission, "permission"},
}};

// The fields each command takes besides "command"; anything else is refused so that a typo
// ("limt") is not silently ignored.
std::set<std::string> fields_of(ControlCommand command) {
  switch (command) {
    case ControlCommand::selftest: return {"device", "force"};
    case ControlCommand::logs: return {"limit"};
    case ControlCommand::bundle: return {"dir"};
    case ControlCommand::sim: return {"action", "arguments"};
    default: return {};
  }
}

Error invalid(std::string message) { return Error::make(ErrorKind::invalid_argument, std::move(message)); }

std::string dump_line(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace

const char* command_name(ControlCommand command) {
  for (const auto& [known, name] : kCommands) {
    if (known == command) return name;
  }
  return "unknown";
}

std::optional<ControlCommand> command_from_name(std::string_view name) {
  for (const auto& [known, known_name] : kCommands) {
    if (name == known_name) return known;
  }
  return std::nullopt;
}

bool command_is_audited(ControlCommand command) {
  switch (command) {
    case ControlCommand::status:
    case ControlCommand::devices:
    case ControlCommand::outbox:
    case ControlCommand::logs: return false;
    default: return true;
  }
}

std::string audit_event_name(ControlCommand command) {
  std::string name = std::string("kioskctl_") + command_name(command);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

Result<ControlRequest> parse_control_request(std::string_view line) {
  if (line.size() > kMaxControlRequestBytes) {
    return Error::make(ErrorKind::parse, "request longer than " + std::to_string(kMaxControlRequestBytes) + " bytes");
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const json parsed = json::parse(line, nullptr, false);
  if (parsed.is_discarded()) return Error::make(ErrorKind::parse, "the request is not JSON");
  if (!parsed.is_object()) return Error::make(ErrorKind::parse, "the request is not a JSON object");
  const auto command_field = parsed.find("command");
  if (command_field == parsed.end()) return invalid("the request has no \"command\"");
  if (!command_field->is_string()) return invalid("\"command\" must be a string");
  const auto command = command_from_name(command_field->get_ref<const std::string&>());
  if (!command) return invalid("unknown command (try status, devices, selftest, network, outbox, outbox-retry, logs, "
                               "bundle, audit-verify, sim)");
  ControlRequest request;
  request.command = *command;
  const auto allowed = fields_of(*command);
  for (const auto& [key, value] : parsed.items()) {
    if (key != "command" && allowed.count(key) == 0) {
      // The key is outside data of any length: quote only a short, printable one.
      const bool quotable = key.size() <= 32 && std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
      return invalid(std::string(command_name(*command)) + " takes no field " + (quotable ? "\"" + key + "\"" : "of that name"));
    }
  }
  switch (*command) {
    case ControlCommand::selftest: {
      const auto device = parsed.find("device");
      if (device == parsed.end() || !device->is_string()) return invalid("selftest needs \"device\" (a device name)");
      const auto device_class = device_class_from_string(device->get_ref<const std::string&>());
      if (!device_class) {
        std::string names;
        for (hal::DeviceClass known : hal::kAllDeviceClasses) names += std::string(names.empty() ? "" : ", ") + hal::to_string(known);
        return invalid("unknown device (one of " + names + ")");
      }
      request.device = *device_class;
      if (const auto force = parsed.find("force"); force != parsed.end()) {
        if (!force->is_boolean()) return invalid("\"force\" must be true or false");
        request.force = force->get<bool>();
      }
      break;
    }
    case ControlCommand::logs:
      if (const auto limit = parsed.find("limit"); limit != parsed.end()) {
        if (!limit->is_number_integer()) return invalid("\"limit\" must be a whole number");
        // Compared as the signed or unsigned type it parsed to: no narrowing of huge numbers.
        const bool in_range = limit->is_number_unsigned()
                                  ? limit->get<std::uint64_t>() >= 1 && limit->get<std::uint64_t>() <= kMaxLogLines
                                  : limit->get<std::int64_t>() >= 1 && limit->get<std::int64_t>() <= kMaxLogLines;
        if (!in_range) return invalid("\"limit\" must be from 1 to " + std::to_string(kMaxLogLines));
        request.limit = static_cast<int>(limit->get<std::int64_t>());
      }
      break;
    case ControlCommand::bundle:
      if (const auto dir = parsed.find("dir"); dir != parsed.end()) {
        if (!dir->is_string()) return invalid("\"dir\" must be a string");
        const std::string& text = dir->get_ref<const std::string&>();
        if (text.empty() || text.front() != '/') return invalid("\"dir\" must be an absolute path");
        if (text.size() > 4096 || text.find('\0') != std::string::npos) return invalid("\"dir\" is not a usable path");
        request.dir = text;
      }
      break;
    case ControlCommand::sim: {
      const auto action = parsed.find("action");
      if (action == parsed.end() || !action->is_string()) return invalid("sim needs \"action\" (card, face, scan, printer, unplug, plug, list)");
      const std::string& name = action->get_ref<const std::string&>();
      if (std::none_of(std::begin(kSimActions), std::end(kSimActions), [&name](const char* known) { return name == known; })) {
        return invalid("unknown sim action (card, face, scan, printer, unplug, plug, list)");
      }
      request.sim_action = name;
      if (const auto arguments = parsed.find("arguments"); arguments != parsed.end()) {
        if (!arguments->is_array() || arguments->size() > kMaxSimArguments) {
          return invalid("\"arguments\" must be an array of at most " + std::to_string(kMaxSimArguments) + " strings");
        }
        for (const json& argument : *arguments) {
          if (!argument.is_string()) return invalid("\"arguments\" must be strings");
          const std::string& text = argument.get_ref<const std::string&>();
          if (text.empty() || text.size() > 4096 || text.find('\0') != std::string::npos) return invalid("a sim argument is empty or not usable");
          request.sim_arguments.push_back(text);
        }
      }
      break;
    }
    default: break;
  }
  return request;
}

std::string control_request_line(const ControlRequest& request) {
  json line = {{"command", command_name(request.command)}};
  switch (request.command) {
    case ControlCommand::selftest:
      line["device"] = hal::to_string(request.device);
      line["force"] = request.force;
      break;
    case ControlCommand::logs: line["limit"] = request.limit; break;
    case ControlCommand::bundle:
      if (!request.dir.empty()) line["dir"] = request.dir.string();
      break;
    case ControlCommand::sim:
      line["action"] = request.sim_action;
      line["arguments"] = request.sim_arguments;
      break;
    default: break;
  }
  return dump_line(line);
}

std::string ok_answer_line(const json& result) { return dump_line(json{{"ok", true}, {"result", result}}); }

std::string error_answer_line(const Error& error) {
  return dump_line(json{{"ok", false}, {"error", {{"kind", error_kind_name(error.kind)}, {"message", error.message}}}});
}

const char* error_kind_name(ErrorKind kind) {
  for (const auto& [known, name] : kErrorKinds) {
    if (known == kind) return name;
  }
  return "io";
}

std::optional<ErrorKind> error_kind_from_name(std::string_view name) {
  for (const auto& [known, known_name] : kErrorKinds) {
    if (name == known_name) return known;
  }
  return std::nullopt;
}

Result<json> parse_control_answer(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  json parsed = json::parse(line, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return Error::make(ErrorKind::parse, "the kiosk's answer is not a JSON object");
  const auto ok = parsed.find("ok");
  if (ok == parsed.end() || !ok->is_boolean()) return Error::make(ErrorKind::parse, "the kiosk's answer has no \"ok\"");
  if (ok->get<bool>()) {
    const auto result = parsed.find("result");
    if (result == parsed.end()) return Error::make(ErrorKind::parse, "the kiosk's answer has no \"result\"");
    return std::move(*result);
  }
  const auto error = parsed.find("error");
  if (error == parsed.end() || !error->is_object()) return Error::make(ErrorKind::parse, "the kiosk's answer has no \"error\"");
  const auto kind = error->find("kind");
  const auto message = error->find("message");
  if (kind == error->end() || !kind->is_string() || message == error->end() || !message->is_string()) {
    return Error::make(ErrorKind::parse, "the kiosk's error has no kind or message");
  }
  // An unknown kind (a newer kiosk) still carries its message.
  return Error::make(error_kind_from_name(kind->get_ref<const std::string&>()).value_or(ErrorKind::io),
                     message->get_ref<const std::string&>());
}

}  // namespace kiosk::ops
