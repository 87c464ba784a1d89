// The network check, the log lines and the diagnostics bundle of KioskOperations.
#include <ctime>
#include <fstream>
#include <sstream>

#include "kiosk/core/log.h"
#include "kiosk/ops/bundle.h"
#include "kiosk/ops/network_check.h"
#include "kiosk/ops/service/kiosk_operations.h"

namespace kiosk::ops {

NetworkReport KioskOperations::check_network(CancelToken cancel) {
  if (d_.config.platform.url.empty()) {
    NetworkReport report;
    report.steps.push_back({"platform", false, "no platform is configured (platform.url in the config)", 0});
    return report;
  }
  NetworkReport report = ops::check_network(network_check_settings(d_.config.platform), std::move(cancel));
  log::info("ops", std::string("network check: ") + (report.ok ? "passed" : "failed") +
                       (report.steps.empty() ? "" : " at " + report.steps.back().name));
  return report;
}

std::vector<std::string> KioskOperations::log_lines(int limit) {
  if (limit <= 0) return {};
  return log::recent_lines(static_cast<std::size_t>(limit));
}

namespace {

// The config file as JSON with its secrets taken out; the defaults when there is no file.
nlohmann::json bundle_config(const std::filesystem::path& config_file) {
  if (config_file.empty()) return {{"note", "the kiosk runs on its built-in defaults (no config file)"}};
  std::ifstream in(config_file);
  if (!in) return {{"note", "the config file " + config_file.string() + " cannot be read"}};
  nlohmann::json config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return {{"note", "the config file " + config_file.string() + " is not valid JSON"}};
  return redacted_config(config);
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace

Result<std::filesystem::path> KioskOperations::write_bundle(const std::filesystem::path& dir, const std::string& who) {
  if (dir.empty()) return Error::make(ErrorKind::invalid_argument, "no folder given for the diagnostics bundle");
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Error::make(ErrorKind::not_found, "the folder " + dir.string() + " does not exist (is the USB stick mounted?)");
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const auto file = dir / bundle_file_name(d_.config.terminal_id, now);

  std::vector<TarEntry> entries;
  auto add = [&](std::string name, std::string data) { entries.push_back({std::move(name), std::move(data), now}); };

  const StatusReport status_now = status();
  add("status.json", nlohmann::json(status_now).dump(2) + "\n");
  add("devices.json", nlohmann::json(status_now.devices).dump(2) + "\n");
  add("outbox.json", nlohmann::json(status_now.outbox).dump(2) + "\n");
  add("network.json", nlohmann::json(check_network(CancelToken{})).dump(2) + "\n");
  add("logs.txt", join_lines(log_lines(static_cast<int>(log::kRecentCapacity))));
  add("config.json", bundle_config(d_.config_file).dump(2) + "\n");
  auto verdict = verify_audit();
  add("audit.json", (verdict.ok() ? *verdict : nlohmann::json{{"error", verdict.error().message}}).dump(2) + "\n");
  if (d_.metrics_text) add("metrics.prom", d_.metrics_text());
  add("README.txt",
      "Diagnostics bundle of a self-service terminal (kiosk " + d_.version + ").\n"
      "It holds no personal data: device states, counts, ages, redacted log lines, the config\n"
      "without secrets. status.json: the kiosk as a whole; network.json: the platform check;\n"
      "audit.json: whether the audit trail is intact; metrics.prom: the fleet metrics now.\n");

  if (Status written = write_tar(file, entries); !written.ok()) {
    log::warning("ops", "diagnostics bundle: " + written.error().message);
    return written.error();
  }
  log::info("ops", "diagnostics bundle written: " + file.filename().string());
  (void)audit("bundle", {{"who", who}, {"file", file.filename().string()}});
  return file;
}

}  // namespace kiosk::ops
