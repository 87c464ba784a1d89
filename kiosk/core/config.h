#pragma once
// Terminal configuration (JSON). Every field has a default so a terminal runs from an empty `{}`;
// a malformed file is refused rather than half applied, and the error says where: the field's
// full path (`display.width: expected an integer`), a key the kiosk does not know with the
// nearest known one (`unknown key `langauge`; did you mean `language`?`), or the line and column
// of a JSON syntax error. There are no comment keys: every key must be a field.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"

namespace kiosk {

// The platform channel (docs/platform-api.md). No "platform" object: no platform; the kiosk runs
// on its factory catalog (development, screen tests). Relative paths are relative to the config
// file's folder.
struct PlatformConfig {
  bool enabled = false;                 // a "platform" object is present
  std::string url;                      // "https://platform.example:8443"
  std::string region = "510502";
  std::filesystem::path ca_file;        // the platform CA (the only trust anchor)
  std::filesystem::path cert_file;      // this terminal's certificate
  std::filesystem::path key_file;       // its key: mode 0600, else the channel refuses to start
  std::string pinned_public_key;        // optional "sha256//…"
  std::filesystem::path data_dir = "/var/lib/kiosk";  // outbox.db, catalog.db, seal.key
  std::filesystem::path seal_key_file;  // empty: <data_dir>/seal.key
  int connect_timeout_ms = 5000;
  int request_timeout_ms = 30000;
  int catalog_poll_s = 900;
  int heartbeat_s = 60;
  int catalog_stale_hours = 24;         // older than this, guides say so
  std::string sim_admin_url;            // tests and demo only: the simulator's admin port
};

// Spoken guidance (kiosk/voice): each screen's title and main instruction, and every dialog, read
// aloud in the session's language; citizens can repeat, stop, change the volume or turn it off.
struct VoiceConfig {
  bool enabled = true;       // false: no speech at all (the voice is never loaded)
  bool automatic = true;     // "auto": speak each new screen and dialog without being asked
  int words_per_minute = 150;
  int volume_step = 4;       // 1 … 5 at the start of every session
};

// Technician mode (screens/technician_*.cpp): entered by a hidden gesture and a PIN. Only a salted
// hash of the PIN is kept (kiosk/ops/technician_pin.h); no hash: technician mode cannot be opened
// at the terminal (kioskctl still works over SSH).
struct TechnicianConfig {
  std::string pin_hash;       // "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
  int max_tries = 5;          // wrong PINs in a row before the lockout
  int lockout_minutes = 15;
};

// 7×24 operations (issue 7): the control socket for kioskctl, Prometheus metrics, the audit trail.
// Every path empty (the default, for development): that part is off. The packaged config
// (packaging/config.json) turns them all on.
struct OpsConfig {
  std::filesystem::path control_socket;  // "/run/kiosk/control.sock"
  std::string admin_group = "kiosk-admin";  // besides root, members may use the socket
  std::filesystem::path metrics_dir;     // node_exporter's textfile directory
  int metrics_interval_s = 15;
  std::filesystem::path audit_log;       // "/var/lib/kiosk/audit.log"
  std::filesystem::path audit_key_file;  // HMAC key, 32 bytes, mode 0600; created if missing
  std::filesystem::path state_dir;       // restart counter, technician lockout
  std::filesystem::path bundle_dir = "/tmp";  // where diagnostics bundles go when no USB stick
};

// Demo mode (`make demo`, assets/config/demo.json): `panel` shows the simulator panel — a strip
// labelled 演示 DEMO along the bottom edge, the keys F1…F8 — and lets `kioskctl sim …` drive the
// simulated devices (kiosk/driver/sim_actions.h). Never on a real terminal.
struct DemoConfig {
  bool panel = false;
};

struct Config {
  std::string terminal_id = "SIM-0001";
  std::string hall_name = "泸州市政务服务中心";      // shown on the attract screen
  std::string staff_location = "一楼大厅咨询台";      // where "call staff" sends citizens
  std::filesystem::path assets_dir;                  // empty: $KIOSK_ASSETS or the installed path
  std::filesystem::path catalog_file = "catalog/items.json";  // relative to assets_dir
  std::filesystem::path regular_font;                // empty: Noto Sans CJK from fonts-noto-cjk
  std::filesystem::path bold_font;
  int display_width = 1080;
  int display_height = 1920;
  double pixels_per_inch = 102.5;
  bool fullscreen = false;
  // How frames reach the panel: "software" (SDL's software renderer over the window surface: no
  // GL driver loaded, ~80 MiB less memory) or "accelerated" (GL/GLES, for panels that need GPU
  // scaling or rotation).
  std::string renderer = "software";
  std::string language = "zh";
  // The terminal's time zone (IANA name, kiosk/core/time_zone.h): every time shown, spoken or
  // printed is in it, whatever the machine's zone. Checked at load: the zone must exist.
  std::string time_zone = "Asia/Shanghai";
  bool elderly_mode = false;
  int inactivity_seconds = 90;          // no touch for this long in a session → warning
  int inactivity_warning_seconds = 30;  // WCAG 2.2.1: at least 20 s to extend
  int attract_rotate_seconds = 8;
  nlohmann::json devices = nlohmann::json::object();  // per device class: {"driver": "sim", …}
  PlatformConfig platform;
  VoiceConfig voice;
  TechnicianConfig technician;
  OpsConfig ops;
  DemoConfig demo;
};

Result<Config> parse_config(std::string_view json_text);
Result<Config> load_config(const std::filesystem::path& path);

// The key of `known` nearest to a mistyped `key` (one edit — a letter added, dropped, changed or
// two letters swapped — per four characters), or nullopt when none is that near. For errors that
// suggest the key meant (config fields, device classes).
std::optional<std::string> closest_key(std::string_view key, const std::vector<std::string>& known);

}  // namespace kiosk
