#pragma once
// The terminal's platform channel, built once in main() and passed down: the catalog cache and
// its sync, the heartbeat, the outbox and its sender, and one worker for calls a citizen waits on
// (identity, progress, licences, tickets). Each part has its own thread and its own HttpClient;
// they share connections and TLS sessions. Listeners are called on those threads: the app posts
// what they carry to its UI thread. Nothing here blocks the caller except submit(), which commits
// to disk (call it from a worker).

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/core/worker.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/outbox/outbox.h"
#include "kiosk/outbox/sender.h"
#include "kiosk/platform/catalog_cache.h"
#include "kiosk/platform/http_client.h"

namespace kiosk::platform {

struct ChannelSettings {
  TlsSettings tls;                       // base_url empty: no platform (factory catalog only)
  std::string region = "510502";
  std::filesystem::path data_dir;        // outbox.db, catalog.db
  std::filesystem::path seal_key_file;   // AES key of the outbox; created 0600 if missing
  std::filesystem::path factory_catalog; // imported when the cache is empty
  std::string receipt_prefix = "L";      // local receipt numbers: "<prefix>-000042"
  int catalog_poll_s = 900;
  int heartbeat_s = 60;
  BackoffPolicy backoff;
};

// What technicians, the status bar and metrics see. No personal data.
struct ChannelStatus {
  bool configured = false;          // a platform URL is set
  bool reachable = false;           // the last request got an answer
  std::string last_error;           // describe() of the last failure
  // The channel cannot work until a technician fixes the config field it names (a CA that does
  // not trust the platform, a certificate it refuses, an unknown terminal): not an outage, so
  // citizens are told that online submission is paused. Cleared by the next request that works.
  std::optional<tls::ConfigFault> config_fault;
  std::int64_t catalog_synced_at = 0;  // Unix ms, 0 = factory data
  std::string catalog_version;
  outbox::Stats outbox;
  std::optional<int> certificate_days_left;
  std::optional<std::int64_t> certificate_expires_at;  // its notAfter, Unix seconds
  std::optional<std::int64_t> clock_skew_s;  // server time − our time, from the last answer
};

// Days until the certificate in `pem_file` expires (negative when expired).
Result<int> certificate_days_left(const std::filesystem::path& pem_file, std::int64_t now_unix);
// When the certificate in `pem_file` expires (its notAfter), in Unix seconds.
Result<std::int64_t> certificate_expires_at(const std::filesystem::path& pem_file);

class Channel {
 public:
  struct Listeners {
    std::function<void(const CachedCatalog&)> catalog;      // a new catalog is cached
    std::function<void(const ChannelStatus&)> status;       // something in the status changed
    std::function<void(const outbox::Entry&)> delivered;    // an outbox row reached the platform
    std::function<nlohmann::json()> heartbeat_body;         // devices etc. (called on the sync thread)
  };

  // Opens the cache and the outbox (seeding the cache from the factory catalog), checks the TLS
  // files. A platform that is down is not an error; unusable files or keys are.
  static Result<std::unique_ptr<Channel>> open(ChannelSettings settings, crypto::Crypto& crypto);
  ~Channel();  // stop()
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Before start(): who hears about catalogs, status and deliveries.
  void set_listeners(Listeners listeners) { listeners_ = std::move(listeners); }
  // Starts the sync (catalog at once, then periodically), the heartbeat and the sender.
  void start();
  // Stops every thread (a request in flight is cancelled); after it returns no listener is called.
  // Idempotent.
  void stop();

  // The cached catalog (factory data until the first sync).
  Result<CachedCatalog> cached_catalog() const { return cache_->load(); }
  // Commits a case, rating or print report to the outbox (durable when it returns) and wakes the
  // sender. Blocks on the disk: call it from a worker, never the UI thread.
  outbox::OutboxResult<outbox::Entry> submit(outbox::Kind kind, const nlohmann::json& body);
  // A request a citizen waits on, on the interactive worker; `done` runs on that worker.
  void call(HttpRequest request, CancelToken cancel, std::function<void(PlatformResult<HttpResponse>)> done);
  // Sync the catalog now (technician, tests).
  void sync_now();
  // Sends a heartbeat now (something the hall should see at once changed: a citizen called staff).
  void heartbeat_now();
  // Technician "retry now" for the outbox.
  void retry_outbox_now();

  ChannelStatus status() const;
  bool configured() const { return configured_; }
  outbox::Outbox& outbox() { return *outbox_; }

 private:
  Channel(ChannelSettings settings, crypto::Crypto& crypto);
  void sync_loop();
  void sync_catalog();
  void send_heartbeat();
  void record(const PlatformResult<HttpResponse>& result);
  // Every request's outcome (TlsSettings::on_outcome, on any of the channel's threads).
  void note_outcome(const PlatformError* error);
  void publish_status();
  std::int64_t unix_ms() const;

  ChannelSettings settings_;
  crypto::Crypto& crypto_;
  Listeners listeners_;
  bool configured_ = false;
  std::shared_ptr<TlsShare> share_;
  std::unique_ptr<CatalogCache> cache_;
  std::unique_ptr<outbox::Outbox> outbox_;
  std::unique_ptr<outbox::Sender> sender_;
  std::unique_ptr<HttpClient> sync_client_;
  std::unique_ptr<HttpClient> call_client_;

  mutable std::mutex mutex_;
  ChannelStatus status_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool sync_requested_ = false;
  bool heartbeat_requested_ = false;
  CancelToken stop_token_;
  std::thread sync_thread_;
  std::unique_ptr<Worker> call_worker_;
};

}  // namespace kiosk::platform
