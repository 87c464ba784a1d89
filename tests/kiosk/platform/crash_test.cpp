// The crash test of the issue: a process submits cases through the outbox while it is killed with
// SIGKILL at random moments and restarted (KIOSK_CRASH_KILLS times, 100 by default; `make
// crash-test KILLS=1000` runs more). The simulator also loses some answers after filing the case
// (TLS reset), so retries must be answered from the idempotency store. At the end every case that
// was reported submitted is on the platform exactly once, and the database is intact.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "kiosk/crypto/crypto.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/outbox/outbox.h"
#include "tests/tools/platform_sim/sim_harness.h"

namespace {

using namespace platform_sim_test;
using Steady = std::chrono::steady_clock;

// A child process whose stdout we read line by line.
class Child {
 public:
  explicit Child(const std::vector<std::string>& arguments) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      std::vector<char*> argv;
      for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    fd_ = out[0];
  }
  ~Child() {
    kill_now();
    close(fd_);
  }
  // Reads whole lines until `deadline`; returns false at end of stream.
  bool read_lines(Steady::time_point deadline, std::vector<std::string>& lines) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
      if (left <= 0) return true;
      pollfd entry{fd_, POLLIN, 0};
      if (poll(&entry, 1, static_cast<int>(left)) <= 0) return true;
      char buffer[4096];
      const ssize_t got = read(fd_, buffer, sizeof buffer);
      if (got <= 0) return false;
      partial_.append(buffer, static_cast<std::size_t>(got));
      for (std::size_t end; (end = partial_.find('\n')) != std::string::npos;) {
        lines.push_back(partial_.substr(0, end));
        partial_.erase(0, end + 1);
      }
    }
  }
  void kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string partial_;
};

class OutboxCrash : public SimFixture {};

TEST_F(OutboxCrash, EveryReportedSubmissionIsFiledExactlyOnceAcrossKills) {
  const char* env = std::getenv("KIOSK_CRASH_KILLS");
  const int kills = env ? std::atoi(env) : 100;
  ASSERT_GE(kills, 1);
  const fs::path data = temp_.path() / "kiosk";
  fs::create_directories(data);
  const std::string terminal = std::string(kTerminal);
  const std::vector<std::string> common = {
      data.string(), base_url(), (pki_ / "ca.crt").string(), (pki_ / "terminals" / (terminal + ".crt")).string(),
      (pki_ / "terminals" / (terminal + ".key")).string()};
  auto arguments = [&](const std::string& mode) {
    std::vector<std::string> out = {OUTBOX_CRASH_CHILD, mode};
    out.insert(out.end(), common.begin(), common.end());
    return out;
  };

  std::mt19937 random(20261125);
  std::set<std::string> reported;
  for (int round = 0; round < kills; ++round) {
    if (random() % 3 == 0) add_fault({{"tls_reset", true}, {"count", 1}, {"path_prefix", "/api/v1/cases"}});
    Child child(arguments("submit"));
    std::vector<std::string> lines;
    // Wait for the child to open its outbox and client (READY), then kill it at a random point
    // 20–140 ms into its submitting.
    const auto started = Steady::now();
    while (std::find(lines.begin(), lines.end(), "READY") == lines.end() && Steady::now() - started < std::chrono::seconds(30)) {
      if (!child.read_lines(Steady::now() + std::chrono::milliseconds(50), lines)) break;
    }
    ASSERT_NE(std::find(lines.begin(), lines.end(), "READY"), lines.end()) << "the child did not start within 30 s";
    const auto deadline = Steady::now() + std::chrono::milliseconds(20 + random() % 120);
    child.read_lines(deadline, lines);
    child.kill_now();
    // Lines already in the pipe were printed after their commit: they count as reported.
    child.read_lines(Steady::now() + std::chrono::milliseconds(5), lines);
    for (const auto& line : lines) {
      if (line.rfind("SUBMITTED ", 0) == 0) reported.insert(line.substr(10));
    }
  }
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);
  ASSERT_GT(reported.size(), static_cast<std::size_t>(kills) / 2) << "the child hardly ever got to submit";

  Child drain(arguments("drain"));
  std::vector<std::string> lines;
  drain.read_lines(Steady::now() + std::chrono::seconds(120), lines);
  ASSERT_EQ(drain.wait(), 0);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "DRAINED");

  std::map<std::string, int> filed;
  for (const auto& row : admin_json("/admin/cases")) {
    if (row.value("terminal", "") == terminal) ++filed[row.value("idempotency_key", "")];
  }
  for (const auto& [key, count] : filed) EXPECT_EQ(count, 1) << "filed twice: " << key;
  std::size_t missing = 0;
  for (const auto& key : reported) missing += filed.count(key) == 0;
  EXPECT_EQ(missing, 0u) << "reported submitted but never filed";

  auto crypto = kiosk::crypto::make_crypto();
  kiosk::outbox::OutboxOptions options;
  options.path = data / "outbox.db";
  options.key = kiosk::crypto::load_seal_key(data / "seal.key").value();
  auto outbox = kiosk::outbox::Outbox::open(options, *crypto);
  ASSERT_TRUE(outbox.ok());
  EXPECT_TRUE(outbox.value()->integrity_ok().value());
  const auto stats = outbox.value()->stats().value();
  EXPECT_EQ(stats.pending, 0);
  EXPECT_EQ(stats.dead, 0);
  EXPECT_GE(static_cast<std::size_t>(stats.delivered), reported.size());
  std::printf("crash test: %d kills, %zu cases reported submitted, %zu filed, none twice\n", kills, reported.size(),
              filed.size());
}

}  // namespace
