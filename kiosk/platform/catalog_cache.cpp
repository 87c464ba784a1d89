#include "kiosk/platform/catalog_cache.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "kiosk/core/sqlite.h"

namespace kiosk::platform {
namespace {

using nlohmann::json;
using sqlite::Statement;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS items (code TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// Catalog-wide lists the platform sends with the items; each replaces the cached one when present.
constexpr const char* kLists[] = {"categories", "packages", "rating_reasons", "queue_categories"};

Error db_error(sqlite3* db, const char* what) {
  return Error::make(ErrorKind::io, std::string("catalog cache: ") + what + ": " + sqlite3_errmsg(db));
}

Status exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return db_error(db, sql);
  return {};
}

Status set_meta(sqlite3* db, std::string_view key, std::string_view value) {
  Statement statement(db, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!statement.prepared()) return db_error(db, "prepare meta");
  statement.bind(1, key);
  statement.bind(2, value);
  if (statement.step() != SQLITE_DONE) return db_error(db, "write meta");
  return {};
}

Result<std::string> get_meta(sqlite3* db, std::string_view key) {
  Statement statement(db, "SELECT value FROM meta WHERE key = ?");
  if (!statement.prepared()) return db_error(db, "prepare meta");
  statement.bind(1, key);
  const int code = statement.step();
  if (code == SQLITE_ROW) return statement.text(0);
  if (code == SQLITE_DONE) return std::string();
  return db_error(db, "read meta");
}

Error answer_error(std::string what) { return Error::make(ErrorKind::parse, "catalog answer: " + std::move(what)); }

}  // namespace

Result<std::unique_ptr<CatalogCache>> CatalogCache::open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    Error error = Error::make(ErrorKind::io, "catalog cache: open " + path.string() + ": " + sqlite3_errmsg(db));
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<CatalogCache> cache(new CatalogCache(db));
  sqlite3_busy_timeout(db, 5000);
  // The cache can always be fetched again: WAL with NORMAL sync is enough (a power cut may lose
  // the last sync, never the database).
  TRY_STATUS(exec(db, "PRAGMA journal_mode=WAL"));
  TRY_STATUS(exec(db, "PRAGMA synchronous=NORMAL"));
  TRY_STATUS(exec(db, kSchema));
  return cache;
}

CatalogCache::~CatalogCache() { sqlite3_close(db_); }

Result<bool> CatalogCache::empty() const {
  std::lock_guard lock(mutex_);
  return TRY(get_meta(db_, "version")).empty();
}

Result<std::string> CatalogCache::version() const {
  std::lock_guard lock(mutex_);
  return get_meta(db_, "version");
}

Result<std::int64_t> CatalogCache::synced_at() const {
  std::lock_guard lock(mutex_);
  const std::string text = TRY(get_meta(db_, "synced_at"));
  return text.empty() ? 0 : std::strtoll(text.c_str(), nullptr, 10);
}

Status CatalogCache::seed(std::string_view catalog_json) {
  if (!TRY(empty())) return {};
  std::lock_guard lock(mutex_);
  TRY(store(catalog_json, /*synced=*/false, 0));
  return {};
}

Result<CachedCatalog> CatalogCache::apply(std::string_view answer_json, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  return store(answer_json, /*synced=*/true, now_ms);
}

Status CatalogCache::touch(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  return set_meta(db_, "synced_at", std::to_string(now_ms));
}

Result<CachedCatalog> CatalogCache::load() const {
  std::lock_guard lock(mutex_);
  return load_locked();
}

Result<CachedCatalog> CatalogCache::load_locked() const {
  const std::string document = TRY(assemble());
  CachedCatalog cached;
  cached.catalog = TRY(catalog::parse_catalog(document));
  const std::string synced = TRY(get_meta(db_, "synced_at"));
  cached.synced_at = synced.empty() ? 0 : std::strtoll(synced.c_str(), nullptr, 10);
  return cached;
}

Result<std::string> CatalogCache::assemble() const {
  json document = json::object();
  const std::string version = TRY(get_meta(db_, "version"));
  if (version.empty()) return Error::make(ErrorKind::not_found, "catalog cache: empty");
  document["version"] = version;
  const std::string region = TRY(get_meta(db_, "region"));
  if (!region.empty()) document["region"] = region;
  for (const char* list : kLists) {
    const std::string text = TRY(get_meta(db_, list));
    if (!text.empty()) document[list] = json::parse(text, nullptr, false);
  }
  json items = json::array();
  Statement select(db_, "SELECT body FROM items ORDER BY position");
  if (!select.prepared()) return db_error(db_, "prepare items");
  int code;
  while ((code = select.step()) == SQLITE_ROW) items.push_back(json::parse(select.text(0), nullptr, false));
  if (code != SQLITE_DONE) return db_error(db_, "read items");
  document["items"] = std::move(items);
  return document.dump();
}

Result<CachedCatalog> CatalogCache::store(std::string_view text, bool synced, std::int64_t now_ms) {
  const json answer = json::parse(text, nullptr, false);
  if (answer.is_discarded()) return answer_error("not valid JSON");
  if (!answer.is_object()) return answer_error("expected an object");
  if (!answer.contains("version") || !answer["version"].is_string() || answer["version"].get<std::string>().empty()) {
    return answer_error("version: missing");
  }
  if (answer.contains("full") && !answer["full"].is_boolean()) return answer_error("full: expected true or false");
  const bool full = answer.value("full", true);
  if (!answer.contains("items") || !answer["items"].is_array()) return answer_error("items: expected an array");
  if (answer.contains("removed") && !answer["removed"].is_array()) return answer_error("removed: expected an array");
  if (!full && TRY(get_meta(db_, "version")).empty()) return answer_error("changes sent but nothing is cached");

  TRY_STATUS(exec(db_, "BEGIN IMMEDIATE"));
  auto fail = [this](Error error) -> Result<CachedCatalog> {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  };
  if (full) {
    if (auto cleared = exec(db_, "DELETE FROM items"); !cleared) return fail(cleared.release_error());
    for (const char* list : kLists) {
      Statement clear(db_, "DELETE FROM meta WHERE key = ?");
      clear.bind(1, std::string_view(list));
      clear.step();
    }
  }
  std::int64_t next_position = 0;
  {
    Statement last(db_, "SELECT COALESCE(MAX(position) + 1, 0) FROM items");
    if (last.step() == SQLITE_ROW) next_position = last.integer(0);
  }
  Statement upsert(db_,
                   "INSERT INTO items(code, position, body) VALUES(?, ?, ?) "
                   "ON CONFLICT(code) DO UPDATE SET body = excluded.body");
  if (!upsert.prepared()) return fail(db_error(db_, "prepare upsert"));
  const json& items = answer["items"];
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object() || !items[i].contains("code") || !items[i]["code"].is_string()) {
      return fail(answer_error("items[" + std::to_string(i) + "].code: missing"));
    }
    upsert.reset();
    upsert.bind(1, items[i]["code"].get<std::string>());
    upsert.bind(2, next_position++);
    upsert.bind(3, items[i].dump());
    if (upsert.step() != SQLITE_DONE) return fail(db_error(db_, "store item"));
  }
  if (answer.contains("removed")) {
    Statement remove(db_, "DELETE FROM items WHERE code = ?");
    for (const json& code : answer["removed"]) {
      if (!code.is_string()) return fail(answer_error("removed: expected item codes"));
      remove.reset();
      remove.bind(1, code.get<std::string>());
      if (remove.step() != SQLITE_DONE) return fail(db_error(db_, "remove item"));
    }
  }
  if (auto done = set_meta(db_, "version", answer["version"].get<std::string>()); !done) return fail(done.release_error());
  if (answer.contains("region") && answer["region"].is_string()) {
    if (auto done = set_meta(db_, "region", answer["region"].get<std::string>()); !done) return fail(done.release_error());
  }
  for (const char* list : kLists) {
    if (!answer.contains(list)) continue;
    if (!answer[list].is_array()) return fail(answer_error(std::string(list) + ": expected an array"));
    if (auto done = set_meta(db_, list, answer[list].dump()); !done) return fail(done.release_error());
  }
  if (auto done = set_meta(db_, "synced_at", synced ? std::to_string(now_ms) : ""); !done) return fail(done.release_error());
  // Only a result that parses as a catalog is kept: a bad answer leaves the old data in place.
  auto loaded = load_locked();
  if (!loaded) return fail(loaded.release_error());
  if (auto done = exec(db_, "COMMIT"); !done) return fail(done.release_error());
  return loaded;
}

}  // namespace kiosk::platform
