#include "screens/hall_requests.h"

#include <algorithm>
#include <random>

#include "kiosk/core/text.h"

namespace screens {

using namespace kiosk;

namespace {

constexpr std::size_t kMaxTicketNumber = 16;
constexpr std::size_t kMaxTicketLine = 40;
constexpr int kMaxWaiting = 10000;

bool blank(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\u3000'; }

// Repaired (malformed UTF-8 becomes U+FFFD, so dump() cannot throw) and trimmed of blanks.
std::u32string clean_text(const std::string& text) {
  std::u32string decoded = kiosk::text::decode_utf8(text);
  std::size_t begin = 0, end = decoded.size();
  while (begin < end && blank(decoded[begin])) ++begin;
  while (end > begin && blank(decoded[end - 1])) --end;
  return decoded.substr(begin, end - begin);
}

std::string cut(const std::string& text, std::size_t characters) {
  std::u32string decoded = kiosk::text::decode_utf8(text);
  if (decoded.size() > characters) decoded.resize(characters);
  return kiosk::text::encode_utf8(decoded);
}

}  // namespace

const char* to_string(RatingProblem problem) {
  switch (problem) {
    case RatingProblem::level: return "level";
    case RatingProblem::reason_needed: return "reason_needed";
    case RatingProblem::reason_unknown: return "reason_unknown";
    case RatingProblem::text_too_long: return "text_too_long";
  }
  return "?";
}

std::size_t character_count(const std::string& text) { return kiosk::text::decode_utf8(text).size(); }

Result<nlohmann::json, RatingProblem> rating_body(const RatingInput& input, const catalog::Catalog& catalog) {
  if (input.level < kWorstLevel || input.level > kBestLevel) return RatingProblem::level;
  nlohmann::json reasons = nlohmann::json::array();
  for (const std::string& code : input.reasons) {
    const auto offered = catalog.reasons_for(input.level);
    const bool known = std::any_of(offered.begin(), offered.end(),
                                   [&](const catalog::RatingReason* reason) { return reason->code == code; });
    if (!known) return RatingProblem::reason_unknown;
    if (std::find(reasons.begin(), reasons.end(), code) == reasons.end()) reasons.push_back(code);
  }
  if (input.level <= kBadRatingUpTo && reasons.empty()) return RatingProblem::reason_needed;
  const std::u32string text = clean_text(input.text);
  if (text.size() > kMaxRatingText) return RatingProblem::text_too_long;

  nlohmann::json body;
  if (!input.case_number.empty()) body["case_number"] = input.case_number;
  body["level"] = input.level;
  if (!reasons.empty()) body["reasons"] = std::move(reasons);
  if (!text.empty()) body["text"] = kiosk::text::encode_utf8(text);
  body["channel"] = "kiosk";
  if (!input.rated_at.empty()) body["rated_at"] = input.rated_at;
  return body;
}

const char* to_string(Priority priority) {
  switch (priority) {
    case Priority::none: return "";
    case Priority::elderly: return "elderly";
    case Priority::disabled: return "disabled";
  }
  return "";
}

const char* to_string(TicketProblem problem) {
  switch (problem) {
    case TicketProblem::unknown_category: return "unknown_category";
    case TicketProblem::priority_not_offered: return "priority_not_offered";
    case TicketProblem::identity_needed: return "identity_needed";
  }
  return "?";
}

Result<nlohmann::json, TicketProblem> ticket_body(const TicketInput& input, const catalog::Catalog& catalog) {
  const auto category = std::find_if(catalog.queue_categories.begin(), catalog.queue_categories.end(),
                                     [&](const catalog::QueueCategory& entry) { return entry.id == input.category; });
  if (input.category.empty() || category == catalog.queue_categories.end()) return TicketProblem::unknown_category;
  nlohmann::json body = {{"category", input.category}};
  if (input.priority != Priority::none) {
    if (!category->priority) return TicketProblem::priority_not_offered;
    if (input.identity_token.empty()) return TicketProblem::identity_needed;
    body["priority"] = to_string(input.priority);
    body["identity_token"] = input.identity_token;
  }
  return body;
}

Result<platform::Ticket> checked_ticket(platform::Ticket ticket) {
  const auto bad = [](const char* field) { return Error::make(ErrorKind::parse, std::string("ticket: ") + field + ": not usable"); };
  if (ticket.ticket.empty() || ticket.ticket.size() > kMaxTicketNumber) return bad("ticket");
  for (char c : ticket.ticket) {
    const bool fine = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!fine) return bad("ticket");
  }
  if (ticket.waiting < 0 || ticket.waiting > kMaxWaiting) return bad("waiting");
  if (ticket.estimated_wait_min < 0 || ticket.estimated_wait_min > 24 * 60) return bad("estimated_wait_min");
  // Names are shown on one line and printed: control characters go, long ones are cut.
  const auto tidy = [](std::string& value) {
    std::u32string decoded = kiosk::text::decode_utf8(value);
    std::erase_if(decoded, [](char32_t c) { return c < 0x20 || c == 0x7f; });
    value = cut(kiosk::text::encode_utf8(decoded), kMaxTicketLine);
  };
  tidy(ticket.category_name);
  tidy(ticket.hall);
  return ticket;
}

std::string new_request_key() {
  std::random_device random;
  static const char digits[] = "0123456789abcdef";
  std::string key;
  for (int i = 0; i < 8; ++i) {
    std::uint32_t word = random();
    for (int j = 0; j < 4; ++j) {
      key += digits[word & 0xf];
      word >>= 4;
    }
  }
  return key;
}

nlohmann::json queue_print_report(const std::string& printed_at) {
  nlohmann::json body = {{"kind", "queue_ticket"}, {"copies", 1}};
  if (!printed_at.empty()) body["printed_at"] = printed_at;
  return body;
}

}  // namespace screens
