// Journey 1 inside the app without a platform (the end-to-end runs with one are tests/journey):
// the way in from a guide, identification outcomes a terminal without a platform must give, the
// edit links' navigation, work on other threads holding the driver, and the session wipe.
#include <gtest/gtest.h>

#include "devices/registry.h"
#include "devices/sim/sim_camera.h"

#include <thread>
#include "kiosk/apply/application.h"
#include "kiosk/face/face_gate.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

class JourneyTest : public AppTest {
 protected:
  JourneyTest() : AppTest(sim_devices({{"face_camera", {{"frames", {"images/face-ok.ppm"}}}}})) {}
  void SetUp() override {
    ASSERT_TRUE(face::FaceGate::create().ok());
    Services services;
    services.face_gate = &gate_;
    start({}, services);
  }
  // To the guide of 养老保险待遇资格认证 (no materials) and into identification.
  ::testing::AssertionResult open_identify() {
    return run("tap id=start\nwait-for \"公安\"\nscroll-to id=category-human-resources\ntap id=category-human-resources\n"
               "scroll-to \"养老保险待遇资格认证\"\ntap \"养老保险待遇资格认证\"\nscroll-to id=apply\ntap id=apply\n"
               "expect-screen identify");
  }
  Lazy<face::FaceGate> gate_{[] {
    auto gate = face::FaceGate::create();
    return gate.ok() ? std::make_unique<face::FaceGate>(gate.release_value()) : nullptr;
  }};
};

TEST_F(JourneyTest, OnlyKioskItemsWithSomethingToApplyForOfferApplying) {
  ASSERT_TRUE(run("tap id=start\nwait-for \"公安\"\ntap id=category-public-security\nscroll-to \"户口簿遗失补领\"\n"
                  "tap \"户口簿遗失补领\"\nexpect \"本机不能办理此事项\"\nexpect-not \"在本机申请\""));
}

TEST_F(JourneyTest, WithoutAPlatformTheFaceIsTakenButNothingIsVerifiedOrKept) {
  ASSERT_TRUE(open_identify());
  ASSERT_TRUE(run("expect \"请把身份证放在读卡区\"\ncard zhangsan\nwait-for \"同意，开始拍照\"\nexpect \"张*，您好\""));
  ASSERT_TRUE(run("tap id=consent-agree\nwait-for \"暂时连不上政务服务平台\" 10000\nexpect-not \"no_platform\""));
  EXPECT_TRUE(app_->session().identity_token.empty());
  EXPECT_FALSE(app_->session().verified(app_->now()));
  EXPECT_EQ(app_->session().application, nullptr);
  // back to the guide: the citizen can go on reading
  ASSERT_TRUE(run("tap id=outcome-1\nexpect-screen guide"));
}

TEST_F(JourneyTest, DecliningConsentTakesNoPicture) {
  ASSERT_TRUE(open_identify());
  ASSERT_TRUE(run("card zhangsan\nwait-for \"不同意\"\ntap id=consent-decline\nexpect-screen guide"));
  const auto* camera = dynamic_cast<devices::sim::SimFaceCamera*>(devices_.face_camera.get());
  ASSERT_NE(camera, nullptr);
  for (const std::string& entry : camera->history()) EXPECT_EQ(entry.rfind("capture", 0), std::string::npos) << entry;
}

TEST_F(JourneyTest, AnExpiredCardIsCaughtBeforeAnyPicture) {
  ASSERT_TRUE(open_identify());
  ASSERT_TRUE(run("card wangfang-expired\nwait-for \"身份证已过有效期\"\nexpect-not \"同意，开始拍照\""));
}

TEST_F(JourneyTest, AFaultyReaderSaysWhereToGo) {
  ASSERT_TRUE(run("unplug card_reader"));
  ASSERT_TRUE(open_identify());
  ASSERT_TRUE(run("expect \"读卡器暂时不能使用\"\nexpect \"一楼大厅咨询台\""));
}

TEST_F(JourneyTest, ACameraThatDeliversNothingIsAFaultNotAnEndlessWait) {
  ASSERT_TRUE(open_identify());
  ASSERT_TRUE(run("face none\ncard zhangsan\nwait-for \"同意，开始拍照\"\ntap id=consent-agree\n"
                  "wait-for \"摄像头暂时不能使用\" 10000"));
}

TEST_F(JourneyTest, EndingTheSessionWipesTheApplication) {
  ASSERT_TRUE(run("tap id=start"));
  app_->session().application = std::make_unique<apply::Application>();
  app_->session().application->form["phone"] = "13800000000";
  app_->session().identity_token = "token";
  app_->end_session();
  EXPECT_EQ(app_->session().application, nullptr);
  EXPECT_TRUE(app_->session().identity_token.empty());
}

TEST_F(JourneyTest, AnotherPersonsCardMidSessionEndsTheVerifiedSession) {
  ASSERT_TRUE(run("card zhangsan\nwait-for \"张*，您好\""));
  app_->session().application = std::make_unique<apply::Application>();
  app_->session().application->form["phone"] = "13800000000";
  app_->session().identity_token = "token-of-zhangsan";
  app_->session().identity_expires_at = app_->now() + 600000;
  ASSERT_TRUE(app_->session().verified(app_->now()));
  // The same card again changes nothing; another person's card must not inherit the verification.
  ASSERT_TRUE(run("card none\ncard zhangsan\nwait 500"));
  EXPECT_TRUE(app_->session().verified(app_->now()));
  ASSERT_TRUE(run("card none\ncard lisi\nwait-for \"李*，您好\"\nexpect-screen home"));
  EXPECT_FALSE(app_->session().verified(app_->now()));
  EXPECT_TRUE(app_->session().identity_token.empty());
  EXPECT_EQ(app_->session().application, nullptr);
  ASSERT_TRUE(app_->session().identity.has_value());
  EXPECT_EQ(app_->session().identity->name, "李思");
}

TEST_F(JourneyTest, BackToReturnsToTheNearestScreenOfThatName) {
  ASSERT_TRUE(run("tap id=start\ntap id=search\nexpect-screen search"));
  app_->push(screens::make_guide_screen("510500000000-GG-0010"));
  app_->back_to("home");
  ASSERT_TRUE(run("expect-screen home"));
  app_->back_to("search");  // none under home: nothing happens
  ASSERT_TRUE(run("expect-screen home"));
}

TEST_F(JourneyTest, PendingWorkHoldsTheDriverUntilItsAnswerIsHandled) {
  ASSERT_TRUE(run("tap id=start"));
  auto work = app_->begin_work();
  EXPECT_TRUE(app_->working());
  bool handled = false;
  std::thread other([work, &handled] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    work->finish([&handled] { handled = true; });
  });
  work.reset();
  ASSERT_TRUE(run("wait 1"));  // settles only once the answer ran on the UI thread
  other.join();
  EXPECT_TRUE(handled);
  ASSERT_TRUE(run("wait 1"));
  EXPECT_FALSE(app_->working());
}

}  // namespace
}  // namespace kiosk

namespace kiosk {
namespace {

TEST_F(AppTest, ATapSurvivesARebuildBetweenDownAndUp) {
  start();
  ASSERT_TRUE(run("expect-screen attract"));
  const ui::Point point{540, 700};
  app_->pointer_down(point);
  app_->rebuild();  // a catalog or a platform status arriving under the finger
  app_->tick();
  app_->pointer_up(point);
  ASSERT_TRUE(run("expect-screen home"));
}

TEST_F(AppTest, ADragIsNotReplayedAsATap) {
  start();
  ASSERT_TRUE(run("tap id=start\nexpect-screen home"));
  app_->pointer_down({540, 1200});
  app_->pointer_move({540, 1100});
  app_->pointer_move({540, 900});
  app_->rebuild();
  app_->pointer_up({540, 900});
  ASSERT_TRUE(run("expect-screen home"));
}

}  // namespace
}  // namespace kiosk
