// Screens a citizen understands (issue 17): no back or home on the home screen, step counts taken
// from the flow being followed, guides that lead with what the citizen needs, outcome pages with a
// symbol, one primary way forward and no codes meant for technicians.
#include <gtest/gtest.h>

#include "kiosk/face/face_gate.h"
#include "screens/journey.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

class CitizenScreensTest : public AppTest {
 protected:
  CitizenScreensTest() : AppTest(sim_devices({{"face_camera", {{"frames", {"images/face-ok.ppm"}}}}})) {}
  void SetUp() override {
    Services services;
    services.face_gate = &gate_;
    start({}, services);
  }
  // The visible widget with that id, or null.
  ui::Widget* visible(const std::string& id) {
    for (const ui::VisibleWidget& entry : app_->visible_widgets()) {
      if (entry.widget->id() == id) return entry.widget;
    }
    return nullptr;
  }
  std::vector<ui::Button*> visible_buttons(ui::ButtonKind kind) {
    std::vector<ui::Button*> found;
    for (const ui::VisibleWidget& entry : app_->visible_widgets()) {
      auto* button = dynamic_cast<ui::Button*>(entry.widget);
      if (button && button->id().rfind("outcome-", 0) == 0 && button->kind() == kind) found.push_back(button);
    }
    return found;
  }
  // From the start to applying for 养老保险待遇资格认证 (no materials): the identify screen.
  ::testing::AssertionResult apply_for_certification(const std::string& then) {
    return run("tap id=start\nwait-for \"公安\"\nscroll-to id=category-human-resources\ntap id=category-human-resources\n"
               "scroll-to \"养老保险待遇资格认证\"\ntap \"养老保险待遇资格认证\"\nscroll-to id=apply\ntap id=apply\n" + then);
  }
  const catalog::Item& item(const std::string& name) {
    for (const catalog::Item& candidate : app_->catalog()->items) {
      if (candidate.name == name) return candidate;
    }
    ADD_FAILURE() << "no item " << name;
    return app_->catalog()->items.front();
  }
  Lazy<face::FaceGate> gate_{[] {
    auto gate = face::FaceGate::create();
    return gate.ok() ? std::make_unique<face::FaceGate>(gate.release_value()) : nullptr;
  }};
};

TEST_F(CitizenScreensTest, TheHomeScreenHasNoBackOrHome) {
  ASSERT_TRUE(run("tap id=start\nwait-for \"公安\"\nexpect-screen home\nexpect-not id=back\nexpect-not id=home"));
  ASSERT_TRUE(run("tap id=category-public-security\nexpect-screen category\nexpect id=back\nexpect id=home"));
  ASSERT_TRUE(run("tap id=home\nexpect-screen home\nexpect-not id=back"));
}

// The counter is the flow's own: an item without materials has no materials step, so it is not
// "共 5 步".
TEST_F(CitizenScreensTest, TheStepCountIsTheFlowsStepCount) {
  ASSERT_TRUE(apply_for_certification("expect-screen identify"));
  const catalog::Item& certification = item("养老保险待遇资格认证");
  ASSERT_TRUE(certification.materials.empty());
  const screens::JourneyFlow flow = screens::application_flow(certification, nullptr);
  EXPECT_EQ(std::count(flow.begin(), flow.end(), screens::JourneyStep::materials), 0);
  ui::Widget* step = visible("journey-step");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->text(), "第 1 步，共 " + std::to_string(flow.size()) + " 步：核验身份");
  EXPECT_NE(flow.size(), 5u);

  // An item with materials and a form: every step, in order.
  const catalog::Item& renew = item("居民身份证有效期满换领");
  EXPECT_EQ(screens::application_flow(renew, nullptr),
            (screens::JourneyFlow{screens::JourneyStep::identify, screens::JourneyStep::materials, screens::JourneyStep::form,
                                  screens::JourneyStep::review, screens::JourneyStep::submit}));
  EXPECT_EQ(screens::licence_flow().size(), 3u);
}

TEST_F(CitizenScreensTest, AGuideLeadsWithWhatTheCitizenNeeds) {
  ASSERT_TRUE(run("tap id=start\nwait-for \"公安\"\ntap id=search\ntype \"sfz\"\ntap id=keyboard-hide\n"
                  "scroll-to \"居民身份证有效期满换领\"\ntap \"居民身份证有效期满换领\"\nexpect-screen guide"));
  // The top of the guide: materials, not codes and legal basis.
  EXPECT_NE(visible("guide-materials"), nullptr);
  EXPECT_EQ(visible("guide-basics"), nullptr);
  ASSERT_TRUE(run("expect-not \"事项编码\"\nexpect-not \"设定依据\""));
  // Codes, department and legal basis come last: after the steps.
  ASSERT_TRUE(run("scroll-to id=guide-basics"));
  ui::Widget* basics = visible("guide-basics");
  ASSERT_NE(basics, nullptr);
  if (ui::Widget* steps = visible("guide-steps")) {
    EXPECT_LT(steps->rect().y, basics->rect().y);
  }
  EXPECT_EQ(visible("guide-materials"), nullptr);
}

TEST_F(CitizenScreensTest, AnExpiredCardPageHasASymbolOneWayForwardAndNoCode) {
  ASSERT_TRUE(apply_for_certification("card wangfang-expired\nwait-for \"身份证已过有效期\""));
  ASSERT_TRUE(run("expect id=outcome-symbol-caution\nexpect-not \"card_expired\"\nexpect-not \"参考代码\""));
  EXPECT_EQ(visible_buttons(ui::ButtonKind::primary).size(), 1u);
  // The page points to the renewal guide: one tap opens it.
  ASSERT_TRUE(run("scroll-to id=outcome-0\ntap id=outcome-0\nexpect-screen guide\nexpect \"居民身份证有效期满换领\""));
}

TEST_F(CitizenScreensTest, NoPlatformIsSaidWithoutADeveloperCode) {
  ASSERT_TRUE(apply_for_certification(
      "card zhangsan\nwait-for \"同意，开始拍照\"\ntap id=consent-agree\nwait-for \"暂时连不上政务服务平台\" 10000"));
  ASSERT_TRUE(run("expect-not \"no_platform\"\nexpect id=outcome-symbol-caution"));
  EXPECT_EQ(visible_buttons(ui::ButtonKind::primary).size(), 1u);
}

}  // namespace
}  // namespace kiosk
