#pragma once
// Validation of request bodies (docs/platform-api.md). Outside data: each function takes parsed
// JSON and never throws. A body of the wrong shape (not an object, a missing or mistyped field)
// is 400 bad_request; well-formed values that break a rule (check digits, phone, dates, levels,
// unknown codes) are 422 validation_failed with `fields`. Messages never repeat the value.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"
#include "tools/platform-sim/api_error.h"

namespace platform_sim {

using nlohmann::json;
template <typename T>
using Checked = kiosk::Result<T, ApiError>;

inline constexpr int kMaxJsonDepth = 32;

// Parses a request body: valid UTF-8 JSON, an object at the top, nesting at most kMaxJsonDepth.
Checked<json> parse_json_body(std::string_view body);

// Idempotency-Key: 16–64 characters of [A-Za-z0-9_-].
bool valid_idempotency_key(std::string_view key);

struct VerifyRequest {
  std::string name, id_number, valid_until;
  std::string face;  // decoded bytes; empty when absent
};
Checked<VerifyRequest> validate_verify(const json& body);

struct MaterialSummary {
  std::string name, source;
  json stored;  // what the platform keeps: data replaced by size and sha256
};
struct CaseRequest {
  std::string item_code, identity_token;
  std::string applicant_name, applicant_id_number;
  std::string local_receipt, submitted_at;
  json delivery;     // {"method": "pickup"} or with "address"
  json stored_body;  // the body with material data replaced by size and SHA-256
};
// `item` is the catalog item named by item_code (null when there is none).
Checked<CaseRequest> validate_case(const json& body, const json& item);
// The item's form[] against the submitted form object: one FieldError per bad field.
std::vector<FieldError> validate_form(const json& schema, const json& form);

struct CaseQuery {
  std::string id_number, name;
};
Checked<CaseQuery> validate_case_query(const json& body);

// {"identity_token": "…"} (licence queries and documents).
Checked<std::string> validate_token_body(const json& body);

struct RatingRequest {
  std::optional<std::string> case_number;
  int level = 0;
  std::string channel;
};
// `reasons` is the catalog's rating_reasons.
Checked<RatingRequest> validate_rating(const json& body, const json& reasons);

struct PrintRequest {
  std::string kind;
  std::optional<std::string> licence_id, case_number;
  int copies = 1;
};
Checked<PrintRequest> validate_print(const json& body);

struct TicketRequest {
  std::string category, category_name;
  std::optional<std::string> priority, identity_token;
};
// `categories` is the catalog's queue_categories.
Checked<TicketRequest> validate_ticket(const json& body, const json& categories);

Checked<json> validate_heartbeat(const json& body);

// Field rules shared with the admin port and the tests.
bool valid_phone(std::string_view phone);
std::size_t utf8_length(std::string_view text);

}  // namespace platform_sim
