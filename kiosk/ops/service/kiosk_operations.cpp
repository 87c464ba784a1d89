#include "kiosk/ops/service/kiosk_operations.h"

#include <ctime>
#include <fstream>
#include <sstream>

#include "kiosk/core/time_zone.h"
#include "kiosk/core/log.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/platform/channel.h"

namespace kiosk::ops {
namespace {

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string rfc3339_now() { return format_time(std::time(nullptr), "%Y-%m-%dT%H:%M:%SZ", TimeZone::utc()); }

DeviceReport report_device(hal::DeviceClass device_class, const hal::Device* device) {
  DeviceReport report;
  report.device = hal::to_string(device_class);
  if (device == nullptr) {
    report.state = hal::to_string(hal::DeviceState::no_device);
    report.detail = "not configured";
    return report;
  }
  const hal::DeviceStatus status = device->status();
  report.driver = device->driver();
  report.state = hal::to_string(status.state);
  report.up = status.state == hal::DeviceState::online || status.state == hal::DeviceState::busy;
  report.detail = hal::describe(status);
  if (auto problem = device->last_problem()) {
    report.last_problem = hal::describe(problem->status);
    report.last_problem_at_ms = problem->at_unix_ms;
  }
  return report;
}

}  // namespace

KioskOperations::KioskOperations(OperationsDependencies dependencies) : d_(std::move(dependencies)) {}

std::vector<DeviceReport> KioskOperations::devices() {
  std::vector<DeviceReport> reports;
  for (hal::DeviceClass device : hal::kAllDeviceClasses) {
    reports.push_back(report_device(device, d_.devices ? d_.devices->get(device) : nullptr));
  }
  return reports;
}

OutboxReport KioskOperations::outbox() {
  OutboxReport report;
  if (d_.channel == nullptr) return report;
  report.configured = true;
  auto stats = d_.channel->outbox().stats();
  if (!stats) {
    report.last_error = stats.error().message;
    return report;
  }
  report.pending = stats->pending;
  report.dead = stats->dead;
  if (stats->oldest_pending_created_at > 0) {
    report.oldest_pending_age_s = std::max<std::int64_t>(0, (unix_ms_now() - stats->oldest_pending_created_at) / 1000);
  }
  report.last_error = d_.channel->status().last_error;
  return report;
}

Status KioskOperations::retry_outbox() {
  if (d_.channel == nullptr) return Error::make(ErrorKind::unsupported, "no platform is configured: there is no outbox");
  d_.channel->retry_outbox_now();
  return {};
}

StatusReport KioskOperations::status() {
  StatusReport report;
  report.terminal_id = d_.config.terminal_id;
  report.version = d_.version;
  report.uptime_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
  report.restarts = d_.restarts;
  report.crash_loop = d_.crash_loop;
  if (d_.app_view) {
    const AppView view = d_.app_view();
    report.screen = view.screen;
    report.session_active = view.session_active;
    report.staff_needed = view.staff_needed;
    report.catalog.items = static_cast<std::int64_t>(view.catalog_items);
  }
  report.devices = devices();
  report.outbox = outbox();
  if (d_.channel != nullptr) {
    const platform::ChannelStatus channel = d_.channel->status();
    report.platform_configured = channel.configured;
    report.platform_reachable = channel.reachable;
    report.platform_error = channel.last_error;
    report.catalog.version = channel.catalog_version;
    report.catalog.synced_at_ms = channel.catalog_synced_at;
    report.certificate_days_left = channel.certificate_days_left;
    report.certificate_expires_at = channel.certificate_expires_at;
    report.clock_skew_s = channel.clock_skew_s;
  }
  if (report.catalog.synced_at_ms > 0) {
    report.catalog.age_s = std::max<std::int64_t>(0, (unix_ms_now() - report.catalog.synced_at_ms) / 1000);
  } else {
    report.catalog.version = report.catalog.version.empty() ? "factory" : report.catalog.version;
  }
  return report;
}

Result<SelfTestReport> KioskOperations::selftest(hal::DeviceClass device_class, bool force, CancelToken cancel) {
  if (!force && d_.app_view && d_.app_view().session_active) {
    return Error::make(ErrorKind::busy, "a citizen is using the terminal; try again when it shows the welcome screen (or force)");
  }
  hal::Device* device = d_.devices ? d_.devices->get(device_class) : nullptr;
  if (device == nullptr) {
    return Error::make(ErrorKind::not_found, std::string("no ") + hal::to_string(device_class) + " is configured");
  }
  std::unique_lock lock(selftest_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return Error::make(ErrorKind::busy, "another self-test is running");
  const auto started = std::chrono::steady_clock::now();
  SelfTestReport report;
  switch (device_class) {
    case hal::DeviceClass::card_reader: report = test_card_reader(*d_.devices->card_reader, cancel); break;
    case hal::DeviceClass::receipt_printer: report = test_receipt_printer(*d_.devices->receipt_printer, cancel); break;
    case hal::DeviceClass::document_printer: report = test_document_printer(*d_.devices->document_printer, cancel); break;
    case hal::DeviceClass::face_camera: report = test_face_camera(*d_.devices->face_camera, cancel); break;
    case hal::DeviceClass::document_camera: report = test_document_camera(*d_.devices->document_camera, cancel); break;
  }
  report.device = hal::to_string(device_class);
  report.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (cancel.cancelled() && !report.passed) report.summary = "cancelled: " + report.summary;
  log::info("ops", "self-test " + report.device + ": " + (report.passed ? "passed" : "failed") + " — " + report.summary);
  (void)audit("selftest", {{"device", report.device}, {"passed", report.passed}});
  return report;
}

Status KioskOperations::audit(const std::string& event, const nlohmann::json& detail) {
  if (d_.on_audit) d_.on_audit(event, detail);
  if (d_.audit == nullptr) return {};
  auto appended = d_.audit->append(event, detail, rfc3339_now());
  if (!appended.ok()) {
    log::error("ops", "audit trail: cannot append " + event + ": " + appended.error().message);
    return appended.error();
  }
  return {};
}

Result<nlohmann::json> KioskOperations::verify_audit() {
  if (d_.config.ops.audit_log.empty() || d_.crypto == nullptr) {
    return Error::make(ErrorKind::unsupported, "no audit trail is configured (ops.audit_log)");
  }
  auto key = crypto::load_seal_key(d_.config.ops.audit_key_file);
  if (!key.ok()) return key.error();
  auto report = verify_audit_log(d_.config.ops.audit_log, *key, *d_.crypto);
  if (!report.ok()) return report.error();
  return nlohmann::json{{"intact", report->intact},
                        {"records", report->records},
                        {"first_bad_line", report->first_bad_line},
                        {"problem", report->problem},
                        {"head", {{"sequence", report->head.sequence}, {"mac", report->head.mac}}}};
}

// --- starts and crash loops ---------------------------------------------------------------------

StartRecord record_start(const std::filesystem::path& state_dir, std::int64_t now_unix_s) {
  StartRecord record;
  if (state_dir.empty()) return record;
  const auto file = state_dir / "starts.json";
  nlohmann::json state = nlohmann::json::object();
  {
    std::ifstream in(file);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
      if (parsed.is_object()) state = std::move(parsed);
      else log::warning("ops", "starts.json unreadable: counting from zero");
    }
  }
  auto number = [&](const char* key) {
    return state.contains(key) && state[key].is_number_integer() ? state[key].get<std::int64_t>() : 0;
  };
  const bool unclean = state.value("running", false) == true;
  std::vector<std::int64_t> crashes;
  if (state.contains("recent_crashes") && state["recent_crashes"].is_array()) {
    for (const auto& at : state["recent_crashes"]) {
      if (at.is_number_integer() && now_unix_s - at.get<std::int64_t>() < 600) crashes.push_back(at.get<std::int64_t>());
    }
  }
  if (unclean) crashes.push_back(now_unix_s);
  record.starts = number("starts") + 1;
  record.crashes = number("crashes") + (unclean ? 1 : 0);
  record.crash_loop = crashes.size() >= 3;
  state = {{"starts", record.starts}, {"crashes", record.crashes}, {"running", true}, {"recent_crashes", crashes},
           {"last_start", now_unix_s}};
  const auto temporary = state_dir / "starts.json.tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << state.dump() << "\n";
    if (!out) {
      log::warning("ops", "cannot record this start in " + state_dir.string());
      return record;
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  if (error) log::warning("ops", "cannot record this start: " + error.message());
  return record;
}

void record_clean_stop(const std::filesystem::path& state_dir) {
  if (state_dir.empty()) return;
  const auto file = state_dir / "starts.json";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  auto state = nlohmann::json::parse(text.str(), nullptr, false);
  if (!state.is_object()) return;
  state["running"] = false;
  const auto temporary = state_dir / "starts.json.tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << state.dump() << "\n";
    if (!out) return;
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
}

}  // namespace kiosk::ops

namespace kiosk::ops {

std::vector<FileChange> detect_file_changes(const std::filesystem::path& state_dir,
                                            const std::vector<std::pair<std::string, std::filesystem::path>>& files,
                                            crypto::Crypto& crypto) {
  std::vector<FileChange> changes;
  if (state_dir.empty()) return changes;
  const auto state_file = state_dir / "fingerprints.json";
  nlohmann::json remembered = nlohmann::json::object();
  bool first_start = true;
  if (std::ifstream in(state_file); in) {
    nlohmann::json parsed = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) {
      remembered = std::move(parsed);
      first_start = false;
    }
  }
  nlohmann::json now = nlohmann::json::object();
  for (const auto& [name, path] : files) {
    std::string fingerprint;
    if (!path.empty()) {
      if (std::ifstream in(path, std::ios::binary); in) {
        std::stringstream content;
        content << in.rdbuf();
        const std::string bytes = content.str();
        const crypto::Bytes digest = crypto.sha256(crypto::as_bytes(bytes));
        static const char* hex = "0123456789abcdef";
        for (std::size_t i = 0; i < 8 && i < digest.size(); ++i) {
          fingerprint += hex[digest[i] >> 4];
          fingerprint += hex[digest[i] & 15];
        }
      }
    }
    now[name] = fingerprint;
    const std::string before = remembered.contains(name) && remembered[name].is_string() ? remembered[name].get<std::string>() : "";
    if (!first_start && before != fingerprint) changes.push_back({name, before, fingerprint});
  }
  const auto temporary = state_file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << now.dump() << "\n";
    if (!out) {
      log::warning("ops", "cannot remember file fingerprints in " + state_dir.string());
      return changes;
    }
  }
  std::error_code renamed;
  std::filesystem::rename(temporary, state_file, renamed);
  if (renamed) log::warning("ops", "cannot remember file fingerprints: " + renamed.message());
  return changes;
}

}  // namespace kiosk::ops
