// The rating (好差评) and queue ticket bodies by the contract's rules (docs/platform-api.md), and the
// check of a ticket the platform sends back (outside data) — screens/hall_requests.h.
#include "screens/hall_requests.h"

#include <set>

#include <gtest/gtest.h>

namespace screens {
namespace {

using namespace kiosk;

catalog::Catalog sample_catalog() {
  catalog::Catalog catalog;
  catalog.rating_reasons = {{"slow", "办理时间长", {1, 2}}, {"attitude", "态度差", {1, 2}}, {"praise", "服务热情", {4, 5}}};
  catalog.queue_categories = {{"A", "综合受理", true}, {"D", "企业开办", false}};
  return catalog;
}

std::string repeated(const char* character, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += character;
  return out;
}

TEST(RatingBody, AGoodRatingOfACase) {
  auto body = rating_body({"SC20261125000123", 5, {}, "", "2026-11-25T14:03:00+08:00"}, sample_catalog());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value(), nlohmann::json({{"case_number", "SC20261125000123"},
                                          {"level", 5},
                                          {"channel", "kiosk"},
                                          {"rated_at", "2026-11-25T14:03:00+08:00"}}));
}

TEST(RatingBody, TheHallsServiceHasNoCaseNumber) {
  auto body = rating_body({"", 3, {}, "  还行  ", ""}, sample_catalog());
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(body.value().contains("case_number"));
  EXPECT_EQ(body.value()["text"], "还行") << "blanks around the text are trimmed";
  EXPECT_FALSE(body.value().contains("reasons"));
}

TEST(RatingBody, BadLevelsNeedAReason) {
  EXPECT_EQ(rating_body({"", 1, {}, "", ""}, sample_catalog()).error(), RatingProblem::reason_needed);
  EXPECT_EQ(rating_body({"", 2, {}, "很不好", ""}, sample_catalog()).error(), RatingProblem::reason_needed)
      << "text does not stand in for a reason";
  auto body = rating_body({"", 2, {"slow", "attitude", "slow"}, "等了很久", ""}, sample_catalog());
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body.value()["reasons"], nlohmann::json({"slow", "attitude"})) << "each reason once";
  EXPECT_EQ(body.value()["text"], "等了很久");
}

TEST(RatingBody, ReasonsMustBeOfferedAtTheLevel) {
  EXPECT_EQ(rating_body({"", 2, {"unknown"}, "", ""}, sample_catalog()).error(), RatingProblem::reason_unknown);
  EXPECT_EQ(rating_body({"", 2, {"praise"}, "", ""}, sample_catalog()).error(), RatingProblem::reason_unknown);
  EXPECT_EQ(rating_body({"", 5, {"slow"}, "", ""}, sample_catalog()).error(), RatingProblem::reason_unknown);
  EXPECT_TRUE(rating_body({"", 5, {"praise"}, "", ""}, sample_catalog()).ok());
}

TEST(RatingBody, LevelsAreOneToFive) {
  EXPECT_EQ(rating_body({"", 0, {}, "", ""}, sample_catalog()).error(), RatingProblem::level);
  EXPECT_EQ(rating_body({"", 6, {}, "", ""}, sample_catalog()).error(), RatingProblem::level);
  EXPECT_EQ(rating_body({"", -1, {"slow"}, "", ""}, sample_catalog()).error(), RatingProblem::level);
}

TEST(RatingBody, TextIsCountedInCharactersAndCappedAt500) {
  // 500 Chinese characters are 1500 bytes: still within the limit.
  EXPECT_TRUE(rating_body({"", 4, {}, repeated("好", 500), ""}, sample_catalog()).ok());
  EXPECT_EQ(rating_body({"", 4, {}, repeated("好", 501), ""}, sample_catalog()).error(), RatingProblem::text_too_long);
  EXPECT_EQ(rating_body({"", 4, {}, repeated("a", 501), ""}, sample_catalog()).error(), RatingProblem::text_too_long);
  EXPECT_EQ(character_count("好a好"), 3u);
}

TEST(RatingBody, MalformedTextIsRepairedNotThrown) {
  auto body = rating_body({"", 4, {}, "好\xFF\xFE", ""}, sample_catalog());
  ASSERT_TRUE(body.ok());
  EXPECT_NO_THROW((void)body.value().dump());
}

TEST(TicketBody, OrdinaryAndPriority) {
  EXPECT_EQ(ticket_body({"D", Priority::none, ""}, sample_catalog()).value(), nlohmann::json({{"category", "D"}}));
  auto priority = ticket_body({"A", Priority::elderly, "token-1"}, sample_catalog());
  ASSERT_TRUE(priority.ok());
  EXPECT_EQ(priority.value(), nlohmann::json({{"category", "A"}, {"priority", "elderly"}, {"identity_token", "token-1"}}));
  EXPECT_EQ(ticket_body({"A", Priority::disabled, "t"}, sample_catalog()).value()["priority"], "disabled");
}

TEST(TicketBody, Refusals) {
  EXPECT_EQ(ticket_body({"Z", Priority::none, ""}, sample_catalog()).error(), TicketProblem::unknown_category);
  EXPECT_EQ(ticket_body({"", Priority::none, ""}, sample_catalog()).error(), TicketProblem::unknown_category);
  EXPECT_EQ(ticket_body({"D", Priority::elderly, "token"}, sample_catalog()).error(), TicketProblem::priority_not_offered);
  EXPECT_EQ(ticket_body({"A", Priority::elderly, ""}, sample_catalog()).error(), TicketProblem::identity_needed);
}

TEST(CheckedTicket, AcceptsAHallsNumber) {
  platform::Ticket ticket{"A023", "综合受理", 5, 15, "2026-11-25T14:03:00+08:00", "泸州市政务服务中心"};
  auto checked = checked_ticket(ticket);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked.value().ticket, "A023");
  EXPECT_EQ(checked.value().hall, "泸州市政务服务中心");
}

TEST(CheckedTicket, RefusesWhatCannotBeShownOrPrinted) {
  const platform::Ticket good{"A023", "综合受理", 5, 15, "", ""};
  for (const std::string& number : {std::string(""), std::string("A 023"), std::string("A023\n"), std::string(17, 'A'),
                                   std::string("号码1"), std::string("A0\x00" "23", 5)}) {
    platform::Ticket bad = good;
    bad.ticket = number;
    EXPECT_FALSE(checked_ticket(bad).ok()) << number;
  }
  platform::Ticket negative = good;
  negative.waiting = -1;
  EXPECT_FALSE(checked_ticket(negative).ok());
  platform::Ticket endless = good;
  endless.estimated_wait_min = 100000;
  EXPECT_FALSE(checked_ticket(endless).ok());
}

TEST(CheckedTicket, NamesAreTidiedForOneLine) {
  platform::Ticket ticket{"B7", "公安\n户政\x01", 0, 0, "", repeated("大", 60)};
  auto checked = checked_ticket(ticket);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked.value().category_name, "公安户政");
  EXPECT_EQ(character_count(checked.value().hall), 40u);
}

TEST(RequestKey, FreshAndValid) {
  std::set<std::string> keys;
  for (int i = 0; i < 50; ++i) {
    const std::string key = new_request_key();
    EXPECT_TRUE(platform::valid_idempotency_key(key)) << key;
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), 50u);
}

TEST(PrintReport, AQueueTicket) {
  EXPECT_EQ(queue_print_report("2026-11-25T14:03:00+08:00"),
            nlohmann::json({{"kind", "queue_ticket"}, {"copies", 1}, {"printed_at", "2026-11-25T14:03:00+08:00"}}));
}

}  // namespace
}  // namespace screens
