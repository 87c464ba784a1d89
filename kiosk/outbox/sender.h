#pragma once
// Delivers the outbox to the platform, in order, on its own thread: takes the oldest pending row,
// POSTs it with its idempotency key, and marks it delivered (purging the personal data), retries
// it later with backoff (honouring Retry-After), or — when the platform refuses it for good —
// sets it aside for staff and moves on. A crash at any point is safe: the row stays pending until
// the platform's answer is committed, and the platform answers a repeated key with the stored
// result, so nothing is lost and nothing is filed twice.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "kiosk/outbox/outbox.h"
#include "kiosk/platform/backoff.h"
#include "kiosk/platform/http_client.h"

namespace kiosk::outbox {

// What the sender is doing, for the status bar, technician mode and metrics. No personal data.
struct SenderStatus {
  bool platform_reachable = true;  // false after a transport failure until the next success
  std::string last_error;          // PlatformError::describe() of the last failure
  long delivered = 0;              // rows delivered since start
  long attempts = 0;               // requests sent since start
};

class Sender {
 public:
  struct Options {
    platform::BackoffPolicy backoff;
    std::function<std::int64_t()> unix_ms;  // wall clock in ms (tests may pass their own)
    Milliseconds idle_poll = 60000;         // look at the outbox at least this often
  };
  // Called on the sender thread after a row is delivered, and whenever the status changes. Must
  // not block: post to the UI thread.
  using DeliveredListener = std::function<void(const Entry& entry)>;
  using StatusListener = std::function<void(const SenderStatus& status)>;

  Sender(Outbox& outbox, std::unique_ptr<platform::HttpClient> client, Options options,
         DeliveredListener on_delivered = nullptr, StatusListener on_status = nullptr);
  ~Sender();  // stops: cancels a request in flight, joins
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void start();
  void stop();
  // Something was enqueued, or a technician pressed "retry now": look again at once.
  void kick();
  SenderStatus status() const;
  platform::HttpClient& client() { return *client_; }

 private:
  void run();
  // Sends one row; returns false if the sender should wait before the next.
  bool deliver(const Entry& entry);
  void wait_for(Milliseconds delay);
  void update_status(const std::function<void(SenderStatus&)>& change);

  Outbox& outbox_;
  std::unique_ptr<platform::HttpClient> client_;
  Options options_;
  DeliveredListener on_delivered_;
  StatusListener on_status_;
  std::mt19937_64 random_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool kicked_ = false;
  bool stopping_ = false;
  SenderStatus status_;
  CancelToken cancel_;
  std::thread thread_;
};

}  // namespace kiosk::outbox
