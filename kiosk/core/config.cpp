#include "kiosk/core/config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "kiosk/core/text.h"
#include "kiosk/core/time_zone.h"

namespace kiosk {
namespace {

using nlohmann::json;

Error path_error(const std::string& path, std::string_view what) {
  return Error::make(ErrorKind::parse, path + ": " + std::string(what));
}

// The keys the parser asked for, per object path ("" is the top level, "display", …). Every
// read_* below registers its key here whether or not the file has it, so the list of known keys
// is exactly the list of keys read: a field added to parse_config() is known without another edit.
struct KnownKeys {
  std::map<std::string, std::set<std::string>> by_object;
  std::set<std::string> opaque;  // objects whose contents another module checks ("devices")
};

// One JSON object of the config at `path`, remembering which of its keys were read.
class Section {
 public:
  Section(const json& object, std::string path, KnownKeys& known) : object_(object), path_(std::move(path)), known_(known) {
    known_.by_object[path_];  // an object with no fields read still has its (empty) list
  }

  // Registers `key` as known and says whether the file has it.
  bool has(const char* key) {
    known_.by_object[path_].insert(key);
    return object_.contains(key);
  }
  const json& operator[](const char* key) const { return object_[key]; }
  std::string path_of(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

  // The nested object `key`, or an error if it is there but not an object; nullopt when absent.
  Result<std::optional<Section>> section(const char* key) {
    if (!has(key)) return std::optional<Section>();
    if (!object_[key].is_object()) return path_error(path_of(key), "expected an object");
    return std::optional<Section>(Section(object_[key], path_of(key), known_));
  }
  // A nested object whose keys another module checks (it is still required to be an object).
  Result<std::optional<json>> opaque(const char* key) {
    if (!has(key)) return std::optional<json>();
    if (!object_[key].is_object()) return path_error(path_of(key), "expected an object");
    known_.opaque.insert(path_of(key));
    return std::optional<json>(object_[key]);
  }

 private:
  const json& object_;
  std::string path_;
  KnownKeys& known_;
};

Status read_string(Section& object, const char* field, std::string& out) {
  if (!object.has(field)) return {};
  if (!object[field].is_string()) return path_error(object.path_of(field), "expected a string");
  std::string value = object[field].get<std::string>();
  if (!text::is_valid_utf8(value)) return path_error(object.path_of(field), "is not valid UTF-8");
  out = std::move(value);
  return {};
}

// A string that must be one of `allowed`.
Status read_choice(Section& object, const char* field, std::initializer_list<const char*> allowed, std::string& out) {
  std::string value = out;
  TRY_STATUS(read_string(object, field, value));
  std::string list;
  for (const char* choice : allowed) {
    if (value == choice) {
      out = value;
      return {};
    }
    list += (list.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
  }
  return path_error(object.path_of(field), "expected one of " + list);
}

Status read_path(Section& object, const char* field, std::filesystem::path& out) {
  std::string value;
  TRY_STATUS(read_string(object, field, value));
  if (object.has(field)) out = value;
  return {};
}

Status read_int(Section& object, const char* field, int minimum, int maximum, int& out) {
  if (!object.has(field)) return {};
  if (!object[field].is_number_integer()) return path_error(object.path_of(field), "expected an integer");
  const auto value = object[field].get<long long>();
  if (value < minimum || value > maximum) {
    return path_error(object.path_of(field),
                      "expected an integer from " + std::to_string(minimum) + " to " + std::to_string(maximum));
  }
  out = static_cast<int>(value);
  return {};
}

Status read_number(Section& object, const char* field, double minimum, double maximum, double& out) {
  if (!object.has(field)) return {};
  if (!object[field].is_number()) return path_error(object.path_of(field), "expected a number");
  const double value = object[field].get<double>();
  if (!(value >= minimum && value <= maximum)) {
    std::ostringstream range;
    range << "expected a number from " << minimum << " to " << maximum;
    return path_error(object.path_of(field), range.str());
  }
  out = value;
  return {};
}

Status read_bool(Section& object, const char* field, bool& out) {
  if (!object.has(field)) return {};
  if (!object[field].is_boolean()) return path_error(object.path_of(field), "expected true or false");
  out = object[field].get<bool>();
  return {};
}

// Optimal string alignment distance (Levenshtein plus swapping two neighbours: "langauge").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string joined_path(const std::string& object, const std::string& key) {
  return object.empty() ? key : object + "." + key;
}

// The key's full path is in the message itself: "unknown key `display.widht`; …".
Error unknown_key(const std::string& message) { return Error::make(ErrorKind::parse, message); }

// Every key of the file must be one the parser read. A key is checked only inside objects the
// parser opened itself: opaque ones ("devices") are checked where they are read.
Status check_unknown_keys(const json& object, const std::string& path, const KnownKeys& known) {
  const auto found = known.by_object.find(path);
  if (found == known.by_object.end() || known.opaque.count(path) != 0) return {};
  const std::set<std::string>& keys = found->second;
  for (const auto& [key, value] : object.items()) {
    const std::string full = joined_path(path, key);
    if (keys.count(key) == 0) {
      std::vector<std::string> candidates(keys.begin(), keys.end());
      // A field put at the wrong level ("width" at the top) is suggested with its real path.
      for (const auto& [other_path, other_keys] : known.by_object) {
        if (other_path != path && other_keys.count(key) != 0) {
          return unknown_key("unknown key `" + full + "`; did you mean `" + joined_path(other_path, key) + "`?");
        }
      }
      std::optional<std::string> suggestion = closest_key(key, candidates);
      if (suggestion) return unknown_key("unknown key `" + full + "`; did you mean `" + joined_path(path, *suggestion) + "`?");
      std::string list;
      for (const auto& candidate : candidates) list += (list.empty() ? "" : ", ") + candidate;
      return unknown_key("unknown key `" + full + "` (known here: " + list + ")");
    }
    if (value.is_object()) TRY_STATUS(check_unknown_keys(value, full, known));
  }
  return {};
}

// nlohmann's parse errors carry the byte offset of the character that failed; say it as line and
// column (columns count characters, so a Chinese hall name does not shift them), and keep only
// the reason from its message (its "last read" part may quote raw bytes).
Error json_error(std::string_view text, const json::parse_error& error) {
  const std::size_t offset = std::min<std::size_t>(error.byte == 0 ? 0 : error.byte - 1, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column;
    }
  }
  std::string reason = error.what();
  if (const auto at = reason.find("column "); at != std::string::npos) {
    if (const auto colon = reason.find(": ", at); colon != std::string::npos) reason = reason.substr(colon + 2);
  }
  if (const auto last = reason.find("; last read:"); last != std::string::npos) reason.resize(last);
  return Error::make(ErrorKind::parse, "config: not valid JSON at line " + std::to_string(line) + ", column " +
                                           std::to_string(column) + ": " + reason);
}

}  // namespace

std::optional<std::string> closest_key(std::string_view key, const std::vector<std::string>& known) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  // Up to one edit in four characters (at least one): "langauge" → "language", "widht" → "width",
  // but "foo" suggests nothing.
  const std::size_t allowed = std::max<std::size_t>(1, key.size() / 4);
  for (const auto& candidate : known) {
    const std::size_t distance = edit_distance(key, candidate);
    if (distance <= allowed && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

Result<Config> parse_config(std::string_view json_text) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& error) {
    return json_error(json_text, error);
  }
  if (!document.is_object()) return Error::make(ErrorKind::parse, "config: the top level must be an object");
  KnownKeys known;
  Section root(document, "", known);
  Config config;
  TRY_STATUS(read_string(root, "terminal_id", config.terminal_id));
  TRY_STATUS(read_string(root, "hall_name", config.hall_name));
  TRY_STATUS(read_string(root, "staff_location", config.staff_location));
  TRY_STATUS(read_path(root, "assets_dir", config.assets_dir));
  TRY_STATUS(read_path(root, "catalog_file", config.catalog_file));
  TRY_STATUS(read_path(root, "regular_font", config.regular_font));
  TRY_STATUS(read_path(root, "bold_font", config.bold_font));
  if (auto display = TRY(root.section("display"))) {
    TRY_STATUS(read_int(*display, "width", 320, 7680, config.display_width));
    TRY_STATUS(read_int(*display, "height", 320, 7680, config.display_height));
    TRY_STATUS(read_bool(*display, "fullscreen", config.fullscreen));
    TRY_STATUS(read_choice(*display, "renderer", {"software", "accelerated"}, config.renderer));
    TRY_STATUS(read_number(*display, "pixels_per_inch", 40, 600, config.pixels_per_inch));
  }
  TRY_STATUS(read_choice(root, "language", {"zh", "en"}, config.language));
  TRY_STATUS(read_string(root, "time_zone", config.time_zone));
  if (auto zone = TimeZone::load(config.time_zone); !zone.ok()) return path_error(root.path_of("time_zone"), zone.error().message);
  TRY_STATUS(read_bool(root, "elderly_mode", config.elderly_mode));
  TRY_STATUS(read_int(root, "inactivity_seconds", 15, 3600, config.inactivity_seconds));
  TRY_STATUS(read_int(root, "inactivity_warning_seconds", 20, 600, config.inactivity_warning_seconds));
  TRY_STATUS(read_int(root, "attract_rotate_seconds", 2, 600, config.attract_rotate_seconds));
  // Each device's options are its driver's: devices/registry.cpp checks them, with the same paths.
  if (auto devices = TRY(root.opaque("devices"))) config.devices = std::move(*devices);
  if (auto voice = TRY(root.section("voice"))) {
    TRY_STATUS(read_bool(*voice, "enabled", config.voice.enabled));
    TRY_STATUS(read_bool(*voice, "auto", config.voice.automatic));
    TRY_STATUS(read_int(*voice, "words_per_minute", 80, 450, config.voice.words_per_minute));
    TRY_STATUS(read_int(*voice, "volume_step", 1, 5, config.voice.volume_step));
  }
  if (auto technician = TRY(root.section("technician"))) {
    TRY_STATUS(read_string(*technician, "pin_hash", config.technician.pin_hash));
    if (!config.technician.pin_hash.empty() && config.technician.pin_hash.rfind("pbkdf2-sha256$", 0) != 0) {
      return path_error("technician.pin_hash", "expected pbkdf2-sha256$<iterations>$<salt>$<hash> (kioskctl pin-hash)");
    }
    TRY_STATUS(read_int(*technician, "max_tries", 1, 20, config.technician.max_tries));
    TRY_STATUS(read_int(*technician, "lockout_minutes", 1, 24 * 60, config.technician.lockout_minutes));
  }
  if (auto demo = TRY(root.section("demo"))) {
    TRY_STATUS(read_bool(*demo, "panel", config.demo.panel));
  }
  if (auto ops = TRY(root.section("ops"))) {
    TRY_STATUS(read_path(*ops, "control_socket", config.ops.control_socket));
    TRY_STATUS(read_string(*ops, "admin_group", config.ops.admin_group));
    TRY_STATUS(read_path(*ops, "metrics_dir", config.ops.metrics_dir));
    TRY_STATUS(read_int(*ops, "metrics_interval_s", 1, 3600, config.ops.metrics_interval_s));
    TRY_STATUS(read_path(*ops, "audit_log", config.ops.audit_log));
    TRY_STATUS(read_path(*ops, "audit_key_file", config.ops.audit_key_file));
    TRY_STATUS(read_path(*ops, "state_dir", config.ops.state_dir));
    TRY_STATUS(read_path(*ops, "bundle_dir", config.ops.bundle_dir));
    if (!config.ops.audit_log.empty() && config.ops.audit_key_file.empty()) {
      return path_error("ops.audit_key_file", "required when ops.audit_log is set");
    }
  }
  if (auto platform = TRY(root.section("platform"))) {
    PlatformConfig& out = config.platform;
    out.enabled = true;
    TRY_STATUS(read_string(*platform, "url", out.url));
    if (out.url.rfind("https://", 0) != 0) return path_error("platform.url", "expected an https:// URL");
    TRY_STATUS(read_string(*platform, "region", out.region));
    TRY_STATUS(read_path(*platform, "ca_file", out.ca_file));
    TRY_STATUS(read_path(*platform, "cert_file", out.cert_file));
    TRY_STATUS(read_path(*platform, "key_file", out.key_file));
    for (const auto& [field, path] : {std::pair{"platform.ca_file", &out.ca_file}, std::pair{"platform.cert_file", &out.cert_file},
                                      std::pair{"platform.key_file", &out.key_file}}) {
      if (path->empty()) return path_error(field, "required when a platform is configured");
    }
    TRY_STATUS(read_string(*platform, "pinned_public_key", out.pinned_public_key));
    if (!out.pinned_public_key.empty() && out.pinned_public_key.rfind("sha256//", 0) != 0) {
      return path_error("platform.pinned_public_key", "expected sha256//<base64>");
    }
    TRY_STATUS(read_path(*platform, "data_dir", out.data_dir));
    TRY_STATUS(read_path(*platform, "seal_key_file", out.seal_key_file));
    TRY_STATUS(read_int(*platform, "connect_timeout_ms", 100, 120000, out.connect_timeout_ms));
    TRY_STATUS(read_int(*platform, "request_timeout_ms", 500, 600000, out.request_timeout_ms));
    TRY_STATUS(read_int(*platform, "catalog_poll_s", 10, 7 * 86400, out.catalog_poll_s));
    TRY_STATUS(read_int(*platform, "heartbeat_s", 5, 86400, out.heartbeat_s));
    TRY_STATUS(read_int(*platform, "catalog_stale_hours", 1, 24 * 365, out.catalog_stale_hours));
    TRY_STATUS(read_string(*platform, "sim_admin_url", out.sim_admin_url));
  }
  // Last, so that every field above has registered its key.
  TRY_STATUS(check_unknown_keys(document, "", known));
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
