// Fuzz target: platform-sim's HTTP/1.1 request-head parser, its query-string parser and the JSON
// body validators of every endpoint (tools/platform-sim/http.h, validation.h). Input: raw request
// bytes; whatever follows the head is treated as the body.
#include <cstdint>
#include <string_view>

#include "tools/platform-sim/faults.h"
#include "tools/platform-sim/http.h"
#include "tools/platform-sim/validation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace platform_sim;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto head = parse_request_head(bytes);
  if (!head || !head.value()) return 0;
  const Request& request = head.value()->request;
  (void)parse_query(request.query);
  auto body = parse_json_body(bytes.substr(head.value()->head_size));
  if (!body) return 0;
  static const json kReasons = json::parse(R"([{"code": "slow", "text": "慢", "levels": [1, 2]}])");
  static const json kCategories = json::parse(R"([{"id": "A", "name": "综合受理", "priority": true}])");
  static const json kItem = json::parse(R"({"code": "X", "name": "x", "form": [
      {"name": "id", "type": "id_number", "required": true}, {"name": "p", "type": "phone"},
      {"name": "d", "type": "date"}, {"name": "n", "type": "number"}, {"name": "u", "type": "uscc"},
      {"name": "e", "type": "enum", "options": [{"value": "a", "label": "甲"}]},
      {"name": "t", "type": "text", "max_length": 5}]})");
  (void)validate_verify(*body);
  (void)validate_case(*body, kItem);
  (void)validate_case(*body, json());
  (void)validate_case_query(*body);
  (void)validate_token_body(*body);
  (void)validate_rating(*body, kReasons);
  (void)validate_print(*body);
  (void)validate_ticket(*body, kCategories);
  (void)validate_heartbeat(*body);
  (void)parse_fault_rule(*body);
  return 0;
}
