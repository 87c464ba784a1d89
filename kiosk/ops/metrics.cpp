// The metrics registry, its text exposition, the kiosk's metric names, and the atomic textfile
// writer for node_exporter.
#include "kiosk/ops/metrics.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>

#include "kiosk/core/log.h"

namespace kiosk::ops {
namespace {

constexpr std::size_t kMaxLabelValue = 64;
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxWarned = 100;  // distinct refused metrics logged; the counter counts on

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool valid_metric_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  if (!is_lower(name[0]) && name[0] != '_' && name[0] != ':') return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_' || c == ':'; });
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  if (!is_lower(name[0]) && name[0] != '_') return false;
  if (name.substr(0, 2) == "__") return false;  // reserved for Prometheus itself
  return std::all_of(name.begin(), name.end(), [](char c) { return is_lower(c) || is_digit(c) || c == '_'; });
}

// Values name things (a device class, a driver, an outcome, an endpoint), never people: a short
// token, and no run of 9+ digits, which is what ID, phone and bank card numbers look like.
bool valid_label_value(std::string_view value) {
  if (value.size() > kMaxLabelValue) return false;
  std::size_t digits = 0;
  for (const char c : value) {
    const bool allowed = is_lower(c) || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '.' || c == ':' || c == '-';
    if (!allowed) return false;
    digits = is_digit(c) ? digits + 1 : 0;
    if (digits >= 9) return false;
  }
  return true;
}

// Go's ParseFloat reads these (what Prometheus uses): shortest round-trip digits, or the specials.
void append_number(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char text[64];
    const auto [end, error] = std::to_chars(text, text + sizeof text, value);
    out.append(text, error == std::errc() ? end : text);
  }
}

void append_number(std::string& out, std::uint64_t value) { out += std::to_string(value); }

void append_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_help(std::string& out, std::string_view help) {
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"}`, with an extra `le` for histogram buckets; nothing when there are no labels.
void append_labels(std::string& out, const Labels& labels, const char* le = nullptr) {
  if (labels.empty() && le == nullptr) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    append_label_value(out, value);
    out += '"';
  }
  if (le != nullptr) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::counter: return "counter";
    case MetricType::gauge: return "gauge";
    case MetricType::histogram: return "histogram";
  }
  return "untyped";
}

ErrorKind kind_of(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR: return ErrorKind::not_found;
    case EACCES:
    case EPERM:
    case EROFS: return ErrorKind::permission;
    default: return ErrorKind::io;
  }
}

Error os_error(const std::string& what, const std::filesystem::path& path, int error) {
  return Error::make(kind_of(error), what + " " + path.string() + ": " + std::strerror(error));
}

}  // namespace

Metrics::Metrics() {
  (void)describe_counter(metric::kMetricsRejected,
                         "Samples refused: a bad metric or label name, a label value that could hold personal "
                         "data, an undescribed metric or the wrong type.");
  (void)describe_counter(metric::kMetricsWriteErrors, "Failed writes of this metrics file.");
  add(metric::kMetricsWriteErrors, {}, 0);
}

Status Metrics::describe(std::string name, std::string help, MetricType type, std::vector<double> buckets) {
  if (!valid_metric_name(name)) return Error::make(ErrorKind::invalid_argument, "bad metric name: " + name);
  if (type == MetricType::histogram) {
    if (buckets.empty()) return Error::make(ErrorKind::invalid_argument, name + ": a histogram needs buckets");
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      if (!std::isfinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
        return Error::make(ErrorKind::invalid_argument, name + ": buckets must be finite and strictly increasing");
      }
    }
  }
  std::lock_guard lock(mutex_);
  auto found = families_.find(name);
  if (found == families_.end()) {
    families_.emplace(std::move(name), Family{type, std::move(help), std::move(buckets), {}});
    return {};
  }
  Family& family = found->second;
  if (family.type != type) {
    return Error::make(ErrorKind::invalid_argument,
                       name + " is already a " + type_name(family.type) + ", not a " + type_name(type));
  }
  if (type == MetricType::histogram && family.buckets != buckets) {
    if (!family.series.empty()) {
      return Error::make(ErrorKind::busy, name + ": buckets cannot change once observed");
    }
    family.buckets = std::move(buckets);
  }
  family.help = std::move(help);
  return {};
}

Status Metrics::describe_counter(std::string name, std::string help) {
  return describe(std::move(name), std::move(help), MetricType::counter, {});
}
Status Metrics::describe_gauge(std::string name, std::string help) {
  return describe(std::move(name), std::move(help), MetricType::gauge, {});
}
Status Metrics::describe_histogram(std::string name, std::string help, std::vector<double> buckets) {
  return describe(std::move(name), std::move(help), MetricType::histogram, std::move(buckets));
}

// Called with mutex_ held.
void Metrics::reject(const std::string& name, const char* reason, const std::string& why) {
  families_.at(metric::kMetricsRejected).series[Labels{{"reason", reason}}].value += 1;
  // Logged once per metric: a refused sample in a loop must not flood the log. The name is code's
  // own constant when valid; an invalid one is not repeated (it could be anything).
  const std::string shown = valid_metric_name(name) ? name : "(invalid name)";
  if (warned_.size() < kMaxWarned && warned_.insert(shown).second) {
    log::warning("metrics", "sample for " + shown + " refused (" + reason + "): " + why);
  }
}

Metrics::Series* Metrics::series_for(const std::string& name, const Labels& labels, MetricType type) {
  if (!valid_metric_name(name)) {
    reject(name, "name", "bad metric name");
    return nullptr;
  }
  auto found = families_.find(name);
  if (found == families_.end()) {
    reject(name, "undescribed", "not described");
    return nullptr;
  }
  Family& family = found->second;
  if (family.type != type) {
    reject(name, "type", std::string("is a ") + type_name(family.type) + ", used as a " + type_name(type));
    return nullptr;
  }
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const auto& [label, value] = sorted[i];
    // The label's name is code's; its value is never logged (it is what might be personal).
    if (!valid_label_name(label) || (type == MetricType::histogram && label == "le") ||
        (i > 0 && sorted[i - 1].first == label)) {
      reject(name, "label", "bad or repeated label name");
      return nullptr;
    }
    if (!valid_label_value(value)) {
      reject(name, "label", "value of label " + label + " is not a short token (or holds a long number)");
      return nullptr;
    }
  }
  Series& series = family.series[std::move(sorted)];
  if (type == MetricType::histogram && series.counts.size() != family.buckets.size() + 1) {
    series.counts.assign(family.buckets.size() + 1, 0);
  }
  return &series;
}

bool Metrics::add(const std::string& name, const Labels& labels, double delta) {
  std::lock_guard lock(mutex_);
  if (!std::isfinite(delta) || delta < 0) {
    reject(name, "value", "a counter only goes up");
    return false;
  }
  Series* series = series_for(name, labels, MetricType::counter);
  if (series == nullptr) return false;
  series->value += delta;
  return true;
}

bool Metrics::set_counter(const std::string& name, const Labels& labels, double total) {
  std::lock_guard lock(mutex_);
  if (!std::isfinite(total) || total < 0) {
    reject(name, "value", "a counter's total is finite and not negative");
    return false;
  }
  Series* series = series_for(name, labels, MetricType::counter);
  if (series == nullptr) return false;
  series->value = total;
  return true;
}

bool Metrics::set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  Series* series = series_for(name, labels, MetricType::gauge);
  if (series == nullptr) return false;
  series->value = value;
  return true;
}

bool Metrics::observe(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  if (std::isnan(value)) {
    reject(name, "value", "not a number");
    return false;
  }
  Series* series = series_for(name, labels, MetricType::histogram);
  if (series == nullptr) return false;
  const auto& buckets = families_.at(name).buckets;
  // `le` buckets: a value equal to a bound counts in that bucket.
  const auto bucket = static_cast<std::size_t>(std::lower_bound(buckets.begin(), buckets.end(), value) - buckets.begin());
  ++series->counts[bucket];
  series->sum += value;
  ++series->count;
  return true;
}

bool Metrics::remove_series(const std::string& name, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto found = families_.find(name);
  if (found == families_.end()) return false;
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  return found->second.series.erase(sorted) > 0;
}

double Metrics::value(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mutex_);
  auto found = families_.find(name);
  if (found == families_.end()) return 0;
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  auto series = found->second.series.find(sorted);
  if (series == found->second.series.end()) return 0;
  return found->second.type == MetricType::histogram ? static_cast<double>(series->second.count) : series->second.value;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(families_.size() * 160);
  std::vector<std::string> bounds;  // the `le` texts of one histogram, formatted once per family
  for (const auto& [name, family] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, family.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type_name(family.type);
    out += '\n';
    if (family.type != MetricType::histogram) {
      for (const auto& [labels, series] : family.series) {
        out += name;
        append_labels(out, labels);
        out += ' ';
        append_number(out, series.value);
        out += '\n';
      }
      continue;
    }
    bounds.clear();
    for (const double bound : family.buckets) {
      std::string text;
      append_number(text, bound);
      bounds.push_back(std::move(text));
    }
    bounds.emplace_back("+Inf");
    for (const auto& [labels, series] : family.series) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < bounds.size(); ++i) {
        cumulative += series.counts[i];
        out += name;
        out += "_bucket";
        append_labels(out, labels, bounds[i].c_str());
        out += ' ';
        append_number(out, cumulative);
        out += '\n';
      }
      out += name;
      out += "_sum";
      append_labels(out, labels);
      out += ' ';
      append_number(out, series.sum);
      out += '\n';
      out += name;
      out += "_count";
      append_labels(out, labels);
      out += ' ';
      append_number(out, series.count);
      out += '\n';
    }
  }
  return out;
}

Status describe_kiosk_metrics(Metrics& metrics) {
  using namespace metric;
  const std::vector<double> request_buckets{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  const std::vector<double> frame_buckets{0.002, 0.004, 0.008, 0.016, 0.033, 0.05, 0.1, 0.25, 0.5};
  TRY_STATUS(metrics.describe_gauge(kUp, "1 while the kiosk process runs and writes metrics."));
  TRY_STATUS(metrics.describe_gauge(kStartTime, "When the kiosk process started, in Unix seconds."));
  TRY_STATUS(metrics.describe_counter(kRestarts, "Restarts of the kiosk service (given at start)."));
  TRY_STATUS(metrics.describe_gauge(kDeviceUp, "1 when the device is online, by device class and driver."));
  TRY_STATUS(metrics.describe_gauge(kOutboxDepth, "Submissions waiting in the outbox for the platform."));
  TRY_STATUS(metrics.describe_gauge(kOutboxDead, "Outbox items the platform refused for good."));
  TRY_STATUS(metrics.describe_gauge(kOutboxOldestAge, "Age of the oldest waiting outbox item, seconds (0 if empty)."));
  TRY_STATUS(metrics.describe_counter(kSessions, "Citizen sessions ended, by outcome."));
  TRY_STATUS(metrics.describe_histogram(kPlatformRequestDuration, "Platform requests by endpoint, seconds.",
                                        request_buckets));
  TRY_STATUS(metrics.describe_gauge(kPlatformReachable, "1 when the last platform request got an answer."));
  TRY_STATUS(metrics.describe_gauge(kCertificateExpiry, "When the terminal's client certificate expires, in Unix seconds."));
  TRY_STATUS(metrics.describe_gauge(kClockSkew, "Platform clock minus terminal clock, seconds (from the last answer)."));
  TRY_STATUS(metrics.describe_histogram(kFrameTime, "Time to lay out and draw a frame, seconds.", frame_buckets));
  TRY_STATUS(metrics.describe_gauge(kStaffNeeded, "1 while a citizen has called for staff."));
  TRY_STATUS(metrics.describe_gauge(kCatalogAge, "Age of the service catalog in use, seconds."));
  TRY_STATUS(metrics.describe_gauge(kAuditChainIntact, "1 when the audit log's hash chain verifies."));
  TRY_STATUS(metrics.describe_counter(kLogLinesDropped, "Log lines no sink took (journald full, stderr failing)."));
  TRY_STATUS(metrics.describe_counter(kTechnicianEntries, "Technician mode entries."));
  TRY_STATUS(metrics.describe_counter(kTechnicianPinFailures, "Wrong technician PINs entered."));
  // Counters without labels start at 0, so rate() works from the first scrape.
  for (const char* counter : {kRestarts, kLogLinesDropped, kTechnicianEntries, kTechnicianPinFailures}) {
    metrics.add(counter, {}, 0);
  }
  return {};
}

MetricsWriter::MetricsWriter(Metrics& metrics, std::filesystem::path dir, std::chrono::milliseconds interval,
                             std::function<void(Metrics&)> collect, std::string file_name)
    : metrics_(metrics),
      dir_(std::move(dir)),
      interval_(interval),
      collect_(std::move(collect)),
      file_name_(std::move(file_name)) {}

MetricsWriter::~MetricsWriter() { stop(); }

Status MetricsWriter::write_now() {
  std::lock_guard lock(write_mutex_);
  if (collect_) {
    try {
      collect_(metrics_);
    } catch (const std::exception& error) {
      // The caller's state readers must not take the writer thread (and the process) down.
      log::error("metrics", std::string("collecting metrics failed: ") + error.what());
    }
  }
  Status written = write_file(metrics_.render());
  if (!written.ok()) {
    // Counted now, so the next file that does get written shows it.
    metrics_.add(metric::kMetricsWriteErrors);
    if (written.error().message != last_error_) {
      last_error_ = written.error().message;
      log::warning("metrics", "cannot write metrics (retrying every interval): " + last_error_);
    }
  } else if (!last_error_.empty()) {
    last_error_.clear();
    log::info("metrics", "writing " + file_path().string() + " again");
  }
  return written;
}

// Temp file in the same directory (same filesystem, so rename is atomic), hidden and without the
// .prom suffix so the textfile collector never reads it; fsync before the rename so the new name
// never points at unwritten blocks, and the directory after it so the rename survives a power cut.
Status MetricsWriter::write_file(const std::string& text) {
  struct stat status {};
  if (::stat(dir_.c_str(), &status) != 0) {
    return os_error("metrics directory", dir_, errno);
  }
  if (!S_ISDIR(status.st_mode)) return os_error("metrics directory", dir_, ENOTDIR);
  const std::filesystem::path temp = dir_ / ("." + file_name_ + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return os_error("cannot create", temp, errno);
  auto fail = [&](const char* what, int error) -> Status {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return os_error(what, temp, error);
  };
  if (::fchmod(fd, 0644) != 0) return fail("cannot chmod", errno);  // node_exporter reads it, whatever our umask
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write", n < 0 ? errno : EIO);
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot fsync", errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return os_error("cannot close", temp, error);
  }
  if (::rename(temp.c_str(), file_path().c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return os_error("cannot rename onto", file_path(), error);
  }
  const int dir_fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return os_error("cannot open", dir_, errno);
  const int synced = ::fsync(dir_fd);
  const int error = errno;
  ::close(dir_fd);
  // The new file is whole and in place; only its durability across a power cut is in doubt.
  if (synced != 0) return os_error("cannot fsync", dir_, error);
  return {};
}

void MetricsWriter::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void MetricsWriter::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void MetricsWriter::run() {
  for (;;) {
    const Status written = write_now();  // failures are logged and counted there
    (void)written;
    std::unique_lock lock(stop_mutex_);
    if (stop_wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace kiosk::ops
