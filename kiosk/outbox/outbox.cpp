#include "kiosk/outbox/outbox.h"

#include "kiosk/core/sqlite.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace kiosk::outbox {
namespace {

OutboxError make_error(OutboxErrorKind kind, std::string message) { return OutboxError{kind, std::move(message)}; }

OutboxError sqlite_error(sqlite3* db, int code, const char* what) {
  const int primary = code & 0xFF;
  const OutboxErrorKind kind = primary == SQLITE_FULL                               ? OutboxErrorKind::disk_full
                               : primary == SQLITE_CONSTRAINT                        ? OutboxErrorKind::invalid
                               : (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) ? OutboxErrorKind::corrupt
                                                                                     : OutboxErrorKind::io;
  return make_error(kind, std::string("outbox: ") + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
}

using sqlite::Statement;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  local_receipt TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  payload BLOB,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(state, id);
CREATE INDEX IF NOT EXISTS outbox_receipt ON outbox(local_receipt);
)sql";

constexpr const char* kColumns =
    "id, kind, idempotency_key, local_receipt, created_at, state, attempts, next_attempt_at, last_error, reference";

std::optional<Kind> kind_from(const std::string& text) {
  if (text == "case") return Kind::case_submission;
  if (text == "rating") return Kind::rating;
  if (text == "print") return Kind::print_report;
  return std::nullopt;
}

State state_from(const std::string& text) {
  if (text == "delivered") return State::delivered;
  if (text == "dead") return State::dead;
  return State::pending;
}

Entry read_entry(const Statement& row) {
  Entry entry;
  entry.id = row.integer(0);
  entry.kind = kind_from(row.text(1)).value_or(Kind::case_submission);
  entry.idempotency_key = row.text(2);
  entry.local_receipt = row.text(3);
  entry.created_at = row.integer(4);
  entry.state = state_from(row.text(5));
  entry.attempts = static_cast<int>(row.integer(6));
  entry.next_attempt_at = row.integer(7);
  entry.last_error = row.text(8);
  entry.reference = row.text(9);
  return entry;
}

// Associated data of a sealed payload: a row's payload cannot be moved to another row or kind.
std::string aad_of(Kind kind, const std::string& key) { return std::string(to_string(kind)) + "|" + key; }

}  // namespace

const char* to_string(Kind kind) {
  switch (kind) {
    case Kind::case_submission: return "case";
    case Kind::rating: return "rating";
    case Kind::print_report: return "print";
  }
  return "case";
}

const char* endpoint(Kind kind) {
  switch (kind) {
    case Kind::case_submission: return "/api/v1/cases";
    case Kind::rating: return "/api/v1/ratings";
    case Kind::print_report: return "/api/v1/prints";
  }
  return "/api/v1/cases";
}

const char* reference_field(Kind kind) {
  switch (kind) {
    case Kind::case_submission: return "case_number";
    case Kind::rating: return "rating_id";
    case Kind::print_report: return "print_id";
  }
  return "case_number";
}

const char* to_string(State state) {
  switch (state) {
    case State::pending: return "pending";
    case State::delivered: return "delivered";
    case State::dead: return "dead";
  }
  return "pending";
}

OutboxResult<std::unique_ptr<Outbox>> Outbox::open(OutboxOptions options, crypto::Crypto& crypto) {
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(options.path.c_str(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (code != SQLITE_OK) {
    OutboxError error = sqlite_error(db, code, ("open " + options.path.string()).c_str());
    sqlite3_close(db);
    return error;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<Outbox> outbox(new Outbox(db, std::move(options), crypto));
  // WAL + FULL: a commit is on disk when it returns, through a power cut; secure_delete zeroes
  // purged payloads in the file instead of leaving them in free pages.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA secure_delete=ON",
                             "PRAGMA foreign_keys=ON"}) {
    Statement statement(db, pragma);
    if (!statement.prepared() || (statement.step() != SQLITE_ROW && statement.code() != SQLITE_DONE)) {
      return sqlite_error(db, statement.code(), pragma);
    }
  }
  if (outbox->options_.max_pages > 0) {
    const std::string pragma = "PRAGMA max_page_count=" + std::to_string(outbox->options_.max_pages);
    TRY_STATUS(outbox->exec(pragma.c_str()));
  }
  TRY_STATUS(outbox->exec(kSchema));
  Statement check(db, "PRAGMA quick_check");
  if (!check.prepared() || check.step() != SQLITE_ROW || check.text(0) != "ok") {
    return make_error(OutboxErrorKind::corrupt, "outbox: quick_check failed: " + (check.prepared() ? check.text(0) : ""));
  }
  return outbox;
}

Outbox::Outbox(sqlite3* db, OutboxOptions options, crypto::Crypto& crypto)
    : db_(db), options_(std::move(options)), crypto_(crypto) {}

Outbox::~Outbox() { sqlite3_close(db_); }

OutboxStatus Outbox::exec(const char* sql) const {
  char* message = nullptr;
  const int code = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    const std::string text = message ? message : sqlite3_errstr(code);
    sqlite3_free(message);
    OutboxError error = sqlite_error(nullptr, code, "exec");
    error.message = "outbox: " + text;
    return error;
  }
  return {};
}

OutboxResult<Entry> Outbox::enqueue(Kind kind, const std::string& idempotency_key, const std::string& body,
                                    std::int64_t now_ms) {
  nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
  if (!document.is_object()) return make_error(OutboxErrorKind::invalid, "outbox: the body must be a JSON object");
  if (idempotency_key.size() < 16 || idempotency_key.size() > 64) {
    return make_error(OutboxErrorKind::invalid, "outbox: idempotency key must be 16-64 characters");
  }
  std::lock_guard lock(mutex_);
  TRY_STATUS(exec("BEGIN IMMEDIATE"));
  auto rollback = [this](OutboxError error) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  };
  Entry entry;
  entry.kind = kind;
  entry.idempotency_key = idempotency_key;
  entry.created_at = now_ms;
  entry.next_attempt_at = now_ms;
  {
    Statement insert(db_, "INSERT INTO outbox(kind, idempotency_key, created_at, next_attempt_at) VALUES(?, ?, ?, ?)");
    if (!insert.prepared()) return rollback(sqlite_error(db_, insert.code(), "prepare insert"));
    insert.bind(1, std::string(to_string(kind)));
    insert.bind(2, idempotency_key);
    insert.bind(3, now_ms);
    insert.bind(4, now_ms);
    if (insert.step() != SQLITE_DONE) return rollback(sqlite_error(db_, insert.code(), "insert"));
  }
  entry.id = sqlite3_last_insert_rowid(db_);
  char receipt[48];
  std::snprintf(receipt, sizeof receipt, "%s-%06lld", options_.receipt_prefix.c_str(), static_cast<long long>(entry.id));
  entry.local_receipt = receipt;
  if (kind == Kind::case_submission) document["local_receipt"] = entry.local_receipt;
  const std::string plain = document.dump();
  auto sealed = crypto_.seal(options_.key, crypto::as_bytes(plain), crypto::as_bytes(aad_of(kind, idempotency_key)));
  if (!sealed) return rollback(make_error(OutboxErrorKind::crypto, "outbox: seal: " + sealed.error().message));
  {
    Statement update(db_, "UPDATE outbox SET local_receipt = ?, payload = ? WHERE id = ?");
    if (!update.prepared()) return rollback(sqlite_error(db_, update.code(), "prepare update"));
    update.bind(1, entry.local_receipt);
    update.bind_blob(2, sealed.value());
    update.bind(3, entry.id);
    if (update.step() != SQLITE_DONE) return rollback(sqlite_error(db_, update.code(), "store payload"));
  }
  const int code = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return rollback(sqlite_error(db_, code, "commit"));
  return entry;
}

OutboxResult<std::optional<Entry>> Outbox::take_next() {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string("SELECT ") + kColumns + ", payload FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 1";
  Statement select(db_, sql.c_str());
  if (!select.prepared()) return sqlite_error(db_, select.code(), "prepare select");
  const int code = select.step();
  if (code == SQLITE_DONE) return std::optional<Entry>();
  if (code != SQLITE_ROW) return sqlite_error(db_, code, "select next");
  Entry entry = read_entry(select);
  const auto sealed = select.blob(10);
  auto opened = crypto_.open(options_.key, sealed, crypto::as_bytes(aad_of(entry.kind, entry.idempotency_key)));
  if (!opened) {
    // Damaged, or sealed under another key: it can never be sent as it is. Set it aside for staff
    // (still sealed) so the rows behind it are not held up for ever.
    const std::string message = "outbox: row " + std::to_string(entry.id) + " does not open: " + opened.error().message;
    Statement aside(db_, "UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?");
    aside.bind(1, std::string_view("does not open (damaged, or another seal key)"));
    aside.bind(2, entry.id);
    aside.step();
    return make_error(OutboxErrorKind::crypto, message);
  }
  entry.payload.assign(opened.value().begin(), opened.value().end());
  return std::optional<Entry>(std::move(entry));
}

OutboxStatus Outbox::mark_delivered(std::int64_t id, const std::string& reference, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement update(db_,
                   "UPDATE outbox SET state = 'delivered', payload = NULL, reference = ?, delivered_at = ?, "
                   "last_error = '' WHERE id = ? AND state = 'pending'");
  if (!update.prepared()) return sqlite_error(db_, update.code(), "prepare delivered");
  update.bind(1, reference);
  update.bind(2, now_ms);
  update.bind(3, id);
  if (update.step() != SQLITE_DONE) return sqlite_error(db_, update.code(), "mark delivered");
  if (sqlite3_changes(db_) != 1) return make_error(OutboxErrorKind::not_found, "outbox: no pending row " + std::to_string(id));
  return {};
}

OutboxStatus Outbox::mark_retry(std::int64_t id, const std::string& error, std::int64_t next_attempt_at) {
  std::lock_guard lock(mutex_);
  Statement update(db_,
                   "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? "
                   "WHERE id = ? AND state = 'pending'");
  if (!update.prepared()) return sqlite_error(db_, update.code(), "prepare retry");
  update.bind(1, error);
  update.bind(2, next_attempt_at);
  update.bind(3, id);
  if (update.step() != SQLITE_DONE) return sqlite_error(db_, update.code(), "mark retry");
  if (sqlite3_changes(db_) != 1) return make_error(OutboxErrorKind::not_found, "outbox: no pending row " + std::to_string(id));
  return {};
}

OutboxStatus Outbox::mark_dead(std::int64_t id, const std::string& error) {
  std::lock_guard lock(mutex_);
  Statement update(db_,
                   "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? "
                   "WHERE id = ? AND state = 'pending'");
  if (!update.prepared()) return sqlite_error(db_, update.code(), "prepare dead");
  update.bind(1, error);
  update.bind(2, id);
  if (update.step() != SQLITE_DONE) return sqlite_error(db_, update.code(), "mark dead");
  if (sqlite3_changes(db_) != 1) return make_error(OutboxErrorKind::not_found, "outbox: no pending row " + std::to_string(id));
  return {};
}

OutboxStatus Outbox::retry_now(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Statement update(db_, "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending'");
  if (!update.prepared()) return sqlite_error(db_, update.code(), "prepare retry_now");
  update.bind(1, now_ms);
  if (update.step() != SQLITE_DONE) return sqlite_error(db_, update.code(), "retry now");
  return {};
}

OutboxResult<Entry> Outbox::find(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string("SELECT ") + kColumns + " FROM outbox WHERE id = ?";
  Statement select(db_, sql.c_str());
  if (!select.prepared()) return sqlite_error(db_, select.code(), "prepare find");
  select.bind(1, id);
  const int code = select.step();
  if (code == SQLITE_DONE) return make_error(OutboxErrorKind::not_found, "outbox: no row " + std::to_string(id));
  if (code != SQLITE_ROW) return sqlite_error(db_, code, "find");
  return read_entry(select);
}

OutboxResult<std::optional<Entry>> Outbox::find_by_receipt(const std::string& local_receipt) const {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string("SELECT ") + kColumns + " FROM outbox WHERE local_receipt = ?";
  Statement select(db_, sql.c_str());
  if (!select.prepared()) return sqlite_error(db_, select.code(), "prepare find");
  select.bind(1, local_receipt);
  const int code = select.step();
  if (code == SQLITE_DONE) return std::optional<Entry>();
  if (code != SQLITE_ROW) return sqlite_error(db_, code, "find by receipt");
  return std::optional<Entry>(read_entry(select));
}

OutboxResult<Stats> Outbox::stats() const {
  std::lock_guard lock(mutex_);
  Statement select(db_,
                   "SELECT state, COUNT(*), MIN(CASE WHEN state = 'pending' THEN created_at END) FROM outbox GROUP BY state");
  if (!select.prepared()) return sqlite_error(db_, select.code(), "prepare stats");
  Stats stats;
  int code;
  while ((code = select.step()) == SQLITE_ROW) {
    const std::string state = select.text(0);
    const int count = static_cast<int>(select.integer(1));
    if (state == "pending") {
      stats.pending = count;
      stats.oldest_pending_created_at = select.integer(2);
    } else if (state == "delivered") {
      stats.delivered = count;
    } else {
      stats.dead = count;
    }
  }
  if (code != SQLITE_DONE) return sqlite_error(db_, code, "stats");
  return stats;
}

OutboxResult<std::vector<Entry>> Outbox::list(int limit) const {
  std::lock_guard lock(mutex_);
  const std::string sql = std::string("SELECT ") + kColumns + " FROM outbox ORDER BY id DESC LIMIT ?";
  Statement select(db_, sql.c_str());
  if (!select.prepared()) return sqlite_error(db_, select.code(), "prepare list");
  select.bind(1, static_cast<std::int64_t>(limit));
  std::vector<Entry> out;
  int code;
  while ((code = select.step()) == SQLITE_ROW) out.push_back(read_entry(select));
  if (code != SQLITE_DONE) return sqlite_error(db_, code, "list");
  return out;
}

OutboxResult<bool> Outbox::integrity_ok() const {
  std::lock_guard lock(mutex_);
  Statement check(db_, "PRAGMA integrity_check");
  if (!check.prepared()) return sqlite_error(db_, check.code(), "prepare integrity_check");
  if (check.step() != SQLITE_ROW) return sqlite_error(db_, check.code(), "integrity_check");
  return check.text(0) == "ok";
}

Result<std::string> new_idempotency_key(crypto::Crypto& crypto) {
  auto random = crypto.random_bytes(16);
  if (!random) return random.release_error();
  return crypto::to_hex(random.value());
}

}  // namespace kiosk::outbox
