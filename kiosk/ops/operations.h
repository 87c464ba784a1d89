#pragma once
// What a technician can ask of a running kiosk — at the terminal (technician mode, screens/) or
// over SSH (`kioskctl`, through the control socket, kiosk/ops/control_server.h). One interface so
// both see the same answers. main() builds the implementation (kiosk/ops/service/) from the
// devices, the platform channel, the audit log and the metrics, and passes it down.
//
// Threads: every method may be called from any thread except the UI thread for those that say
// "blocks". Nothing here returns personal data: device details, counts, ages, error kinds only.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hal/device.h"
#include "kiosk/core/cancel.h"
#include "kiosk/core/result.h"

namespace kiosk::ops {

// One device as a technician sees it.
struct DeviceReport {
  std::string device;          // "card_reader" …
  std::string driver;          // "sim", "escpos", "cups", "v4l2" …; "" when none is configured
  std::string state;           // hal::to_string(DeviceState)
  bool up = false;             // state is online or busy
  std::string detail;          // hal::describe(status)
  std::string last_problem;    // describe() of the last trouble, "" when never
  std::int64_t last_problem_at_ms = 0;  // Unix ms
};

// The answer of one self-test. `steps` say what was done, in order ("status query: online",
// "printed 1 test receipt", "face found at 212,340 180×180"). Never personal data: a card
// self-test reports that the card read and its checksums held, not what is on it.
struct SelfTestReport {
  std::string device;
  bool passed = false;
  std::string summary;              // one line
  std::vector<std::string> steps;
  std::int64_t duration_ms = 0;
};

// The network and platform check, one step after another; a step that fails ends the check.
struct NetworkStep {
  std::string name;     // "dns", "tcp", "tls", "certificate", "clock", "platform"
  bool ok = false;
  std::string detail;   // "198.51.100.7", "handshake TLSv1.3 in 42 ms", "expires in 311 days" …
  std::int64_t duration_ms = 0;
};
struct NetworkReport {
  bool ok = false;
  std::vector<NetworkStep> steps;
  std::optional<int> certificate_days_left;     // this terminal's client certificate
  std::optional<std::int64_t> clock_skew_s;     // platform time − ours
};

struct OutboxReport {
  bool configured = false;         // false: no platform, no outbox
  std::int64_t pending = 0;
  std::int64_t dead = 0;           // refused for good, set aside for staff
  std::int64_t oldest_pending_age_s = 0;
  std::string last_error;
};

struct CatalogReport {
  std::string version;
  std::int64_t synced_at_ms = 0;   // 0: the factory catalog
  std::int64_t age_s = 0;
  std::int64_t items = 0;
};

struct StatusReport {
  std::string terminal_id;
  std::string version;             // the kiosk's version (CMake project version + git)
  std::int64_t uptime_s = 0;
  std::int64_t restarts = 0;       // starts recorded in the state dir before this one
  bool crash_loop = false;         // 3+ unclean ends in the last 10 minutes (kiosk/ops/service)
  std::string screen;              // the top screen's name ("attract", "home", "form" …)
  bool session_active = false;     // a citizen is using the terminal
  bool staff_needed = false;
  bool platform_configured = false;
  bool platform_reachable = false;
  std::string platform_error;
  std::vector<DeviceReport> devices;
  OutboxReport outbox;
  CatalogReport catalog;
  std::optional<int> certificate_days_left;
  std::optional<std::int64_t> certificate_expires_at;  // Unix seconds (the metrics' timestamp gauge)
  std::optional<std::int64_t> clock_skew_s;
};

class Operations {
 public:
  virtual ~Operations() = default;

  virtual StatusReport status() = 0;
  virtual std::vector<DeviceReport> devices() = 0;
  // Blocks (up to ~60 s; `cancel` ends it early). Refused (ErrorKind::busy) while a citizen's
  // session is active unless `force`.
  virtual Result<SelfTestReport> selftest(hal::DeviceClass device, bool force, CancelToken cancel) = 0;
  // Blocks (each step has its own timeout).
  virtual NetworkReport check_network(CancelToken cancel) = 0;
  virtual OutboxReport outbox() = 0;
  virtual Status retry_outbox() = 0;  // every pending item is due now
  // The last `limit` log lines, oldest first, already redacted.
  virtual std::vector<std::string> log_lines(int limit) = 0;
  // Blocks. Writes a redacted diagnostics bundle (status, devices, network, outbox counts, log
  // lines, the config without secrets, the audit chain's verdict, the metrics) as a .tar file
  // into `dir` and returns its path. `who` names the requester for the audit trail.
  virtual Result<std::filesystem::path> write_bundle(const std::filesystem::path& dir, const std::string& who) = 0;
  // Appends a security event to the audit trail (technician entries, selftests, bundles …).
  virtual Status audit(const std::string& event, const nlohmann::json& detail) = 0;
  // The audit chain's verdict: intact, or the first bad line and what is wrong with it.
  virtual Result<nlohmann::json> verify_audit() = 0;
};

void to_json(nlohmann::json& out, const DeviceReport& report);
void to_json(nlohmann::json& out, const SelfTestReport& report);
void to_json(nlohmann::json& out, const NetworkStep& step);
void to_json(nlohmann::json& out, const NetworkReport& report);
void to_json(nlohmann::json& out, const OutboxReport& report);
void to_json(nlohmann::json& out, const CatalogReport& report);
void to_json(nlohmann::json& out, const StatusReport& report);

// "card_reader" → DeviceClass; nullopt for an unknown name.
std::optional<hal::DeviceClass> device_class_from_string(std::string_view name);

}  // namespace kiosk::ops
