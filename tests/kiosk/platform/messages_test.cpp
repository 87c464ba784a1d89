// The platform's answers are outside data: each parser takes the contract's shape and refuses
// anything else with the field's name, never a crash.

#include "kiosk/platform/messages.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "kiosk/platform/backoff.h"
#include "kiosk/platform/http_client.h"

namespace kiosk::platform {
namespace {

TEST(Messages, SubmitAnswerNamesTheReference) {
  auto answer = parse_submit_answer(R"({"case_number":"SC20261125000123","promised_date":"2026-12-23","status":"received"})",
                                    "case_number");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer.value().reference, "SC20261125000123");
  EXPECT_EQ(answer.value().promised_date, "2026-12-23");

  auto print = parse_submit_answer(R"({"print_id":"P1","printed_total":2,"remaining":1})", "print_id");
  ASSERT_TRUE(print.ok());
  EXPECT_EQ(print.value().printed_total, 2);
  EXPECT_EQ(print.value().remaining, 1);

  auto missing = parse_submit_answer(R"({"rating_id":"R1"})", "case_number");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("case_number: missing"), std::string::npos) << missing.error().message;
  EXPECT_FALSE(parse_submit_answer(R"({"case_number":7})", "case_number").ok());
  EXPECT_FALSE(parse_submit_answer(R"({"case_number":""})", "case_number").ok());
  EXPECT_FALSE(parse_submit_answer("[]", "case_number").ok());
  EXPECT_FALSE(parse_submit_answer("{\"case_number\":\"SC", "case_number").ok());
  EXPECT_FALSE(parse_submit_answer("{\"case_number\":\"\xff\xfe\"}", "case_number").ok());
  EXPECT_FALSE(parse_submit_answer(R"({"print_id":"P","printed_total":-1})", "print_id").ok());
}

TEST(Messages, VerifyAnswerNeedsATokenWhenVerifiedAndAReasonWhenNot) {
  auto yes = parse_verify_answer(R"({"verified":true,"score":0.93,"token":"t0k","expires_in_s":900})");
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(yes.value().verified);
  EXPECT_EQ(yes.value().token, "t0k");
  auto no = parse_verify_answer(R"({"verified":false,"score":0.2,"reason":"face_mismatch"})");
  ASSERT_TRUE(no.ok());
  EXPECT_EQ(no.value().reason, "face_mismatch");
  EXPECT_FALSE(parse_verify_answer(R"({"verified":true,"score":0.9})").ok());
  EXPECT_FALSE(parse_verify_answer(R"({"verified":false})").ok());
  EXPECT_FALSE(parse_verify_answer(R"({"verified":"yes","token":"t"})").ok());
  EXPECT_FALSE(parse_verify_answer(R"({"verified":true,"score":7,"token":"t"})").ok());
}

TEST(Messages, CaseWithStepsAndItsErrors) {
  const char* text = R"({"case_number":"SC1","item_code":"510502000000-QR-0001","item_name":"换领","status":"in_review",
    "steps":[{"name":"受理","state":"done","at":"2026-11-25T10:00:00+08:00"},{"name":"审核","state":"current"}],
    "waiting_on_citizen":["请补交户口簿"],"delivery":{"method":"post","tracking":"EMS123"}})";
  auto info = parse_case(text);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info.value().steps.size(), 2u);
  EXPECT_EQ(info.value().steps[1].state, "current");
  EXPECT_EQ(info.value().waiting_on_citizen.at(0), "请补交户口簿");
  EXPECT_EQ(info.value().tracking, "EMS123");

  auto bad_state = parse_case(R"({"case_number":"SC1","item_code":"X","status":"s","steps":[{"name":"a","state":"later"}]})");
  ASSERT_FALSE(bad_state.ok());
  EXPECT_NE(bad_state.error().message.find("steps[0]"), std::string::npos) << bad_state.error().message;
  EXPECT_FALSE(parse_case(R"({"case_number":"SC1","item_code":"X","status":"s","steps":{}})").ok());
  EXPECT_FALSE(parse_case(R"({"case_number":"SC1","item_code":"X","status":"s","delivery":"post"})").ok());
  auto list = parse_case_list(std::string(R"({"cases":[)") + text + "]}");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.value().size(), 1u);
  EXPECT_FALSE(parse_case_list(R"({"cases":[1]})").ok());
  EXPECT_FALSE(parse_case_list(R"({})").ok());
}

TEST(Messages, LicenceDocumentMustBeAPdfInBase64) {
  const std::string pdf = base64_encode({'%', 'P', 'D', 'F', '-', '1', '.', '4'});
  auto document = parse_licence_document(R"({"pdf":")" + pdf + R"(","signature":"MEUCIQ==","issuer_key_id":"k1","watermark":"仅供办理政务服务事项时使用"})");
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_EQ(document.value().pdf.size(), 8u);
  EXPECT_EQ(document.value().signature.size(), 4u);
  EXPECT_FALSE(parse_licence_document(R"({"pdf":"aGVsbG8=","signature":"MEUCIQ==","issuer_key_id":"k1"})").ok());
  EXPECT_FALSE(parse_licence_document(R"({"pdf":"!!!!","signature":"MEUCIQ==","issuer_key_id":"k1"})").ok());
  EXPECT_FALSE(parse_licence_document(R"({"pdf":")" + pdf + R"(","issuer_key_id":"k1"})").ok());
}

TEST(Messages, TicketsLicencesIssuersHeartbeat) {
  auto ticket = parse_ticket(R"({"ticket":"A023","category_name":"综合受理","waiting":5,"estimated_wait_min":15})");
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket.value().ticket, "A023");
  EXPECT_EQ(ticket.value().waiting, 5);
  EXPECT_FALSE(parse_ticket(R"({"ticket":"A023","waiting":-3})").ok());

  auto licences = parse_licence_list(R"({"licences":[{"id":"L1","type":"营业执照","print_limit":3,"printed":1}]})");
  ASSERT_TRUE(licences.ok());
  EXPECT_EQ(licences.value().at(0).print_limit, 3);
  EXPECT_FALSE(parse_licence_list(R"({"licences":[{"type":"营业执照"}]})").ok());

  auto issuers = parse_issuers(R"({"issuers":[{"key_id":"k1","public_key_pem":"-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----\n"}]})");
  ASSERT_TRUE(issuers.ok());
  EXPECT_FALSE(parse_issuers(R"({"issuers":[{"key_id":"k1","public_key_pem":"hello"}]})").ok());

  auto heartbeat = parse_heartbeat_answer(R"({"server_time":"2026-11-25T14:00:00+08:00","heartbeat_s":30,"catalog_poll_s":600})");
  ASSERT_TRUE(heartbeat.ok());
  EXPECT_EQ(heartbeat.value().heartbeat_s, 30);
  EXPECT_FALSE(parse_heartbeat_answer(R"({"heartbeat_s":1})").ok());
}

TEST(Messages, OversizedAnswersAreRefused) {
  const std::string huge = R"({"case_number":")" + std::string(17u << 20, 'a') + "\"}";
  auto answer = parse_submit_answer(huge, "case_number");
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.error().message.find("too large"), std::string::npos);
}

TEST(Base64, RoundTripsEveryLengthAndRefusesGarbage) {
  std::vector<std::uint8_t> bytes;
  for (int length = 0; length < 40; ++length) {
    auto decoded = base64_decode(base64_encode(bytes));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded.value(), bytes);
    bytes.push_back(static_cast<std::uint8_t>(length * 37 + 11));
  }
  EXPECT_EQ(base64_encode({'M', 'a', 'n'}), "TWFu");
  EXPECT_EQ(base64_encode({'M'}), "TQ==");
  EXPECT_FALSE(base64_decode("TQ=").ok());
  EXPECT_FALSE(base64_decode("T=Q=").ok());
  EXPECT_FALSE(base64_decode("TQ==TWFu").ok());
  EXPECT_FALSE(base64_decode("TW\nu").ok());
}

TEST(IdempotencyKeys, FollowTheContract) {
  EXPECT_TRUE(valid_idempotency_key("0123456789abcdef"));
  EXPECT_TRUE(valid_idempotency_key(std::string(64, 'A')));
  EXPECT_FALSE(valid_idempotency_key("0123456789abcde"));
  EXPECT_FALSE(valid_idempotency_key(std::string(65, 'A')));
  EXPECT_FALSE(valid_idempotency_key("0123456789abcde/"));
}

TEST(ErrorAnswers, CarryTheCodeTheCitizenMessageAndWhetherToRetry) {
  const std::string retry_after = "3";
  auto error = error_from_answer(503, R"({"error":{"code":"unavailable","message":"平台维护中","retryable":true}})", &retry_after);
  EXPECT_EQ(error.kind, PlatformErrorKind::http);
  EXPECT_EQ(error.code, "unavailable");
  EXPECT_EQ(error.citizen_message, "平台维护中");
  EXPECT_TRUE(error.retryable);
  EXPECT_EQ(error.retry_after, 3000);

  EXPECT_FALSE(error_from_answer(422, R"({"error":{"code":"idempotency_mismatch"}})", nullptr).retryable);
  EXPECT_TRUE(error_from_answer(409, R"({"error":{"code":"idempotency_in_flight"}})", nullptr).retryable);
  EXPECT_FALSE(error_from_answer(409, R"({"error":{"code":"already_rated"}})", nullptr).retryable);
  EXPECT_TRUE(error_from_answer(429, "garbage", nullptr).retryable);
  auto garbage = error_from_answer(500, "<html>oops</html>", nullptr);
  EXPECT_TRUE(garbage.code.empty());
  EXPECT_TRUE(garbage.retryable);
}

TEST(RetryAfter, SecondsOrAnHttpDate) {
  EXPECT_EQ(parse_retry_after("120", 0), 120000);
  EXPECT_EQ(parse_retry_after(" 5 ", 0), 5000);
  EXPECT_EQ(parse_retry_after("99999999", 0), 24 * 3600 * 1000);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", 1445412480), 10000);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490), 0);
  EXPECT_FALSE(parse_retry_after("soon", 0).has_value());
  EXPECT_FALSE(parse_retry_after("", 0).has_value());
  EXPECT_FALSE(parse_retry_after("-5", 0).has_value());
}

TEST(Backoff, GrowsWithJitterCapsAndHonoursRetryAfter) {
  BackoffPolicy policy;  // 1 s, ×2, 5 min
  std::mt19937_64 random(7);
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const Milliseconds top = std::min<Milliseconds>(1000LL << (attempt - 1), 300000);
    for (int i = 0; i < 50; ++i) {
      const Milliseconds delay = backoff_delay(policy, attempt, std::nullopt, random);
      EXPECT_GE(delay, top / 2);
      EXPECT_LE(delay, top);
    }
  }
  EXPECT_GE(backoff_delay(policy, 1, 30000, random), 30000);
  // Jitter: a fleet does not retry in lock-step.
  std::set<Milliseconds> seen;
  for (int i = 0; i < 20; ++i) seen.insert(backoff_delay(policy, 4, std::nullopt, random));
  EXPECT_GT(seen.size(), 10u);
}

}  // namespace
}  // namespace kiosk::platform
