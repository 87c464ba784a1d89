#include "kiosk/core/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kiosk/core/text.h"

namespace kiosk {
namespace {

using nlohmann::json;

Error field_error(std::string_view field, std::string_view what) {
  return Error::make(ErrorKind::parse, "config: field \"" + std::string(field) + "\" " + std::string(what));
}

Status read_string(const json& object, const char* field, std::string& out) {
  if (!object.contains(field)) return {};
  if (!object[field].is_string()) return field_error(field, "must be a string");
  out = object[field].get<std::string>();
  if (!text::is_valid_utf8(out)) return field_error(field, "is not valid UTF-8");
  return {};
}

Status read_path(const json& object, const char* field, std::filesystem::path& out) {
  std::string value;
  TRY_STATUS(read_string(object, field, value));
  if (object.contains(field)) out = value;
  return {};
}

Status read_int(const json& object, const char* field, int minimum, int maximum, int& out) {
  if (!object.contains(field)) return {};
  if (!object[field].is_number_integer()) return field_error(field, "must be an integer");
  const auto value = object[field].get<long long>();
  if (value < minimum || value > maximum) {
    return field_error(field, "must be between " + std::to_string(minimum) + " and " + std::to_string(maximum));
  }
  out = static_cast<int>(value);
  return {};
}

Status read_bool(const json& object, const char* field, bool& out) {
  if (!object.contains(field)) return {};
  if (!object[field].is_boolean()) return field_error(field, "must be true or false");
  out = object[field].get<bool>();
  return {};
}

}  // namespace

Result<Config> parse_config(std::string_view json_text) {
  const json root = json::parse(json_text, nullptr, false);
  if (root.is_discarded()) return Error::make(ErrorKind::parse, "config: not valid JSON");
  if (!root.is_object()) return Error::make(ErrorKind::parse, "config: the top level must be an object");
  Config config;
  TRY_STATUS(read_string(root, "terminal_id", config.terminal_id));
  TRY_STATUS(read_string(root, "hall_name", config.hall_name));
  TRY_STATUS(read_string(root, "staff_location", config.staff_location));
  TRY_STATUS(read_path(root, "assets_dir", config.assets_dir));
  TRY_STATUS(read_path(root, "catalog_file", config.catalog_file));
  TRY_STATUS(read_path(root, "regular_font", config.regular_font));
  TRY_STATUS(read_path(root, "bold_font", config.bold_font));
  if (root.contains("display")) {
    const json& display = root["display"];
    if (!display.is_object()) return field_error("display", "must be an object");
    TRY_STATUS(read_int(display, "width", 320, 7680, config.display_width));
    TRY_STATUS(read_int(display, "height", 320, 7680, config.display_height));
    TRY_STATUS(read_bool(display, "fullscreen", config.fullscreen));
    TRY_STATUS(read_string(display, "renderer", config.renderer));
    if (config.renderer != "software" && config.renderer != "accelerated") {
      return field_error("display.renderer", "must be \"software\" or \"accelerated\"");
    }
    if (display.contains("pixels_per_inch")) {
      if (!display["pixels_per_inch"].is_number()) return field_error("display.pixels_per_inch", "must be a number");
      config.pixels_per_inch = display["pixels_per_inch"].get<double>();
      if (!(config.pixels_per_inch >= 40 && config.pixels_per_inch <= 600)) {
        return field_error("display.pixels_per_inch", "must be between 40 and 600");
      }
    }
  }
  TRY_STATUS(read_string(root, "language", config.language));
  if (config.language != "zh" && config.language != "en") return field_error("language", "must be \"zh\" or \"en\"");
  TRY_STATUS(read_bool(root, "elderly_mode", config.elderly_mode));
  TRY_STATUS(read_int(root, "inactivity_seconds", 15, 3600, config.inactivity_seconds));
  TRY_STATUS(read_int(root, "inactivity_warning_seconds", 20, 600, config.inactivity_warning_seconds));
  TRY_STATUS(read_int(root, "attract_rotate_seconds", 2, 600, config.attract_rotate_seconds));
  if (root.contains("devices")) {
    if (!root["devices"].is_object()) return field_error("devices", "must be an object");
    config.devices = root["devices"];
  }
  if (root.contains("voice")) {
    const json& voice = root["voice"];
    if (!voice.is_object()) return field_error("voice", "must be an object");
    TRY_STATUS(read_bool(voice, "enabled", config.voice.enabled));
    TRY_STATUS(read_bool(voice, "auto", config.voice.automatic));
    TRY_STATUS(read_int(voice, "words_per_minute", 80, 450, config.voice.words_per_minute));
    TRY_STATUS(read_int(voice, "volume_step", 1, 5, config.voice.volume_step));
  }
  if (root.contains("technician")) {
    const json& technician = root["technician"];
    if (!technician.is_object()) return field_error("technician", "must be an object");
    TRY_STATUS(read_string(technician, "pin_hash", config.technician.pin_hash));
    if (!config.technician.pin_hash.empty() && config.technician.pin_hash.rfind("pbkdf2-sha256$", 0) != 0) {
      return field_error("technician.pin_hash", "must look like pbkdf2-sha256$<iterations>$<salt>$<hash> (kioskctl pin-hash)");
    }
    TRY_STATUS(read_int(technician, "max_tries", 1, 20, config.technician.max_tries));
    TRY_STATUS(read_int(technician, "lockout_minutes", 1, 24 * 60, config.technician.lockout_minutes));
  }
  if (root.contains("ops")) {
    const json& ops = root["ops"];
    if (!ops.is_object()) return field_error("ops", "must be an object");
    TRY_STATUS(read_path(ops, "control_socket", config.ops.control_socket));
    TRY_STATUS(read_string(ops, "admin_group", config.ops.admin_group));
    TRY_STATUS(read_path(ops, "metrics_dir", config.ops.metrics_dir));
    TRY_STATUS(read_int(ops, "metrics_interval_s", 1, 3600, config.ops.metrics_interval_s));
    TRY_STATUS(read_path(ops, "audit_log", config.ops.audit_log));
    TRY_STATUS(read_path(ops, "audit_key_file", config.ops.audit_key_file));
    TRY_STATUS(read_path(ops, "state_dir", config.ops.state_dir));
    TRY_STATUS(read_path(ops, "bundle_dir", config.ops.bundle_dir));
    if (!config.ops.audit_log.empty() && config.ops.audit_key_file.empty()) {
      return field_error("ops.audit_key_file", "is required when ops.audit_log is set");
    }
  }
  if (root.contains("platform")) {
    const json& platform = root["platform"];
    if (!platform.is_object()) return field_error("platform", "must be an object");
    PlatformConfig& out = config.platform;
    out.enabled = true;
    TRY_STATUS(read_string(platform, "url", out.url));
    if (out.url.rfind("https://", 0) != 0) return field_error("platform.url", "must start with https://");
    TRY_STATUS(read_string(platform, "region", out.region));
    TRY_STATUS(read_path(platform, "ca_file", out.ca_file));
    TRY_STATUS(read_path(platform, "cert_file", out.cert_file));
    TRY_STATUS(read_path(platform, "key_file", out.key_file));
    for (const auto& [field, path] : {std::pair{"platform.ca_file", &out.ca_file}, std::pair{"platform.cert_file", &out.cert_file},
                                      std::pair{"platform.key_file", &out.key_file}}) {
      if (path->empty()) return field_error(field, "is required when a platform is configured");
    }
    TRY_STATUS(read_string(platform, "pinned_public_key", out.pinned_public_key));
    if (!out.pinned_public_key.empty() && out.pinned_public_key.rfind("sha256//", 0) != 0) {
      return field_error("platform.pinned_public_key", "must look like sha256//<base64>");
    }
    TRY_STATUS(read_path(platform, "data_dir", out.data_dir));
    TRY_STATUS(read_path(platform, "seal_key_file", out.seal_key_file));
    TRY_STATUS(read_int(platform, "connect_timeout_ms", 100, 120000, out.connect_timeout_ms));
    TRY_STATUS(read_int(platform, "request_timeout_ms", 500, 600000, out.request_timeout_ms));
    TRY_STATUS(read_int(platform, "catalog_poll_s", 10, 7 * 86400, out.catalog_poll_s));
    TRY_STATUS(read_int(platform, "heartbeat_s", 5, 86400, out.heartbeat_s));
    TRY_STATUS(read_int(platform, "catalog_stale_hours", 1, 24 * 365, out.catalog_stale_hours));
    TRY_STATUS(read_string(platform, "sim_admin_url", out.sim_admin_url));
  }
  return config;
}

Result<Config> load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::not_found, "config " + path.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  auto config = parse_config(text.str());
  if (!config.ok()) return Error::make(config.error().kind, path.string() + ": " + config.error().message);
  return config;
}

}  // namespace kiosk
