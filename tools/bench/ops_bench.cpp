// Operations benchmark (not a test): what 7×24 operations cost the kiosk —
//   - rendering the fleet metrics (every kiosk metric, realistic series and histograms) and writing
//     them atomically (temp file, fsync, rename) into a textfile folder;
//   - one audit record, appended and fsync'd (the keyed hash chain);
//   - `kioskctl status` over the control socket: connect, one request line, the kiosk's status
//     (every device queried: the simulators), the answer line.
// Prints "name value" lines like the other benches.
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "devices/registry.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/ops/audit_log.h"
#include "kiosk/ops/control_protocol.h"
#include "kiosk/ops/control_server.h"
#include "kiosk/ops/metrics.h"
#include "kiosk/ops/service/kiosk_operations.h"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;

double since_ms(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

double percentile(std::vector<double> samples, double p) {
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1) + 0.5))];
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ops_bench: %s\n", what.c_str());
  std::exit(1);
}

void fill(ops::Metrics& metrics) {
  using namespace ops::metric;
  if (!ops::describe_kiosk_metrics(metrics).ok()) die("describe metrics");
  for (const char* device : {"card_reader", "face_camera", "document_camera", "receipt_printer", "document_printer"}) {
    metrics.set(kDeviceUp, {{"device", device}, {"driver", "sim"}}, 1);
  }
  for (const char* outcome : {"submitted", "timed_out", "finished"}) metrics.add(kSessions, {{"outcome", outcome}}, 17);
  for (int i = 0; i < 1000; ++i) metrics.observe(kFrameTime, 0.002 + 0.00003 * i);
  for (const char* endpoint : {"catalog", "cases", "heartbeat", "prints", "ratings"}) {
    for (int i = 0; i < 100; ++i) metrics.observe(kPlatformRequestDuration, {{"endpoint", endpoint}}, 0.01 * (i % 40));
  }
  for (const char* gauge : {kUp, kOutboxDepth, kOutboxDead, kOutboxOldestAge, kStaffNeeded, kCatalogAge, kPlatformReachable,
                            kCertificateExpiry, kClockSkew, kAuditChainIntact}) {
    metrics.set(gauge, 1);
  }
}

}  // namespace

int main() {
  char pattern[] = "/tmp/ops-bench-XXXXXX";
  if (!::mkdtemp(pattern)) die("mkdtemp");
  const std::filesystem::path dir = pattern;

  // --- metrics -----------------------------------------------------------------------------------
  ops::Metrics metrics;
  fill(metrics);
  std::vector<double> render_ms;
  std::size_t bytes = 0;
  for (int i = 0; i < 200; ++i) {
    const auto start = Clock::now();
    bytes = metrics.render().size();
    render_ms.push_back(since_ms(start));
  }
  std::filesystem::create_directories(dir / "textfile");
  ops::MetricsWriter writer(metrics, dir / "textfile", std::chrono::hours(1), {});
  std::vector<double> write_ms;
  for (int i = 0; i < 50; ++i) {
    const auto start = Clock::now();
    if (!writer.write_now().ok()) die("metrics write");
    write_ms.push_back(since_ms(start));
  }
  std::printf("metrics_bytes %zu\nmetrics_render_p50_ms %.3f\nmetrics_write_p50_ms %.3f\nmetrics_write_p99_ms %.3f\n", bytes,
              percentile(render_ms, 0.5), percentile(write_ms, 0.5), percentile(write_ms, 0.99));

  // --- audit ---------------------------------------------------------------------------------------
  auto crypto = crypto::make_crypto();
  crypto::SealKey key;
  key.bytes.fill(7);
  auto audit = ops::AuditLog::open(dir / "audit.log", key, *crypto);
  if (!audit.ok()) die(audit.error().message);
  std::vector<double> append_ms;
  for (int i = 0; i < 200; ++i) {
    const auto start = Clock::now();
    if (!(*audit)->append("selftest", {{"device", "receipt_printer"}, {"passed", true}}, "2026-12-05T08:00:00Z").ok()) {
      die("audit append");
    }
    append_ms.push_back(since_ms(start));
  }
  const auto verify_start = Clock::now();
  auto verdict = ops::verify_audit_log(dir / "audit.log", key, *crypto);
  const double verify_ms = since_ms(verify_start);
  if (!verdict.ok() || !verdict->intact) die("audit verify");
  std::printf("audit_append_p50_ms %.3f\naudit_append_p99_ms %.3f\naudit_verify_200_ms %.3f\n", percentile(append_ms, 0.5),
              percentile(append_ms, 0.99), verify_ms);

  // --- control socket ------------------------------------------------------------------------------
  nlohmann::json device_config = nlohmann::json::object();
  for (hal::DeviceClass device : hal::kAllDeviceClasses) device_config[hal::to_string(device)] = {{"driver", "sim"}};
  auto devices = devices::make_devices(device_config, devices::DriverContext{});
  if (!devices.ok()) die(devices.error().message);
  ops::OperationsDependencies dependencies;
  dependencies.devices = &devices.value();
  dependencies.crypto = crypto.get();
  dependencies.app_view = [] { return ops::AppView{"attract", false, false, 31}; };
  ops::KioskOperations operations(std::move(dependencies));
  const auto socket_path = dir / "control.sock";
  auto server = ops::ControlServer::start(socket_path, "", operations);
  if (!server.ok()) die(server.error().message);
  ops::ControlRequest request;
  request.command = *ops::command_from_name("status");
  const std::string line = ops::control_request_line(request);
  std::vector<double> round_trip_ms;
  for (int i = 0; i < 200; ++i) {
    const auto start = Clock::now();
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("connect");
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) die("write");
    std::string answer;
    char buffer[8192];
    for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(got));
    ::close(fd);
    if (!ops::parse_control_answer(answer).ok()) die("bad answer: " + answer);
    round_trip_ms.push_back(since_ms(start));
  }
  std::printf("control_status_p50_ms %.3f\ncontrol_status_p99_ms %.3f\n", percentile(round_trip_ms, 0.5),
              percentile(round_trip_ms, 0.99));
  (*server)->stop();
  std::filesystem::remove_all(dir);
  return 0;
}
