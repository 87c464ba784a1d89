#include "kiosk/platform/progress.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "kiosk/core/secure_memory.h"

namespace kiosk::platform {
namespace {

bool upper_letter(char c) { return c >= 'A' && c <= 'Z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

ProgressAnswer failure(const PlatformError& error) {
  ProgressAnswer out;
  if (error.kind == PlatformErrorKind::cancelled) {
    out.kind = ProgressAnswer::Kind::cancelled;
    out.staff_code = "cancelled";
    return out;
  }
  if (error.kind == PlatformErrorKind::http) {
    out.staff_code = error.code.empty() ? "http_" + std::to_string(error.status) : error.code;
    if (error.status == 404 && (error.code.empty() || error.code == "not_found")) {
      out.kind = ProgressAnswer::Kind::not_found;
    } else {
      out.kind = error.retryable ? ProgressAnswer::Kind::unreachable : ProgressAnswer::Kind::refused;
    }
    return out;
  }
  out.staff_code = to_string(error.kind);
  out.kind = error.kind == PlatformErrorKind::bad_response ? ProgressAnswer::Kind::bad_answer
                                                           : ProgressAnswer::Kind::unreachable;
  return out;
}

ProgressAnswer bad_answer(const std::string& code) {
  ProgressAnswer out;
  out.kind = ProgressAnswer::Kind::bad_answer;
  out.staff_code = code;
  return out;
}

}  // namespace

std::optional<std::string> normalize_case_reference(std::string_view text) {
  if (text.size() > 4 * kMaxCaseReference) return std::nullopt;  // not worth reading on
  std::string out;
  for (const char raw : text) {
    if (raw == ' ' || raw == '\t' || raw == '\r' || raw == '\n') continue;
    const char c = raw >= 'a' && raw <= 'z' ? static_cast<char>(raw - 'a' + 'A') : raw;
    if (!upper_letter(c) && !digit(c) && c != '-') return std::nullopt;
    if (c == '-' && (out.empty() || out.back() == '-')) return std::nullopt;
    out += c;
    if (out.size() > kMaxCaseReference) return std::nullopt;
  }
  if (out.size() < 4 || !upper_letter(out.front()) || out.back() == '-') return std::nullopt;
  if (std::none_of(out.begin(), out.end(), digit)) return std::nullopt;
  return out;
}

HttpRequest case_request(const std::string& reference, Milliseconds timeout) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/api/v1/cases/" + reference;
  request.timeout = timeout;
  return request;
}

HttpRequest case_query_request(const std::string& id_number, const std::string& name, Milliseconds timeout) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/cases/query";
  request.headers["Content-Type"] = "application/json";
  nlohmann::json body = {{"id_number", id_number}, {"name", name}};
  request.body = body.dump();
  // The json's own copies go now; the body is the caller's to wipe.
  secure_clear(body["id_number"].get_ref<std::string&>());
  secure_clear(body["name"].get_ref<std::string&>());
  request.timeout = timeout;
  return request;
}

ProgressAnswer read_case_answer(const PlatformResult<HttpResponse>& answer) {
  if (!answer.ok()) return failure(answer.error());
  auto parsed = parse_case(answer.value().body);
  if (!parsed.ok()) return bad_answer("bad_case");
  ProgressAnswer out;
  out.kind = ProgressAnswer::Kind::found;
  out.cases.push_back(parsed.release_value());
  return out;
}

ProgressAnswer read_case_list_answer(const PlatformResult<HttpResponse>& answer) {
  if (!answer.ok()) return failure(answer.error());
  auto parsed = parse_case_list(answer.value().body);
  if (!parsed.ok()) return bad_answer("bad_case_list");
  ProgressAnswer out;
  out.kind = ProgressAnswer::Kind::found;
  out.cases = parsed.release_value();
  // Newest first, whatever order the answer had; a case without a time goes last.
  std::stable_sort(out.cases.begin(), out.cases.end(),
                   [](const CaseInfo& a, const CaseInfo& b) { return a.submitted_at > b.submitted_at; });
  return out;
}

}  // namespace kiosk::platform
