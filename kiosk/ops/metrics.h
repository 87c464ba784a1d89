#pragma once
// Metrics for fleets: a thread-safe registry of counters, gauges and histograms rendered in the
// Prometheus text exposition format 0.0.4, and a writer that puts that text atomically into
// node_exporter's textfile-collector directory every interval (write a hidden temp file, fsync,
// rename over the .prom file, fsync the directory: node_exporter never reads half a file).
//
// No personal data in labels: label names must match [a-z_][a-z0-9_]*, label values
// [A-Za-z0-9_.:-]{0,64} with no run of 9 or more digits (an ID or phone number), metric names
// [a-z_:][a-z0-9_:]*. A sample that breaks a rule, names an undescribed metric or uses the wrong
// type is dropped, logged once per metric, and counted in kiosk_metrics_rejected_total{reason}.
// Output is ordered by metric name, then by labels, so it is the same for the same state.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { counter, gauge, histogram };

class Metrics {
 public:
  // Describes its own kiosk_metrics_rejected_total and kiosk_metrics_write_errors_total.
  Metrics();

  // Describing again with the same type replaces the help (and, for a histogram without series
  // yet, the buckets); another type, a bad name or bad buckets (not finite and strictly
  // increasing) is an error.
  Status describe_counter(std::string name, std::string help);
  Status describe_gauge(std::string name, std::string help);
  Status describe_histogram(std::string name, std::string help, std::vector<double> buckets);

  // Samples. false when the sample was refused (see the header comment); never throws.
  bool add(const std::string& name, const Labels& labels = {}, double delta = 1);  // counter, delta ≥ 0
  // A counter whose total is kept elsewhere (log::dropped_lines(), the restarts given at start).
  bool set_counter(const std::string& name, const Labels& labels, double total);
  bool set(const std::string& name, const Labels& labels, double value);           // gauge
  bool set(const std::string& name, double value) { return set(name, {}, value); }
  bool observe(const std::string& name, const Labels& labels, double value);       // histogram
  bool observe(const std::string& name, double value) { return observe(name, {}, value); }
  // A series that no longer exists (an unplugged device's driver changed). false when absent.
  bool remove_series(const std::string& name, const Labels& labels);

  // The text exposition, "# HELP", "# TYPE" and samples per metric; described metrics without
  // series show only their HELP and TYPE.
  std::string render() const;

  // For tests and technicians: a counter's or gauge's value, or a histogram's count (0 if absent).
  double value(const std::string& name, const Labels& labels = {}) const;

 private:
  struct Series {
    double value = 0;                   // counter, gauge
    std::vector<std::uint64_t> counts;  // histogram: per bucket (not cumulative), then +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  struct Family {
    MetricType type;
    std::string help;
    std::vector<double> buckets;
    std::map<Labels, Series> series;  // labels sorted by name
  };

  Status describe(std::string name, std::string help, MetricType type, std::vector<double> buckets);
  // Finds the family and series for a sample, creating the series; null (and counted) if refused.
  Series* series_for(const std::string& name, const Labels& labels, MetricType type);
  void reject(const std::string& name, const char* reason, const std::string& why);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::set<std::string> warned_;  // metric names already logged as refused
};

// Every metric the kiosk exports, described in one place (names, help, buckets).
Status describe_kiosk_metrics(Metrics& metrics);

// The names, so callers cannot misspell them.
namespace metric {
inline constexpr char kUp[] = "kiosk_up";
inline constexpr char kStartTime[] = "kiosk_start_time_seconds";
inline constexpr char kRestarts[] = "kiosk_restarts_total";
inline constexpr char kDeviceUp[] = "kiosk_device_up";  // {device, driver}
inline constexpr char kOutboxDepth[] = "kiosk_outbox_depth";
inline constexpr char kOutboxDead[] = "kiosk_outbox_dead";
inline constexpr char kOutboxOldestAge[] = "kiosk_outbox_oldest_age_seconds";
inline constexpr char kSessions[] = "kiosk_sessions_total";  // {outcome}
inline constexpr char kPlatformRequestDuration[] = "kiosk_platform_request_duration_seconds";  // {endpoint}
inline constexpr char kPlatformReachable[] = "kiosk_platform_reachable";
// A timestamp, not "days left": Prometheus wants base units, and `… - time() < 30 * 86400` alerts.
inline constexpr char kCertificateExpiry[] = "kiosk_certificate_expiry_timestamp_seconds";
inline constexpr char kClockSkew[] = "kiosk_clock_skew_seconds";
inline constexpr char kFrameTime[] = "kiosk_frame_time_seconds";
inline constexpr char kStaffNeeded[] = "kiosk_staff_needed";
inline constexpr char kCatalogAge[] = "kiosk_catalog_age_seconds";
inline constexpr char kAuditChainIntact[] = "kiosk_audit_chain_intact";
inline constexpr char kLogLinesDropped[] = "kiosk_log_lines_dropped_total";
inline constexpr char kTechnicianEntries[] = "kiosk_technician_entries_total";
inline constexpr char kTechnicianPinFailures[] = "kiosk_technician_pin_failures_total";
inline constexpr char kMetricsRejected[] = "kiosk_metrics_rejected_total";  // {reason}
inline constexpr char kMetricsWriteErrors[] = "kiosk_metrics_write_errors_total";
}  // namespace metric

// Writes metrics.render() to <dir>/<file_name> every interval on its own thread, after calling
// `collect` (which sets gauges from live state; it runs on that thread). The directory belongs to
// node_exporter and is never created here: while it is missing or not writable each attempt fails,
// the first failure (and each different one) is logged, every failure counts in
// kiosk_metrics_write_errors_total, and the next interval tries again.
class MetricsWriter {
 public:
  MetricsWriter(Metrics& metrics, std::filesystem::path dir, std::chrono::milliseconds interval,
                std::function<void(Metrics&)> collect, std::string file_name = "kiosk.prom");
  ~MetricsWriter();
  MetricsWriter(const MetricsWriter&) = delete;
  MetricsWriter& operator=(const MetricsWriter&) = delete;

  // Collects and writes once, now (tests and shutdown). On failure the old file is left intact
  // and no temp file stays behind.
  Status write_now();
  // The thread: writes at once, then every interval until stop() (also called by the destructor).
  void start();
  void stop();

  std::filesystem::path file_path() const { return dir_ / file_name_; }

 private:
  Status write_file(const std::string& text);
  void run();

  Metrics& metrics_;
  const std::filesystem::path dir_;
  const std::chrono::milliseconds interval_;
  const std::function<void(Metrics&)> collect_;
  const std::string file_name_;

  std::mutex write_mutex_;     // one write at a time (the thread and write_now())
  std::string last_error_;     // what was logged last; "" after a success
  std::mutex stop_mutex_;
  std::condition_variable stop_wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kiosk::ops
