// The progress query apart from its screens (kiosk/platform/progress.h): which numbers may go
// into a request path, the requests' shape, and what every kind of answer comes to — found,
// not found, no answer, refused, malformed — without a crash.
#include "kiosk/platform/progress.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kiosk::platform {
namespace {

constexpr const char* kCase = R"({"case_number":"SC20261121000102","item_code":"510500000000-GF-0016","item_name":"低保",
  "status":"in_review","submitted_at":"2026-11-21T14:40:02+08:00","promised_date":"2026-12-06",
  "steps":[{"name":"提交申请","state":"done","at":"2026-11-21T14:40:02+08:00","note":""},
           {"name":"审查","state":"current","note":"街道民政办审核中"},{"name":"办结","state":"pending","note":""}],
  "waiting_on_citizen":[],"delivery":{"method":"pickup"}})";

PlatformResult<HttpResponse> answer(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

PlatformResult<HttpResponse> error(PlatformErrorKind kind, int status = 0, std::string code = {}, bool retryable = false) {
  PlatformError failure;
  failure.kind = kind;
  failure.status = status;
  failure.code = std::move(code);
  failure.retryable = retryable;
  return failure;
}

TEST(ProgressNumbers, CaseAndReceiptNumbersAreMadeCanonical) {
  EXPECT_EQ(normalize_case_reference("SC20261103000101"), "SC20261103000101");
  EXPECT_EQ(normalize_case_reference(" sc2026 1103 000101\n"), "SC20261103000101");
  EXPECT_EQ(normalize_case_reference("L-0001-000042"), "L-0001-000042");
  EXPECT_EQ(normalize_case_reference("l-000042"), "L-000042");
  EXPECT_EQ(normalize_case_reference("\tL-0001-000042\r\n"), "L-0001-000042");
}

TEST(ProgressNumbers, AnythingThatCouldNotBeANumberOrCouldLeaveThePathIsRefused) {
  for (const char* bad : {"", "   ", "SC", "ABCDEFG", "2026110300", "-SC2026", "SC2026-", "SC--2026", "SC2026/../admin",
                          "SC2026?x=1", "SC2026%2F", "SC2026#", "SC 2026\x01", "办件SC2026", "SC2026.1",
                          "https://example.org/cases/SC2026"}) {
    EXPECT_FALSE(normalize_case_reference(bad).has_value()) << bad;
  }
  EXPECT_TRUE(normalize_case_reference(std::string("S") + std::string(31, '1')).has_value());
  EXPECT_FALSE(normalize_case_reference(std::string("S") + std::string(32, '1')).has_value());
  EXPECT_FALSE(normalize_case_reference(std::string(10000, ' ') + "SC1").has_value());
}

TEST(ProgressRequests, ByNumberAndByCard) {
  const HttpRequest by_number = case_request("L-0001-000042", 10000);
  EXPECT_EQ(by_number.method, "GET");
  EXPECT_EQ(by_number.path, "/api/v1/cases/L-0001-000042");
  EXPECT_EQ(by_number.timeout, 10000);

  const HttpRequest by_card = case_query_request("510502195803150137", "张三", 8000);
  EXPECT_EQ(by_card.method, "POST");
  EXPECT_EQ(by_card.path, "/api/v1/cases/query");
  EXPECT_EQ(by_card.headers.at("Content-Type"), "application/json");
  const auto body = nlohmann::json::parse(by_card.body);
  EXPECT_EQ(body, (nlohmann::json{{"id_number", "510502195803150137"}, {"name", "张三"}}));
  EXPECT_EQ(by_card.timeout, 8000);
}

TEST(ProgressAnswers, AFoundCase) {
  const ProgressAnswer found = read_case_answer(answer(200, kCase));
  ASSERT_EQ(found.kind, ProgressAnswer::Kind::found);
  ASSERT_EQ(found.cases.size(), 1u);
  EXPECT_EQ(found.cases[0].case_number, "SC20261121000102");
  EXPECT_EQ(found.cases[0].steps[1].state, "current");
}

TEST(ProgressAnswers, EachFailureHasItsKindAndACodeForStaff) {
  const ProgressAnswer missing = read_case_answer(error(PlatformErrorKind::http, 404, "not_found"));
  EXPECT_EQ(missing.kind, ProgressAnswer::Kind::not_found);
  EXPECT_EQ(missing.staff_code, "not_found");

  for (auto kind : {PlatformErrorKind::network, PlatformErrorKind::timeout, PlatformErrorKind::tls}) {
    const ProgressAnswer none = read_case_answer(error(kind));
    EXPECT_EQ(none.kind, ProgressAnswer::Kind::unreachable);
    EXPECT_EQ(none.staff_code, to_string(kind));
  }
  const ProgressAnswer busy = read_case_answer(error(PlatformErrorKind::http, 503, "unavailable", true));
  EXPECT_EQ(busy.kind, ProgressAnswer::Kind::unreachable);
  EXPECT_EQ(busy.staff_code, "unavailable");

  const ProgressAnswer refused = read_case_list_answer(error(PlatformErrorKind::http, 403, "terminal_revoked"));
  EXPECT_EQ(refused.kind, ProgressAnswer::Kind::refused);
  EXPECT_EQ(refused.staff_code, "terminal_revoked");
  const ProgressAnswer coded = read_case_answer(error(PlatformErrorKind::http, 400));
  EXPECT_EQ(coded.kind, ProgressAnswer::Kind::refused);
  EXPECT_EQ(coded.staff_code, "http_400");
  // A 404 that is not the contract's not_found (no such endpoint) is not "no such number".
  EXPECT_EQ(read_case_answer(error(PlatformErrorKind::http, 404, "no_endpoint")).kind, ProgressAnswer::Kind::refused);

  EXPECT_EQ(read_case_answer(error(PlatformErrorKind::cancelled)).kind, ProgressAnswer::Kind::cancelled);
  EXPECT_EQ(read_case_answer(error(PlatformErrorKind::bad_response)).kind, ProgressAnswer::Kind::bad_answer);
}

TEST(ProgressAnswers, MalformedAnswersAreBadAnswersNeverACrash) {
  for (const char* body : {"", "null", "[]", "{", "{\"case_number\":7}", R"({"case_number":"SC1","item_code":"X"})",
                           R"({"case_number":"SC1","item_code":"X","status":"s","steps":[{"name":"a","state":"later"}]})",
                           R"({"case_number":"SC1","item_code":"X","status":"s","waiting_on_citizen":"补材料"})",
                           "{\"case_number\":\"SC\xff\",\"item_code\":\"X\",\"status\":\"s\"}"}) {
    const ProgressAnswer read = read_case_answer(answer(200, body));
    EXPECT_EQ(read.kind, ProgressAnswer::Kind::bad_answer) << body;
    EXPECT_EQ(read.staff_code, "bad_case");
    EXPECT_TRUE(read.cases.empty());
  }
  for (const char* body : {"{}", R"({"cases":{}})", R"({"cases":[1]})", R"({"cases":[{"case_number":"SC1"}]})"}) {
    const ProgressAnswer read = read_case_list_answer(answer(200, body));
    EXPECT_EQ(read.kind, ProgressAnswer::Kind::bad_answer) << body;
    EXPECT_EQ(read.staff_code, "bad_case_list");
  }
}

TEST(ProgressAnswers, ACitizensCasesComeNewestFirst) {
  const auto with_time = [](const std::string& number, const std::string& at) {
    nlohmann::json one = nlohmann::json::parse(kCase);
    one["case_number"] = number;
    one["submitted_at"] = at;
    return one;
  };
  nlohmann::json list = {{"cases",
                          {with_time("SC1", "2026-11-03T09:12:40+08:00"), with_time("SC3", "2026-11-24T16:47:09+08:00"),
                           with_time("SC2", "2026-11-21T14:40:02+08:00")}}};
  const ProgressAnswer read = read_case_list_answer(answer(200, list.dump()));
  ASSERT_EQ(read.kind, ProgressAnswer::Kind::found);
  ASSERT_EQ(read.cases.size(), 3u);
  EXPECT_EQ(read.cases[0].case_number, "SC3");
  EXPECT_EQ(read.cases[1].case_number, "SC2");
  EXPECT_EQ(read.cases[2].case_number, "SC1");
  const ProgressAnswer none = read_case_list_answer(answer(200, R"({"cases":[]})"));
  EXPECT_EQ(none.kind, ProgressAnswer::Kind::found);
  EXPECT_TRUE(none.cases.empty());
}

}  // namespace
}  // namespace kiosk::platform
