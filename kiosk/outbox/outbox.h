#pragma once
// The outbox: everything a citizen "submits" (cases, ratings, print reports) is committed here —
// durably, sealed, with its idempotency key — before the screen may say "submitted". A sender
// (outbox_sender.h) delivers the rows in order; when the platform acknowledges a row, its
// personal data is purged and only the receipt, the key and the platform's reference stay.
//
// Storage: SQLite in WAL mode with synchronous=FULL (a commit survives a power cut) and
// secure_delete (freed pages are zeroed). Payloads are sealed with AES-256-GCM (kiosk/crypto),
// bound to their row by the key and kind as associated data. One Outbox may be used from several
// threads (calls are serialised); several processes must not open the same file.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/crypto/crypto.h"

struct sqlite3;

namespace kiosk::outbox {

enum class Kind { case_submission, rating, print_report };
const char* to_string(Kind kind);
// The platform endpoint of a kind ("/api/v1/cases") and the field of its answer that names what
// was created ("case_number").
const char* endpoint(Kind kind);
const char* reference_field(Kind kind);

enum class State { pending, delivered, dead };
const char* to_string(State state);

// The typed errors of the outbox. disk_full and io mean "could not commit: nothing was stored".
enum class OutboxErrorKind { disk_full, io, corrupt, crypto, not_found, invalid };
struct OutboxError {
  OutboxErrorKind kind = OutboxErrorKind::io;
  std::string message;  // technical; no personal data
};
template <typename T>
using OutboxResult = Result<T, OutboxError>;
using OutboxStatus = Result<void, OutboxError>;

// A committed row. `payload` is only filled by take_next() (opened) for the sender.
struct Entry {
  std::int64_t id = 0;
  Kind kind = Kind::case_submission;
  std::string idempotency_key;
  std::string local_receipt;    // shown to the citizen at once, e.g. "L0001-000042"
  std::int64_t created_at = 0;  // Unix ms
  State state = State::pending;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;  // Unix ms
  std::string last_error;
  std::string reference;        // the platform's case number / rating id / print id once delivered
  std::string payload;          // JSON body (opened), only from take_next()
};

struct Stats {
  int pending = 0;
  int delivered = 0;
  int dead = 0;
  std::int64_t oldest_pending_created_at = 0;  // Unix ms; 0 when nothing is pending
};

struct OutboxOptions {
  std::filesystem::path path;        // the database file
  crypto::SealKey key;               // from the root-only key file
  std::string receipt_prefix = "L";  // + terminal serial: "L0001"
  std::int64_t max_pages = 0;        // PRAGMA max_page_count when > 0 (tests make the disk "full")
};

class Outbox {
 public:
  static OutboxResult<std::unique_ptr<Outbox>> open(OutboxOptions options, crypto::Crypto& crypto);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Commits a new row durably and returns it (with its local receipt number). `body` is the JSON
  // the platform will receive; for cases "local_receipt" is set in it. `now_ms` is Unix ms.
  OutboxResult<Entry> enqueue(Kind kind, const std::string& idempotency_key, const std::string& body,
                              std::int64_t now_ms);

  // The first pending row in order (lowest id), opened, whatever its next_attempt_at; nullopt when
  // nothing is pending. The sender waits until next_attempt_at itself, so order is kept. A row
  // that does not open (damaged, another key) is set aside as dead and reported as a crypto error.
  OutboxResult<std::optional<Entry>> take_next();

  // The platform acknowledged: purge the payload, keep the reference.
  OutboxStatus mark_delivered(std::int64_t id, const std::string& reference, std::int64_t now_ms);
  // A retryable failure: count it, remember why, and when to try again.
  OutboxStatus mark_retry(std::int64_t id, const std::string& error, std::int64_t next_attempt_at);
  // A final refusal (the platform said no for good): kept sealed for staff, no longer sent.
  OutboxStatus mark_dead(std::int64_t id, const std::string& error);
  // Technician "retry now": every pending row is due at once.
  OutboxStatus retry_now(std::int64_t now_ms);

  OutboxResult<Entry> find(std::int64_t id) const;  // without payload
  OutboxResult<std::optional<Entry>> find_by_receipt(const std::string& local_receipt) const;
  OutboxResult<Stats> stats() const;
  OutboxResult<std::vector<Entry>> list(int limit) const;  // newest first, without payloads
  // PRAGMA integrity_check == "ok".
  OutboxResult<bool> integrity_ok() const;

 private:
  Outbox(sqlite3* db, OutboxOptions options, crypto::Crypto& crypto);
  OutboxStatus exec(const char* sql) const;

  sqlite3* db_;
  OutboxOptions options_;
  crypto::Crypto& crypto_;
  mutable std::mutex mutex_;
};

// A fresh idempotency key: 32 hex characters of randomness (the contract's 16–64 [A-Za-z0-9_-]).
Result<std::string> new_idempotency_key(crypto::Crypto& crypto);

}  // namespace kiosk::outbox
