// Technician mode (screens/technician*.cpp): the hidden gesture, the PIN and its lockout (with a
// real PinGuard, real PBKDF2 on the real crypto backend, a real state file), the audit trail, the
// idle exit, and every page built against a small Operations of our own with canned answers.
#include <unistd.h>

#include <fstream>
#include <mutex>

#include "app_fixture.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/ops/operations.h"
#include "kiosk/ops/technician_pin.h"
#include "screens/technician.h"

namespace kiosk {
namespace {

using nlohmann::json;

// Canned answers, and a record of what the screens asked for.
class TestOperations final : public ops::Operations {
 public:
  ops::StatusReport status() override { return {}; }
  std::vector<ops::DeviceReport> devices() override {
    std::lock_guard lock(mutex_);
    ++device_queries;
    return {{"card_reader", "sim", "online", true, "online", "", 0},
            {"receipt_printer", "sim", "offline", false, "offline: unplugged", "offline: unplugged (usb 1-2)", 1'700'000'000'000},
            {"document_printer", "", "no_device", false, "no_device", "", 0}};
  }
  Result<ops::SelfTestReport> selftest(hal::DeviceClass device, bool force, CancelToken) override {
    std::lock_guard lock(mutex_);
    selftests.push_back(std::string(hal::to_string(device)) + (force ? ":force" : ""));
    return ops::SelfTestReport{hal::to_string(device), true, "printed 1 test receipt", {"status query: online", "printed 1 test receipt"}, 42};
  }
  ops::NetworkReport check_network(CancelToken) override {
    ops::NetworkReport report;
    report.ok = false;
    report.steps = {{"dns", true, "127.0.0.1", 1}, {"tcp", true, "connected", 2}, {"tls", false, "handshake failed: unknown ca", 3}};
    report.certificate_days_left = 311;
    return report;
  }
  ops::OutboxReport outbox() override { return {true, 3, 1, 125, "timeout after 5000 ms"}; }
  Status retry_outbox() override {
    ++retries;
    return {};
  }
  std::vector<std::string> log_lines(int limit) override {
    last_log_limit = limit;
    return {"2026-12-04T10:00:00 info app: screen home", "2026-12-04T10:00:01 warning technician: wrong technician PIN"};
  }
  Result<std::filesystem::path> write_bundle(const std::filesystem::path& dir, const std::string& who) override {
    bundle_requester = who;
    const auto path = dir / "kiosk-diagnostics.tar";
    std::ofstream out(path);
    out << "bundle";
    if (!out) return Error::make(ErrorKind::io, "cannot write " + path.string() + ": No space left on device");
    return path;
  }
  Status audit(const std::string& event, const json& detail) override {
    std::lock_guard lock(mutex_);
    audits.push_back({{"event", event}, {"detail", detail}});
    return {};
  }
  Result<json> verify_audit() override { return json{{"intact", true}}; }

  int count(const std::string& event, const std::string& result = "") {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const json& entry : audits) {
      if (entry["event"] == event && (result.empty() || entry["detail"].value("result", entry["detail"].value("reason", "")) == result)) ++n;
    }
    return n;
  }

  std::mutex mutex_;
  std::vector<json> audits;
  std::vector<std::string> selftests;
  int device_queries = 0;
  std::atomic<int> retries{0};
  int last_log_limit = 0;
  std::string bundle_requester;
};

// The real backend, counting HMACs: every PIN check is thousands of them, so "no check while
// locked" is "no HMAC while locked".
class CountingCrypto final : public crypto::Crypto {
 public:
  CountingCrypto() : inner_(crypto::make_crypto()) {}
  const char* backend() const override { return inner_->backend(); }
  Result<crypto::Bytes> random_bytes(std::size_t count) override { return inner_->random_bytes(count); }
  crypto::Bytes sha256(crypto::ByteView data) override { return inner_->sha256(data); }
  crypto::Bytes hmac_sha256(crypto::ByteView key, crypto::ByteView data) override {
    ++hmacs;
    return inner_->hmac_sha256(key, data);
  }
  Result<crypto::Bytes> seal(const crypto::SealKey& key, crypto::ByteView plaintext, crypto::ByteView aad) override {
    return inner_->seal(key, plaintext, aad);
  }
  Result<crypto::Bytes> open(const crypto::SealKey& key, crypto::ByteView sealed, crypto::ByteView aad) override {
    return inner_->open(key, sealed, aad);
  }
  Result<bool> verify_p256(std::string_view pem, crypto::ByteView message, crypto::ByteView signature) override {
    return inner_->verify_p256(pem, message, signature);
  }
  std::atomic<long> hmacs{0};

 private:
  std::unique_ptr<crypto::Crypto> inner_;
};

constexpr const char* kPin = "246813";

class TechnicianTest : public AppTest {
 protected:
  TechnicianTest() : AppTest(sim_devices()) {
    char pattern[] = "/tmp/technician-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    auto hash = ops::hash_pin(crypto_, kPin, 1000);  // a low count: tests, not a terminal
    EXPECT_TRUE(hash.ok());
    pin_hash_ = hash.value();
  }
  ~TechnicianTest() override {
    app_.reset();  // before the operations, guard and crypto it points at
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  Config technician_config() {
    Config config;
    config.technician.pin_hash = pin_hash_;
    config.technician.max_tries = 5;
    config.technician.lockout_minutes = 15;
    config.ops.bundle_dir = dir_ / "bundles";
    config.voice.enabled = false;
    return config;
  }
  void start_technician(Config config, bool with_guard = true) {
    if (!guard_) guard_ = std::make_unique<ops::PinGuard>(dir_ / "technician.json", config.technician.max_tries,
                                                          config.technician.lockout_minutes);
    Services services;
    services.operations = &operations_;
    services.pin_guard = with_guard ? guard_.get() : nullptr;
    services.crypto = &crypto_;
    start(config, services);
  }
  std::string pin_taps(const std::string& pin) {
    std::string script;
    for (char digit : pin) script += std::string("tap id=pin-") + digit + "\n";
    return script + "tap id=pin-ok\n";
  }
  ::testing::AssertionResult enter() {
    return run("hold id=technician-corner 5000\n" + pin_taps(kPin) + "expect-screen technician\n");
  }

  std::filesystem::path dir_;
  std::string pin_hash_;
  TestOperations operations_;
  CountingCrypto crypto_;
  std::unique_ptr<ops::PinGuard> guard_;
};

TEST_F(TechnicianTest, TheCornerOpensThePinPadOnlyAfterTheFullHoldAndShowsNothingBefore) {
  start_technician(technician_config());
  ASSERT_TRUE(run("expect-screen attract"));
  app_->render();
  const ui::Canvas before = app_->canvas();
  // Held for 4 s: nothing on screen changes (a citizen learns nothing of the corner).
  app_->pointer_down({20, 20});
  for (int i = 0; i < 40; ++i) {
    clock_.advance(100);
    app_->tick();
  }
  app_->render();
  EXPECT_EQ(app_->current_screen_name(), "attract");
  bool same = true;
  for (int y = 0; y < before.height() && same; ++y) {
    for (int x = 0; x < before.width(); ++x) {
      if (before.pixel(x, y) != app_->canvas().pixel(x, y)) {
        same = false;
        break;
      }
    }
  }
  EXPECT_TRUE(same) << "the attract screen changed during the hold";
  // Lifted before 5 s: an ordinary touch — the citizen's home screen, no technician entry.
  app_->pointer_up({20, 20});
  ASSERT_TRUE(run("expect-screen home"));
  EXPECT_EQ(operations_.count("technician_entry"), 0);
  app_->end_session();
  ASSERT_TRUE(run("hold id=technician-corner 4999\nexpect-screen home"));
  app_->end_session();
  // A finger sliding off the corner does not hold it.
  ASSERT_TRUE(run("drag 20 20 400 400 5200\nexpect-screen attract"));
  ASSERT_TRUE(run("hold id=technician-corner 5000\nexpect-screen technician-pin\nexpect \"请输入技术员 PIN（6 到 12 位数字）\""));
  // The PIN pad is not a citizen's session: no inactivity warning, but it gives up after a minute.
  ASSERT_TRUE(run("wait 59000\nexpect-screen technician-pin\nwait 2000\nexpect-screen attract"));
}

TEST_F(TechnicianTest, TheRightPinEntersAndIsAuditedWithoutItsDigits) {
  start_technician(technician_config());
  ASSERT_TRUE(run("hold id=technician-corner 5000\ntap id=pin-1\nexpect \"●○○○○○\"\ntap id=pin-delete\nexpect \"○○○○○○\""));
  ASSERT_TRUE(run(pin_taps(kPin)));
  ASSERT_EQ(app_->current_screen_name(), "technician");
  EXPECT_EQ(operations_.count("technician_entry", "ok"), 1);
  EXPECT_EQ(operations_.count("technician_entry"), 1);
  EXPECT_EQ(guard_->failures(), 0);
  std::lock_guard lock(operations_.mutex_);
  for (const json& entry : operations_.audits) EXPECT_EQ(entry.dump().find(kPin), std::string::npos) << entry.dump();
}

TEST_F(TechnicianTest, AWrongPinStormLocksOnceAndTheLockedPadChecksNothing) {
  start_technician(technician_config());
  ASSERT_TRUE(run("hold id=technician-corner 5000\n" + pin_taps("111111") + "expect \"PIN 不正确，还可以再试 4 次\""));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(run(pin_taps("99999" + std::to_string(i))));
  ASSERT_TRUE(run("expect \"已锁定，请在\"\nexpect-screen technician-pin"));
  EXPECT_EQ(operations_.count("technician_entry", "wrong_pin"), 5);
  EXPECT_EQ(operations_.count("technician_lockout"), 1);
  const long hmacs = crypto_.hmacs.load();
  EXPECT_GT(hmacs, 5 * 1000 - 1);
  // The storm goes on: taps on the disabled pad, typed digits, the right PIN itself.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(run(pin_taps(i % 2 ? kPin : "123456")));
  ASSERT_TRUE(run(std::string("type \"") + kPin + "\\n\"\nexpect-screen technician-pin\nexpect \"已锁定，请在\""));
  // Back at the attract screen and in again: still locked, and that attempt is audited as such.
  app_->end_session();
  ASSERT_TRUE(run("hold id=technician-corner 5000\nexpect \"已锁定，请在\"\n" + pin_taps(kPin) + "expect-screen technician-pin"));
  EXPECT_EQ(crypto_.hmacs.load(), hmacs) << "a PIN was checked while locked";
  EXPECT_EQ(operations_.count("technician_entry", "wrong_pin"), 5);
  EXPECT_EQ(operations_.count("technician_lockout"), 1);
  EXPECT_GE(operations_.count("technician_entry", "locked"), 1);
  EXPECT_EQ(operations_.count("technician_entry", "ok"), 0);
}

TEST_F(TechnicianTest, TheLockoutSurvivesANewPinGuardFromItsFile) {
  start_technician(technician_config());
  ASSERT_TRUE(run("hold id=technician-corner 5000"));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(run(pin_taps("00000" + std::to_string(i))));
  ASSERT_TRUE(run("expect \"已锁定，请在\""));
  // A restart: a new App and a new guard reading the same file.
  app_.reset();
  guard_ = std::make_unique<ops::PinGuard>(dir_ / "technician.json", 5, 15);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_TRUE(guard_->locked_until(now_ms).has_value());
  start_technician(technician_config());
  const long hmacs = crypto_.hmacs.load();
  ASSERT_TRUE(run("hold id=technician-corner 5000\nexpect \"已锁定，请在\"\n" + pin_taps(kPin) + "expect-screen technician-pin"));
  EXPECT_EQ(crypto_.hmacs.load(), hmacs);
}

TEST_F(TechnicianTest, WithoutAPinHashOrGuardTheGestureSaysTechnicianModeIsNotSetUp) {
  Config config = technician_config();
  config.technician.pin_hash.clear();
  start_technician(config);
  ASSERT_TRUE(run("hold id=technician-corner 5000\nexpect-screen technician-unavailable\nexpect \"本机未启用技术员模式\"\n"
                  "expect \"kioskctl\"\ntap id=tech-unavailable-back\nexpect-screen attract"));
  EXPECT_EQ(operations_.count("technician_entry", "not_set_up"), 1);
  app_.reset();
  start_technician(technician_config(), /*with_guard=*/false);
  ASSERT_TRUE(run("hold id=technician-corner 5000\nexpect-screen technician-unavailable"));
}

TEST_F(TechnicianTest, ExitAndIdleAreAuditedAndNoCitizenWarningComes) {
  start_technician(technician_config());
  ASSERT_TRUE(enter());
  ASSERT_TRUE(run("tap id=tech-exit\nexpect-screen attract"));
  EXPECT_EQ(operations_.count("technician_exit", "exit"), 1);
  ASSERT_TRUE(enter());
  // Past the citizen's 90 + 30 s: no warning dialog, still in technician mode.
  ASSERT_TRUE(run("tap id=tech-touch\nwait 150000\nexpect-screen technician-touch\nexpect-not \"继续\""));
  EXPECT_FALSE(app_->dialog_open());
  ASSERT_TRUE(run("tap id=tech-back\nexpect-screen technician\nwait 299000\nexpect-screen technician\nwait 2000\nexpect-screen attract"));
  EXPECT_EQ(operations_.count("technician_exit", "idle"), 1);
  EXPECT_EQ(operations_.count("technician_exit"), 2);
}

TEST_F(TechnicianTest, EveryPageBuildsWithATestOperations) {
  start_technician(technician_config());
  ASSERT_TRUE(enter());
  // Devices: live states, the unplugged printer's last problem, a self-test forced on the worker.
  ASSERT_TRUE(run("tap id=tech-devices\nexpect-screen technician-devices\nexpect \"offline: unplugged (usb 1-2)\"\n"
                  "expect \"未配置此设备\""));
  const int queries = operations_.device_queries;
  ASSERT_TRUE(run("wait 4500"));
  EXPECT_GE(operations_.device_queries, queries + 2) << "the device page does not refresh every 2 s";
  ASSERT_TRUE(run("scroll-to id=tech-selftest-receipt_printer\ntap id=tech-selftest-receipt_printer\nexpect-screen technician-selftest\n"
                  "expect \"√ printed 1 test receipt\"\nexpect \"· status query: online\"\ntap id=tech-back\nexpect-screen technician-devices\n"
                  "tap id=tech-back\nexpect-screen technician"));
  EXPECT_EQ(operations_.selftests, std::vector<std::string>{"receipt_printer:force"});
  // Network: each step with √/× and its detail.
  ASSERT_TRUE(run("tap id=tech-network\nexpect \"√ 域名解析\"\nexpect \"× TLS 握手\"\nexpect \"handshake failed: unknown ca\"\nexpect \"3 ms\"\n"
                  "expect \"本机证书还有 311 天到期\"\ntap id=tech-back"));
  // Outbox and catalog.
  ASSERT_TRUE(run("tap id=tech-outbox\nexpect \"待发送：3 条\"\nexpect \"最早一条已等待 2 分钟\"\nexpect \"最近的错误：timeout after 5000 ms\"\n"
                  "tap id=tech-outbox-retry\nexpect \"已安排立即重新发送全部待发数据。\"\nexpect \"出厂目录（本机没有配置平台）\"\ntap id=tech-back"));
  EXPECT_EQ(operations_.retries.load(), 1);
  // Logs: newest first, 200 asked for.
  ASSERT_TRUE(run("tap id=tech-logs\nexpect \"wrong technician PIN\"\ntap id=tech-back"));
  EXPECT_EQ(operations_.last_log_limit, 200);
  // Bundle: into the configured folder (no USB stick here), then a folder that cannot be written.
  std::filesystem::create_directories(dir_ / "bundles");
  ASSERT_TRUE(run("tap id=tech-bundle\nexpect \"" + (dir_ / "bundles").string() + "\"\ntap id=tech-bundle-export\n"
                  "expect \"诊断包已保存\"\nexpect \"" + (dir_ / "bundles" / "kiosk-diagnostics.tar").string() + "\"\ntap id=tech-back"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "bundles" / "kiosk-diagnostics.tar"));
  EXPECT_EQ(operations_.bundle_requester, "technician");
  std::filesystem::remove_all(dir_ / "bundles");
  ASSERT_TRUE(run("tap id=tech-bundle\ntap id=tech-bundle-export\nexpect \"诊断包没有保存\"\nexpect \"存储空间已满\"\ntap id=tech-back"));
  // Touch grid: a drag turns cells green and the counter follows.
  ASSERT_TRUE(run("tap id=tech-touch\nexpect-screen technician-touch\ndrag 100 600 900 600\nexpect \"已碰到\"\nexpect-not \"已碰到 0 /\"\ntap id=tech-back"));
  // Patterns: eight taps, the last returns.
  ASSERT_TRUE(run("tap id=tech-patterns\nexpect-screen technician-patterns"));
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(run("tap id=tech-pattern\nexpect-screen technician-patterns"));
  ASSERT_TRUE(run("tap id=tech-pattern\nexpect-screen technician"));
  // Audio, with speech turned off in the config: said plainly.
  ASSERT_TRUE(run("tap id=tech-audio\nexpect \"本机的语音已在配置中关闭\"\ntap id=tech-back\nexpect-screen technician"));
}

TEST_F(TechnicianTest, WithoutOperationsOnlyTheScreenTestsAreOffered) {
  Config config = technician_config();
  guard_ = std::make_unique<ops::PinGuard>("", 5, 15);
  Services services;
  services.pin_guard = guard_.get();
  services.crypto = &crypto_;
  start(config, services);
  ASSERT_TRUE(run("hold id=technician-corner 5000\n" + pin_taps(kPin) + "expect-screen technician\nexpect \"只能做屏幕、触摸和声音测试\"\n"
                  "expect \"触摸测试\"\nexpect-not \"导出诊断包\"\ntap id=tech-exit\nexpect-screen attract"));
}

// /proc/mounts is outside data: removable media only, escapes decoded, junk skipped.
TEST(RemovableMountPoints, FindsWritableRemovableMediaAndSkipsTheRest) {
  const std::string mounts =
      "/dev/sda1 / ext4 rw,relatime 0 0\n"
      "/dev/sdb1 /media/kiosk/USB\\040STICK vfat rw,nosuid 0 0\n"
      "/dev/sdc1 /run/media/tech/DATA exfat rw 0 0\n"
      "/dev/sdd1 /media/RO vfat ro,nosuid 0 0\n"
      "/dev/sde1 /media vfat rw 0 0\n"
      "/dev/sdf1 /run/media/tech vfat rw 0 0\n"
      "/dev/sdg1 /media/kiosk/../../etc vfat rw 0 0\n"
      "garbage\n"
      "/dev/sdh1 /media/bad\\09 vfat rw 0 0\n"
      "/dev/sdi1 /media/bad\\ vfat rw 0 0\n"
      "/dev/sdj1 /media/nul\\000x vfat rw 0 0\n"
      "/dev/sdb1 /media/kiosk/USB\\040STICK vfat rw,nosuid 0 0\n"
      "/dev/sdk1 /media/locked vfat rw 0 0";
  const auto found = screens::removable_mount_points(mounts, [](const std::string& path) { return path != "/media/locked"; });
  EXPECT_EQ(found, (std::vector<std::string>{"/media/kiosk/USB STICK", "/run/media/tech/DATA"}));
  EXPECT_TRUE(screens::removable_mount_points("", nullptr).empty());
  EXPECT_TRUE(screens::removable_mount_points("\n\n   \n", nullptr).empty());
  EXPECT_TRUE(screens::removable_mount_points(std::string("a /media/x\0y t rw", 17), nullptr).empty() ||
              screens::removable_mount_points(std::string("a /media/x\0y t rw", 17), nullptr).front().find('\0') == std::string::npos);
}

}  // namespace
}  // namespace kiosk
