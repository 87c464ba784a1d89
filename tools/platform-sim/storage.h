#pragma once
// The simulator's persistent state in SQLite: the schema, first-start seeding (catalog file,
// sample identities, licences and cases), terminals from the PKI folder, and the catalog with
// its revisions. Every function here expects the caller to hold Database::lock() or to run inside
// Database::transaction().

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"
#include "tools/platform-sim/database.h"

namespace platform_sim {

struct SeedSources {
  std::filesystem::path catalog_file;    // assets/catalog/items.json
  std::filesystem::path identities_dir;  // assets/identities
};

// Creates missing tables and forgets requests that were in flight when the process died (their
// clients retry). Safe on every start.
kiosk::Status prepare_schema(Database& db);
// On a database that was never seeded, loads the catalog, identities, licences and cases.
kiosk::Status seed_if_new(Database& db, const SeedSources& sources);
// Registers every DIR/terminals/<id>.crt as an active terminal unless already known, and marks
// the ids listed in DIR/revoked as revoked.
kiosk::Status import_terminals(Database& db, const std::filesystem::path& pki_dir, const std::string& region,
                               const std::string& hall);

// A named counter that survives restarts (case numbers, rating ids …).
std::int64_t next_sequence(Database& db, std::string_view name);

struct Terminal {
  std::string id, region, hall;
  bool revoked = false;
};
std::optional<Terminal> find_terminal(Database& db, const std::string& id);
void upsert_terminal(Database& db, const std::string& id, const std::optional<std::string>& region,
                     const std::optional<std::string>& hall, bool revoked);

// The catalog version "<base>-<revision, 4 digits>", e.g. "2026.11.20-sample-0001".
std::string catalog_version(Database& db);
// The revision a version names, if it is one of ours.
std::optional<std::int64_t> catalog_revision_of(Database& db, std::string_view version);
// The contract's catalog answer: full, or changes after `since_revision`.
nlohmann::json catalog_answer(Database& db, const std::string& region, std::optional<std::int64_t> since_revision);
// The item with that code (null if none or removed).
nlohmann::json find_item(Database& db, const std::string& code);
// Top-level catalog lists (rating_reasons, queue_categories …) as loaded from the catalog file.
nlohmann::json catalog_list(Database& db, const std::string& name);
// Adds or replaces an item, or marks it removed, in a new revision; returns the new version.
std::string put_item(Database& db, const nlohmann::json& item);
std::optional<std::string> remove_item(Database& db, const std::string& code);

}  // namespace platform_sim
