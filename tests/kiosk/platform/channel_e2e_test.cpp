// The platform channel end to end: the kiosk's own libcurl client, outbox, sender and channel
// against the real platform-sim process over loopback mutual TLS (no mocked libcurl). Faults come
// from the simulator's admin port.

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <chrono>
#include <set>
#include <thread>

#include "kiosk/core/log.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/outbox/outbox.h"
#include "kiosk/outbox/sender.h"
#include "kiosk/platform/catalog_cache.h"
#include "kiosk/platform/channel.h"
#include "kiosk/platform/http_client.h"
#include "kiosk/platform/messages.h"
#include "tests/kiosk/core/fake_journal.h"
#include "tests/tools/platform_sim/sim_harness.h"

namespace kiosk::platform {
namespace {

using platform_sim_test::kTerminal;
using platform_sim_test::run_pki;
using platform_sim_test::SimFixture;
using Steady = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Waits up to `ms` for `done`.
bool eventually(const std::function<bool()>& done, int ms = 15000) {
  const auto deadline = Steady::now() + std::chrono::milliseconds(ms);
  while (Steady::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

class ChannelE2E : public SimFixture {
 protected:
  TlsSettings tls(const fs::path& pki = {}, const std::string& terminal = kTerminal) const {
    const fs::path from = pki.empty() ? pki_ : pki;
    TlsSettings settings;
    settings.base_url = base_url();
    settings.ca_file = pki_ / "ca.crt";
    settings.cert_file = from / "terminals" / (terminal + ".crt");
    settings.key_file = from / "terminals" / (terminal + ".key");
    settings.connect_timeout = 2000;
    settings.total_timeout = 5000;
    return settings;
  }

  std::unique_ptr<HttpClient> client(TlsSettings settings) {
    auto made = HttpClient::create(std::move(settings), share_);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().describe());
    return made.ok() ? made.release_value() : nullptr;
  }

  PlatformResult<HttpResponse> get(HttpClient& http, const std::string& path, CancelToken cancel = {}) {
    HttpRequest request;
    request.path = path;
    return http.exchange(request, cancel);
  }

  std::unique_ptr<outbox::Outbox> open_outbox() {
    outbox::OutboxOptions options;
    options.path = temp_.path() / "outbox.db";
    options.key.bytes.fill(0x5a);
    options.receipt_prefix = "L0001";
    auto opened = outbox::Outbox::open(options, *crypto_);
    EXPECT_TRUE(opened.ok());
    return opened.release_value();
  }

  static nlohmann::json a_case(int i) {
    nlohmann::json body = zhangsan_case();
    body.erase("local_receipt");
    body["form"]["phone"] = "1380000" + std::to_string(1000 + i);
    return body;
  }

  std::shared_ptr<TlsShare> share_ = std::make_shared<TlsShare>();
  std::unique_ptr<crypto::Crypto> crypto_ = crypto::make_crypto();
};

TEST_F(ChannelE2E, CatalogOverMutualTlsReusesOneConnection) {
  auto http = client(tls());
  ASSERT_TRUE(http);
  auto answer = get(*http, "/api/v1/catalog?region=510502");
  ASSERT_TRUE(answer.ok()) << answer.error().describe();
  auto cache = CatalogCache::open(temp_.path() / "catalog.db");
  ASSERT_TRUE(cache.ok());
  auto applied = cache.value()->apply(answer.value().body, 1);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_GE(applied.value().catalog.items.size(), 30u);
  ASSERT_TRUE(answer.value().server_time.has_value());
  EXPECT_LT(std::abs(*answer.value().server_time - std::time(nullptr)), 5);

  // Not modified: the version as ETag.
  HttpRequest again;
  again.path = "/api/v1/catalog?region=510502";
  again.headers["If-None-Match"] = "\"" + applied.value().catalog.version + "\"";
  auto not_modified = http->send(again, {});
  ASSERT_TRUE(not_modified.ok());
  EXPECT_EQ(not_modified.value().status, 304);

  for (int i = 0; i < 20; ++i) ASSERT_TRUE(get(*http, "/api/v1/issuers").ok());
  EXPECT_EQ(http->requests_sent(), 22);
  EXPECT_EQ(http->connections_opened(), 1) << "keep-alive: one TLS handshake for 22 requests";
}

TEST_F(ChannelE2E, EveryRequestIsTimedByEndpointForTheFleetMetrics) {
  TlsSettings settings = tls();
  std::vector<std::pair<std::string, double>> timed;
  std::mutex mutex;
  settings.on_request = [&](const std::string& endpoint, double seconds) {
    std::lock_guard lock(mutex);
    timed.emplace_back(endpoint, seconds);
  };
  auto http = client(settings);
  ASSERT_TRUE(http);
  ASSERT_TRUE(get(*http, "/api/v1/catalog?region=510502").ok());
  ASSERT_TRUE(get(*http, "/api/v1/issuers").ok());
  EXPECT_FALSE(get(*http, "/api/v1/cases/NO-SUCH-CASE").ok());  // an error answer is timed too
  ASSERT_EQ(timed.size(), 3u);
  EXPECT_EQ(timed[0].first, "catalog");
  EXPECT_EQ(timed[1].first, "issuers");
  EXPECT_EQ(timed[2].first, "cases");
  for (const auto& [endpoint, seconds] : timed) {
    EXPECT_GT(seconds, 0.0) << endpoint;
    EXPECT_LT(seconds, 30.0) << endpoint;
  }
}

TEST(EndpointLabel, IsTheFirstSegmentAndNeverAnId) {
  EXPECT_EQ(endpoint_label("/api/v1/cases/510502-2026-000042/materials?x=1"), "cases");
  EXPECT_EQ(endpoint_label("/api/v1/catalog?region=510502"), "catalog");
  EXPECT_EQ(endpoint_label("/api/v1/Print-Reports"), "print_reports");
  EXPECT_EQ(endpoint_label("/api/v1/110101199003071234"), "other");
  EXPECT_EQ(endpoint_label(""), "other");
  EXPECT_EQ(endpoint_label("/api/v1/510502-2026-000042"), "other");
  EXPECT_EQ(endpoint_label("/api/v1/%E5%BC%A0"), "other");
  EXPECT_EQ(endpoint_label("/healthz"), "healthz");
}

TEST_F(ChannelE2E, OnlyThePlatformCaIsTrusted) {
  const fs::path other = temp_.path() / "other";
  ASSERT_EQ(run_pki("init '" + other.string() + "'", log_), 0);
  ASSERT_EQ(run_pki("terminal '" + other.string() + "' " + kTerminal, log_), 0);
  TlsSettings settings = tls();
  settings.ca_file = other / "ca.crt";  // a server our CA did not sign
  auto http = client(settings);
  auto answer = get(*http, "/api/v1/catalog?region=510502");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, PlatformErrorKind::tls) << answer.error().describe();

  // And the platform refuses a terminal certificate from another CA.
  auto stranger = client(tls(other));
  auto refused = get(*stranger, std::string("/api/v1/catalog?region=510502"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().kind, PlatformErrorKind::http) << refused.error().describe();
}

TEST_F(ChannelE2E, ExpiredUnknownAndRevokedTerminalsAreRefused) {
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0099 --expired", log_), 0);
  auto days = certificate_days_left(pki_ / "terminals" / "510502-HALL-0099.crt", std::time(nullptr));
  ASSERT_TRUE(days.ok());
  EXPECT_LT(days.value(), 0);
  auto expired = client(tls({}, "510502-HALL-0099"));
  EXPECT_FALSE(get(*expired, "/api/v1/issuers").ok());

  auto valid_days = certificate_days_left(pki_ / "terminals" / (std::string(kTerminal) + ".crt"), std::time(nullptr));
  ASSERT_TRUE(valid_days.ok());
  EXPECT_GT(valid_days.value(), 300);
  // The metrics' timestamp (notAfter in Unix seconds) agrees with the days left.
  const std::int64_t now = std::time(nullptr);
  auto expires = certificate_expires_at(pki_ / "terminals" / (std::string(kTerminal) + ".crt"));
  ASSERT_TRUE(expires.ok()) << expires.error().message;
  EXPECT_GE(expires.value() - now, static_cast<std::int64_t>(valid_days.value()) * 86400);
  EXPECT_LT(expires.value() - now, static_cast<std::int64_t>(valid_days.value() + 1) * 86400);
  auto expired_at = certificate_expires_at(pki_ / "terminals" / "510502-HALL-0099.crt");
  ASSERT_TRUE(expired_at.ok());
  EXPECT_LT(expired_at.value(), now);

  // Signed by our CA but never registered with the platform.
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0077", log_), 0);
  auto unknown = client(tls({}, "510502-HALL-0077"));
  auto answer = get(*unknown, "/api/v1/issuers");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().status, 403);
  EXPECT_EQ(answer.error().code, "terminal_unknown");
  // Not the request's fault: kept and retried (a registration fixes it), and named a config fault.
  EXPECT_TRUE(answer.error().retryable);
  ASSERT_TRUE(answer.error().config_fault.has_value());

  ASSERT_EQ(admin().post("/admin/terminals", nlohmann::json{{"id", kTerminal}, {"revoked", true}}).status, 200);
  auto revoked = client(tls());
  auto refused = get(*revoked, "/api/v1/issuers");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "terminal_revoked");
}

TEST_F(ChannelE2E, AWorldReadableKeyIsRefusedBeforeAnyConnection) {
  const fs::path key = pki_ / "terminals" / (std::string(kTerminal) + ".key");
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto made = HttpClient::create(tls(), share_);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().kind, PlatformErrorKind::config);
  EXPECT_NE(made.error().message.find("0644"), std::string::npos) << made.error().message;
  TlsSettings plain = tls();
  plain.base_url = "http://127.0.0.1:1";
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  EXPECT_EQ(HttpClient::create(plain, share_).error().kind, PlatformErrorKind::config);
}

TEST_F(ChannelE2E, FaultsBecomeTypedRetryableErrors) {
  auto http = client(tls());
  add_fault({{"status", 503}, {"retry_after_s", 7}, {"count", 1}});
  auto unavailable = get(*http, "/api/v1/issuers");
  ASSERT_FALSE(unavailable.ok());
  EXPECT_EQ(unavailable.error().status, 503);
  EXPECT_TRUE(unavailable.error().retryable);
  EXPECT_EQ(unavailable.error().retry_after, 7000);
  EXPECT_FALSE(unavailable.error().citizen_message.empty());

  // (libcurl itself retries once on a fresh connection when a reused one dies before any answer,
  // so a single dropped request is invisible: every request is dropped here.)
  add_fault({{"drop", true}, {"count", -1}});
  auto dropped = get(*http, "/api/v1/issuers");
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().kind, PlatformErrorKind::network) << dropped.error().describe();
  EXPECT_TRUE(dropped.error().retryable);
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);

  add_fault({{"tls_reset", true}, {"count", 1}});
  auto reset = get(*http, "/api/v1/issuers");
  ASSERT_FALSE(reset.ok());
  EXPECT_TRUE(reset.error().retryable) << reset.error().describe();

  TlsSettings impatient = tls();
  impatient.total_timeout = 800;
  auto slow_client = client(impatient);
  add_fault({{"stall_body_ms", 3000}, {"count", 1}});
  const auto start = Steady::now();
  auto stalled = get(*slow_client, "/api/v1/issuers");
  ASSERT_FALSE(stalled.ok());
  EXPECT_EQ(stalled.error().kind, PlatformErrorKind::timeout) << stalled.error().describe();
  EXPECT_LT(Steady::now() - start, std::chrono::milliseconds(2500));

  // Back to normal after the counted faults.
  EXPECT_TRUE(get(*http, "/api/v1/issuers").ok());
}

TEST_F(ChannelE2E, CancelEndsAWaitingRequestWithin100Ms) {
  auto http = client(tls());
  add_fault({{"latency_ms", 4000}, {"count", 1}});
  CancelToken cancel;
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.cancel();
  });
  const auto start = Steady::now();
  auto answer = get(*http, "/api/v1/issuers", cancel);
  const auto took = Steady::now() - start;
  canceller.join();
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, PlatformErrorKind::cancelled);
  EXPECT_LT(took, std::chrono::milliseconds(300 + 150));
}

TEST_F(ChannelE2E, ATerminalClockFarFromThePlatformsIsMeasured) {
  ASSERT_EQ(admin().post("/admin/clock", nlohmann::json{{"offset_s", -3600}}).status, 200);
  ChannelSettings settings;
  settings.tls = tls();
  settings.data_dir = temp_.path() / "kiosk";
  settings.seal_key_file = temp_.path() / "kiosk" / "seal.key";
  settings.heartbeat_s = 3600;
  auto channel = Channel::open(settings, *crypto_).release_value();
  channel->start();
  ASSERT_TRUE(eventually([&] { return channel->status().clock_skew_s.has_value(); }));
  EXPECT_NEAR(static_cast<double>(*channel->status().clock_skew_s), -3600.0, 5.0);
  channel->stop();
  EXPECT_EQ(admin().post("/admin/clock", nlohmann::json{{"offset_s", "soon"}}).status, 400);
}

TEST_F(ChannelE2E, AnOversizedAnswerIsRefused) {
  TlsSettings small = tls();
  small.max_response_bytes = 2000;
  auto http = client(small);
  auto answer = get(*http, "/api/v1/catalog?region=510502");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().kind, PlatformErrorKind::bad_response) << answer.error().describe();
}

TEST_F(ChannelE2E, TheOutboxDrainsInOrderAfterAnOutageAndFilesEachCaseOnce) {
  auto outbox = open_outbox();
  add_fault({{"drop", true}, {"count", -1}});
  std::vector<std::string> keys;
  for (int i = 0; i < 5; ++i) {
    auto key = outbox::new_idempotency_key(*crypto_);
    auto entry = outbox->enqueue(outbox::Kind::case_submission, key.value(), a_case(i).dump(), 1000 + i);
    ASSERT_TRUE(entry.ok());
    keys.push_back(key.value());
  }
  std::mutex mutex;
  std::vector<outbox::Entry> delivered;
  outbox::Sender::Options options;
  options.backoff = {50, 200, 2.0};
  outbox::Sender sender(*outbox, client(tls()), options, [&](const outbox::Entry& entry) {
    std::lock_guard lock(mutex);
    delivered.push_back(entry);
  });
  sender.start();
  ASSERT_TRUE(eventually([&] { return sender.status().attempts >= 3; }));
  EXPECT_FALSE(sender.status().platform_reachable);
  EXPECT_EQ(outbox->stats().value().pending, 5);
  EXPECT_TRUE(delivered.empty());

  // The answer to the first case gets lost after the platform filed it: the retry must not file
  // it twice (same key, same body → the stored answer).
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);
  add_fault({{"tls_reset", true}, {"count", 1}, {"path_prefix", "/api/v1/cases"}});
  sender.kick();
  ASSERT_TRUE(eventually([&] { return outbox->stats().value().pending == 0; }));
  sender.stop();

  const auto cases = admin_json("/admin/cases");
  std::multiset<std::string> filed;
  for (const auto& entry : cases) filed.insert(entry.value("idempotency_key", ""));
  for (const auto& key : keys) EXPECT_EQ(filed.count(key), 1u) << key;
  std::lock_guard lock(mutex);
  ASSERT_EQ(delivered.size(), 5u);
  for (std::size_t i = 0; i < delivered.size(); ++i) {
    EXPECT_EQ(delivered[i].idempotency_key, keys[i]) << "in order";
    EXPECT_FALSE(delivered[i].reference.empty());
    // The platform keeps the local receipt the citizen was shown.
    EXPECT_EQ(delivered[i].local_receipt, "L0001-00000" + std::to_string(i + 1));
  }
  EXPECT_TRUE(outbox->integrity_ok().value());
}

TEST_F(ChannelE2E, AFinalRefusalIsSetAsideAndTheRestStillGoes) {
  auto outbox = open_outbox();
  nlohmann::json bad = a_case(0);
  bad["item_code"] = "NO-SUCH-ITEM";
  ASSERT_TRUE(outbox->enqueue(outbox::Kind::case_submission, "refused-key-000000001", bad.dump(), 1).ok());
  ASSERT_TRUE(outbox->enqueue(outbox::Kind::rating, "rating-key-0000000001",
                              R"({"level":1,"reasons":[],"channel":"kiosk"})", 2).ok());
  ASSERT_TRUE(outbox->enqueue(outbox::Kind::rating, "rating-key-0000000002",
                              R"({"level":5,"channel":"kiosk"})", 3).ok());
  outbox::Sender::Options options;
  options.backoff = {50, 200, 2.0};
  outbox::Sender sender(*outbox, client(tls()), options);
  sender.start();
  ASSERT_TRUE(eventually([&] { return outbox->stats().value().pending == 0; }));
  sender.stop();
  const auto stats = outbox->stats().value();
  EXPECT_EQ(stats.dead, 2);  // unknown item (404), level 1 without reasons (422)
  EXPECT_EQ(stats.delivered, 1);
  const auto rows = outbox->list(10).value();
  for (const auto& row : rows) {
    if (row.state == outbox::State::dead) {
      EXPECT_FALSE(row.last_error.empty());
    }
  }
}

TEST_F(ChannelE2E, TheChannelSyncsSendsHeartbeatsAndDeliversSubmissions) {
  ChannelSettings settings;
  settings.tls = tls();
  settings.data_dir = temp_.path() / "kiosk";
  settings.seal_key_file = temp_.path() / "kiosk" / "seal.key";
  settings.factory_catalog = fs::path(KIOSK_TEST_ASSETS) / "catalog" / "items.json";
  settings.receipt_prefix = "L0001";
  settings.heartbeat_s = 3600;
  settings.backoff = {50, 200, 2.0};
  auto opened = Channel::open(settings, *crypto_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto channel = opened.release_value();
  struct stat key_mode {};
  ASSERT_EQ(::stat(settings.seal_key_file.c_str(), &key_mode), 0);
  EXPECT_EQ(key_mode.st_mode & 0777, 0600u);

  // Factory data until the first answer.
  auto factory = channel->cached_catalog();
  ASSERT_TRUE(factory.ok());
  EXPECT_EQ(factory.value().synced_at, 0);

  std::atomic<int> catalogs{0};
  std::mutex mutex;
  std::string latest_version;
  std::string delivered_reference;
  Channel::Listeners listeners;
  listeners.catalog = [&](const CachedCatalog& cached) {
    std::lock_guard lock(mutex);
    latest_version = cached.catalog.version;
    ++catalogs;
  };
  listeners.delivered = [&](const outbox::Entry& entry) {
    std::lock_guard lock(mutex);
    delivered_reference = entry.reference;
  };
  listeners.heartbeat_body = [] { return nlohmann::json{{"app_version", "test"}, {"devices", nlohmann::json::object()}}; };
  channel->set_listeners(listeners);
  channel->start();
  ASSERT_TRUE(eventually([&] { return catalogs.load() == 1; }));
  EXPECT_TRUE(channel->status().reachable);
  EXPECT_GT(channel->status().catalog_synced_at, 0);
  ASSERT_TRUE(channel->status().clock_skew_s.has_value());
  EXPECT_LT(std::abs(*channel->status().clock_skew_s), 5);
  ASSERT_TRUE(eventually([&] { return admin_json("/admin/heartbeats").size() >= 1; }));
  const auto heartbeat = admin_json("/admin/heartbeats")[0]["body"];
  EXPECT_EQ(heartbeat["app_version"], "test");
  EXPECT_TRUE(heartbeat.contains("outbox"));

  // An item changes on the platform: the next sync brings just that.
  auto cached = channel->cached_catalog().value();
  const catalog::Item& first = cached.catalog.items.front();
  const auto item_answer = admin().post("/admin/catalog/items",
                                        nlohmann::json{{"code", first.code}, {"name", first.name + "（新）"},
                                                       {"category", first.category}, {"type", first.type},
                                                       {"department", first.department}});
  ASSERT_EQ(item_answer.status, 200) << item_answer.body;
  channel->sync_now();
  ASSERT_TRUE(eventually([&] { return catalogs.load() == 2; }));
  auto updated = channel->cached_catalog().value();
  EXPECT_EQ(updated.catalog.items.front().name, first.name + "（新）");
  EXPECT_EQ(updated.catalog.items.size(), cached.catalog.items.size());
  {
    std::lock_guard lock(mutex);
    EXPECT_NE(latest_version, cached.catalog.version);
  }

  // A submission is durable at once and delivered with a platform case number.
  auto entry = channel->submit(outbox::Kind::case_submission, a_case(1));
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry.value().local_receipt, "L0001-000001");
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return !delivered_reference.empty();
  }));
  const auto cases = admin_json("/admin/cases");
  bool found = false;
  for (const auto& row : cases) {
    if (row.value("idempotency_key", "") == entry.value().idempotency_key) {
      found = true;
      EXPECT_EQ(row["body"]["local_receipt"], "L0001-000001");
    }
  }
  EXPECT_TRUE(found);

  // The platform goes away: the channel notices on the next sync and keeps its catalog.
  add_fault({{"drop", true}, {"count", -1}});
  channel->sync_now();
  ASSERT_TRUE(eventually([&] { return !channel->status().reachable; }));
  EXPECT_TRUE(channel->cached_catalog().ok());
  channel->stop();
}

// --- configuration faults: what waiting will not fix is told apart from an outage ---------------
// (docs/operations.md "Log events", platform-config-fault). Each case is made for real: a second
// CA, a certificate the platform did not issue or that has expired, a key that is not one, a
// terminal the platform does not know.

class ChannelConfigFault : public ChannelE2E {
 protected:
  // A second, unrelated PKI (`pki init`): its CA trusts nothing of ours, ours trusts nothing of it.
  fs::path other_pki() {
    const fs::path other = temp_.path() / "other-pki";
    EXPECT_EQ(run_pki("init '" + other.string() + "'", log_), 0);
    EXPECT_EQ(run_pki("terminal '" + other.string() + "' " + kTerminal, log_), 0);
    return other;
  }

  PlatformError failure(TlsSettings settings) {
    auto http = client(std::move(settings));
    if (!http) return {};
    auto answer = get(*http, "/api/v1/issuers");
    EXPECT_FALSE(answer.ok());
    return answer.ok() ? PlatformError{} : answer.error();
  }

  ChannelSettings channel_settings(TlsSettings tls_settings) {
    ChannelSettings settings;
    settings.tls = std::move(tls_settings);
    settings.data_dir = temp_.path() / "kiosk";
    settings.seal_key_file = temp_.path() / "kiosk" / "seal.key";
    settings.factory_catalog = fs::path(KIOSK_TEST_ASSETS) / "catalog" / "items.json";
    settings.heartbeat_s = 3600;
    settings.backoff = {50, 200, 2.0};
    return settings;
  }
};

TEST_F(ChannelConfigFault, APlatformCertificateOurCaDoesNotTrustNamesCaFile) {
  TlsSettings settings = tls();
  settings.ca_file = other_pki() / "ca.crt";
  const PlatformError error = failure(settings);
  EXPECT_EQ(error.kind, PlatformErrorKind::tls);
  ASSERT_TRUE(error.config_fault.has_value()) << error.describe();
  EXPECT_EQ(error.config_fault->field, "platform.ca_file");
  EXPECT_NE(error.config_fault->problem.find("not signed by the platform CA"), std::string::npos);
  // OpenSSL's words: the platform sends its chain up to its own root, which we do not trust.
  EXPECT_EQ(error.config_fault->reason, "self-signed certificate in certificate chain") << error.describe();
  EXPECT_TRUE(error.retryable);  // the outbox keeps what citizens submitted
}

TEST_F(ChannelConfigFault, ACertificateFromAnotherCaIsRefusedByThePlatformAndNamesCertFile) {
  const PlatformError error = failure(tls(other_pki()));
  ASSERT_TRUE(error.config_fault.has_value()) << error.describe();
  EXPECT_EQ(error.config_fault->field, "platform.cert_file");
  EXPECT_EQ(error.config_fault->reason, "TLS alert unknown ca") << error.describe();
}

TEST_F(ChannelConfigFault, AnExpiredTerminalCertificateNamesCertFile) {
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' " + kTerminal + " --expired", log_), 0);
  const PlatformError error = failure(tls());
  ASSERT_TRUE(error.config_fault.has_value()) << error.describe();
  EXPECT_EQ(error.config_fault->field, "platform.cert_file");
  EXPECT_EQ(error.config_fault->reason, "TLS alert certificate expired") << error.describe();
}

TEST_F(ChannelConfigFault, AKeyThatIsNoKeyNamesKeyFile) {
  TlsSettings settings = tls();
  settings.key_file = temp_.path() / "broken.key";
  {
    std::ofstream(settings.key_file) << "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
  }
  ::chmod(settings.key_file.c_str(), 0600);
  const PlatformError error = failure(settings);
  ASSERT_TRUE(error.config_fault.has_value()) << error.describe();
  EXPECT_EQ(error.config_fault->field, "platform.key_file");
  EXPECT_NE(error.config_fault->reason.find("private key"), std::string::npos) << error.describe();
}

TEST_F(ChannelConfigFault, ATerminalThePlatformDoesNotKnowNamesTerminalId) {
  // Issued by the right CA after the platform read its list: a certificate for no registered terminal.
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0099", log_), 0);
  const PlatformError unknown = failure(tls({}, "510502-HALL-0099"));
  EXPECT_EQ(unknown.kind, PlatformErrorKind::http);
  EXPECT_EQ(unknown.status, 403);
  ASSERT_TRUE(unknown.config_fault.has_value()) << unknown.describe();
  EXPECT_EQ(unknown.config_fault->field, "terminal_id");
  EXPECT_EQ(unknown.config_fault->reason, "HTTP 403 terminal_unknown");
  EXPECT_TRUE(unknown.retryable);

  ASSERT_EQ(admin().post("/admin/terminals", nlohmann::json{{"id", kTerminal}, {"revoked", true}}).status, 200);
  const PlatformError revoked = failure(tls());
  ASSERT_TRUE(revoked.config_fault.has_value()) << revoked.describe();
  EXPECT_EQ(revoked.config_fault->field, "terminal_id");
  EXPECT_EQ(revoked.config_fault->reason, "HTTP 403 terminal_revoked");
}

TEST_F(ChannelConfigFault, AServerKeyThatIsNotThePinnedOneNamesThePin) {
  TlsSettings settings = tls();
  settings.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  const PlatformError error = failure(settings);
  ASSERT_TRUE(error.config_fault.has_value()) << error.describe();
  EXPECT_EQ(error.config_fault->field, "platform.pinned_public_key");
}

TEST_F(ChannelConfigFault, AnOutageIsNoConfigFault) {
  TlsSettings settings = tls();
  ASSERT_EQ(stop(), 0);
  const PlatformError error = failure(settings);
  EXPECT_EQ(error.kind, PlatformErrorKind::network) << error.describe();
  EXPECT_FALSE(error.config_fault.has_value()) << error.describe();
  EXPECT_TRUE(error.retryable);
}

// The channel: one journald record naming the field and OpenSSL's reason (not one per retry), a
// status the app turns into "online submission paused", and the fault gone once a request works.
TEST_F(ChannelConfigFault, TheChannelLogsTheFieldOnceAndClearsTheFaultWhenFixed) {
  log::test_support::FakeJournal journal;
  log::configure(log::Sink{log::Sink::Kind::journal, journal.path()});
  TlsSettings settings = tls();
  const fs::path ca_file = temp_.path() / "platform-ca.crt";
  fs::copy_file(other_pki() / "ca.crt", ca_file);
  settings.ca_file = ca_file;
  auto opened = Channel::open(channel_settings(settings), *crypto_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto channel = opened.release_value();
  std::atomic<int> faults_seen{0};
  Channel::Listeners listeners;
  listeners.status = [&](const ChannelStatus& status) {
    if (status.config_fault) ++faults_seen;
  };
  channel->set_listeners(listeners);
  channel->start();
  ASSERT_TRUE(eventually([&] { return channel->status().config_fault.has_value(); }));
  EXPECT_EQ(channel->status().config_fault->field, "platform.ca_file");
  EXPECT_FALSE(channel->status().reachable);
  EXPECT_GT(faults_seen.load(), 0);
  channel->sync_now();  // the same fault again: no second record
  channel->sync_now();

  // The technician installs the right CA: the next request works and the fault is gone.
  fs::copy_file(pki_ / "ca.crt", ca_file, fs::copy_options::overwrite_existing);
  channel->sync_now();
  ASSERT_TRUE(eventually([&] { return !channel->status().config_fault.has_value() && channel->status().reachable; }));
  channel->stop();
  log::configure(log::Sink{});

  int records = 0;
  for (const auto& record : log::test_support::receive_all(journal)) {
    const auto id = record.find("MESSAGE_ID");
    if (id == record.end() || id->second != log::message_id::kPlatformConfigFault) continue;
    ++records;
    const std::string message = record.find("MESSAGE")->second;
    EXPECT_NE(message.find("platform.ca_file"), std::string::npos) << message;
    EXPECT_NE(message.find("self-signed certificate in certificate chain"), std::string::npos) << message;
    EXPECT_EQ(record.find("KIOSK_CONFIG_FIELD")->second, "platform.ca_file");
    EXPECT_EQ(record.find("PRIORITY")->second, "3");
  }
  EXPECT_EQ(records, 1);
}

// A terminal the platform does not know: submissions wait in the outbox (never set aside as
// refused for good) and go out once the platform registers it.
TEST_F(ChannelConfigFault, SubmissionsWaitWhileThePlatformDoesNotKnowTheTerminal) {
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0099", log_), 0);
  auto opened = Channel::open(channel_settings(tls({}, "510502-HALL-0099")), *crypto_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto channel = opened.release_value();
  channel->start();
  auto entry = channel->submit(outbox::Kind::case_submission, a_case(7));
  ASSERT_TRUE(entry.ok());
  ASSERT_TRUE(eventually([&] {
    const auto status = channel->status();
    return status.config_fault.has_value() && status.config_fault->field == "terminal_id";
  }));
  // Refused again and again, with backoff, and never given up.
  ASSERT_TRUE(eventually([&] {
    const auto rows = channel->outbox().list(10).value();
    return rows.size() == 1 && rows[0].attempts >= 3;
  }));
  EXPECT_EQ(channel->outbox().stats().value().dead, 0);
  EXPECT_EQ(channel->outbox().stats().value().pending, 1);

  ASSERT_EQ(admin().post("/admin/terminals", nlohmann::json{{"id", "510502-HALL-0099"}}).status, 200);
  channel->retry_outbox_now();
  ASSERT_TRUE(eventually([&] { return channel->outbox().stats().value().delivered == 1; }));
  ASSERT_TRUE(eventually([&] { return !channel->status().config_fault.has_value(); }));
  channel->stop();
}

}  // namespace
}  // namespace kiosk::platform
