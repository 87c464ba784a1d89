#include "kiosk/ops/operations.h"

namespace kiosk::ops {

using nlohmann::json;

void to_json(json& out, const DeviceReport& report) {
  out = json{{"device", report.device}, {"driver", report.driver}, {"state", report.state},
             {"up", report.up},         {"detail", report.detail}, {"last_problem", report.last_problem},
             {"last_problem_at_ms", report.last_problem_at_ms}};
}

void to_json(json& out, const SelfTestReport& report) {
  out = json{{"device", report.device}, {"passed", report.passed}, {"summary", report.summary},
             {"steps", report.steps},   {"duration_ms", report.duration_ms}};
}

void to_json(json& out, const NetworkStep& step) {
  out = json{{"name", step.name}, {"ok", step.ok}, {"detail", step.detail}, {"duration_ms", step.duration_ms}};
}

namespace {
template <typename T>
json optional_json(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}
}  // namespace

void to_json(json& out, const NetworkReport& report) {
  out = json{{"ok", report.ok},
             {"steps", report.steps},
             {"certificate_days_left", optional_json(report.certificate_days_left)},
             {"clock_skew_s", optional_json(report.clock_skew_s)}};
}

void to_json(json& out, const OutboxReport& report) {
  out = json{{"configured", report.configured},
             {"pending", report.pending},
             {"dead", report.dead},
             {"oldest_pending_age_s", report.oldest_pending_age_s},
             {"last_error", report.last_error}};
}

void to_json(json& out, const CatalogReport& report) {
  out = json{{"version", report.version}, {"synced_at_ms", report.synced_at_ms}, {"age_s", report.age_s},
             {"items", report.items}};
}

void to_json(json& out, const StatusReport& report) {
  out = json{{"terminal_id", report.terminal_id},
             {"version", report.version},
             {"uptime_s", report.uptime_s},
             {"restarts", report.restarts},
             {"crash_loop", report.crash_loop},
             {"screen", report.screen},
             {"session_active", report.session_active},
             {"staff_needed", report.staff_needed},
             {"platform", json{{"configured", report.platform_configured},
                               {"reachable", report.platform_reachable},
                               {"error", report.platform_error}}},
             {"devices", report.devices},
             {"outbox", report.outbox},
             {"catalog", report.catalog},
             {"certificate_days_left", optional_json(report.certificate_days_left)},
             {"clock_skew_s", optional_json(report.clock_skew_s)}};
}

std::optional<hal::DeviceClass> device_class_from_string(std::string_view name) {
  for (hal::DeviceClass device : hal::kAllDeviceClasses) {
    if (name == hal::to_string(device)) return device;
  }
  return std::nullopt;
}

}  // namespace kiosk::ops
