// One masking rule on screen (kiosk/core/masking.h) and the script driver's check of it
// (kiosk/driver/personal_data.h): the form and the review show the card's ID number, the name and
// a typed phone masked; the field being edited shows what is typed; anything else in full fails.
#include <gtest/gtest.h>

#include "kiosk/apply/application.h"
#include "kiosk/driver/personal_data.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

constexpr const char* kRenewIdCard = "510502000000-QR-0001";  // 居民身份证有效期满换领: name, ID, phone
constexpr const char* kIdNumber = "510502195803150137";       // assets/identities/zhangsan.json

class PersonalDataTest : public AppTest {
 protected:
  PersonalDataTest() : AppTest(sim_devices()) {}
  void SetUp() override {
    start();
    // The card starts a session on the attract screen; then an application as the form leaves it.
    ASSERT_TRUE(run("card zhangsan\nwait-for \"张*\""));
    ASSERT_TRUE(app_->session().identity.has_value());
    const catalog::Item* item = app_->catalog()->find_item(kRenewIdCard);
    ASSERT_NE(item, nullptr);
    app_->session().application = std::make_unique<apply::Application>(apply::start_application(*item, &*app_->session().identity));
    app_->session().application->form["phone"] = "13912345678";
  }
  std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) out += line + "\n";
    return out;
  }
  const ui::TextField* field(const std::string& id) {
    for (const ui::VisibleWidget& entry : app_->visible_widgets()) {
      if (entry.widget->id() == id) return dynamic_cast<const ui::TextField*>(entry.widget);
    }
    return nullptr;
  }
};

TEST_F(PersonalDataTest, TheFormMasksEveryFieldButTheOneBeingEdited) {
  app_->push(screens::make_form_screen());
  ASSERT_TRUE(run("scroll-to id=field-id_number"));
  const ui::TextField* id_field = field("field-id_number");
  ASSERT_NE(id_field, nullptr);
  EXPECT_EQ(id_field->text(), "5105**********0137");
  ASSERT_TRUE(run("scroll-to id=field-phone"));
  ASSERT_NE(field("field-phone"), nullptr);
  EXPECT_EQ(field("field-phone")->text(), "139****5678");
  EXPECT_EQ(joined(driver::check_personal_data(*app_)), "");
  // Editing the ID number: its field shows it in full (and that is no leak).
  ASSERT_TRUE(run("scroll-to id=field-id_number\ntap id=field-id_number"));
  ASSERT_NE(field("field-id_number"), nullptr);
  EXPECT_EQ(field("field-id_number")->text(), kIdNumber);
  EXPECT_EQ(joined(driver::check_personal_data(*app_)), "");
}

TEST_F(PersonalDataTest, TheReviewShowsNameIdAndPhoneMasked) {
  app_->push(screens::make_review_screen());
  ASSERT_TRUE(run("expect-screen review\nexpect \"张*\"\nexpect \"5105**********0137\""));
  EXPECT_EQ(joined(driver::check_personal_data(*app_)), "");
  ASSERT_TRUE(run("scroll-to \"139****5678\"\nexpect-not \"13912345678\"\nexpect-not \"张三\""));
  EXPECT_EQ(joined(driver::check_personal_data(*app_)), "");
}

TEST_F(PersonalDataTest, AnyOtherPlaceInFullIsReportedByWidgetWithTheValueMasked) {
  app_->show_dialog("核对", std::string("身份证号 ") + kIdNumber + "，电话 13912345678，姓名 张三", {});
  const std::string report = joined(driver::check_personal_data(*app_));
  EXPECT_NE(report.find("the card's ID number in full"), std::string::npos) << report;
  EXPECT_NE(report.find("the card's name in full"), std::string::npos) << report;
  EXPECT_NE(report.find("form field phone in full"), std::string::npos) << report;
  EXPECT_NE(report.find("5105**********0137"), std::string::npos) << report;  // the message masks what it found
  EXPECT_EQ(report.find(kIdNumber), std::string::npos) << report;
  EXPECT_EQ(report.find("13912345678"), std::string::npos) << report;
  // And a screenshot line fails with it.
  driver::ScriptRunner runner(*app_, clock_, devices_, driver::RunOptions{testing::TempDir() + "personal-data", {}, false, KIOSK_TEST_ASSETS, {}});
  auto commands = driver::parse_script("screenshot leak");
  ASSERT_TRUE(commands.ok());
  const Status shot = runner.run(*commands);
  ASSERT_FALSE(shot.ok());
  EXPECT_NE(shot.error().message.find("personal data not masked"), std::string::npos) << shot.error().message;
}

}  // namespace
}  // namespace kiosk
