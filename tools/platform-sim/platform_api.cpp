#include "tools/platform-sim/platform_api.h"

#include <cstdio>
#include <vector>

#include "kiosk/core/log.h"
#include "kiosk/core/masking.h"
#include "kiosk/core/text.h"
#include "tools/platform-sim/codec.h"
#include "tools/platform-sim/storage.h"
#include "tools/platform-sim/times.h"
#include "tools/platform-sim/validation.h"

namespace platform_sim {

using nlohmann::json;

struct PlatformApi::Call {
  const Request& request;
  const RequestContext& context;
  Terminal terminal;
  std::time_t now = 0;
  json body;
};

namespace {

constexpr int kTokenLifetimeS = 900;
constexpr const char* kWatermarkProvider = "四川省一体化政务服务平台";

std::string numbered(const char* prefix, std::time_t now, std::int64_t sequence) {
  char serial[16];
  std::snprintf(serial, sizeof serial, "%06lld", static_cast<long long>(sequence % 1000000));
  return prefix + compact_date(now) + serial;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

Response method_not_allowed(const char* allowed) {
  Response response = Response::error(make_error(405, "bad_request", "请求内容有误，无法办理，请联系工作人员。", "method not allowed"));
  response.set_header("Allow", allowed);
  return response;
}

bool etag_matches(const std::string* header, const std::string& version) {
  if (!header) return false;
  const std::string quoted = "\"" + version + "\"";
  std::string_view list = *header;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view tag = list.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == quoted || tag == version || tag == "*") return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// The citizen a still-valid identity token stands for.
std::optional<std::string> token_holder(Database& db, const std::string& token, std::time_t now) {
  return db.scalar("SELECT id_number FROM identity_tokens WHERE token = ? AND expires_at > ?", token,
                   static_cast<std::int64_t>(now));
}

ApiError token_refused() { return validation_failed({{"identity_token", "身份核验已失效，请重新核验身份"}}); }

// Licence numbers are shown masked in lists: the first and last four characters stay (two of
// each for short numbers).
std::string mask_number(const std::string& number) {
  const std::size_t keep = kiosk::text::decode_utf8(number).size() > 10 ? 4 : 2;
  return kiosk::masking::keep_ends(number, keep, keep);
}

json steps_json(Database& db, const std::string& case_number) {
  json steps = json::array();
  auto rows = db.query("SELECT name, state, at, note FROM case_steps WHERE case_number = ? ORDER BY position", case_number);
  while (rows.step()) {
    json step = {{"name", rows.text(0)}, {"state", rows.text(1)}, {"note", rows.text(3)}};
    if (!rows.text(2).empty()) step["at"] = rows.text(2);
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace

json case_json(Database& db, const std::string& case_number) {
  auto row = db.query("SELECT case_number, local_receipt, item_code, item_name, status, submitted_at, promised_date, "
                      "delivery, waiting FROM cases WHERE case_number = ?",
                      case_number);
  if (!row.step()) return nullptr;
  json out = {{"case_number", row.text(0)},   {"item_code", row.text(2)},      {"item_name", row.text(3)},
              {"status", row.text(4)},        {"submitted_at", row.text(5)},   {"promised_date", row.text(6)},
              {"delivery", json::parse(row.text(7), nullptr, false)},
              {"waiting_on_citizen", json::parse(row.text(8), nullptr, false)}};
  if (!row.is_null(1)) out["local_receipt"] = row.text(1);
  out["steps"] = steps_json(db, case_number);
  return out;
}

PlatformApi::PlatformApi(Database& db, const IssuerKey& issuer) : db_(db), issuer_(issuer) {}

Response PlatformApi::handle(const Request& request, const RequestContext& context) {
  try {
    Call call{request, context, {}, std::time(nullptr), {}};
    {
      auto held = db_.lock();
      auto terminal = find_terminal(db_, context.terminal_id);
      if (!terminal) {
        return Response::error(make_error(403, "terminal_unknown", "本终端未在平台登记，请联系技术人员。", "no terminal with this certificate's CN"));
      }
      if (terminal->revoked) {
        return Response::error(make_error(403, "terminal_revoked", "本终端已停用，请联系技术人员。", "this terminal is revoked"));
      }
      call.terminal = *terminal;
    }
    if (context.fault && context.fault->status != 0) {
      injected_latency(call);
      return Response::error(error_for_status(context.fault->status, context.fault->retry_after_s));
    }
    return route(call);
  } catch (const std::exception& error) {
    kiosk::log::error("platform-sim", std::string("request failed: ") + error.what());
    return Response::error(internal_error("the simulator failed; see its log"));
  }
}

void PlatformApi::injected_latency(const Call& call) const {
  if (!call.context.fault || call.context.fault->latency_ms <= 0 || !call.context.faults) return;
  static const std::atomic<bool> never{false};
  call.context.faults->wait(*call.context.fault, call.context.fault->latency_ms, call.context.stop ? *call.context.stop : never);
}

Response PlatformApi::route(Call& call) {
  const std::string& method = call.request.method;
  const std::string& path = call.request.path;
  const auto parts = split_path(path);
  if (parts.size() < 3 || parts[0] != "api" || parts[1] != "v1") return Response::error(not_found("no such endpoint"));
  const std::vector<std::string> rest(parts.begin() + 2, parts.end());
  const bool post = method == "POST";
  const bool get = method == "GET" || method == "HEAD";
  const auto with_body = [&](Response (PlatformApi::*handler)(Call&), bool is_idempotent) -> Response {
    if (!post) return method_not_allowed("POST");
    auto body = parse_json_body(call.request.body);
    if (!body) return Response::error(body.error());
    call.body = body.release_value();
    if (is_idempotent) return idempotent(call, [this, handler](Call& inner) { return (this->*handler)(inner); });
    injected_latency(call);
    return (this->*handler)(call);
  };
  if (rest == std::vector<std::string>{"catalog"}) {
    if (!get) return method_not_allowed("GET");
    injected_latency(call);
    return catalog(call);
  }
  if (rest == std::vector<std::string>{"issuers"}) {
    if (!get) return method_not_allowed("GET");
    injected_latency(call);
    return issuers(call);
  }
  if (rest == std::vector<std::string>{"identity", "verify"}) return with_body(&PlatformApi::verify_identity, false);
  if (rest == std::vector<std::string>{"cases"}) return with_body(&PlatformApi::create_case, true);
  if (rest == std::vector<std::string>{"cases", "query"}) return with_body(&PlatformApi::query_cases, false);
  if (rest.size() == 2 && rest[0] == "cases") {
    if (!get) return method_not_allowed("GET");
    injected_latency(call);
    return get_case(call, rest[1]);
  }
  if (rest == std::vector<std::string>{"licences", "query"}) return with_body(&PlatformApi::query_licences, false);
  if (rest.size() == 3 && rest[0] == "licences" && rest[2] == "document") {
    const std::string id = rest[1];
    if (!post) return method_not_allowed("POST");
    auto body = parse_json_body(call.request.body);
    if (!body) return Response::error(body.error());
    call.body = body.release_value();
    injected_latency(call);
    return licence_document(call, id);
  }
  if (rest == std::vector<std::string>{"ratings"}) return with_body(&PlatformApi::rate, true);
  if (rest == std::vector<std::string>{"prints"}) return with_body(&PlatformApi::report_print, true);
  if (rest == std::vector<std::string>{"heartbeat"}) return with_body(&PlatformApi::heartbeat, false);
  if (rest == std::vector<std::string>{"queue", "tickets"}) return with_body(&PlatformApi::issue_ticket, true);
  return Response::error(not_found("no such endpoint"));
}

Response PlatformApi::idempotent(Call& call, const Handler& work) {
  const std::string* key = call.request.header("idempotency-key");
  if (!key || !valid_idempotency_key(*key)) {
    return Response::error(bad_request("Idempotency-Key must be 16-64 characters of A-Z a-z 0-9 _ -"));
  }
  const std::string endpoint = call.request.method + " " + call.request.path;
  const std::string fingerprint = sha256_hex(call.request.body);
  const std::string& terminal = call.terminal.id;
  std::optional<Response> decided = db_.transaction([&]() -> std::optional<Response> {
    auto row = db_.query("SELECT endpoint, body_sha256, state, status, response FROM idempotency WHERE terminal = ? AND key = ?",
                         terminal, *key);
    if (!row.step()) {
      db_.run("INSERT INTO idempotency(terminal, key, endpoint, body_sha256, state, created_at) VALUES(?, ?, ?, ?, 'in_flight', ?)",
              terminal, *key, endpoint, fingerprint, rfc3339(call.now));
      return std::nullopt;
    }
    if (row.text(0) != endpoint || row.text(1) != fingerprint) {
      return Response::error(make_error(422, "idempotency_mismatch", "该业务已提交过，内容不一致，请联系工作人员。",
                                        "this Idempotency-Key was used with a different body"));
    }
    if (row.text(2) == "in_flight") {
      ApiError busy = make_error(409, "idempotency_in_flight", "正在处理中，请稍候。", "the first request with this key is still being processed");
      busy.retry_after_s = 1;
      return Response::error(busy);
    }
    Response replay;
    replay.status = static_cast<int>(row.integer(3));
    replay.body = row.text(4);
    replay.set_header("Content-Type", "application/json; charset=utf-8");
    replay.set_header("Idempotent-Replayed", "true");
    return replay;
  });
  if (decided) return *decided;
  injected_latency(call);
  const auto release = [&] { db_.run("DELETE FROM idempotency WHERE terminal = ? AND key = ?", terminal, *key); };
  try {
    return db_.transaction([&] {
      Response answer = work(call);
      if (answer.status >= 500) {
        release();
      } else {
        db_.run("UPDATE idempotency SET state = 'done', status = ?, response = ? WHERE terminal = ? AND key = ?",
                answer.status, answer.body, terminal, *key);
      }
      return answer;
    });
  } catch (...) {
    auto held = db_.lock();
    release();
    throw;
  }
}

Response PlatformApi::catalog(Call& call) {
  auto query = parse_query(call.request.query);
  if (!query) return Response::error(query.error());
  std::string region = call.terminal.region;
  if (auto found = query->find("region"); found != query->end()) {
    if (found->second.size() != 6 || found->second.find_first_not_of("0123456789") != std::string::npos) {
      return Response::error(bad_request("region must be a 6-digit division code"));
    }
    region = found->second;
  }
  auto held = db_.lock();
  const std::string version = catalog_version(db_);
  Response response;
  if (etag_matches(call.request.header("if-none-match"), version)) {
    response.status = 304;
  } else {
    std::optional<std::int64_t> since;
    if (auto found = query->find("since"); found != query->end()) since = catalog_revision_of(db_, found->second);
    response = Response::json(200, catalog_answer(db_, region, since));
  }
  response.set_header("ETag", "\"" + version + "\"");
  response.set_header("Cache-Control", "no-cache");
  return response;
}

Response PlatformApi::verify_identity(Call& call) {
  auto request = validate_verify(call.body);
  if (!request) return Response::error(request.error());
  const auto refuse = [](const char* reason, double score) {
    return Response::json(200, {{"verified", false}, {"score", score}, {"reason", reason}});
  };
  auto held = db_.lock();
  auto row = db_.query("SELECT name, valid_until, face_match FROM identities WHERE id_number = ?", request->id_number);
  if (!row.step() || row.text(0) != request->name || row.text(1) != request->valid_until) return refuse("card_invalid", 0.0);
  const std::string valid_until = row.text(1);
  if (valid_until != "长期" && (!valid_compact_date(valid_until) || valid_until < compact_date(call.now))) {
    return refuse("card_expired", 0.0);
  }
  const std::string& face = request->face;
  if (face.size() < 4 || static_cast<unsigned char>(face[0]) != 0xFF || static_cast<unsigned char>(face[1]) != 0xD8) {
    return refuse("no_face", 0.0);
  }
  if (row.integer(2) == 0) return refuse("face_mismatch", 0.21);
  const std::string token = random_hex(16);
  db_.run("INSERT INTO identity_tokens(token, id_number, expires_at) VALUES(?, ?, ?)", token, request->id_number,
          static_cast<std::int64_t>(call.now + kTokenLifetimeS));
  return Response::json(200, {{"verified", true}, {"score", 0.93}, {"token", token}, {"expires_in_s", kTokenLifetimeS}});
}

Response PlatformApi::create_case(Call& call) {
  const json item = call.body.value("item_code", json()).is_string()
                        ? find_item(db_, call.body["item_code"].get<std::string>())
                        : json();
  auto request = validate_case(call.body, item);
  if (!request) return Response::error(request.error());
  const std::string case_number = numbered("SC", call.now, next_sequence(db_, "case") + 200);
  const std::string received_at = rfc3339(call.now);
  const std::string promised = add_days(date_text(call.now), item.value("promised_days", 0));
  const std::optional<std::string> receipt =
      request->local_receipt.empty() ? std::nullopt : std::optional<std::string>(request->local_receipt);
  db_.run("INSERT INTO cases(case_number, terminal, idempotency_key, local_receipt, item_code, item_name, status, id_number, "
          "applicant_name, submitted_at, received_at, promised_date, delivery, body) "
          "VALUES(?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?, ?, ?)",
          case_number, call.terminal.id, *call.request.header("idempotency-key"), receipt, request->item_code,
          item.value("name", std::string()), request->applicant_id_number, request->applicant_name,
          request->submitted_at.empty() ? received_at : request->submitted_at, received_at, promised,
          json{{"method", request->delivery["method"]}}.dump(), request->stored_body.dump());
  const bool post = request->delivery["method"] == "post";
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"提交申请", "done"}, {"受理", "current"}, {"审查", "pending"}, {"办结", "pending"}, {post ? "送达" : "领取", "pending"}};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    db_.run("INSERT INTO case_steps(case_number, position, name, state, at, note) VALUES(?, ?, ?, ?, ?, ?)", case_number,
            static_cast<std::int64_t>(i), steps[i].first, steps[i].second, i == 0 ? received_at : std::string(),
            i == 0 ? std::string("自助终端提交") : std::string());
  }
  kiosk::log::info("platform-sim", "case " + case_number + " from terminal " + call.terminal.id);
  return Response::json(201, {{"case_number", case_number}, {"received_at", received_at}, {"promised_date", promised}, {"status", "received"}});
}

Response PlatformApi::get_case(Call& call, const std::string& number) {
  auto held = db_.lock();
  json found = case_json(db_, number);
  if (found.is_null()) {
    // The contract: the local receipt number a terminal printed finds its case as well (the asking
    // terminal's own first: receipt numbers are made per terminal).
    const auto by_receipt = db_.scalar("SELECT case_number FROM cases WHERE local_receipt = ? "
                                       "ORDER BY (terminal = ?) DESC, received_at DESC LIMIT 1",
                                       number, call.terminal.id);
    if (by_receipt) found = case_json(db_, *by_receipt);
  }
  if (found.is_null()) return Response::error(not_found("no such case"));
  return Response::json(200, found);
}

Response PlatformApi::query_cases(Call& call) {
  auto query = validate_case_query(call.body);
  if (!query) return Response::error(query.error());
  auto held = db_.lock();
  json cases = json::array();
  auto rows = db_.query("SELECT case_number FROM cases WHERE id_number = ? AND applicant_name = ? "
                        "ORDER BY received_at DESC, case_number DESC LIMIT 20",
                        query->id_number, query->name);
  while (rows.step()) cases.push_back(case_json(db_, rows.text(0)));
  return Response::json(200, {{"cases", std::move(cases)}});
}

Response PlatformApi::query_licences(Call& call) {
  auto token = validate_token_body(call.body);
  if (!token) return Response::error(token.error());
  auto held = db_.lock();
  auto holder = token_holder(db_, *token, call.now);
  if (!holder) return Response::error(token_refused());
  json licences = json::array();
  auto rows = db_.query("SELECT id, type, name, issuer, number, issued_at, valid_until, print_limit, printed FROM licences "
                        "WHERE id_number = ? ORDER BY id",
                        *holder);
  while (rows.step()) {
    licences.push_back({{"id", rows.text(0)},
                        {"type", rows.text(1)},
                        {"name", rows.text(2)},
                        {"issuer", rows.text(3)},
                        {"number_masked", mask_number(rows.text(4))},
                        {"issued_at", rows.text(5)},
                        {"valid_until", rows.text(6)},
                        {"print_limit", rows.integer(7)},
                        {"printed", rows.integer(8)}});
  }
  return Response::json(200, {{"licences", std::move(licences)}});
}

Response PlatformApi::licence_document(Call& call, const std::string& licence_id) {
  auto token = validate_token_body(call.body);
  if (!token) return Response::error(token.error());
  auto held = db_.lock();
  auto holder = token_holder(db_, *token, call.now);
  if (!holder) return Response::error(token_refused());
  auto row = db_.query("SELECT content, pdf, signature, issuer FROM licences WHERE id = ? AND id_number = ?", licence_id, *holder);
  if (!row.step()) return Response::error(not_found("no such licence for this citizen"));
  std::string pdf = row.blob(1), signature = row.blob(2);
  const std::string issuer = row.text(3);
  const json content = json::parse(row.text(0), nullptr, false);
  if (pdf.empty() || signature.empty()) {
    LicenceContent fields{content.value("type", ""),      content.value("number", ""),   content.value("holder", ""),
                          content.value("issuer", ""),    content.value("issued_at", ""), content.value("valid_until", ""),
                          content.value("fields", std::vector<std::pair<std::string, std::string>>{})};
    auto rendered = render_licence_pdf(fields);
    if (!rendered) return Response::error(internal_error(rendered.error().message));
    auto signed_bytes = issuer_.sign(rendered.value());
    if (!signed_bytes) return Response::error(internal_error(signed_bytes.error().message));
    pdf = rendered.release_value();
    signature = signed_bytes.release_value();
    db_.run("UPDATE licences SET pdf = ?, signature = ? WHERE id = ?", Blob{pdf}, Blob{signature}, licence_id);
  }
  // Tests make a licence fail the terminal's check (POST /admin/licences/tamper): its bytes
  // changed after signing, or signed by a key the issuer list does not have.
  const std::string tamper = content.is_object() ? content.value("tamper", "") : "";
  if (tamper == "pdf") pdf[pdf.size() / 2] = static_cast<char>(pdf[pdf.size() / 2] ^ 0x01);
  const std::string key_id = tamper == "issuer" ? std::string("0000000000000000") : issuer_.key_id();
  const std::string watermark = std::string("此件由") + kWatermarkProvider + "提供，仅供办理政务服务事项时使用，有效期至" +
                                add_days(date_text(call.now), 30);
  return Response::json(200, {{"pdf", base64_encode(pdf)},
                              {"signature", base64_encode(signature)},
                              {"issuer_key_id", key_id},
                              {"issuer", issuer},
                              {"watermark", watermark}});
}

Response PlatformApi::issuers(Call&) {
  return Response::json(200, {{"issuers", json::array({{{"key_id", issuer_.key_id()},
                                                         {"name", issuer_.name()},
                                                         {"public_key_pem", issuer_.public_key_pem()}}})}});
}

Response PlatformApi::rate(Call& call) {
  auto rating = validate_rating(call.body, catalog_list(db_, "rating_reasons"));
  if (!rating) return Response::error(rating.error());
  if (rating->case_number) {
    // A case sent while offline may be rated by the local receipt number the terminal showed: the
    // platform keeps it with the case, so both numbers find it (docs/platform-api.md, Cases).
    auto found = db_.scalar("SELECT case_number FROM cases WHERE case_number = ?", *rating->case_number);
    if (!found) {
      found = db_.scalar("SELECT case_number FROM cases WHERE local_receipt = ? "
                         "ORDER BY (terminal = ?) DESC, received_at DESC LIMIT 1",
                         *rating->case_number, call.terminal.id);
    }
    if (!found) return Response::error(not_found("no such case"));
    rating->case_number = *found;
    if (db_.scalar("SELECT rating_id FROM ratings WHERE case_number = ? AND channel = ?", *rating->case_number, rating->channel)) {
      return Response::error(make_error(409, "already_rated", "这件事已经评价过了，感谢您的评价。", "one rating per case and channel"));
    }
  }
  const std::string rating_id = numbered("R", call.now, next_sequence(db_, "rating"));
  db_.run("INSERT INTO ratings(rating_id, terminal, idempotency_key, case_number, channel, level, received_at, body) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
          rating_id, call.terminal.id, *call.request.header("idempotency-key"), rating->case_number, rating->channel,
          rating->level, rfc3339(call.now), call.body.dump());
  return Response::json(201, {{"rating_id", rating_id}});
}

Response PlatformApi::report_print(Call& call) {
  auto print = validate_print(call.body);
  if (!print) return Response::error(print.error());
  json answer;
  if (print->kind == "licence") {
    auto row = db_.query("SELECT print_limit, printed FROM licences WHERE id = ?", *print->licence_id);
    if (!row.step()) return Response::error(not_found("no such licence"));
    const std::int64_t limit = row.integer(0), printed = row.integer(1) + print->copies;
    if (limit > 0 && printed > limit) {
      return Response::error(make_error(409, "print_limit_reached", "该证照的打印次数已用完。", "the licence's print limit is reached"));
    }
    db_.run("UPDATE licences SET printed = ? WHERE id = ?", printed, *print->licence_id);
    answer["printed_total"] = printed;
    if (limit > 0) answer["remaining"] = limit - printed;
  } else {
    const std::int64_t before = std::stoll(
        db_.scalar("SELECT coalesce(sum(copies), 0) FROM prints WHERE kind = ? AND coalesce(case_number, '') = ? AND terminal = ?",
                   print->kind, print->case_number.value_or(""), call.terminal.id)
            .value_or("0"));
    answer["printed_total"] = before + print->copies;
  }
  const std::string print_id = numbered("P", call.now, next_sequence(db_, "print"));
  db_.run("INSERT INTO prints(print_id, terminal, idempotency_key, kind, licence_id, case_number, copies, received_at, body) "
          "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
          print_id, call.terminal.id, *call.request.header("idempotency-key"), print->kind, print->licence_id,
          print->case_number, print->copies, rfc3339(call.now), call.body.dump());
  answer["print_id"] = print_id;
  return Response::json(201, answer);
}

Response PlatformApi::heartbeat(Call& call) {
  auto body = validate_heartbeat(call.body);
  if (!body) return Response::error(body.error());
  auto held = db_.lock();
  db_.run("INSERT INTO heartbeats(terminal, received_at, body) VALUES(?, ?, ?)", call.terminal.id, rfc3339(call.now),
          body->dump());
  return Response::json(200, {{"server_time", rfc3339(call.now)}, {"heartbeat_s", 60}, {"catalog_poll_s", 900}});
}

Response PlatformApi::issue_ticket(Call& call) {
  auto ticket = validate_ticket(call.body, catalog_list(db_, "queue_categories"));
  if (!ticket) return Response::error(ticket.error());
  if (ticket->priority && !token_holder(db_, ticket->identity_token.value_or(""), call.now)) {
    return Response::error(token_refused());
  }
  const std::string day = date_text(call.now);
  const std::int64_t number =
      std::stoll(db_.scalar("SELECT count(*) FROM tickets WHERE category = ? AND day = ?", ticket->category, day).value_or("0")) + 1;
  char text[32];
  std::snprintf(text, sizeof text, "%s%03lld", ticket->category.c_str(), static_cast<long long>(number % 1000));
  // The hall calls about one number every four minutes; priority numbers go to the front half.
  std::int64_t waiting = std::min<std::int64_t>(number - 1, 30);
  if (ticket->priority) waiting /= 2;
  const std::string issued_at = rfc3339(call.now);
  db_.run("INSERT INTO tickets(ticket, terminal, idempotency_key, category, day, issued_at, body) VALUES(?, ?, ?, ?, ?, ?, ?)",
          std::string(text), call.terminal.id, *call.request.header("idempotency-key"), ticket->category, day, issued_at,
          call.body.dump());
  return Response::json(201, {{"ticket", text},
                              {"category_name", ticket->category_name},
                              {"waiting", waiting},
                              {"estimated_wait_min", waiting * 4},
                              {"issued_at", issued_at},
                              {"hall", call.terminal.hall}});
}

}  // namespace platform_sim
