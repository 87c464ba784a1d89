#include "kiosk/outbox/sender.h"

#include <chrono>

#include "kiosk/core/log.h"
#include "kiosk/platform/messages.h"

namespace kiosk::outbox {

Sender::Sender(Outbox& outbox, std::unique_ptr<platform::HttpClient> client, Options options,
               DeliveredListener on_delivered, StatusListener on_status)
    : outbox_(outbox),
      client_(std::move(client)),
      options_(std::move(options)),
      on_delivered_(std::move(on_delivered)),
      on_status_(std::move(on_status)),
      random_(std::random_device{}()) {
  if (!options_.unix_ms) {
    options_.unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
}

Sender::~Sender() { stop(); }

void Sender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  cancel_ = CancelToken();
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_.cancel();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::kick() {
  {
    std::lock_guard lock(mutex_);
    kicked_ = true;
  }
  wake_.notify_all();
}

SenderStatus Sender::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Sender::update_status(const std::function<void(SenderStatus&)>& change) {
  SenderStatus copy;
  {
    std::lock_guard lock(mutex_);
    SenderStatus before = status_;
    change(status_);
    if (before.platform_reachable == status_.platform_reachable && before.last_error == status_.last_error &&
        before.delivered == status_.delivered) {
      return;
    }
    copy = status_;
  }
  if (on_status_) on_status_(copy);
}

void Sender::wait_for(Milliseconds delay) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, std::chrono::milliseconds(delay), [this] { return stopping_ || kicked_; });
  kicked_ = false;
}

void Sender::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      kicked_ = false;
    }
    auto next = outbox_.take_next();
    if (!next) {
      log::error("outbox", next.error().message);
      // A row that does not open has been set aside: go on with the next. A disk error: wait.
      if (next.error().kind != OutboxErrorKind::crypto) wait_for(5000);
      continue;
    }
    if (!next.value()) {
      wait_for(options_.idle_poll);
      continue;
    }
    const Entry& entry = *next.value();
    const std::int64_t now = options_.unix_ms();
    if (entry.next_attempt_at > now) {
      wait_for(entry.next_attempt_at - now);  // strictly in order: later rows wait behind it
      continue;
    }
    if (!deliver(entry)) continue;
  }
}

bool Sender::deliver(const Entry& entry) {
  platform::HttpRequest request;
  request.method = "POST";
  request.path = endpoint(entry.kind);
  request.headers["Idempotency-Key"] = entry.idempotency_key;
  request.body = entry.payload;
  update_status([](SenderStatus& status) { ++status.attempts; });
  auto answer = client_->exchange(request, cancel_);
  const std::string row = "row " + std::to_string(entry.id) + " (" + to_string(entry.kind) + ")";

  std::string reference;
  bool delivered = false;
  if (answer) {
    auto parsed = platform::parse_submit_answer(answer.value().body, reference_field(entry.kind));
    if (parsed) {
      reference = parsed.value().reference;
      delivered = true;
    } else {
      platform::PlatformError error;
      error.kind = platform::PlatformErrorKind::bad_response;
      error.message = parsed.error().message;
      error.retryable = true;
      answer = error;
    }
  } else if (answer.error().kind == platform::PlatformErrorKind::http && answer.error().code == "already_rated") {
    reference = "already_rated";  // one rating per case and channel: the platform has ours
    delivered = true;
  }

  if (delivered) {
    if (auto marked = outbox_.mark_delivered(entry.id, reference, options_.unix_ms()); !marked) {
      log::error("outbox", marked.error().message);
      wait_for(1000);
      return false;
    }
    log::info("outbox", row + " delivered");
    update_status([](SenderStatus& status) {
      status.platform_reachable = true;
      status.last_error.clear();
      ++status.delivered;
    });
    if (on_delivered_) {
      Entry done = entry;
      done.payload.clear();
      done.state = State::delivered;
      done.reference = reference;
      on_delivered_(done);
    }
    return true;
  }

  const platform::PlatformError& error = answer.error();
  if (error.kind == platform::PlatformErrorKind::cancelled) return false;
  const bool transport = error.kind != platform::PlatformErrorKind::http;
  update_status([&](SenderStatus& status) {
    status.platform_reachable = !transport;
    status.last_error = error.describe();
  });
  if (!error.retryable) {
    log::error("outbox", row + " refused for good, kept for staff: " + error.describe());
    if (auto marked = outbox_.mark_dead(entry.id, error.describe()); !marked) log::error("outbox", marked.error().message);
    return true;
  }
  const Milliseconds delay = platform::backoff_delay(options_.backoff, entry.attempts + 1, error.retry_after, random_);
  log::warning("outbox", row + " will be retried in " + std::to_string(delay) + " ms: " + error.describe());
  if (auto marked = outbox_.mark_retry(entry.id, error.describe(), options_.unix_ms() + delay); !marked) {
    log::error("outbox", marked.error().message);
  }
  return false;
}

}  // namespace kiosk::outbox
