#pragma once
// The terminal's copy of the platform's catalog, in SQLite, so browsing and guides work with the
// platform down. The platform sends the catalog whole or as changes since a version
// (docs/platform-api.md, "Catalog"); the cache applies either in one transaction, and only if
// the result still parses as a catalog — a bad answer never replaces good data.
//
// First boot: a terminal image ships a factory snapshot (assets/catalog/items.json), imported
// when the cache is empty and marked as never synced.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "kiosk/catalog/catalog.h"
#include "kiosk/core/result.h"

struct sqlite3;

namespace kiosk::platform {

struct CachedCatalog {
  catalog::Catalog catalog;
  std::int64_t synced_at = 0;  // Unix ms of the last answer from the platform; 0 = factory data
};

class CatalogCache {
 public:
  static Result<std::unique_ptr<CatalogCache>> open(const std::filesystem::path& path);
  ~CatalogCache();
  CatalogCache(const CatalogCache&) = delete;
  CatalogCache& operator=(const CatalogCache&) = delete;

  // True when nothing is cached yet.
  Result<bool> empty() const;
  // Imports a catalog file (the factory snapshot) as unsynced data, if the cache is empty.
  Status seed(std::string_view catalog_json);
  // Applies the platform's answer (full or changes) and records `now_ms` as the sync time.
  // Returns the catalog now cached.
  Result<CachedCatalog> apply(std::string_view answer_json, std::int64_t now_ms);
  // The platform said "not modified": the data is current as of `now_ms`.
  Status touch(std::int64_t now_ms);
  Result<CachedCatalog> load() const;
  // The cached version ("" when empty), sent as `since` and If-None-Match.
  Result<std::string> version() const;
  // When the platform last answered (Unix ms; 0 = factory data or empty). Cheap: no parse.
  Result<std::int64_t> synced_at() const;

 private:
  explicit CatalogCache(sqlite3* db) : db_(db) {}
  Result<CachedCatalog> store(std::string_view json, bool synced, std::int64_t now_ms);
  Result<std::string> assemble() const;  // the cached catalog as one JSON document
  Result<CachedCatalog> load_locked() const;

  sqlite3* db_;
  mutable std::mutex mutex_;
};

}  // namespace kiosk::platform
