// Metrics: the exposition text checked line by line against the 0.0.4 grammar, the label rules
// that keep personal data out, and the textfile writer against real directories — missing,
// read-only (in a child that gave up root) and full (in a child with a small RLIMIT_FSIZE).
#include "kiosk/ops/metrics.h"

#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "kiosk/core/log.h"

namespace kiosk::ops {
namespace {

namespace fs = std::filesystem;

// --- a small checker of the text exposition format 0.0.4 -------------------------------------

bool metric_name_ok(const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool parse_value(const std::string& text, double& value) {
  if (text == "+Inf") return value = INFINITY, true;
  if (text == "-Inf") return value = -INFINITY, true;
  if (text == "NaN") return value = NAN, true;
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && text.find_first_of("xXpP") == std::string::npos;
}

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// name{a="b",c="d"} value — "" or what is wrong.
std::string parse_sample(const std::string& line, Sample& sample) {
  std::size_t at = 0;
  while (at < line.size() && line[at] != '{' && line[at] != ' ') ++at;
  sample.name = line.substr(0, at);
  if (!metric_name_ok(sample.name)) return "bad metric name";
  if (at < line.size() && line[at] == '{') {
    ++at;
    while (at < line.size() && line[at] != '}') {
      std::size_t name_end = at;
      while (name_end < line.size() && line[name_end] != '=') ++name_end;
      const std::string label = line.substr(at, name_end - at);
      if (!metric_name_ok(label) || label.find(':') != std::string::npos) return "bad label name '" + label + "'";
      if (name_end + 1 >= line.size() || line[name_end + 1] != '"') return "label value not quoted";
      std::string value;
      std::size_t v = name_end + 2;
      for (;; ++v) {
        if (v >= line.size()) return "unterminated label value";
        if (line[v] == '"') break;
        if (line[v] == '\\') {
          if (v + 1 >= line.size()) return "dangling escape";
          const char e = line[++v];
          if (e == 'n') value += '\n';
          else if (e == '\\' || e == '"') value += e;
          else return "bad escape";
        } else {
          value += line[v];
        }
      }
      if (!sample.labels.emplace(label, value).second) return "repeated label " + label;
      at = v + 1;
      if (at < line.size() && line[at] == ',') ++at;
      else if (at >= line.size() || line[at] != '}') return "expected , or }";
    }
    if (at >= line.size()) return "unterminated labels";
    ++at;
  }
  if (at >= line.size() || line[at] != ' ') return "no space before the value";
  const std::string value = line.substr(at + 1);
  if (value.find(' ') != std::string::npos) return "a timestamp or junk after the value";
  if (!parse_value(value, sample.value)) return "bad value '" + value + "'";
  return "";
}

std::string check_exposition(const std::string& text) {
  if (!text.empty() && text.back() != '\n') return "no final newline";
  std::map<std::string, std::string> types;
  std::set<std::string> helps;
  std::set<std::string> finished;  // families whose samples are over
  std::string current;             // family of the last sample
  std::set<std::string> series_seen;
  struct Histogram {
    std::vector<std::pair<double, double>> buckets;  // le, cumulative count
    bool has_sum = false, has_count = false;
    double count = -1;
  };
  std::map<std::string, Histogram> histograms;  // by family + labels without le
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number) + " (" + line + "): ";
    if (line.empty()) return where + "empty line";
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, keyword, name;
      words >> hash >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
      if (!metric_name_ok(name)) return where + "bad name";
      if (finished.count(name) || current == name) return where + keyword + " after the samples";
      if (keyword == "HELP") {
        if (!helps.insert(name).second) return where + "second HELP";
      } else {
        std::string type, extra;
        words >> type;
        if (words >> extra) return where + "junk after the type";
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" && type != "untyped") {
          return where + "unknown type";
        }
        if (!types.emplace(name, type).second) return where + "second TYPE";
      }
      continue;
    }
    Sample sample;
    if (const std::string problem = parse_sample(line, sample); !problem.empty()) return where + problem;
    std::string family = sample.name;
    std::string suffix;
    for (const char* end : {"_bucket", "_sum", "_count"}) {
      const std::string e = end;
      if (!types.count(family) && family.size() > e.size() && family.compare(family.size() - e.size(), e.size(), e) == 0 &&
          types.count(family.substr(0, family.size() - e.size())) &&
          types[family.substr(0, family.size() - e.size())] == "histogram") {
        suffix = e;
        family = family.substr(0, family.size() - e.size());
      }
    }
    if (!types.count(family)) return where + "sample without a TYPE before it";
    if (family != current) {
      if (finished.count(family)) return where + "family's samples are not together";
      if (!current.empty()) finished.insert(current);
      current = family;
    }
    if (types[family] == "histogram" && suffix.empty()) return where + "histogram sample without a suffix";
    std::string key = sample.name + "{";
    std::string group = family + "{";
    for (const auto& [label, value] : sample.labels) {
      key += label + "=" + value + ",";
      if (label != "le") group += label + "=" + value + ",";
    }
    if (!series_seen.insert(key).second) return where + "repeated series";
    if (types[family] == "counter" && !(sample.value >= 0)) return where + "negative counter";
    if (types[family] != "histogram") continue;
    Histogram& histogram = histograms[group];
    if (suffix == "_bucket") {
      if (!sample.labels.count("le")) return where + "bucket without le";
      double le = 0;
      if (!parse_value(sample.labels["le"], le)) return where + "bad le";
      if (!histogram.buckets.empty()) {
        if (!(le > histogram.buckets.back().first)) return where + "le not increasing";
        if (sample.value < histogram.buckets.back().second) return where + "bucket counts not cumulative";
      }
      if (histogram.has_count || histogram.has_sum) return where + "bucket after _sum/_count";
      histogram.buckets.emplace_back(le, sample.value);
    } else {
      if (sample.labels.count("le")) return where + "le on _sum/_count";
      if (suffix == "_sum") histogram.has_sum = true;
      if (suffix == "_count") histogram.has_count = true, histogram.count = sample.value;
    }
  }
  for (const auto& [group, histogram] : histograms) {
    if (histogram.buckets.empty() || !std::isinf(histogram.buckets.back().first)) return group + ": no +Inf bucket";
    if (!histogram.has_sum || !histogram.has_count) return group + ": no _sum or _count";
    if (histogram.buckets.back().second != histogram.count) return group + ": +Inf bucket != _count";
  }
  return "";
}

// --- helpers ---------------------------------------------------------------------------------

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// A directory the unprivileged child can reach: /tmp/metrics-test-XXXXXX, mode 0755.
fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "metrics-test-XXXXXX").string();
  EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
  ::chmod(pattern.c_str(), 0755);
  return pattern;
}

std::vector<std::string> temp_files(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

std::size_t log_lines_containing(const std::string& needle) {
  std::size_t count = 0;
  for (const auto& line : log::recent_lines()) count += line.find(needle) != std::string::npos;
  return count;
}

// Runs `body` in a forked child and returns its exit code (or 100 + signal). The tests that use
// this start no threads of their own before forking.
int in_child(const std::function<int()>& body) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(body());
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// --- the registry and its text ---------------------------------------------------------------

TEST(Metrics, RendersCountersGaugesAndHistogramsExactly) {
  Metrics metrics;
  ASSERT_TRUE(metrics.describe_counter("kiosk_sessions_total", "Sessions ended.").ok());
  ASSERT_TRUE(metrics.describe_gauge("kiosk_device_up", "Device online.\nSecond \\ line").ok());
  ASSERT_TRUE(metrics.describe_histogram("kiosk_frame_time_seconds", "Frames.", {0.25, 1}).ok());
  EXPECT_TRUE(metrics.add("kiosk_sessions_total", {{"outcome", "submitted"}}));
  EXPECT_TRUE(metrics.add("kiosk_sessions_total", {{"outcome", "submitted"}}, 2));
  EXPECT_TRUE(metrics.add("kiosk_sessions_total", {{"outcome", "cancelled"}}));
  // Label order does not make another series.
  EXPECT_TRUE(metrics.set("kiosk_device_up", {{"driver", "sam-serial"}, {"device", "card_reader"}}, 1));
  EXPECT_TRUE(metrics.set("kiosk_device_up", {{"device", "card_reader"}, {"driver", "sam-serial"}}, 0));
  EXPECT_TRUE(metrics.observe("kiosk_frame_time_seconds", 0.125));
  EXPECT_TRUE(metrics.observe("kiosk_frame_time_seconds", 0.25));  // on the bound: le="0.25"
  EXPECT_TRUE(metrics.observe("kiosk_frame_time_seconds", 0.5));
  EXPECT_TRUE(metrics.observe("kiosk_frame_time_seconds", 4));
  EXPECT_EQ(metrics.render(),
            "# HELP kiosk_device_up Device online.\\nSecond \\\\ line\n"
            "# TYPE kiosk_device_up gauge\n"
            "kiosk_device_up{device=\"card_reader\",driver=\"sam-serial\"} 0\n"
            "# HELP kiosk_frame_time_seconds Frames.\n"
            "# TYPE kiosk_frame_time_seconds histogram\n"
            "kiosk_frame_time_seconds_bucket{le=\"0.25\"} 2\n"
            "kiosk_frame_time_seconds_bucket{le=\"1\"} 3\n"
            "kiosk_frame_time_seconds_bucket{le=\"+Inf\"} 4\n"
            "kiosk_frame_time_seconds_sum 4.875\n"
            "kiosk_frame_time_seconds_count 4\n"
            "# HELP kiosk_metrics_rejected_total Samples refused: a bad metric or label name, a label value that "
            "could hold personal data, an undescribed metric or the wrong type.\n"
            "# TYPE kiosk_metrics_rejected_total counter\n"
            "# HELP kiosk_metrics_write_errors_total Failed writes of this metrics file.\n"
            "# TYPE kiosk_metrics_write_errors_total counter\n"
            "kiosk_metrics_write_errors_total 0\n"
            "# HELP kiosk_sessions_total Sessions ended.\n"
            "# TYPE kiosk_sessions_total counter\n"
            "kiosk_sessions_total{outcome=\"cancelled\"} 1\n"
            "kiosk_sessions_total{outcome=\"submitted\"} 3\n");
}

TEST(Metrics, KioskMetricsRenderToValidExposition) {
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  using namespace metric;
  metrics.set(kUp, 1);
  metrics.set(kStartTime, 1.7964e9);
  metrics.set_counter(kRestarts, {}, 3);
  metrics.set(kDeviceUp, {{"device", "card_reader"}, {"driver", "sam-usb"}}, 1);
  metrics.set(kDeviceUp, {{"device", "receipt_printer"}, {"driver", "escpos-serial"}}, 0);
  metrics.set(kOutboxOldestAge, {}, 12.5);
  metrics.set(kClockSkew, {}, -0.25);
  metrics.set(kCertificateExpiry, {}, INFINITY);
  metrics.set(kCatalogAge, {}, NAN);
  metrics.add(kSessions, {{"outcome", "submitted"}});
  metrics.add(kSessions, {{"outcome", "timed_out"}}, 2);
  for (const double seconds : {0.01, 0.05, 0.3, 2.0, 45.0}) {
    metrics.observe(kPlatformRequestDuration, {{"endpoint", "cases"}}, seconds);
    metrics.observe(kPlatformRequestDuration, {{"endpoint", "heartbeat"}}, seconds / 10);
  }
  for (int i = 0; i < 1000; ++i) metrics.observe(kFrameTime, {}, 0.001 * (i % 700));
  metrics.add("kiosk_no_such_metric");  // counted in kiosk_metrics_rejected_total{reason="undescribed"}
  const std::string text = metrics.render();
  EXPECT_EQ(check_exposition(text), "") << text;
  for (const char* name : {kUp, kStartTime, kRestarts, kDeviceUp, kOutboxDepth, kOutboxDead, kOutboxOldestAge, kSessions,
                           kPlatformRequestDuration, kPlatformReachable, kCertificateExpiry, kClockSkew, kFrameTime,
                           kStaffNeeded, kCatalogAge, kAuditChainIntact, kLogLinesDropped, kTechnicianEntries,
                           kTechnicianPinFailures, kMetricsRejected, kMetricsWriteErrors}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
  }
  EXPECT_NE(text.find("kiosk_frame_time_seconds_count 1000\n"), std::string::npos);
  EXPECT_NE(text.find("kiosk_platform_request_duration_seconds_bucket{endpoint=\"cases\",le=\"0.05\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("kiosk_platform_request_duration_seconds_count{endpoint=\"heartbeat\"} 5\n"), std::string::npos);
}

TEST(Metrics, TheCheckerItselfCatchesBrokenText) {
  // Each of these breaks one rule; a checker that passed them would prove nothing above.
  const char* broken[] = {
      "kiosk_up 1\n",                                                     // no TYPE
      "# TYPE a gauge\na 1",                                              // no final newline
      "# TYPE a gauge\na{x=\"1\"} one\n",                                 // bad value
      "# TYPE a gauge\na{x=1} 1\n",                                       // unquoted
      "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n",                  // family split
      "# TYPE a counter\na -1\n",                                         // negative counter
      "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",  // not cumulative
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",   // no +Inf
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",  // +Inf != count
      "# TYPE a gauge\na 1\n# HELP a late\n",                             // HELP after samples
  };
  for (const char* text : broken) EXPECT_NE(check_exposition(text), "") << text;
}

TEST(Metrics, RefusesLabelsThatCouldCarryPersonalData) {
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  const std::string name = metric::kSessions;
  const Labels refused[] = {
      {{"outcome", "510502199001011234"}},        // an ID number
      {{"outcome", "id51050219900101123X"}},      // inside a token
      {{"outcome", "13812345678"}},               // a mobile number
      {{"outcome", "张三"}},                       // a name
      {{"outcome", "timed out"}},                 // a space
      {{"outcome", "a\"b"}},                      // a quote
      {{"outcome", std::string(65, 'a')}},        // too long
      {{"Outcome", "submitted"}},                 // upper-case label name
      {{"__name__", "x"}},                        // reserved
      {{"outcome", "a"}, {"outcome", "b"}},       // repeated
      {{"1outcome", "a"}},                        // bad start
      {{"outcome", "/v1/cases"}},                 // a path: endpoints are named by a token
  };
  const std::size_t logged_before = log_lines_containing("sample for kiosk_sessions_total refused");
  for (const auto& labels : refused) EXPECT_FALSE(metrics.add(name, labels)) << labels[0].first << "=" << labels[0].second;
  EXPECT_FALSE(metrics.observe(metric::kFrameTime, {{"le", "1"}}, 0.1));  // le belongs to buckets
  EXPECT_TRUE(metrics.add(name, {{"outcome", std::string(64, 'a')}}));    // 64 is the limit
  EXPECT_TRUE(metrics.add(name, {{"outcome", "v1.2:3-4_x"}}));
  EXPECT_TRUE(metrics.add(name, {{"outcome", "12345678"}}));              // 8 digits: a count, not an ID
  EXPECT_EQ(metrics.value(metric::kMetricsRejected, {{"reason", "label"}}), 13);
  const std::string text = metrics.render();
  EXPECT_EQ(text.find("510502"), std::string::npos);
  EXPECT_EQ(text.find("13812345678"), std::string::npos);
  EXPECT_EQ(text.find("张三"), std::string::npos);
  EXPECT_NE(text.find("kiosk_metrics_rejected_total{reason=\"label\"} 13\n"), std::string::npos);
  EXPECT_EQ(check_exposition(text), "");
  // The refusal was logged once for the metric, without the value.
  EXPECT_EQ(log_lines_containing("sample for kiosk_sessions_total refused") - logged_before, 1u);
  for (const auto& line : log::recent_lines()) EXPECT_EQ(line.find("张三"), std::string::npos);
}

TEST(Metrics, MisuseIsAnErrorNotACrash) {
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  EXPECT_FALSE(metrics.add("kiosk_never_described"));
  EXPECT_FALSE(metrics.set(metric::kSessions, {}, 1));       // a counter used as a gauge
  EXPECT_FALSE(metrics.add(metric::kUp));                    // a gauge used as a counter
  EXPECT_FALSE(metrics.observe(metric::kUp, 1));             // a gauge used as a histogram
  EXPECT_FALSE(metrics.add(metric::kSessions, {}, -1));      // counters only go up
  EXPECT_FALSE(metrics.add(metric::kSessions, {}, NAN));
  EXPECT_FALSE(metrics.observe(metric::kFrameTime, NAN));
  EXPECT_FALSE(metrics.set("Kiosk Up", 1));                  // not a metric name
  EXPECT_EQ(metrics.value(metric::kMetricsRejected, {{"reason", "undescribed"}}), 1);
  EXPECT_EQ(metrics.value(metric::kMetricsRejected, {{"reason", "type"}}), 3);
  EXPECT_EQ(metrics.value(metric::kMetricsRejected, {{"reason", "value"}}), 3);
  EXPECT_EQ(metrics.value(metric::kMetricsRejected, {{"reason", "name"}}), 1);

  EXPECT_FALSE(metrics.describe_gauge(metric::kSessions, "now a gauge").ok());
  EXPECT_FALSE(metrics.describe_counter("bad-name", "x").ok());
  EXPECT_FALSE(metrics.describe_histogram("kiosk_h", "x", {}).ok());
  EXPECT_FALSE(metrics.describe_histogram("kiosk_h", "x", {1, 1}).ok());
  EXPECT_FALSE(metrics.describe_histogram("kiosk_h", "x", {1, INFINITY}).ok());
  EXPECT_TRUE(metrics.describe_counter(metric::kSessions, "new help").ok());  // same type: fine
  EXPECT_EQ(check_exposition(metrics.render()), "");
}

TEST(Metrics, RemovedSeriesDisappear) {
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  metrics.set(metric::kDeviceUp, {{"device", "face_camera"}, {"driver", "v4l2"}}, 1);
  EXPECT_NE(metrics.render().find("face_camera"), std::string::npos);
  EXPECT_TRUE(metrics.remove_series(metric::kDeviceUp, {{"driver", "v4l2"}, {"device", "face_camera"}}));
  EXPECT_EQ(metrics.render().find("face_camera"), std::string::npos);
  EXPECT_FALSE(metrics.remove_series(metric::kDeviceUp, {{"device", "face_camera"}}));
}

TEST(Metrics, ConcurrentUpdatesAreAllCounted) {
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  std::vector<std::thread> threads;
  std::atomic<bool> rendering{true};
  std::thread renderer([&] {
    while (rendering) EXPECT_EQ(check_exposition(metrics.render()), "");
  });
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 5000; ++i) {
        metrics.add(metric::kSessions, {{"outcome", t % 2 ? "submitted" : "cancelled"}});
        metrics.observe(metric::kFrameTime, 0.001 * (i % 100));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  rendering = false;
  renderer.join();
  EXPECT_EQ(metrics.value(metric::kSessions, {{"outcome", "submitted"}}), 10000);
  EXPECT_EQ(metrics.value(metric::kSessions, {{"outcome", "cancelled"}}), 10000);
  EXPECT_EQ(metrics.value(metric::kFrameTime), 20000);
}

// --- the textfile writer ---------------------------------------------------------------------

TEST(MetricsWriter, WritesTheRenderedTextAtomicallyWithCollectedValues) {
  const fs::path dir = make_temp_dir();
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  int collected = 0;
  MetricsWriter writer(metrics, dir, std::chrono::seconds(15), [&](Metrics& m) {
    ++collected;
    m.set(metric::kOutboxDepth, {}, 7);
  });
  ASSERT_TRUE(writer.write_now().ok());
  EXPECT_EQ(collected, 1);
  EXPECT_EQ(writer.file_path(), dir / "kiosk.prom");
  const std::string text = read_file(writer.file_path());
  EXPECT_EQ(text, metrics.render());
  EXPECT_NE(text.find("kiosk_outbox_depth 7\n"), std::string::npos);
  EXPECT_EQ(check_exposition(text), "");
  struct stat status {};
  ASSERT_EQ(::stat(writer.file_path().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0644u);  // node_exporter runs as another user
  EXPECT_TRUE(temp_files(dir).empty());
  fs::remove_all(dir);
}

TEST(MetricsWriter, MissingDirectoryIsNotCreatedIsLoggedOnceAndRetriedUntilItAppears) {
  const fs::path base = make_temp_dir();
  const fs::path dir = base / "textfile";  // node_exporter's, not there yet
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  std::atomic<int> attempts{0};
  MetricsWriter writer(metrics, dir, std::chrono::milliseconds(20), [&](Metrics&) { ++attempts; });
  const Status first = writer.write_now();
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().kind, ErrorKind::not_found);
  writer.start();
  while (attempts < 6) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_FALSE(fs::exists(dir)) << "the writer must not create node_exporter's directory";
  EXPECT_EQ(log_lines_containing("cannot write metrics (retrying every interval): metrics directory " + dir.string()), 1u);

  fs::create_directory(dir);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!fs::exists(dir / "kiosk.prom") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  writer.stop();
  const std::string text = read_file(dir / "kiosk.prom");
  ASSERT_FALSE(text.empty()) << "the writer did not retry";
  EXPECT_EQ(check_exposition(text), "");
  // Every failed attempt is in the file the next successful write produced.
  const std::size_t at = text.find("\nkiosk_metrics_write_errors_total ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stod(text.substr(at + 34)), 5.0);
  EXPECT_EQ(log_lines_containing("writing " + (dir / "kiosk.prom").string() + " again"), 1u);
  EXPECT_TRUE(temp_files(dir).empty());
  fs::remove_all(base);
}

// chmod 0555 alone stops nobody when the tests run as root (root ignores modes), so the writer
// runs in a child that has given root up (uid/gid 65534) against a 0555 directory.
TEST(MetricsWriter, ReadOnlyDirectoryFailsAndKeepsTheOldFile) {
  const fs::path dir = make_temp_dir();
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  MetricsWriter writer(metrics, dir, std::chrono::seconds(15), nullptr);
  ASSERT_TRUE(writer.write_now().ok());
  const std::string old_text = read_file(writer.file_path());
  metrics.set(metric::kUp, {}, 1);  // the next text differs
  ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
  const int code = in_child([&] {
    if (::geteuid() == 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) return 10;
    }
    const Status written = writer.write_now();
    if (written.ok()) return 11;
    if (written.error().kind != ErrorKind::permission) return 12;
    return 0;
  });
  ::chmod(dir.c_str(), 0755);
  EXPECT_EQ(code, 0) << "10: could not drop root, 11: the write succeeded, 12: wrong error kind";
  EXPECT_EQ(read_file(writer.file_path()), old_text);
  EXPECT_TRUE(temp_files(dir).empty());
  fs::remove_all(dir);
}

// A full disk: a child whose RLIMIT_FSIZE is smaller than the text, with SIGXFSZ ignored so
// write() fails with EFBIG half-way. Then, with the limit lifted, the next write succeeds and
// shows the failure in kiosk_metrics_write_errors_total.
TEST(MetricsWriter, FullDiskLeavesNoPartialFileAndTheNextWriteCountsTheError) {
  const fs::path dir = make_temp_dir();
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  MetricsWriter writer(metrics, dir, std::chrono::seconds(15), nullptr);
  ASSERT_TRUE(writer.write_now().ok());
  const std::string old_text = read_file(writer.file_path());
  ASSERT_GT(old_text.size(), 512u);
  const int code = in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{};
    if (::getrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
    const rlimit original = limit;
    limit.rlim_cur = 256;
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
    const Status failed = writer.write_now();
    if (failed.ok()) return 11;
    if (failed.error().message.find("File too large") == std::string::npos) return 12;
    // Before the lift: the old file is untouched and no temp file is left.
    if (read_file(writer.file_path()) != old_text) return 13;
    if (!temp_files(dir).empty()) return 14;
    if (::setrlimit(RLIMIT_FSIZE, &original) != 0) return 10;
    if (!writer.write_now().ok()) return 15;
    return 0;
  });
  EXPECT_EQ(code, 0) << "11: the write succeeded, 12: not EFBIG, 13: old file changed, 14: temp left, "
                        "15: the retry failed";
  const std::string text = read_file(writer.file_path());
  EXPECT_NE(text.find("\nkiosk_metrics_write_errors_total 1\n"), std::string::npos) << text;
  EXPECT_EQ(check_exposition(text), "");
  EXPECT_TRUE(temp_files(dir).empty());
  fs::remove_all(dir);
}

TEST(MetricsWriter, StopsPromptlyAndWritesEveryInterval) {
  const fs::path dir = make_temp_dir();
  Metrics metrics;
  ASSERT_TRUE(describe_kiosk_metrics(metrics).ok());
  std::atomic<int> collected{0};
  MetricsWriter writer(metrics, dir, std::chrono::milliseconds(30), [&](Metrics& m) {
    m.set(metric::kStaffNeeded, {}, ++collected);
  });
  writer.start();
  while (collected < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto before_stop = std::chrono::steady_clock::now();
  writer.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before_stop, std::chrono::milliseconds(500));
  const int final_count = collected;
  EXPECT_NE(read_file(writer.file_path()).find("kiosk_staff_needed " + std::to_string(final_count) + "\n"),
            std::string::npos);
  // With an interval of a minute, stop() still returns at once.
  MetricsWriter slow(metrics, dir, std::chrono::minutes(1), nullptr);
  slow.start();
  const auto slow_start = std::chrono::steady_clock::now();
  slow.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - slow_start, std::chrono::milliseconds(500));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kiosk::ops
