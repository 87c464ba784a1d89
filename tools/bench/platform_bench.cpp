// Platform channel benchmark (tools/bench/run): against the real platform-sim over loopback mutual
// TLS, measures
//   - enqueue latency: the durable commit a citizen waits for before "submitted" (p50/p99);
//   - outbox drain rate after an outage, with small cases and with 1 MB of materials per case;
//   - TLS handshakes per 100 requests through one client (connection and session reuse).
// Usage: platform_bench SIM_BINARY PKI_SCRIPT ASSETS_DIR [--keys]   (--keys: "name value" lines)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/crypto/crypto.h"
#include "kiosk/outbox/outbox.h"
#include "kiosk/outbox/sender.h"
#include "kiosk/platform/http_client.h"
#include "kiosk/platform/messages.h"
#include "tools/platform-sim/launcher.h"

namespace {

using namespace kiosk;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

double ms_since(Steady::time_point start) {
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

nlohmann::json a_case(std::size_t material_bytes, std::mt19937& random) {
  std::vector<std::uint8_t> material(std::max<std::size_t>(material_bytes, 16));
  for (auto& byte : material) byte = static_cast<std::uint8_t>(random());
  material[0] = 0xFF;
  material[1] = 0xD8;  // a JPEG as far as the platform checks
  return {{"item_code", "510502000000-QR-0001"},
          {"applicant", {{"name", "张三"}, {"id_number", "510502195803150137"}, {"phone", "13800000000"}}},
          {"form",
           {{"applicant_name", "张三"}, {"id_number", "510502195803150137"}, {"phone", "13800000000"},
            {"reason", "expired"}, {"delivery", "window"}}},
          {"materials", {{{"name", "本人居民身份证"}, {"source", "capture"}, {"content_type", "image/jpeg"},
                          {"data", platform::base64_encode(material)}}}},
          {"delivery", {{"method", "pickup"}}},
          {"submitted_at", "2026-11-25T14:03:00+08:00"}};
}

struct Setup {
  platform_sim::TempDir temp;
  fs::path pki;
  std::unique_ptr<platform_sim::SimProcess> sim;
  platform::TlsSettings tls;
  std::unique_ptr<crypto::Crypto> crypto = crypto::make_crypto();
};

std::unique_ptr<outbox::Outbox> open_outbox(Setup& setup, const std::string& name) {
  outbox::OutboxOptions options;
  options.path = setup.temp.path() / name;
  options.key.bytes.fill(0x33);
  auto opened = outbox::Outbox::open(options, *setup.crypto);
  if (!opened) throw std::runtime_error(opened.error().message);
  return opened.release_value();
}

struct Drain {
  double cases_per_s = 0;
  double mib_per_s = 0;
};

// Enqueues `count` cases while the platform drops every connection, then lifts the outage and
// times the sender until the outbox is empty.
Drain drain_after_outage(Setup& setup, int count, std::size_t material_bytes, std::mt19937& random) {
  auto box = open_outbox(setup, "drain-" + std::to_string(material_bytes) + ".db");
  platform_sim::admin_call(setup.sim->admin_url(), "POST", "/admin/faults", R"({"drop":true,"count":-1})");
  std::size_t bytes = 0;
  for (int i = 0; i < count; ++i) {
    const std::string body = a_case(material_bytes, random).dump();
    bytes += body.size();
    auto key = outbox::new_idempotency_key(*setup.crypto);
    if (!box->enqueue(outbox::Kind::case_submission, key.value(), body, unix_ms())) throw std::runtime_error("enqueue");
  }
  platform_sim::admin_call(setup.sim->admin_url(), "DELETE", "/admin/faults");
  auto client = platform::HttpClient::create(setup.tls, std::make_shared<platform::TlsShare>());
  if (!client) throw std::runtime_error(client.error().describe());
  outbox::Sender sender(*box, client.release_value(), {});
  const auto start = Steady::now();
  sender.start();
  while (box->stats().value().pending > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const double seconds = ms_since(start) / 1000.0;
  sender.stop();
  return {count / seconds, static_cast<double>(bytes) / (1024.0 * 1024.0) / seconds};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: platform_bench SIM_BINARY PKI_SCRIPT ASSETS_DIR [--keys]\n");
    return 2;
  }
  const bool keys = argc > 4 && std::string(argv[4]) == "--keys";
  try {
    Setup setup;
    const fs::path log = setup.temp.path() / "bench.log";
    setup.pki = setup.temp.path() / "pki";
    const std::string terminal = "510502-HALL-0001";
    if (platform_sim::run_pki(argv[2], "init '" + setup.pki.string() + "'", log) != 0 ||
        platform_sim::run_pki(argv[2], "terminal '" + setup.pki.string() + "' " + terminal, log) != 0) {
      throw std::runtime_error("tools/pki failed; see " + log.string());
    }
    setup.sim = std::make_unique<platform_sim::SimProcess>(argv[1], setup.pki, setup.temp.path() / "sim.db", argv[3], log);
    setup.tls.base_url = setup.sim->base_url();
    setup.tls.ca_file = setup.pki / "ca.crt";
    setup.tls.cert_file = setup.pki / "terminals" / (terminal + ".crt");
    setup.tls.key_file = setup.pki / "terminals" / (terminal + ".key");
    std::mt19937 random(7);

    // Enqueue latency: each call is a durable (fsync'd) commit on the machine's disk.
    auto box = open_outbox(setup, "enqueue.db");
    std::vector<double> latencies;
    for (int i = 0; i < 300; ++i) {
      const std::string body = a_case(2048, random).dump();
      auto key = outbox::new_idempotency_key(*setup.crypto);
      const auto start = Steady::now();
      if (!box->enqueue(outbox::Kind::case_submission, key.value(), body, unix_ms())) throw std::runtime_error("enqueue");
      latencies.push_back(ms_since(start));
    }
    std::sort(latencies.begin(), latencies.end());
    const double p50 = latencies[latencies.size() / 2];
    const double p99 = latencies[latencies.size() * 99 / 100];

    const Drain small = drain_after_outage(setup, 200, 2048, random);
    const Drain large = drain_after_outage(setup, 20, 1 << 20, random);

    // Handshakes per 100 requests through one client.
    const auto before = nlohmann::json::parse(platform_sim::admin_call(setup.sim->admin_url(), "GET", "/admin/stats"));
    auto client = platform::HttpClient::create(setup.tls, std::make_shared<platform::TlsShare>());
    if (!client) throw std::runtime_error(client.error().describe());
    for (int i = 0; i < 100; ++i) {
      platform::HttpRequest request;
      request.path = "/api/v1/issuers";
      if (!client.value()->send(request, {})) throw std::runtime_error("request failed");
    }
    const auto after = nlohmann::json::parse(platform_sim::admin_call(setup.sim->admin_url(), "GET", "/admin/stats"));
    const long handshakes = after["tls_handshakes"].get<long>() - before["tls_handshakes"].get<long>();

    if (keys) {
      std::printf("enqueue_p50_ms %.2f\nenqueue_p99_ms %.2f\ndrain_small_cases_per_s %.0f\n"
                  "drain_1mb_cases_per_s %.1f\ndrain_1mb_mib_per_s %.1f\nhandshakes_per_100_requests %ld\n",
                  p50, p99, small.cases_per_s, large.cases_per_s, large.mib_per_s, handshakes);
    } else {
      std::printf("enqueue (durable commit)      p50 %.2f ms  p99 %.2f ms  (300 cases of ~3 KB)\n", p50, p99);
      std::printf("drain after outage, small     %.0f cases/s  (200 cases)\n", small.cases_per_s);
      std::printf("drain after outage, 1 MB each %.1f cases/s  %.1f MiB/s  (20 cases)\n", large.cases_per_s,
                  large.mib_per_s);
      std::printf("TLS handshakes per 100 requests: %ld\n", handshakes);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "platform_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
