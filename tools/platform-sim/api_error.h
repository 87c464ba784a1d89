#pragma once
// The platform's error answers (docs/platform-api.md, "Errors"): an HTTP status, a stable code for
// programs, a plain Chinese message fit to show a citizen and, for validation_failed, the fields.
// `detail` is extra technical context for developers (never personal data).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace platform_sim {

struct FieldError {
  std::string field;
  std::string message;
};

struct ApiError {
  int status = 500;
  std::string code;
  std::string message;
  std::string detail;
  std::vector<FieldError> fields;
  int retry_after_s = 0;  // > 0: sent as Retry-After

  bool retryable() const;
  nlohmann::json to_json() const;
};

ApiError bad_request(std::string detail);
ApiError not_found(std::string detail);
ApiError too_large(std::string detail);
ApiError validation_failed(std::vector<FieldError> fields);
ApiError internal_error(std::string detail);
// The error a fault rule's status stands for (500 internal, 503 unavailable, 429 rate_limited …).
ApiError error_for_status(int status, int retry_after_s);
ApiError make_error(int status, std::string code, std::string message, std::string detail = {});

}  // namespace platform_sim
