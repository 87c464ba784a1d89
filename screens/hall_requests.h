#pragma once
// The bodies the rating (好差评) and queue ticket (排队叫号) screens send to the platform, built and
// checked by the contract's rules (docs/platform-api.md) before anything leaves the screen, and
// the check of a ticket the platform sends back. Pure functions: no UI, no I/O.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/catalog/catalog.h"
#include "kiosk/core/result.h"
#include "kiosk/platform/messages.h"

namespace screens {

// GB/T 39734: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. Levels up to this one are bad
// ratings: they need at least one reason.
constexpr int kWorstLevel = 1;
constexpr int kBestLevel = 5;
constexpr int kBadRatingUpTo = 2;
constexpr std::size_t kMaxRatingText = 500;  // characters (not bytes)

struct RatingInput {
  std::string case_number;           // empty: a rating of the hall's service
  int level = 0;                     // 1..5
  std::vector<std::string> reasons;  // codes from the catalog's rating_reasons
  std::string text;                  // optional; at most kMaxRatingText characters
  std::string rated_at;              // RFC 3339
};

enum class RatingProblem {
  level,           // not 1..5
  reason_needed,   // a bad rating (1..2) without a reason
  reason_unknown,  // a code the catalog does not offer at this level
  text_too_long,   // over kMaxRatingText characters
};
const char* to_string(RatingProblem problem);

// The body of POST /api/v1/ratings (channel "kiosk"): case_number only when there is one, reasons
// only when chosen, text only when not blank (trimmed). Malformed UTF-8 in the text is repaired.
kiosk::Result<nlohmann::json, RatingProblem> rating_body(const RatingInput& input, const kiosk::catalog::Catalog& catalog);

// Characters in `text` (code points), as the contract counts them.
std::size_t character_count(const std::string& text);

enum class Priority { none, elderly, disabled };
const char* to_string(Priority priority);  // "", "elderly", "disabled"

struct TicketInput {
  std::string category;        // a queue_categories id
  Priority priority = Priority::none;
  std::string identity_token;  // needed for a priority ticket
};

enum class TicketProblem {
  unknown_category,      // not in the catalog's queue_categories
  priority_not_offered,  // the category has no priority tickets
  identity_needed,       // priority without a verified identity
};
const char* to_string(TicketProblem problem);

// The body of POST /api/v1/queue/tickets.
kiosk::Result<nlohmann::json, TicketProblem> ticket_body(const TicketInput& input, const kiosk::catalog::Catalog& catalog);

// A ticket from the platform is shown big, printed and encoded as a QR code: its number must be a
// hall's number (1–16 characters of A–Z, a–z, 0–9, '-'), the counts sane; the category name and
// the hall are cut to 40 characters (a screen line). Errors name the field, never the values.
kiosk::Result<kiosk::platform::Ticket> checked_ticket(kiosk::platform::Ticket ticket);

// A fresh Idempotency-Key for a call the citizen confirmed (32 hex characters of randomness);
// reused on every retry of that call.
std::string new_request_key();

// The outbox body of a printed queue ticket (POST /api/v1/prints, kind "queue_ticket").
nlohmann::json queue_print_report(const std::string& printed_at);

}  // namespace screens
