#include "tools/platform-sim/admin_api.h"

#include <ctime>
#include <vector>

#include "kiosk/core/log.h"
#include "tools/platform-sim/codec.h"
#include "tools/platform-sim/platform_api.h"
#include "tools/platform-sim/storage.h"
#include "tools/platform-sim/times.h"
#include "tools/platform-sim/validation.h"

namespace platform_sim {

using nlohmann::json;

namespace {

struct ReceivedTable {
  const char* name;
  const char* sql;  // columns: id, terminal, idempotency_key, received_at, body
  const char* id_field;
};

constexpr ReceivedTable kReceived[] = {
    {"cases", "SELECT case_number, terminal, idempotency_key, received_at, body FROM cases WHERE terminal IS NOT NULL "
              "ORDER BY received_at, case_number", "case_number"},
    {"ratings", "SELECT rating_id, terminal, idempotency_key, received_at, body FROM ratings ORDER BY rowid", "rating_id"},
    {"prints", "SELECT print_id, terminal, idempotency_key, received_at, body FROM prints ORDER BY rowid", "print_id"},
    {"heartbeats", "SELECT id, terminal, NULL, received_at, body FROM heartbeats ORDER BY id", "id"},
    {"tickets", "SELECT ticket, terminal, idempotency_key, issued_at, body FROM tickets ORDER BY ticket_id", "ticket"},
};

// Step positions of a case: 提交申请, 受理, 审查, 办结, 送达/领取. The status once `current` is the
// current step (none: all done). 办结 is the decision itself, never a step in progress: the review
// that ends is the case concluded (kDecided), so "已办结" never shows beside 办结 still open.
constexpr std::int64_t kReview = 2;
constexpr std::int64_t kDecided = 3;
std::string status_for(std::optional<std::int64_t> current) {
  if (!current) return "delivered";
  switch (*current) {
    case 0:
    case 1: return "received";
    case kReview: return "in_review";
    default: return "approved";
  }
}

Response ok(json body = {{"ok", true}}) { return Response::json(200, body); }

}  // namespace

AdminApi::AdminApi(Database& db, FaultTable& faults, std::function<json()> stats)
    : db_(db), faults_(faults), stats_(std::move(stats)) {}

Response AdminApi::handle(const Request& request) {
  try {
    return route(request);
  } catch (const std::exception& error) {
    kiosk::log::error("platform-sim", std::string("admin request failed: ") + error.what());
    return Response::error(internal_error(error.what()));
  }
}

Response AdminApi::route(const Request& request) {
  const std::string& path = request.path;
  const std::string& method = request.method;
  if (path == "/admin/health" && method == "GET") return ok({{"status", "ok"}});
  if (path == "/admin/stats" && method == "GET") return ok(stats_());
  for (const auto& table : kReceived) {
    if (path == std::string("/admin/") + table.name && method == "GET") return received(table.name);
  }
  if (path == "/admin/idempotency" && method == "GET") return idempotency_records();
  if (path == "/admin/faults") return faults(request);
  if (path == "/admin/clock" && method == "POST") return clock(request);
  if (path == "/admin/terminals") return terminals(request);
  if (path == "/admin/identity" && method == "POST") return identity(request);
  if (path == "/admin/licences/tamper" && method == "POST") return tamper_licence(request);
  if (path == "/admin/catalog/items" && method == "POST") return put_catalog_items(request);
  const std::string items_prefix = "/admin/catalog/items/";
  if (path.rfind(items_prefix, 0) == 0 && method == "DELETE") return delete_catalog_item(path.substr(items_prefix.size()));
  const std::string cases_prefix = "/admin/cases/";
  const std::string advance_suffix = "/advance";
  if (path.rfind(cases_prefix, 0) == 0 && path.size() > cases_prefix.size() + advance_suffix.size() &&
      path.compare(path.size() - advance_suffix.size(), advance_suffix.size(), advance_suffix) == 0 && method == "POST") {
    return advance_case(path.substr(cases_prefix.size(), path.size() - cases_prefix.size() - advance_suffix.size()));
  }
  return Response::error(not_found("no such admin endpoint (or wrong method)"));
}

Response AdminApi::received(const std::string& what) {
  auto held = db_.lock();
  for (const auto& table : kReceived) {
    if (what != table.name) continue;
    json list = json::array();
    auto rows = db_.query(table.sql);
    while (rows.step()) {
      json entry = {{table.id_field, rows.text(0)},
                    {"terminal", rows.text(1)},
                    {"idempotency_key", rows.is_null(2) ? json() : json(rows.text(2))},
                    {"received_at", rows.text(3)},
                    {"body", json::parse(rows.text(4), nullptr, false)}};
      list.push_back(std::move(entry));
    }
    return ok(list);
  }
  return Response::error(not_found(what));
}

Response AdminApi::idempotency_records() {
  auto held = db_.lock();
  json list = json::array();
  auto rows = db_.query("SELECT terminal, key, endpoint, state, status, created_at FROM idempotency ORDER BY created_at, rowid");
  while (rows.step()) {
    list.push_back({{"terminal", rows.text(0)},
                    {"idempotency_key", rows.text(1)},
                    {"endpoint", rows.text(2)},
                    {"state", rows.text(3)},
                    {"status", rows.is_null(4) ? json() : json(rows.integer(4))},
                    {"created_at", rows.text(5)}});
  }
  return ok(list);
}

Response AdminApi::faults(const Request& request) {
  if (request.method == "GET") return ok(faults_.to_json());
  if (request.method == "DELETE") {
    faults_.clear();
    return ok();
  }
  if (request.method != "POST") return Response::error(not_found("GET, POST or DELETE /admin/faults"));
  auto body = parse_json_body(request.body);
  if (!body) return Response::error(body.error());
  auto rule = parse_fault_rule(*body);
  if (!rule) return Response::error(rule.error());
  kiosk::log::info("platform-sim", "fault rule added: " + rule->to_json().dump());
  faults_.add(rule.release_value());
  return ok({{"faults", faults_.to_json()}});
}

// {"offset_s": N}: the platform's clock runs N seconds ahead (negative: behind) of the machine's.
Response AdminApi::clock(const Request& request) {
  auto body = parse_json_body(request.body);
  if (!body) return Response::error(body.error());
  if (!body->contains("offset_s") || !(*body)["offset_s"].is_number_integer() ||
      std::llabs((*body)["offset_s"].get<long long>()) > 10LL * 365 * 86400) {
    return Response::error(bad_request("expected {\"offset_s\": seconds} within ten years"));
  }
  faults_.set_clock_offset((*body)["offset_s"].get<std::int64_t>());
  return ok({{"offset_s", (*body)["offset_s"]}});
}

Response AdminApi::terminals(const Request& request) {
  auto held = db_.lock();
  if (request.method == "GET") {
    json list = json::array();
    auto rows = db_.query("SELECT id, region, hall, revoked FROM terminals ORDER BY id");
    while (rows.step()) {
      list.push_back({{"id", rows.text(0)}, {"region", rows.text(1)}, {"hall", rows.text(2)}, {"revoked", rows.integer(3) != 0}});
    }
    return ok(list);
  }
  if (request.method != "POST") return Response::error(not_found("GET or POST /admin/terminals"));
  auto body = parse_json_body(request.body);
  if (!body) return Response::error(body.error());
  const json& id = (*body)["id"];
  if (!id.is_string() || id.get<std::string>().empty()) return Response::error(bad_request("id must be a non-empty string"));
  const auto optional_text = [&](const char* name) -> std::optional<std::string> {
    const auto found = body->find(name);
    if (found == body->end() || !found->is_string()) return std::nullopt;
    return found->get<std::string>();
  };
  const bool revoked = body->value("revoked", false);
  upsert_terminal(db_, id.get<std::string>(), optional_text("region"), optional_text("hall"), revoked);
  kiosk::log::info("platform-sim", "terminal " + id.get<std::string>() + (revoked ? " revoked" : " active"));
  return ok({{"id", id}, {"revoked", revoked}});
}

Response AdminApi::advance_case(const std::string& case_number) {
  return db_.transaction([&]() -> Response {
    if (!db_.scalar("SELECT case_number FROM cases WHERE case_number = ?", case_number)) {
      return Response::error(not_found("no such case"));
    }
    auto current = db_.scalar("SELECT position FROM case_steps WHERE case_number = ? AND state = 'current'", case_number);
    if (!current) return Response::error(make_error(409, "bad_request", "该办件已办结。", "the case has no current step"));
    const std::int64_t position = std::stoll(*current);
    const std::string now = rfc3339(std::time(nullptr));
    db_.run("UPDATE case_steps SET state = 'done', at = ? WHERE case_number = ? AND position = ?", now, case_number, position);
    std::int64_t following = position + 1;
    if (position == kReview) {  // the decision concludes the case at once
      db_.run("UPDATE case_steps SET state = 'done', at = ? WHERE case_number = ? AND position = ?", now, case_number, kDecided);
      following = kDecided + 1;
    }
    const int next = db_.run("UPDATE case_steps SET state = 'current' WHERE case_number = ? AND position = ?", case_number,
                             following);
    const std::optional<std::int64_t> now_current = next > 0 ? std::optional<std::int64_t>(following) : std::nullopt;
    db_.run("UPDATE cases SET status = ?, waiting = '[]' WHERE case_number = ?", status_for(now_current), case_number);
    const json delivery = json::parse(db_.scalar("SELECT delivery FROM cases WHERE case_number = ?", case_number).value_or("{}"));
    if (now_current && *now_current == 4 && delivery.value("method", "") == "post") {
      json tracked = delivery;
      tracked["tracking"] = "SF" + std::to_string(1400000000000 + std::stoll(case_number.substr(case_number.size() - 6)));
      db_.run("UPDATE cases SET delivery = ? WHERE case_number = ?", tracked.dump(), case_number);
    }
    return ok(case_json(db_, case_number));
  });
}

Response AdminApi::identity(const Request& request) {
  auto body = parse_json_body(request.body);
  if (!body) return Response::error(body.error());
  const json& id_number = (*body)["id_number"];
  const json& face_match = (*body)["face_match"];
  if (!id_number.is_string() || !face_match.is_boolean()) {
    return Response::error(bad_request("id_number (string) and face_match (true/false) are required"));
  }
  auto held = db_.lock();
  if (db_.run("UPDATE identities SET face_match = ? WHERE id_number = ?", face_match.get<bool>(), id_number.get<std::string>()) == 0) {
    return Response::error(not_found("no such sample identity"));
  }
  return ok();
}

// {"id": "LIC-…", "change": "pdf" | "issuer" | "none"}: from now on the licence's document is
// served with one byte of the PDF changed after signing, or naming an issuer key the terminal
// cannot know; "none" serves it intact again.
Response AdminApi::tamper_licence(const Request& request) {
  auto body = parse_json_body(request.body);
  if (!body) return Response::error(body.error());
  const json& id = (*body)["id"];
  const json& change = (*body)["change"];
  if (!id.is_string() || !change.is_string() ||
      (change != "pdf" && change != "issuer" && change != "none")) {
    return Response::error(bad_request("id (string) and change (\"pdf\", \"issuer\" or \"none\") are required"));
  }
  auto held = db_.lock();
  auto row = db_.query("SELECT content FROM licences WHERE id = ?", id.get<std::string>());
  if (!row.step()) return Response::error(not_found("no such licence"));
  json content = json::parse(row.text(0), nullptr, false);
  if (!content.is_object()) content = json::object();
  if (change == "none") {
    content.erase("tamper");
  } else {
    content["tamper"] = change;
  }
  db_.run("UPDATE licences SET content = ? WHERE id = ?", content.dump(), id.get<std::string>());
  return ok();
}

Response AdminApi::put_catalog_items(const Request& request) {
  auto body = parse_json_body(request.body);
  if (!body) return Response::error(body.error());
  const json items = body->contains("items") ? (*body)["items"] : json::array({*body});
  if (!items.is_array() || items.empty()) return Response::error(bad_request("an item object or {\"items\": [...]}"));
  for (const json& item : items) {
    if (!item.is_object() || !item.value("code", json()).is_string() || !item.value("name", json()).is_string()) {
      return Response::error(bad_request("every item needs a string code and name"));
    }
  }
  return db_.transaction([&] {
    std::string version;
    for (const json& item : items) version = put_item(db_, item);
    return ok({{"version", version}});
  });
}

Response AdminApi::delete_catalog_item(const std::string& code) {
  return db_.transaction([&] {
    auto version = remove_item(db_, code);
    if (!version) return Response::error(not_found("no such item"));
    return ok({{"version", *version}});
  });
}

}  // namespace platform_sim
