#include "tools/platform-sim/api_error.h"

#include <utility>

namespace platform_sim {

bool ApiError::retryable() const {
  return status >= 500 || status == 429 || code == "idempotency_in_flight";
}

nlohmann::json ApiError::to_json() const {
  nlohmann::json error = {{"code", code}, {"message", message}, {"retryable", retryable()}};
  if (!detail.empty()) error["detail"] = detail;
  if (!fields.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& field : fields) list.push_back({{"field", field.field}, {"message", field.message}});
    error["fields"] = std::move(list);
  }
  return {{"error", std::move(error)}};
}

ApiError make_error(int status, std::string code, std::string message, std::string detail) {
  ApiError error;
  error.status = status;
  error.code = std::move(code);
  error.message = std::move(message);
  error.detail = std::move(detail);
  return error;
}

ApiError bad_request(std::string detail) {
  return make_error(400, "bad_request", "请求内容有误，无法办理，请联系工作人员。", std::move(detail));
}

ApiError not_found(std::string detail) {
  return make_error(404, "not_found", "没有找到相关信息，请核对后再试。", std::move(detail));
}

ApiError too_large(std::string detail) {
  return make_error(413, "too_large", "提交的材料太大，请联系工作人员。", std::move(detail));
}

ApiError validation_failed(std::vector<FieldError> fields) {
  ApiError error = make_error(422, "validation_failed", "填写的信息有误，请按提示修改。");
  error.fields = std::move(fields);
  return error;
}

ApiError internal_error(std::string detail) {
  return make_error(500, "internal", "平台暂时出现故障，请稍后再试。", std::move(detail));
}

ApiError error_for_status(int status, int retry_after_s) {
  ApiError error;
  switch (status) {
    case 429: error = make_error(429, "rate_limited", "请求过于频繁，请稍后再试。"); break;
    case 503: error = make_error(503, "unavailable", "平台正在维护，请稍后再试。"); break;
    case 400: error = bad_request("injected fault"); break;
    case 404: error = not_found("injected fault"); break;
    default:
      error = status >= 500 ? internal_error("injected fault")
                            : make_error(status, "bad_request", "请求内容有误，无法办理，请联系工作人员。", "injected fault");
      error.status = status;
  }
  error.retry_after_s = retry_after_s;
  return error;
}

}  // namespace platform_sim
