// The kiosk as systemd runs it: the real binary in its window loop (SDL's dummy video driver),
// a datagram socket standing in for systemd's NOTIFY_SOCKET, kill -9 standing in for a crash.
//   - READY after the first frame, WATCHDOG pings while the loop turns, none while it hangs
//     (fault injection KIOSK_FAULT_HANG_UI_MS), STOPPING on a clean SIGTERM;
//   - killed repeatedly, each start is back (READY) within seconds, and the fourth start knows it
//     is in a crash loop: kioskctl's status says so and the fleet metrics count the restarts;
//   - the metrics file appears in the textfile folder and a read-only folder only counts errors.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kiosk/ops/control_protocol.h"

namespace kiosk::ops {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Datagram {
  std::string text;
  Clock::time_point at;
};

// systemd's side of the notify protocol: a bound datagram socket.
class NotifySocket {
 public:
  explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  }
  ~NotifySocket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::filesystem::path& path() const { return path_; }

  std::optional<Datagram> receive(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    char buffer[4096];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    if (got < 0) return std::nullopt;
    return Datagram{std::string(buffer, static_cast<std::size_t>(got)), Clock::now()};
  }
  // Waits for a datagram containing `text`; everything received on the way goes to `seen`.
  std::optional<Datagram> wait_for(const std::string& text, std::chrono::milliseconds timeout,
                                   std::vector<Datagram>* seen = nullptr) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      auto datagram = receive(left);
      if (!datagram) break;
      if (seen) seen->push_back(*datagram);
      if (datagram->text.find(text) != std::string::npos) return datagram;
    }
    return std::nullopt;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

class KioskProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kiosk-process-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directories(dir_ / "state");
    std::filesystem::create_directories(dir_ / "metrics");
  }
  void TearDown() override {
    stop(SIGKILL);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  void write_config(const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json config = {
        {"terminal_id", "SIM-PROC"},
        {"voice", {{"enabled", false}}},
        {"ops",
         {{"state_dir", (dir_ / "state").string()},
          {"control_socket", (dir_ / "control.sock").string()},
          {"metrics_dir", (dir_ / "metrics").string()},
          {"metrics_interval_s", 1},
          {"audit_log", (dir_ / "state" / "audit.log").string()},
          {"audit_key_file", (dir_ / "state" / "audit.key").string()}}}};
    config.merge_patch(extra);
    std::ofstream(dir_ / "config.json") << config.dump(2);
  }

  // Starts the kiosk as systemd would: NOTIFY_SOCKET and a watchdog interval in the environment.
  void start(NotifySocket& notify, std::chrono::milliseconds watchdog, const std::vector<std::string>& env = {}) {
    started_at_ = Clock::now();
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      const int log = ::open((dir_ / "kiosk.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(log, 1);
      ::dup2(log, 2);
      ::setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
      ::setenv("WATCHDOG_USEC", std::to_string(watchdog.count() * 1000).c_str(), 1);
      ::setenv("SDL_VIDEODRIVER", "dummy", 1);
      ::setenv("SDL_AUDIODRIVER", "dummy", 1);
      for (const auto& entry : env) ::putenv(const_cast<char*>(entry.c_str()));
      if (run_as_ >= 0 && (::setgroups(0, nullptr) != 0 || ::setgid(run_as_) != 0 || ::setuid(run_as_) != 0)) ::_exit(126);
      ::execl(KIOSK_BINARY, "kiosk", "--config", (dir_ / "config.json").c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  // Sends `signal_number` and waits; returns the exit status (as from waitpid).
  int stop(int signal_number) {
    if (pid_ <= 0) return 0;
    ::kill(pid_, signal_number);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  std::string kiosk_log() const {
    std::ifstream in(dir_ / "kiosk.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // One request over the control socket, as kioskctl sends it.
  nlohmann::json control(const std::string& command) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, (dir_ / "control.sock").c_str(), sizeof address.sun_path - 1);
    for (int i = 0; i < 100 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0; ++i) {
      std::this_thread::sleep_for(50ms);
    }
    ControlRequest request;
    request.command = *command_from_name(command);
    const std::string line = control_request_line(request);
    EXPECT_EQ(::write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    std::string answer;
    char buffer[4096];
    for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) {
      answer.append(buffer, static_cast<std::size_t>(got));
      if (answer.find('\n') != std::string::npos) break;
    }
    ::close(fd);
    auto parsed = parse_control_answer(answer);
    EXPECT_TRUE(parsed.ok()) << answer;
    return parsed.ok() ? *parsed : nlohmann::json();
  }

  std::string metrics_text() const {
    std::ifstream in(dir_ / "metrics" / "kiosk.prom");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int run_as_ = -1;  // a uid for the kiosk (tests run as root), -1: ours
  Clock::time_point started_at_;
};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

TEST_F(KioskProcessTest, WatchdogPingsStopWhileTheLoopHangsAndResumeAfter) {
  write_config();
  NotifySocket notify(dir_ / "notify.sock");
  // The loop hangs for 3 s, one second after the first frame; the watchdog interval is 1 s, so
  // the kiosk pings every 0.5 s while it turns.
  start(notify, 1000ms, {"KIOSK_FAULT_HANG_UI_MS=3000"});
  auto ready = notify.wait_for("READY=1", 30s);
  ASSERT_TRUE(ready) << kiosk_log();
  std::vector<Datagram> seen;
  // Collect everything for 7 s: pings, the silence, pings again.
  const auto until = Clock::now() + 7s;
  while (Clock::now() < until) {
    if (auto datagram = notify.receive(100ms)) seen.push_back(*datagram);
  }
  std::vector<Clock::time_point> pings{ready->at};
  for (const auto& datagram : seen) {
    if (datagram.text.find("WATCHDOG=1") != std::string::npos) pings.push_back(datagram.at);
  }
  ASSERT_GE(pings.size(), 4u) << kiosk_log();
  double longest = 0;
  int short_gaps = 0;
  for (std::size_t i = 1; i < pings.size(); ++i) {
    const double gap = seconds(pings[i] - pings[i - 1]);
    longest = std::max(longest, gap);
    if (gap < 0.9) ++short_gaps;
  }
  // Systemd (WatchdogSec=1s here) would have killed it: no ping for ~3 s …
  EXPECT_GE(longest, 2.5) << "the hung loop must stop the pings";
  // … while before and after the hang the loop pinged on time.
  EXPECT_GE(short_gaps, 3);
  EXPECT_LT(seconds(pings.back() - ready->at), 8.0);
  EXPECT_GT(seconds(Clock::now() - pings.back()), -1.0);
  EXPECT_NE(kiosk_log().find("fault injection"), std::string::npos);
  // SIGTERM (systemctl stop): a clean exit that says STOPPING first.
  const int status = stop(SIGTERM);
  EXPECT_TRUE(notify.wait_for("STOPPING=1", 5s));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << kiosk_log();
}

TEST_F(KioskProcessTest, AfterCrashesEachStartIsBackWithinSecondsAndTheFourthKnowsItLoops) {
  write_config();
  NotifySocket notify(dir_ / "notify.sock");
  for (int crash = 0; crash < 3; ++crash) {
    start(notify, 10'000ms);
    auto ready = notify.wait_for("READY=1", 30s);
    ASSERT_TRUE(ready) << "start " << crash << "\n" << kiosk_log();
    // Back on the attract screen (the first frame is drawn before READY) within seconds.
    EXPECT_LT(seconds(ready->at - started_at_), 15.0);
    if (crash == 0) {
      const auto status = control("status");
      EXPECT_FALSE(status.value("crash_loop", true));
      EXPECT_EQ(status.value("screen", ""), "attract");
    }
    const int killed = stop(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(killed));
  }
  start(notify, 10'000ms);
  ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << kiosk_log();
  const auto status = control("status");
  EXPECT_TRUE(status.value("crash_loop", false)) << status.dump();
  EXPECT_EQ(status.value("restarts", 0), 3);
  EXPECT_EQ(status.value("screen", ""), "attract");
  // The metrics file carries the restarts (written every second).
  std::string metrics;
  auto complete = [&] {
    return metrics.find("kiosk_restarts_total 3") != std::string::npos &&
           metrics.find("kiosk_frame_time_seconds_bucket") != std::string::npos;
  };
  for (int i = 0; i < 50 && !complete(); ++i) {
    std::this_thread::sleep_for(100ms);
    metrics = metrics_text();
  }
  EXPECT_NE(metrics.find("\nkiosk_restarts_total 3\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nkiosk_up 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("kiosk_device_up{device=\"card_reader\",driver=\"sim\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nkiosk_audit_chain_intact 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("kiosk_frame_time_seconds_bucket"), std::string::npos) << metrics;
  // The audit trail holds every start, and a clean stop ends the loop's count.
  const int status_code = stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status_code) && WEXITSTATUS(status_code) == 0) << kiosk_log();
  std::ifstream audit(dir_ / "state" / "audit.log");
  std::string line;
  int starts = 0;
  while (std::getline(audit, line)) starts += line.find("\"kiosk_start\"") != std::string::npos;
  EXPECT_EQ(starts, 4);
  EXPECT_NE(metrics_text().find("\nkiosk_up 0\n"), std::string::npos) << "kiosk_up is 0 after a clean stop";
}

TEST_F(KioskProcessTest, AChangedConfigIsAuditedAtTheNextStart) {
  write_config();
  NotifySocket notify(dir_ / "notify.sock");
  start(notify, 10'000ms);
  ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << kiosk_log();
  ASSERT_EQ(stop(SIGTERM), 0);
  write_config({{"hall_name", "另一个大厅"}});
  start(notify, 10'000ms);
  ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << kiosk_log();
  ASSERT_EQ(stop(SIGTERM), 0);
  std::ifstream audit(dir_ / "state" / "audit.log");
  std::string line, changes;
  while (std::getline(audit, line)) {
    if (line.find("_changed\"") != std::string::npos) changes += line + "\n";
  }
  // One change, the config, by fingerprint: not its content.
  EXPECT_NE(changes.find("\"config_changed\""), std::string::npos) << changes;
  EXPECT_EQ(changes.find("certificate_changed"), std::string::npos) << changes;
  EXPECT_EQ(changes.find("另一个大厅"), std::string::npos) << changes;
}

TEST_F(KioskProcessTest, AReadOnlyMetricsFolderOnlyCountsErrors) {
  // A read-only folder stops only an unprivileged writer (root writes anyway): as root, the kiosk
  // runs as nobody, as a packaged kiosk runs as its own user.
  if (::geteuid() == 0) {
    run_as_ = 65534;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      ASSERT_EQ(::chown(entry.path().c_str(), run_as_, run_as_), 0);
    }
    ASSERT_EQ(::chown(dir_.c_str(), run_as_, run_as_), 0);
  }
  std::filesystem::permissions(dir_ / "metrics", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec |
                                                     std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  write_config();
  ASSERT_EQ(::chown((dir_ / "config.json").c_str(), run_as_ >= 0 ? run_as_ : ::geteuid(), -1), 0);
  NotifySocket notify(dir_ / "notify.sock");
  if (run_as_ >= 0) {
    ASSERT_EQ(::chown(notify.path().c_str(), run_as_, run_as_), 0);
  }
  start(notify, 10'000ms);
  ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << kiosk_log();
  std::this_thread::sleep_for(2500ms);
  // Still running and answering; the failure was logged once, plainly, and is counted.
  const auto status = control("status");
  EXPECT_EQ(status.value("screen", ""), "attract");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "metrics" / "kiosk.prom"));
  const std::string log = kiosk_log();
  const auto first = log.find("cannot write metrics");
  EXPECT_NE(first, std::string::npos) << log;
  EXPECT_EQ(log.find("cannot write metrics", first + 1), std::string::npos) << "logged once, not every second\n" << log;
  const int status_code = stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status_code) && WEXITSTATUS(status_code) == 0) << log;
}

TEST_F(KioskProcessTest, AMissingMetricsFolderIsNeverCreated) {
  std::filesystem::remove_all(dir_ / "metrics");
  write_config();
  NotifySocket notify(dir_ / "notify.sock");
  start(notify, 10'000ms);
  ASSERT_TRUE(notify.wait_for("READY=1", 30s)) << kiosk_log();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(control("status").value("screen", ""), "attract");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "metrics")) << "the folder belongs to node_exporter";
  EXPECT_NE(kiosk_log().find("cannot write metrics"), std::string::npos) << kiosk_log();
  const int status_code = stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status_code) && WEXITSTATUS(status_code) == 0) << kiosk_log();
}

}  // namespace
}  // namespace kiosk::ops
