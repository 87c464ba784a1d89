#pragma once
// The progress query (docs/platform-api.md, "Case progress"): the requests and how an answer is
// read, apart from any screen so each way it can end is tested without one.
//
// A case is asked for by its platform case number ("SC20261103000101") or by the local receipt
// number a terminal printed while offline ("L-0001-000042"): the platform keeps both with the
// case. Numbers come from outside — typed by a citizen, read from a QR code — and go into the
// request path, so normalize_case_reference() lets through only what can be such a number.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/platform/http_client.h"
#include "kiosk/platform/messages.h"

namespace kiosk::platform {

// The longest number taken (case numbers are 16 characters, local receipts about 13).
inline constexpr std::size_t kMaxCaseReference = 32;

// `text` as a case or local receipt number: spaces, tabs and line ends anywhere are dropped,
// letters upper-cased ("sc2026 1103 000101" → "SC20261103000101"). nullopt unless the rest is
// 4–32 of [A-Z0-9-], starting with a letter, holding a digit, without "--" or a '-' at the end.
std::optional<std::string> normalize_case_reference(std::string_view text);

// GET /api/v1/cases/<reference> (`reference` normalised).
HttpRequest case_request(const std::string& reference, Milliseconds timeout);
// POST /api/v1/cases/query {id_number, name}: the citizen's cases. The body holds personal data:
// the caller wipes the request's body once the call is made (it cannot be logged: nothing here is).
HttpRequest case_query_request(const std::string& id_number, const std::string& name, Milliseconds timeout);

// What a progress request came to.
struct ProgressAnswer {
  enum class Kind {
    found,        // `cases` holds the case (by number) or the citizen's cases, newest first (may be empty)
    not_found,    // 404: no case has that number
    unreachable,  // no answer, a timeout, or an error the platform says is worth another try
    refused,      // any other error status (the request was refused: bad number, terminal unknown …)
    bad_answer,   // an answer that does not follow the contract
    cancelled,    // the caller cancelled (the screen went)
  };
  Kind kind = Kind::bad_answer;
  std::vector<CaseInfo> cases;
  // For staff (shown small, logged): the error code or HTTP status; never personal data.
  std::string staff_code;
};

// Reads the answer to case_request / case_query_request. Runs where the answer arrives (the
// channel's worker); never throws.
ProgressAnswer read_case_answer(const PlatformResult<HttpResponse>& answer);
ProgressAnswer read_case_list_answer(const PlatformResult<HttpResponse>& answer);


}  // namespace kiosk::platform
