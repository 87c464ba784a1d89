#pragma once
// The platform's answers (docs/platform-api.md), parsed from JSON. Each parser takes outside
// data: it never throws, refuses oversized or malformed input with an error naming the field,
// and has a fuzz target (tests/fuzz/platform_messages_fuzz.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::platform {

// 201 of POST /cases, /ratings, /prints: the platform's reference for what was delivered.
struct SubmitAnswer {
  std::string reference;      // case_number, rating_id or print_id
  std::string promised_date;  // cases only
  int printed_total = 0;      // prints only
  std::optional<int> remaining;
};
// `reference_field` is "case_number", "rating_id" or "print_id".
Result<SubmitAnswer> parse_submit_answer(std::string_view json, std::string_view reference_field);

struct HeartbeatAnswer {
  std::string server_time;
  int heartbeat_s = 60;
  int catalog_poll_s = 900;
};
Result<HeartbeatAnswer> parse_heartbeat_answer(std::string_view json);

struct VerifyAnswer {
  bool verified = false;
  double score = 0;
  std::string token;         // when verified
  int expires_in_s = 0;
  std::string reason;        // when not: face_mismatch, card_invalid, card_expired, no_face
};
Result<VerifyAnswer> parse_verify_answer(std::string_view json);

struct CaseStep {
  std::string name;
  std::string state;  // done, current, pending
  std::string at;
  std::string note;
};
struct CaseInfo {
  std::string case_number;
  std::string local_receipt;
  std::string item_code;
  std::string item_name;
  std::string status;
  std::string submitted_at;
  std::string promised_date;
  std::vector<CaseStep> steps;
  std::vector<std::string> waiting_on_citizen;
  std::string delivery_method;
  std::string tracking;
};
Result<CaseInfo> parse_case(std::string_view json);
Result<std::vector<CaseInfo>> parse_case_list(std::string_view json);

struct Ticket {
  std::string ticket;
  std::string category_name;
  int waiting = 0;
  int estimated_wait_min = 0;
  std::string issued_at;
  std::string hall;
};
Result<Ticket> parse_ticket(std::string_view json);

struct Licence {
  std::string id;
  std::string type;
  std::string name;
  std::string issuer;
  std::string number_masked;
  std::string issued_at;
  std::string valid_until;
  int print_limit = 0;  // 0 = no limit
  int printed = 0;
};
Result<std::vector<Licence>> parse_licence_list(std::string_view json);

struct LicenceDocument {
  std::vector<std::uint8_t> pdf;
  std::vector<std::uint8_t> signature;  // DER ECDSA P-256
  std::string issuer_key_id;
  std::string watermark;
};
Result<LicenceDocument> parse_licence_document(std::string_view json);

struct Issuer {
  std::string key_id;
  std::string name;
  std::string public_key_pem;
};
Result<std::vector<Issuer>> parse_issuers(std::string_view json);

// Standard base64 (RFC 4648, padding required, no line breaks).
std::string base64_encode(const std::vector<std::uint8_t>& bytes);
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// Idempotency keys per the contract: 16–64 characters of [A-Za-z0-9_-].
bool valid_idempotency_key(std::string_view key);

}  // namespace kiosk::platform
