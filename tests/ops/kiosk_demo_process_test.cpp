// `kioskctl sim …` against the real kiosk binary in its window loop (SDL's dummy video driver) with
// every device simulated: in demo mode (config demo.panel) a sample card placed over the control
// socket is read and starts a session, and the command is in the audit trail; without demo mode
// the same command is refused and nothing happens.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/tools/kioskctl/kioskctl_runner.h"

namespace kiosk {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

using test_support::CliRun;
using test_support::slurp;

class KioskDemoProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kiosk-demo-process-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    fs::create_directories(dir_ / "state");
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Every device on its simulator (a config without "devices"), the control socket and the audit
  // trail in the test's folder.
  void start(bool demo) {
    json config = {{"terminal_id", "SIM-DEMO"},
                   {"voice", {{"enabled", false}}},
                   {"ops",
                    {{"state_dir", (dir_ / "state").string()},
                     {"control_socket", (dir_ / "control.sock").string()},
                     {"audit_log", (dir_ / "state" / "audit.log").string()},
                     {"audit_key_file", (dir_ / "state" / "audit.key").string()}}}};
    if (demo) config["demo"] = {{"panel", true}};
    std::ofstream(dir_ / "config.json") << config.dump(2);
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      const int log = ::open((dir_ / "kiosk.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      ::setenv("SDL_VIDEODRIVER", "dummy", 1);
      ::setenv("SDL_AUDIODRIVER", "dummy", 1);
      ::execl(KIOSK_BINARY, "kiosk", "--config", (dir_ / "config.json").c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  CliRun kioskctl(const std::vector<std::string>& arguments) const {
    return test_support::run_kioskctl(dir_ / "control.sock", arguments, dir_);
  }
  // `kioskctl --json status` once the kiosk answers and `done` holds, or the last answer after `limit`.
  json status_when(const std::function<bool(const json&)>& done, std::chrono::milliseconds limit) const {
    json last;
    for (auto until = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(100ms)) {
      const CliRun run = kioskctl({"--json", "status"});
      if (run.exit_code != 0) continue;
      last = json::parse(run.out, nullptr, false);
      if (last.is_object() && done(last)) return last;
    }
    return last;
  }
  std::string log() const { return slurp(dir_ / "kiosk.log"); }

  fs::path dir_;
  pid_t pid_ = -1;
};

TEST_F(KioskDemoProcessTest, InDemoModeASampleCardPlacedByKioskctlIsReadAndStartsASession) {
  start(true);
  const json idle = status_when([](const json& s) { return s.value("screen", "") == "attract"; }, 30s);
  ASSERT_EQ(idle.value("screen", ""), "attract") << idle.dump() << "\n" << log();
  EXPECT_FALSE(idle.value("session_active", true));

  const CliRun placed = kioskctl({"sim", "card", "lisi"});
  ASSERT_EQ(placed.exit_code, 0) << placed.err << "\n" << log();
  EXPECT_EQ(placed.out, "done: sim card lisi\n");
  // The reader said card_placed; the attract screen started a session and the card was read.
  const json reading = status_when([](const json& s) { return s.value("session_active", false); }, 20s);
  EXPECT_TRUE(reading.value("session_active", false)) << reading.dump() << "\n" << log();
  EXPECT_EQ(reading.value("screen", ""), "home") << reading.dump();
  EXPECT_NE(log().find("simulator panel is on"), std::string::npos) << log();

  const CliRun list = kioskctl({"--json", "sim", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const json samples = json::parse(list.out, nullptr, false);
  EXPECT_NE(std::find(samples["cards"].begin(), samples["cards"].end(), "lisi"), samples["cards"].end()) << list.out;
  EXPECT_EQ(samples["simulated_devices"].size(), 5u) << list.out;
  // An unknown sample is the kiosk's error, in one line.
  const CliRun unknown = kioskctl({"sim", "card", "nobody"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("nobody"), std::string::npos) << unknown.err;

  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  const std::string audit = slurp(dir_ / "state" / "audit.log");
  EXPECT_NE(audit.find("\"kioskctl_sim\""), std::string::npos) << audit;
  EXPECT_NE(audit.find("\"action\":\"card\""), std::string::npos) << audit;
}

TEST_F(KioskDemoProcessTest, WithoutDemoModeSimCommandsAreRefused) {
  start(false);
  ASSERT_EQ(status_when([](const json& s) { return s.value("screen", "") == "attract"; }, 30s).value("screen", ""), "attract")
      << log();
  const CliRun refused = kioskctl({"sim", "card", "lisi"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("sim commands work only on a kiosk in demo mode"), std::string::npos) << refused.err;
  std::this_thread::sleep_for(500ms);
  const json after = status_when([](const json&) { return true; }, 5s);
  EXPECT_EQ(after.value("screen", ""), "attract") << after.dump();
  EXPECT_FALSE(after.value("session_active", true));
  EXPECT_EQ(log().find("simulator panel"), std::string::npos) << log();
}

}  // namespace
}  // namespace kiosk
