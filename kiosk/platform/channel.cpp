#include "kiosk/platform/channel.h"

#include <openssl/asn1.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "kiosk/core/log.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/platform/messages.h"

namespace kiosk::platform {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::not_found, "cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

namespace {

// Days and seconds from `now_unix` to the certificate's notAfter (OpenSSL's ASN1_TIME_diff).
Result<std::pair<int, int>> time_to_expiry(const std::filesystem::path& pem_file, std::int64_t now_unix) {
  FILE* file = std::fopen(pem_file.c_str(), "r");
  if (file == nullptr) return Error::make(ErrorKind::not_found, "cannot open certificate " + pem_file.string());
  X509* certificate = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (certificate == nullptr) return Error::make(ErrorKind::parse, "not a PEM certificate: " + pem_file.string());
  ASN1_TIME* now = ASN1_TIME_set(nullptr, static_cast<time_t>(now_unix));
  int days = 0;
  int seconds = 0;
  const int ok = ASN1_TIME_diff(&days, &seconds, now, X509_get0_notAfter(certificate));
  ASN1_TIME_free(now);
  X509_free(certificate);
  if (!ok) return Error::make(ErrorKind::parse, "certificate has an unreadable expiry: " + pem_file.string());
  return std::pair{days, seconds};
}

}  // namespace

Result<int> certificate_days_left(const std::filesystem::path& pem_file, std::int64_t now_unix) {
  auto [days, seconds] = TRY(time_to_expiry(pem_file, now_unix));
  if (days <= 0 && seconds < 0) --days;  // expired part of a day ago counts as a day gone
  return days;
}

Result<std::int64_t> certificate_expires_at(const std::filesystem::path& pem_file) {
  const auto [days, seconds] = TRY(time_to_expiry(pem_file, 0));
  return static_cast<std::int64_t>(days) * 86400 + seconds;
}

Result<std::unique_ptr<Channel>> Channel::open(ChannelSettings settings, crypto::Crypto& crypto) {
  std::error_code ignored;
  std::filesystem::create_directories(settings.data_dir, ignored);
  std::unique_ptr<Channel> channel(new Channel(std::move(settings), crypto));
  ChannelSettings& s = channel->settings_;

  channel->cache_ = TRY(CatalogCache::open(s.data_dir / "catalog.db"));
  if (TRY(channel->cache_->empty()) && !s.factory_catalog.empty()) {
    const std::string text = TRY(read_text(s.factory_catalog));
    TRY_STATUS(channel->cache_->seed(text));
    log::info("platform", "catalog cache seeded from the factory catalog");
  }

  crypto::SealKey key = TRY(crypto::load_or_create_seal_key(crypto, s.seal_key_file));
  outbox::OutboxOptions options;
  options.path = s.data_dir / "outbox.db";
  options.key = key;
  options.receipt_prefix = s.receipt_prefix;
  auto opened = outbox::Outbox::open(options, crypto);
  if (!opened) return Error::make(ErrorKind::io, opened.error().message);
  channel->outbox_ = opened.release_value();

  channel->configured_ = !s.tls.base_url.empty();
  channel->status_.configured = channel->configured_;
  if (channel->configured_) {
    channel->share_ = std::make_shared<TlsShare>();
    s.tls.on_outcome = [self = channel.get()](const PlatformError* error) { self->note_outcome(error); };
    auto make_client = [&]() -> Result<std::unique_ptr<HttpClient>> {
      auto client = HttpClient::create(s.tls, channel->share_);
      if (!client) return Error::make(ErrorKind::invalid_argument, "platform: " + client.error().message);
      return client.release_value();
    };
    channel->sync_client_ = TRY(make_client());
    channel->call_client_ = TRY(make_client());
    outbox::Sender::Options sender_options;
    sender_options.backoff = s.backoff;
    Channel* self = channel.get();
    channel->sender_ = std::make_unique<outbox::Sender>(
        *channel->outbox_, TRY(make_client()), sender_options,
        [self](const outbox::Entry& entry) {
          if (self->listeners_.delivered) self->listeners_.delivered(entry);
          self->publish_status();
        },
        [self](const outbox::SenderStatus& sender) {
          {
            std::lock_guard lock(self->mutex_);
            self->status_.reachable = sender.platform_reachable;
            if (!sender.last_error.empty()) self->status_.last_error = sender.last_error;
          }
          self->publish_status();
        });
    auto days = certificate_days_left(s.tls.cert_file, wall_ms() / 1000);
    if (days) {
      channel->status_.certificate_days_left = days.value();
      if (auto expires = certificate_expires_at(s.tls.cert_file)) channel->status_.certificate_expires_at = expires.value();
      if (days.value() < 30) log::warning("platform", "terminal certificate expires in " + std::to_string(days.value()) + " days");
    } else {
      log::warning("platform", days.error().message);
    }
    channel->call_worker_ = std::make_unique<Worker>();
  }
  // Status from the cache's metadata only: parsing the catalog is the app's background job.
  if (auto synced_at = channel->cache_->synced_at(); synced_at) channel->status_.catalog_synced_at = synced_at.value();
  if (auto version = channel->cache_->version(); version) channel->status_.catalog_version = version.value();
  if (auto stats = channel->outbox_->stats(); stats) channel->status_.outbox = stats.value();
  return channel;
}

Channel::Channel(ChannelSettings settings, crypto::Crypto& crypto) : settings_(std::move(settings)), crypto_(crypto) {}

Channel::~Channel() { stop(); }

void Channel::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    stop_token_.cancel();
  }
  wake_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
  if (sender_) sender_->stop();
  call_worker_.reset();  // finishes the call in flight (cancelled by its own token or timeout)
}

void Channel::start() {
  if (!configured_ || sync_thread_.joinable()) return;
  sender_->start();
  sync_thread_ = std::thread([this] { sync_loop(); });
}

std::int64_t Channel::unix_ms() const { return wall_ms(); }

void Channel::sync_loop() {
  std::int64_t next_catalog = 0;
  std::int64_t next_heartbeat = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      const std::int64_t now = unix_ms();
      const std::int64_t due = std::min(next_catalog, next_heartbeat);
      if (!stopping_ && !sync_requested_ && !heartbeat_requested_ && due > now) {
        wake_.wait_for(lock, std::chrono::milliseconds(due - now),
                       [this] { return stopping_ || sync_requested_ || heartbeat_requested_; });
      }
      if (stopping_) return;
      if (heartbeat_requested_) {
        heartbeat_requested_ = false;
        next_heartbeat = 0;
      }
      if (sync_requested_) {
        sync_requested_ = false;
        next_catalog = 0;
      }
    }
    const std::int64_t now = unix_ms();
    if (now >= next_catalog) {
      sync_catalog();
      // A failed sync retries sooner than the normal period, but not in a tight loop.
      const bool ok = status().reachable;
      next_catalog = unix_ms() + (ok ? settings_.catalog_poll_s * 1000LL : std::min(settings_.catalog_poll_s, 30) * 1000LL);
    }
    if (now >= next_heartbeat) {
      send_heartbeat();
      next_heartbeat = unix_ms() + settings_.heartbeat_s * 1000LL;
    }
  }
}

void Channel::sync_catalog() {
  auto cached_version = cache_->version();
  const std::string version = cached_version ? cached_version.release_value() : std::string();
  const bool synced_before = status().catalog_synced_at != 0;
  HttpRequest request;
  request.path = "/api/v1/catalog?region=" + settings_.region;
  // Factory data is not the platform's version: ask for everything the first time.
  if (!version.empty() && synced_before) {
    request.path += "&since=" + version;
    request.headers["If-None-Match"] = "\"" + version + "\"";
  }
  auto answer = sync_client_->exchange(request, stop_token_);
  record(answer);
  if (!answer) {
    if (answer.error().kind != PlatformErrorKind::cancelled) {
      log::warning("platform", "catalog sync failed: " + answer.error().describe());
    }
    publish_status();
    return;
  }
  if (answer.value().status == 304) {
    (void)cache_->touch(unix_ms());
    std::lock_guard lock(mutex_);
    status_.catalog_synced_at = unix_ms();
  } else {
    auto applied = cache_->apply(answer.value().body, unix_ms());
    if (!applied) {
      log::error("platform", "catalog answer refused, keeping the cached catalog: " + applied.error().message);
      {
        std::lock_guard lock(mutex_);
        status_.last_error = "bad catalog answer: " + applied.error().message;
      }
      publish_status();
      return;
    }
    log::info("platform", "catalog " + applied.value().catalog.version + " cached (" +
                              std::to_string(applied.value().catalog.items.size()) + " items)");
    {
      std::lock_guard lock(mutex_);
      status_.catalog_synced_at = applied.value().synced_at;
      status_.catalog_version = applied.value().catalog.version;
    }
    if (listeners_.catalog) listeners_.catalog(applied.value());
  }
  publish_status();
}

void Channel::send_heartbeat() {
  nlohmann::json body = listeners_.heartbeat_body ? listeners_.heartbeat_body() : nlohmann::json::object();
  const ChannelStatus now = status();
  body["catalog_version"] = now.catalog_version;
  body["outbox"] = {{"depth", now.outbox.pending},
                    {"oldest_age_s", now.outbox.oldest_pending_created_at == 0
                                         ? 0
                                         : (unix_ms() - now.outbox.oldest_pending_created_at) / 1000}};
  HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/heartbeat";
  request.body = body.dump();
  auto answer = sync_client_->exchange(request, stop_token_);
  record(answer);
  if (answer) {
    if (auto parsed = parse_heartbeat_answer(answer.value().body); parsed) {
      settings_.heartbeat_s = parsed.value().heartbeat_s;
      settings_.catalog_poll_s = parsed.value().catalog_poll_s;
    }
  }
  publish_status();
}

void Channel::record(const PlatformResult<HttpResponse>& result) {
  std::lock_guard lock(mutex_);
  if (result) {
    status_.reachable = true;
    status_.last_error.clear();
    if (result.value().server_time) {
      const std::int64_t skew = *result.value().server_time - unix_ms() / 1000;
      // Certificates and promised dates go wrong on a terminal whose clock is far off: say so once.
      if (std::abs(skew) > 300 && (!status_.clock_skew_s || std::abs(*status_.clock_skew_s) <= 300)) {
        log::warning("platform", "terminal clock differs from the platform's by " + std::to_string(skew) + " s");
      }
      status_.clock_skew_s = skew;
    }
  } else if (result.error().kind != PlatformErrorKind::cancelled) {
    // An HTTP error is still an answer: the platform is there.
    status_.reachable = result.error().kind == PlatformErrorKind::http;
    status_.last_error = result.error().describe();
  }
}

void Channel::note_outcome(const PlatformError* error) {
  std::optional<tls::ConfigFault> was;
  std::optional<tls::ConfigFault> now;
  {
    std::lock_guard lock(mutex_);
    was = status_.config_fault;
    if (error == nullptr) {
      status_.config_fault.reset();  // a request worked: whatever was wrong is fixed
    } else if (error->config_fault) {
      status_.config_fault = error->config_fault;
    }  // an outage says nothing about the configuration: keep what we know
    now = status_.config_fault;
  }
  if (was == now) return;
  if (now) {
    // One record per fault (not per retry), naming the field to fix; docs/operations.md "Log events".
    log::event(log::Level::error, "platform", log::message_id::kPlatformConfigFault,
               "platform channel misconfigured, online submission paused: " + now->describe(),
               {{"KIOSK_CONFIG_FIELD", now->field}});
  } else {
    log::info("platform", "platform channel works again (the fault in " + was->field + " is gone)");
  }
  publish_status();
}

void Channel::publish_status() {
  if (auto stats = outbox_->stats(); stats) {
    std::lock_guard lock(mutex_);
    status_.outbox = stats.value();
  }
  if (listeners_.status) listeners_.status(status());
}

ChannelStatus Channel::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

outbox::OutboxResult<outbox::Entry> Channel::submit(outbox::Kind kind, const nlohmann::json& body) {
  auto key = outbox::new_idempotency_key(crypto_);
  if (!key) return outbox::OutboxError{outbox::OutboxErrorKind::crypto, key.error().message};
  auto entry = outbox_->enqueue(kind, key.value(), body.dump(), unix_ms());
  if (entry && sender_) sender_->kick();
  publish_status();
  return entry;
}

void Channel::call(HttpRequest request, CancelToken cancel, std::function<void(PlatformResult<HttpResponse>)> done) {
  if (!configured_) {
    PlatformError error;
    error.kind = PlatformErrorKind::config;
    error.message = "no platform configured";
    done(error);
    return;
  }
  if (!call_worker_) {
    PlatformError error;
    error.kind = PlatformErrorKind::cancelled;
    error.message = "the platform channel is stopped";
    done(error);
    return;
  }
  call_worker_->post([this, request = std::move(request), cancel, done = std::move(done)] {
    auto answer = call_client_->exchange(request, cancel, &stop_token_);
    record(answer);
    done(std::move(answer));
  });
}

void Channel::sync_now() {
  {
    std::lock_guard lock(mutex_);
    sync_requested_ = true;
  }
  wake_.notify_all();
}

void Channel::heartbeat_now() {
  {
    std::lock_guard lock(mutex_);
    heartbeat_requested_ = true;
  }
  wake_.notify_all();
}

void Channel::retry_outbox_now() {
  (void)outbox_->retry_now(unix_ms());
  if (sender_) sender_->kick();
}

}  // namespace kiosk::platform
