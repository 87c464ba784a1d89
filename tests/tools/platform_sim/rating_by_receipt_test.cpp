// A case sent offline is rated by the local receipt number the terminal showed (the citizen rated
// it before the platform's case number came): the platform keeps that number with the case, so the
// rating finds the case, and "one rating per case and channel" holds across both numbers.
#include "tests/tools/platform_sim/sim_harness.h"

namespace platform_sim_test {
namespace {

class SimRatingByReceipt : public SimFixture {};

TEST_F(SimRatingByReceipt, TheLocalReceiptFindsTheCase) {
  const auto created = api().post("/api/v1/cases", zhangsan_case(), {key_header("case-key-0000000001")});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string case_number = created.json_body()["case_number"];

  const json by_receipt = {{"case_number", "L-0001-000042"}, {"level", 4}, {"channel", "kiosk"}};
  const auto rated = api().post("/api/v1/ratings", by_receipt, {key_header("rating-key-0000001")});
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(api().post("/api/v1/ratings", by_receipt, {key_header("rating-key-0000001")}).body, rated.body);

  const json by_number = {{"case_number", case_number}, {"level", 5}, {"channel", "kiosk"}};
  EXPECT_EQ(api().post("/api/v1/ratings", by_number, {key_header("rating-key-0000002")}).error_code(), "already_rated");
  const json unknown = {{"case_number", "L-0001-999999"}, {"level", 5}, {"channel", "kiosk"}};
  EXPECT_EQ(api().post("/api/v1/ratings", unknown, {key_header("rating-key-0000003")}).error_code(), "not_found");

  const json ratings = admin_json("/admin/ratings");
  ASSERT_EQ(ratings.size(), 1u);
  EXPECT_EQ(ratings[0]["body"]["case_number"], "L-0001-000042") << "the body is kept as it was sent";
}

}  // namespace
}  // namespace platform_sim_test
