#include "tools/platform-sim/storage.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tools/platform-sim/sample_data.h"

namespace platform_sim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS terminals(id TEXT PRIMARY KEY, region TEXT NOT NULL, hall TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS catalog_items(code TEXT PRIMARY KEY, position INTEGER NOT NULL,
  revision INTEGER NOT NULL, removed INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identities(id_number TEXT PRIMARY KEY, name TEXT NOT NULL,
  valid_until TEXT NOT NULL, face_match INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS identity_tokens(token TEXT PRIMARY KEY, id_number TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS licences(id TEXT PRIMARY KEY, id_number TEXT NOT NULL, type TEXT NOT NULL,
  name TEXT NOT NULL, issuer TEXT NOT NULL, number TEXT NOT NULL, issued_at TEXT NOT NULL,
  valid_until TEXT NOT NULL, print_limit INTEGER NOT NULL, printed INTEGER NOT NULL DEFAULT 0,
  content TEXT NOT NULL, pdf BLOB, signature BLOB);
CREATE TABLE IF NOT EXISTS cases(case_number TEXT PRIMARY KEY, terminal TEXT, idempotency_key TEXT,
  local_receipt TEXT, item_code TEXT NOT NULL, item_name TEXT NOT NULL, status TEXT NOT NULL,
  id_number TEXT NOT NULL, applicant_name TEXT NOT NULL, submitted_at TEXT NOT NULL,
  received_at TEXT NOT NULL, promised_date TEXT NOT NULL, delivery TEXT NOT NULL,
  waiting TEXT NOT NULL DEFAULT '[]', body TEXT);
CREATE INDEX IF NOT EXISTS cases_by_person ON cases(id_number);
CREATE TABLE IF NOT EXISTS case_steps(case_number TEXT NOT NULL REFERENCES cases(case_number),
  position INTEGER NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL, at TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '', PRIMARY KEY(case_number, position));
CREATE TABLE IF NOT EXISTS ratings(rating_id TEXT PRIMARY KEY, terminal TEXT NOT NULL,
  idempotency_key TEXT NOT NULL, case_number TEXT, channel TEXT NOT NULL, level INTEGER NOT NULL,
  received_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS ratings_once ON ratings(case_number, channel) WHERE case_number IS NOT NULL;
CREATE TABLE IF NOT EXISTS prints(print_id TEXT PRIMARY KEY, terminal TEXT NOT NULL,
  idempotency_key TEXT NOT NULL, kind TEXT NOT NULL, licence_id TEXT, case_number TEXT,
  copies INTEGER NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats(id INTEGER PRIMARY KEY AUTOINCREMENT, terminal TEXT NOT NULL,
  received_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tickets(ticket_id INTEGER PRIMARY KEY AUTOINCREMENT, ticket TEXT NOT NULL,
  terminal TEXT NOT NULL, idempotency_key TEXT NOT NULL, category TEXT NOT NULL, day TEXT NOT NULL,
  issued_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency(terminal TEXT NOT NULL, key TEXT NOT NULL, endpoint TEXT NOT NULL,
  body_sha256 TEXT NOT NULL, state TEXT NOT NULL CHECK(state IN ('in_flight', 'done')),
  status INTEGER, response TEXT, created_at TEXT NOT NULL, PRIMARY KEY(terminal, key));
)sql";

kiosk::Result<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return kiosk::Error::make(kiosk::ErrorKind::io, path.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void set_meta(Database& db, std::string_view key, std::string_view value) {
  db.run("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
}

std::string meta(Database& db, std::string_view key) { return db.scalar("SELECT value FROM meta WHERE key = ?", key).value_or(""); }

kiosk::Status seed_catalog(Database& db, const fs::path& file) {
  auto text = read_text(file);
  if (!text) return text.release_error();
  json root = json::parse(text.value(), nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("items") || !root["items"].is_array()) {
    return kiosk::Error::make(kiosk::ErrorKind::parse, file.string() + ": not a catalog (an object with items[])");
  }
  int position = 0;
  for (const json& item : root["items"]) {
    if (!item.is_object() || !item.contains("code") || !item["code"].is_string()) {
      return kiosk::Error::make(kiosk::ErrorKind::parse, file.string() + ": item " + std::to_string(position) + " has no code");
    }
    db.run("INSERT OR REPLACE INTO catalog_items(code, position, revision, removed, body) VALUES(?, ?, 1, 0, ?)",
           item["code"].get<std::string>(), position++, item.dump());
  }
  set_meta(db, "catalog_base", root.value("version", std::string("catalog")));
  set_meta(db, "catalog_revision", "1");
  json extra = root;
  for (const char* own : {"items", "version", "full", "removed", "region"}) extra.erase(own);
  set_meta(db, "catalog_extra", extra.dump());
  return kiosk::Ok{};
}

kiosk::Status seed_identities(Database& db, const fs::path& dir) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".json") continue;
    auto text = read_text(entry.path());
    if (!text) return text.release_error();
    const json card = json::parse(text.value(), nullptr, false);
    if (card.is_discarded() || !card.is_object() || !card.value("id_number", json()).is_string()) {
      return kiosk::Error::make(kiosk::ErrorKind::parse, entry.path().string() + ": not an identity");
    }
    db.run("INSERT OR REPLACE INTO identities(id_number, name, valid_until) VALUES(?, ?, ?)",
           card["id_number"].get<std::string>(), card.value("name", std::string()), card.value("valid_until", std::string()));
  }
  if (error) return kiosk::Error::make(kiosk::ErrorKind::io, dir.string() + ": " + error.message());
  return kiosk::Ok{};
}

void seed_licences(Database& db) {
  for (const auto& licence : sample_licences()) {
    json content = {{"type", licence.content.type},       {"number", licence.content.number},
                    {"holder", licence.content.holder},   {"issuer", licence.content.issuer},
                    {"issued_at", licence.content.issued_at}, {"valid_until", licence.content.valid_until},
                    {"fields", licence.content.fields}};
    db.run("INSERT INTO licences(id, id_number, type, name, issuer, number, issued_at, valid_until, print_limit, content) "
           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           licence.id, licence.id_number, licence.content.type, licence.name, licence.content.issuer,
           licence.content.number, licence.content.issued_at, licence.content.valid_until, licence.print_limit,
           content.dump());
  }
}

void seed_cases(Database& db) {
  for (const auto& sample : sample_cases()) {
    const json item = find_item(db, sample.item_code);
    json delivery = {{"method", sample.delivery_method}};
    if (!sample.tracking.empty()) delivery["tracking"] = sample.tracking;
    const std::optional<std::string> receipt =
        sample.local_receipt.empty() ? std::nullopt : std::optional<std::string>(sample.local_receipt);
    db.run("INSERT INTO cases(case_number, local_receipt, item_code, item_name, status, id_number, applicant_name, "
           "submitted_at, received_at, promised_date, delivery, waiting) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           sample.case_number, receipt, sample.item_code, item.is_object() ? item.value("name", std::string()) : std::string(),
           sample.status, sample.id_number, sample.applicant_name, sample.submitted_at, sample.submitted_at,
           sample.promised_date, delivery.dump(), json(sample.waiting_on_citizen).dump());
    int position = 0;
    for (const auto& step : sample.steps) {
      db.run("INSERT INTO case_steps(case_number, position, name, state, at, note) VALUES(?, ?, ?, ?, ?, ?)",
             sample.case_number, position++, step.name, step.state, step.at, step.note);
    }
  }
}

}  // namespace

kiosk::Status prepare_schema(Database& db) {
  try {
    auto held = db.lock();
    db.exec(kSchema);
    db.run("DELETE FROM idempotency WHERE state = 'in_flight'");
  } catch (const DatabaseError& error) {
    return kiosk::Error::make(kiosk::ErrorKind::io, std::string("schema: ") + error.what());
  }
  return kiosk::Ok{};
}

kiosk::Status seed_if_new(Database& db, const SeedSources& sources) {
  try {
    return db.transaction([&]() -> kiosk::Status {
      if (meta(db, "seeded") == "1") return kiosk::Ok{};
      if (auto catalog = seed_catalog(db, sources.catalog_file); !catalog) throw DatabaseError(catalog.error().message);
      if (auto people = seed_identities(db, sources.identities_dir); !people) throw DatabaseError(people.error().message);
      seed_licences(db);
      seed_cases(db);
      set_meta(db, "seeded", "1");
      return kiosk::Ok{};
    });
  } catch (const DatabaseError& error) {
    return kiosk::Error::make(kiosk::ErrorKind::io, std::string("seed: ") + error.what());
  }
}

kiosk::Status import_terminals(Database& db, const fs::path& pki_dir, const std::string& region, const std::string& hall) {
  try {
    auto held = db.lock();
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(pki_dir / "terminals", error)) {
      if (entry.path().extension() != ".crt") continue;
      db.run("INSERT OR IGNORE INTO terminals(id, region, hall, revoked) VALUES(?, ?, ?, 0)", entry.path().stem().string(),
             region, hall);
    }
    std::ifstream revoked(pki_dir / "revoked");
    for (std::string id; std::getline(revoked, id);) {
      if (!id.empty()) db.run("UPDATE terminals SET revoked = 1 WHERE id = ?", id);
    }
  } catch (const DatabaseError& error) {
    return kiosk::Error::make(kiosk::ErrorKind::io, std::string("terminals: ") + error.what());
  }
  return kiosk::Ok{};
}

std::int64_t next_sequence(Database& db, std::string_view name) {
  const std::string key = "sequence." + std::string(name);
  const std::int64_t next = std::stoll(db.scalar("SELECT value FROM meta WHERE key = ?", key).value_or("0")) + 1;
  set_meta(db, key, std::to_string(next));
  return next;
}

std::optional<Terminal> find_terminal(Database& db, const std::string& id) {
  auto row = db.query("SELECT id, region, hall, revoked FROM terminals WHERE id = ?", id);
  if (!row.step()) return std::nullopt;
  return Terminal{row.text(0), row.text(1), row.text(2), row.integer(3) != 0};
}

void upsert_terminal(Database& db, const std::string& id, const std::optional<std::string>& region,
                     const std::optional<std::string>& hall, bool revoked) {
  db.run("INSERT INTO terminals(id, region, hall, revoked) VALUES(?, coalesce(?, '510502'), coalesce(?, '政务服务中心'), ?) "
         "ON CONFLICT(id) DO UPDATE SET region = coalesce(?, region), hall = coalesce(?, hall), revoked = excluded.revoked",
         id, region, hall, revoked, region, hall);
}

std::string catalog_version(Database& db) {
  char revision[32];
  std::snprintf(revision, sizeof revision, "%04lld", std::stoll(meta(db, "catalog_revision").empty() ? "0" : meta(db, "catalog_revision")));
  return meta(db, "catalog_base") + "-" + revision;
}

std::optional<std::int64_t> catalog_revision_of(Database& db, std::string_view version) {
  const std::string base = meta(db, "catalog_base") + "-";
  if (version.size() <= base.size() || version.substr(0, base.size()) != base) return std::nullopt;
  const std::string_view digits = version.substr(base.size());
  if (digits.size() > 9) return std::nullopt;
  std::int64_t revision = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    revision = revision * 10 + (c - '0');
  }
  const std::int64_t current = std::stoll(meta(db, "catalog_revision"));
  if (revision < 1 || revision > current) return std::nullopt;
  return revision;
}

json catalog_answer(Database& db, const std::string& region, std::optional<std::int64_t> since_revision) {
  json answer = json::parse(meta(db, "catalog_extra"), nullptr, false);
  if (!answer.is_object()) answer = json::object();
  answer["version"] = catalog_version(db);
  answer["region"] = region;
  answer["full"] = !since_revision.has_value();
  json items = json::array(), removed = json::array();
  auto rows = db.query("SELECT code, removed, body FROM catalog_items WHERE revision > ? ORDER BY position",
                       since_revision.value_or(0));
  while (rows.step()) {
    if (rows.integer(1) != 0) {
      if (since_revision) removed.push_back(rows.text(0));
    } else {
      items.push_back(json::parse(rows.text(2), nullptr, false));
    }
  }
  answer["items"] = std::move(items);
  answer["removed"] = std::move(removed);
  for (const char* list : {"categories", "packages", "rating_reasons", "queue_categories"}) {
    if (!answer.contains(list)) answer[list] = json::array();
  }
  return answer;
}

json find_item(Database& db, const std::string& code) {
  auto body = db.scalar("SELECT body FROM catalog_items WHERE code = ? AND removed = 0", code);
  if (!body) return nullptr;
  return json::parse(*body, nullptr, false);
}

json catalog_list(Database& db, const std::string& name) {
  const json extra = json::parse(meta(db, "catalog_extra"), nullptr, false);
  if (!extra.is_object() || !extra.contains(name)) return json::array();
  return extra[name];
}

std::string put_item(Database& db, const json& item) {
  const std::int64_t revision = std::stoll(meta(db, "catalog_revision")) + 1;
  set_meta(db, "catalog_revision", std::to_string(revision));
  const std::string code = item["code"].get<std::string>();
  const std::int64_t position =
      std::stoll(db.scalar("SELECT coalesce((SELECT position FROM catalog_items WHERE code = ?), "
                           "(SELECT coalesce(max(position), -1) + 1 FROM catalog_items))", code).value_or("0"));
  db.run("INSERT OR REPLACE INTO catalog_items(code, position, revision, removed, body) VALUES(?, ?, ?, 0, ?)", code,
         position, revision, item.dump());
  return catalog_version(db);
}

std::optional<std::string> remove_item(Database& db, const std::string& code) {
  if (!db.scalar("SELECT code FROM catalog_items WHERE code = ? AND removed = 0", code)) return std::nullopt;
  const std::int64_t revision = std::stoll(meta(db, "catalog_revision")) + 1;
  set_meta(db, "catalog_revision", std::to_string(revision));
  db.run("UPDATE catalog_items SET removed = 1, revision = ? WHERE code = ?", revision, code);
  return catalog_version(db);
}

}  // namespace platform_sim
