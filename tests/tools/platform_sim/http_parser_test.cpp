// Unit tests of platform-sim's parsers of outside data: the HTTP request head, query strings,
// base64, dates and the request-body validators (truncated, corrupted, oversized, garbage).
#include <string>

#include <gtest/gtest.h>

#include "tools/platform-sim/codec.h"
#include "tools/platform-sim/faults.h"
#include "tools/platform-sim/http.h"
#include "tools/platform-sim/times.h"
#include "tools/platform-sim/validation.h"

namespace platform_sim {
namespace {

int error_status(std::string_view bytes) {
  auto parsed = parse_request_head(bytes);
  return parsed ? 0 : parsed.error().status;
}

TEST(SimHttpRequestHead, ParsesAKeepAliveRequestWithBody) {
  const std::string bytes =
      "POST /api/v1/cases?x=1 HTTP/1.1\r\nHost: localhost\r\nIdempotency-Key: abc\r\nContent-Length: 2\r\n\r\n{}";
  auto parsed = parse_request_head(bytes);
  ASSERT_TRUE(parsed);
  ASSERT_TRUE(parsed.value().has_value());
  const Request& request = parsed.value()->request;
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/api/v1/cases");
  EXPECT_EQ(request.query, "x=1");
  EXPECT_EQ(request.content_length, 2u);
  EXPECT_TRUE(request.keep_alive);
  ASSERT_NE(request.header("idempotency-key"), nullptr);
  EXPECT_EQ(*request.header("idempotency-key"), "abc");
  EXPECT_EQ(parsed.value()->head_size, bytes.size() - 2);
}

TEST(SimHttpRequestHead, ConnectionRulesFollowTheVersion) {
  auto close = parse_request_head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(close.value()->request.keep_alive);
  auto old = parse_request_head("GET / HTTP/1.0\r\n\r\n");
  EXPECT_FALSE(old.value()->request.keep_alive);
  auto old_keep = parse_request_head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
  EXPECT_TRUE(old_keep.value()->request.keep_alive);
  auto expect = parse_request_head("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
  EXPECT_TRUE(expect.value()->request.expect_continue);
}

TEST(SimHttpRequestHead, TruncatedHeadAsksForMore) {
  auto parsed = parse_request_head("GET /api/v1/catalog HTTP/1.1\r\nHost: loc");
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed.value().has_value());
  EXPECT_FALSE(parse_request_head("").value().has_value());
}

TEST(SimHttpRequestHead, RefusesMalformedHeads) {
  EXPECT_EQ(error_status("GARBAGE\r\n\r\n"), 400);
  EXPECT_EQ(error_status("GET  / HTTP/1.1\r\n\r\n"), 400);                      // two spaces
  EXPECT_EQ(error_status("GET api HTTP/1.1\r\n\r\n"), 400);                      // not origin-form
  EXPECT_EQ(error_status("GET http://x/ HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_status("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(error_status("GET / FTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(error_status("G(T / HTTP/1.1\r\n\r\n"), 400);                        // method not a token
  EXPECT_EQ(error_status("GET / HTTP/1.1\r\nNo colon here\r\n\r\n"), 400);
  EXPECT_EQ(error_status("GET / HTTP/1.1\r\nName : value\r\n\r\n"), 400);       // space before colon
  EXPECT_EQ(error_status("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n"), 400);
  EXPECT_EQ(error_status("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n"), 400);
  EXPECT_EQ(error_status("GET / HTTP/1.1\r\nA: b\nB: c\r\n\r\n"), 400);         // bare LF
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"), 400);
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400);
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nExpect: something\r\n\r\n"), 417);
  EXPECT_EQ(error_status("GET /\xe4\xb8\xad HTTP/1.1\r\n\r\n"), 400);            // raw UTF-8 in the target
}

TEST(SimHttpRequestHead, RefusesOversizedInput) {
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nContent-Length: 16777217\r\n\r\n"), 413);
  EXPECT_EQ(error_status("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n"), 400);
  EXPECT_TRUE(parse_request_head("POST / HTTP/1.1\r\nContent-Length: 16777216\r\n\r\n"));
  EXPECT_EQ(error_status("GET /" + std::string(kMaxHeadBytes, 'a')), 431);  // no end of head in sight
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 65; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
  EXPECT_EQ(error_status(many + "\r\n"), 431);
}

TEST(SimQueryString, DecodesAndRefusesMalformedEscapes) {
  auto query = parse_query("region=510502&since=2026.11.20-sample-0001&name=%E4%B8%AD+x");
  ASSERT_TRUE(query);
  EXPECT_EQ(query->at("region"), "510502");
  EXPECT_EQ(query->at("name"), "中 x");
  EXPECT_FALSE(parse_query("a=%Z1"));
  EXPECT_FALSE(parse_query("a=%4"));
  EXPECT_FALSE(parse_query("a=1&a=2"));
  EXPECT_FALSE(parse_query("=1"));
  EXPECT_TRUE(parse_query("")->empty());
}

TEST(SimCodec, Base64RoundTripAndStrictDecoding) {
  for (const std::string bytes : {"", "f", "fo", "foo", "foob", "\xff\xd8\xff"}) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  }
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_FALSE(base64_decode("Zm9vYg="));    // truncated
  EXPECT_FALSE(base64_decode("Zm9v Yg=="));  // whitespace
  EXPECT_FALSE(base64_decode("Zm=vYg=="));   // padding in the middle
  EXPECT_FALSE(base64_decode("Zm9vY!=="));
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(SimTimes, ChinaStandardTimeAndRealDates) {
  EXPECT_EQ(rfc3339(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(add_days("2026-11-25", 28), "2026-12-23");
  EXPECT_EQ(add_days("2028-02-28", 1), "2028-02-29");
  EXPECT_TRUE(valid_date("2024-02-29"));
  EXPECT_FALSE(valid_date("2023-02-29"));
  EXPECT_FALSE(valid_date("2026-13-01"));
  EXPECT_TRUE(valid_rfc3339("2026-11-25T14:03:00+08:00"));
  EXPECT_TRUE(valid_rfc3339("2026-11-25T06:03:00.123Z"));
  EXPECT_FALSE(valid_rfc3339("2026-11-25 14:03"));
  EXPECT_FALSE(valid_rfc3339("2026-11-25T14:03:00+0800"));
}

TEST(SimValidation, JsonBodiesAreBoundedObjects) {
  EXPECT_TRUE(parse_json_body("{\"a\": [1, {\"b\": 2}]}"));
  EXPECT_FALSE(parse_json_body("{\"a\": "));
  EXPECT_FALSE(parse_json_body("\"text\""));
  EXPECT_FALSE(parse_json_body("{\"a\": \"\xc3\x28\"}"));
  EXPECT_FALSE(parse_json_body(std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']')));
  EXPECT_TRUE(parse_json_body("{\"a\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}"));  // brackets inside a string
}

TEST(SimValidation, IdempotencyKeysAndPhones) {
  EXPECT_TRUE(valid_idempotency_key("0123456789abcdef"));
  EXPECT_TRUE(valid_idempotency_key(std::string(64, 'K')));
  EXPECT_FALSE(valid_idempotency_key("0123456789abcde"));
  EXPECT_FALSE(valid_idempotency_key(std::string(65, 'K')));
  EXPECT_FALSE(valid_idempotency_key("0123456789abcdef/"));
  EXPECT_TRUE(valid_phone("13800000000"));
  EXPECT_TRUE(valid_phone("0830-3196110"));
  EXPECT_TRUE(valid_phone("02887654321"));
  EXPECT_FALSE(valid_phone("12800000000"));
  EXPECT_FALSE(valid_phone("1380000000"));
  EXPECT_FALSE(valid_phone("0830-31961"));
}

TEST(SimValidation, FormFieldsFollowTheirTypes) {
  const json schema = json::parse(R"([
    {"name": "id", "type": "id_number", "required": true},
    {"name": "code", "type": "uscc", "required": false},
    {"name": "day", "type": "date", "required": false},
    {"name": "count", "type": "number", "required": false},
    {"name": "why", "type": "enum", "required": true, "options": [{"value": "a", "label": "甲"}]},
    {"name": "note", "type": "text", "required": false, "max_length": 3}])");
  EXPECT_TRUE(validate_form(schema, {{"id", "11010519491231002X"}, {"why", "a"}, {"code", "91350100M000100Y40"}}).empty());
  const auto errors = validate_form(schema, {{"id", "110105194912310021"}, {"day", "2026-02-30"}, {"count", "1,5"},
                                             {"note", "四个字啊"}, {"code", "abc"}});
  std::vector<std::string> fields;
  for (const auto& error : errors) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"form.id", "form.code", "form.day", "form.count", "form.why", "form.note"}));
  // A credit code with a wrong check character only warns (early pilot codes), so it passes here.
  EXPECT_TRUE(validate_form(schema, {{"id", "11010519491231002X"}, {"why", "a"}, {"code", "91350100M000100Y41"}}).empty());
  EXPECT_EQ(validate_form(schema, {{"id", 5}, {"why", "a"}}).size(), 1u);
}

TEST(SimValidation, RatingsPrintsAndTickets) {
  const json reasons = json::parse(R"([{"code": "slow", "text": "慢", "levels": [1, 2]}])");
  EXPECT_TRUE(validate_rating({{"level", 2}, {"reasons", {"slow"}}}, reasons));
  EXPECT_EQ(validate_rating({{"level", 2}}, reasons).error().status, 422);
  EXPECT_EQ(validate_rating({{"level", 5}, {"reasons", {"slow"}}}, reasons).error().status, 422);
  EXPECT_EQ(validate_rating({{"level", 6}}, reasons).error().status, 422);
  EXPECT_EQ(validate_rating({{"level", 2.5}}, reasons).error().status, 400);
  EXPECT_EQ(validate_rating({{"level", 1}, {"reasons", {1}}}, reasons).error().status, 400);
  EXPECT_EQ(validate_print({{"kind", "licence"}}).error().status, 422);
  EXPECT_EQ(validate_print({{"kind", "receipt"}, {"copies", 0}}).error().status, 422);
  EXPECT_EQ(validate_print({{"copies", 1}}).error().status, 400);
  const json categories = json::parse(R"([{"id": "A", "name": "综合", "priority": true}, {"id": "D", "name": "企业", "priority": false}])");
  EXPECT_TRUE(validate_ticket({{"category", "A"}}, categories));
  EXPECT_EQ(validate_ticket({{"category", "Z"}}, categories).error().status, 422);
  EXPECT_EQ(validate_ticket({{"category", "D"}, {"priority", "elderly"}, {"identity_token", "t"}}, categories).error().status, 422);
  EXPECT_EQ(validate_ticket({{"category", "A"}, {"priority", "elderly"}}, categories).error().status, 422);
}

TEST(SimFaultRules, ParseAndUseUp) {
  EXPECT_FALSE(parse_fault_rule(json{{"status", 302}}));
  EXPECT_FALSE(parse_fault_rule(json{{"count", 0}}));
  EXPECT_FALSE(parse_fault_rule(json{{"drop", 1}}));
  EXPECT_FALSE(parse_fault_rule(json::array()));
  FaultTable table;
  table.add(parse_fault_rule(json{{"status", 503}, {"count", 2}, {"path_prefix", "/api/v1/cases"}}).value());
  EXPECT_FALSE(table.take("/api/v1/catalog"));
  EXPECT_EQ(table.take("/api/v1/cases")->status, 503);
  EXPECT_TRUE(table.take("/api/v1/cases/SC1"));
  EXPECT_FALSE(table.take("/api/v1/cases"));
}

}  // namespace
}  // namespace platform_sim
