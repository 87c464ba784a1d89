// `kioskctl sim …` as a technician or a demo presenter types it: the real binary against a real
// control socket (kiosk/ops/control_server.h) whose sim handler records what reached it — the
// words the kiosk's SimActions take (kiosk/driver/sim_actions.h), files made absolute — and
// against a socket without one (a kiosk not in demo mode), which refuses every sim command.
// The kiosk process reading a card placed this way: tests/ops/kiosk_process_test.cpp.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <mutex>

#include <nlohmann/json.hpp>

#include "kiosk/ops/control_server.h"
#include "tests/tools/kioskctl/kioskctl_runner.h"

namespace kiosk {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using test_support::CliRun;
using test_support::slurp;

// Answers what the status glance needs and records the audit trail.
class QuietOperations : public ops::Operations {
 public:
  ops::StatusReport status() override { return {}; }
  std::vector<ops::DeviceReport> devices() override { return {}; }
  Result<ops::SelfTestReport> selftest(hal::DeviceClass, bool, CancelToken) override { return ops::SelfTestReport{}; }
  ops::NetworkReport check_network(CancelToken) override { return {}; }
  ops::OutboxReport outbox() override { return {}; }
  Status retry_outbox() override { return {}; }
  std::vector<std::string> log_lines(int) override { return {}; }
  Result<fs::path> write_bundle(const fs::path& dir, const std::string&) override { return dir; }
  Status audit(const std::string& event, const json& detail) override {
    std::lock_guard lock(mutex_);
    audited_.push_back({{"event", event}, {"detail", detail}});
    return {};
  }
  Result<json> verify_audit() override { return json{{"intact", true}}; }
  json audited() {
    std::lock_guard lock(mutex_);
    return audited_;
  }

 private:
  std::mutex mutex_;
  json audited_ = json::array();
};

class KioskctlSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kioskctl-sim-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  // demo: the server has a sim handler (a kiosk in demo mode), recording each request.
  void serve(bool demo) {
    ops::ControlServerOptions options;
    if (demo) {
      options.sim = [this](const std::string& action, const std::vector<std::string>& arguments) -> Result<json> {
        std::lock_guard lock(mutex_);
        received_.push_back({action, arguments});
        if (action == "list") return json{{"cards", {"lisi", "zhangsan"}}, {"faces", {"ok", "none"}}};
        if (action == "scan" && arguments == std::vector<std::string>{"receipt"}) {
          return Error::make(ErrorKind::invalid_argument, "scan receipt: nothing was printed");
        }
        return json{{"done", action}};
      };
    }
    auto server = ops::ControlServer::start(dir_ / "control.sock", "kiosk-admin", operations_, options);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = server.release_value();
  }
  CliRun kioskctl(const std::vector<std::string>& arguments) const {
    return test_support::run_kioskctl(dir_ / "control.sock", arguments, dir_);
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  fs::path dir_;
  QuietOperations operations_;
  std::unique_ptr<ops::ControlServer> server_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::vector<std::string>>> received_;
};

TEST_F(KioskctlSimTest, EachActionReachesTheKioskInItsWordsAndIsAudited) {
  serve(true);
  for (const auto& words : std::vector<std::vector<std::string>>{{"sim", "card", "lisi"},
                                                                  {"sim", "card", "none"},
                                                                  {"sim", "face", "ok"},
                                                                  {"sim", "face", "pictures/me.png"},
                                                                  {"sim", "scan", "idcard:zhangsan"},
                                                                  {"sim", "scan", "licence"},
                                                                  {"sim", "printer", "receipt", "paper-out"},
                                                                  {"sim", "unplug", "card_reader"},
                                                                  {"sim", "plug", "card_reader"}}) {
    const CliRun run = kioskctl(words);
    EXPECT_EQ(run.exit_code, 0) << words[1] << ": " << run.err;
    EXPECT_EQ(run.out.rfind("done: sim " + words[1], 0), 0u) << run.out;
  }
  const auto got = received();
  ASSERT_EQ(got.size(), 9u);
  EXPECT_EQ(got[0], (std::pair<std::string, std::vector<std::string>>{"card", {"lisi"}}));
  EXPECT_EQ(got[1].second, std::vector<std::string>{"none"});
  EXPECT_EQ(got[2].second, std::vector<std::string>{"ok"});
  // A picture is named by its absolute path: the kiosk runs in its own working folder.
  EXPECT_EQ(got[3].second, std::vector<std::string>{"file=" + (fs::current_path() / "pictures/me.png").string()});
  EXPECT_EQ(got[4].second, std::vector<std::string>{"idcard:zhangsan"});
  EXPECT_EQ(got[6].second, (std::vector<std::string>{"receipt", "paper-out"}));
  EXPECT_EQ(got[7], (std::pair<std::string, std::vector<std::string>>{"unplug", {"card_reader"}}));
  // Every sim command is in the audit trail with its action, like the other acting commands.
  const json audited = operations_.audited();
  ASSERT_EQ(audited.size(), 9u) << audited.dump();
  EXPECT_EQ(audited[0]["event"], "kioskctl_sim");
  EXPECT_EQ(audited[0]["detail"]["action"], "card");
  EXPECT_EQ(audited[0]["detail"]["ok"], true);

  const CliRun list = kioskctl({"--json", "sim", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(json::parse(list.out, nullptr, false)["cards"], json({"lisi", "zhangsan"})) << list.out;
  const CliRun human = kioskctl({"sim", "list"});
  EXPECT_NE(human.out.find("cards       lisi zhangsan"), std::string::npos) << human.out;
  // The kiosk's error, in one line.
  const CliRun failed = kioskctl({"sim", "scan", "receipt"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("scan receipt: nothing was printed"), std::string::npos) << failed.err;
}

TEST_F(KioskctlSimTest, RefusedByAKioskNotInDemoMode) {
  serve(false);
  const CliRun run = kioskctl({"sim", "card", "lisi"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("sim commands work only on a kiosk in demo mode"), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  // The refusal is audited too.
  const json audited = operations_.audited();
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0]["detail"]["ok"], false);
  EXPECT_EQ(audited[0]["detail"]["error"], "unsupported");
}

TEST_F(KioskctlSimTest, UsageMistakesExitTwoWithoutAskingTheKiosk) {
  serve(true);
  for (const auto& words : std::vector<std::vector<std::string>>{
           {"sim"}, {"sim", "toast"}, {"sim", "card"}, {"sim", "card", "a", "b"}, {"sim", "printer", "receipt"},
           {"sim", "unplug", "toaster"}, {"sim", "list", "all"}}) {
    const CliRun run = kioskctl(words);
    EXPECT_EQ(run.exit_code, 2) << words.back() << ": " << run.err;
    EXPECT_NE(run.err.find("usage: kioskctl"), std::string::npos) << run.err;
  }
  EXPECT_TRUE(received().empty());
}

}  // namespace
}  // namespace kiosk
