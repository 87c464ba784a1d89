// Online submission paused by this terminal's own configuration (platform::ChannelStatus::
// config_fault), not by an outage: the staff-call dialog and the submitted screen say so and where
// staff are — never "the network is down for now" — and the case stays in the outbox. The fault
// is made for real: a platform channel whose certificate and key files are not PEM, talking to a
// loopback port, so curl refuses them (CURLE_SSL_CERTPROBLEM) as it would on a terminal with a
// broken certificate. (The wrong-CA case against the simulator is
// tests/journey/platform-misconfigured.script.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>

#include "kiosk/apply/application.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/platform/channel.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRenewIdCard = "510502000000-QR-0001";  // 居民身份证有效期满换领

// A loopback port that takes connections (the kernel completes them; nobody answers).
class Listener {
 public:
  Listener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "loopback listener: " << std::strerror(errno);
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~Listener() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

struct Variant {
  const char* name;
  bool elderly;
};

class PlatformSuspendedTest : public AppTest, public testing::WithParamInterface<Variant> {
 protected:
  PlatformSuspendedTest() : AppTest(sim_devices()) {}

  void SetUp() override {
    std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();  // "Test/variant"
    std::replace(test.begin(), test.end(), '/', '-');
    dir_ = fs::path(testing::TempDir()) / ("platform-suspended-" + std::to_string(::getpid()) + "-" + test);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"ca.crt", "terminal.crt", "terminal.key"}) std::ofstream(dir_ / name) << "not a PEM file\n";
    ASSERT_EQ(::chmod((dir_ / "terminal.key").c_str(), 0600), 0);

    platform::ChannelSettings settings;
    settings.tls.base_url = "https://127.0.0.1:" + std::to_string(listener_.port());
    settings.tls.ca_file = dir_ / "ca.crt";
    settings.tls.cert_file = dir_ / "terminal.crt";
    settings.tls.key_file = dir_ / "terminal.key";
    settings.tls.connect_timeout = 2000;
    settings.tls.total_timeout = 5000;
    settings.data_dir = dir_ / "data";
    settings.seal_key_file = dir_ / "data" / "seal.key";
    settings.factory_catalog = fs::path(KIOSK_TEST_ASSETS) / "catalog" / "items.json";
    settings.heartbeat_s = 3600;
    settings.backoff = {50, 200, 2.0};
    crypto_ = crypto::make_crypto();
    auto channel = platform::Channel::open(std::move(settings), *crypto_);
    ASSERT_TRUE(channel.ok()) << channel.error().message;
    channel_ = channel.release_value();

    Config config;
    config.elderly_mode = GetParam().elderly;
    config.platform.enabled = true;
    Services services;
    services.receipt_atlas = &receipt_atlas_;  // the receipt prints, as on a terminal
    start(config, services, channel_.get());
    channel_->start();
    // The screenshots are for people to look at (portrait, standard and elderly; kept when the
    // test fails); the driver also checks each for accessibility and personal data in full.
    runner_ = std::make_unique<driver::ScriptRunner>(
        *app_, clock_, devices_, driver::RunOptions{dir_ / "screenshots", {}, false, KIOSK_TEST_ASSETS, {}});
    std::fprintf(stderr, "screenshots: %s\n", (dir_ / "screenshots").c_str());
  }

  void TearDown() override {
    if (channel_) channel_->stop();
    runner_.reset();
    app_.reset();
    channel_.reset();
    if (!HasFailure()) fs::remove_all(dir_);  // kept, with the screenshots, when the test failed
  }

  fs::path dir_;
  Listener listener_;
  Lazy<ui::GlyphAtlas> receipt_atlas_{[] {
    auto fonts = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
    return fonts.ok() ? fonts.release_value() : nullptr;
  }};
  std::unique_ptr<crypto::Crypto> crypto_;
  std::unique_ptr<platform::Channel> channel_;
};

TEST_P(PlatformSuspendedTest, StaffCallAndSubmittedScreenSayOnlineSubmissionIsPausedAndWhereStaffAre) {
  ASSERT_TRUE(run("platform expect-offline 10000"));
  const platform::ChannelStatus status = channel_->status();
  ASSERT_TRUE(status.config_fault.has_value()) << status.last_error;
  EXPECT_EQ(status.config_fault->field.rfind("platform.", 0), 0u) << status.config_fault->describe();
  EXPECT_TRUE(app_->platform_offline());
  EXPECT_TRUE(app_->platform_suspended());

  // A citizen calls staff: the hall cannot be told, and it is no network outage.
  ASSERT_TRUE(run("card zhangsan\nwait-for \"张*\"\nwait-for \"本机暂停网上报送，请联系工作人员（一楼大厅咨询台）。\"\n"
                  "tap id=call-staff\n"
                  "expect \"请直接找工作人员\"\n"
                  "expect \"本机暂停网上报送，工作人员收不到这里的呼叫。\"\n"
                  "expect \"请到一楼大厅咨询台找工作人员帮忙。已提交的申请保存在本机，工作人员处理好后会自动报送。\"\n"
                  "expect-not \"网络暂时\"\n"
                  "screenshot staff-call-suspended\n"
                  "tap \"好的，我在这里等\""));

  // A case submitted while paused (as the review screen commits it): kept in the outbox, and the
  // submitted screen says why it has only the local receipt number.
  const catalog::Item* item = app_->catalog()->find_item(kRenewIdCard);
  ASSERT_NE(item, nullptr);
  auto entry = channel_->submit(outbox::Kind::case_submission, {{"item_code", kRenewIdCard}});
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  app_->session().application =
      std::make_unique<apply::Application>(apply::start_application(*item, &*app_->session().identity));
  app_->session().application->local_receipt = entry->local_receipt;
  app_->session().application->submitted_at = "2026-12-08T09:30:00+08:00";
  app_->push(screens::make_submitted_screen());
  ASSERT_TRUE(run("wait-for id=submitted-offline\n"
                  "expect \"本机暂停网上报送。申请已保存在本机，工作人员处理好后会自动发送到政务服务平台；"
                  "需要帮助请到一楼大厅咨询台找工作人员。请凭回执编号查询办理进度。\"\n"
                  "expect-not \"网络暂时\"\n"
                  "expect-not \"网络恢复\"\n"
                  "screenshot submitted-suspended\n"
                  "scroll-to id=receipt-printed"));
  EXPECT_EQ(channel_->status().outbox.pending, 1);  // kept, to go once the fault is fixed
}

// The same in English.
TEST_P(PlatformSuspendedTest, EnglishSaysTheSame) {
  ASSERT_TRUE(run("platform expect-offline 10000"));
  ASSERT_TRUE(app_->platform_suspended());
  app_->set_language(Language::en);
  ASSERT_TRUE(run("card zhangsan\ntap id=call-staff\n"
                  "expect \"Online submission is paused on this terminal, so staff cannot get the call.\"\n"
                  "expect-not \"network is down\"\n"
                  "tap \"OK, I will wait here\""));
  const catalog::Item* item = app_->catalog()->find_item(kRenewIdCard);
  ASSERT_NE(item, nullptr);
  app_->session().application = std::make_unique<apply::Application>(apply::start_application(*item, nullptr));
  app_->session().application->local_receipt = "L-000001";
  app_->push(screens::make_submitted_screen());
  ASSERT_TRUE(run("wait-for id=submitted-offline\n"
                  "expect \"Online submission is paused on this terminal. Your application is saved here\"\n"
                  "expect-not \"network is down\""));
}

INSTANTIATE_TEST_SUITE_P(Layouts, PlatformSuspendedTest, testing::Values(Variant{"standard", false}, Variant{"elderly", true}),
                         [](const testing::TestParamInfo<Variant>& variant) { return std::string(variant.param.name); });

}  // namespace
}  // namespace kiosk
