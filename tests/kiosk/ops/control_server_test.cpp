// The control socket: the request parser against malformed lines, then the real server on a real
// AF_UNIX socket in a temporary folder, with real peers — this process (root), and children that
// drop to `nobody` to be refused, or let in through the admin group. Operations is a recording
// fake (the server's collaborator, not the OS).
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "kiosk/ops/control_protocol.h"
#include "kiosk/ops/control_server.h"

namespace kiosk::ops {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// --- the request parser -------------------------------------------------------------------------

TEST(ControlRequestTest, ParsesEveryCommand) {
  auto selftest = parse_control_request(R"({"command":"selftest","device":"receipt_printer","force":true})");
  ASSERT_TRUE(selftest.ok()) << selftest.error().message;
  EXPECT_EQ(selftest->command, ControlCommand::selftest);
  EXPECT_EQ(selftest->device, hal::DeviceClass::receipt_printer);
  EXPECT_TRUE(selftest->force);
  auto logs = parse_control_request(R"({"command":"logs","limit":7})");
  ASSERT_TRUE(logs.ok());
  EXPECT_EQ(logs->limit, 7);
  auto bundle = parse_control_request("{\"command\":\"bundle\",\"dir\":\"/media/usb\"}\r");
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(bundle->dir, fs::path("/media/usb"));
  for (const char* name : {"status", "devices", "network", "outbox", "outbox-retry", "audit-verify"}) {
    auto parsed = parse_control_request(json{{"command", name}}.dump());
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_STREQ(command_name(parsed->command), name);
  }
  EXPECT_EQ(parse_control_request(R"({"command":"logs"})")->limit, kDefaultLogLines);
}

TEST(ControlRequestTest, RoundTripsThroughTheClientLine) {
  ControlRequest request;
  request.command = ControlCommand::selftest;
  request.device = hal::DeviceClass::face_camera;
  request.force = true;
  const std::string line = control_request_line(request);
  ASSERT_EQ(line.back(), '\n');
  auto parsed = parse_control_request(std::string_view(line).substr(0, line.size() - 1));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->device, hal::DeviceClass::face_camera);
  EXPECT_TRUE(parsed->force);
}

TEST(ControlRequestTest, RefusesMalformedRequestsWithAReason) {
  struct Case {
    std::string line;
    ErrorKind kind;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"", ErrorKind::parse, "not JSON"},
      {"status", ErrorKind::parse, "not JSON"},
      {"{\"command\":\"status\"", ErrorKind::parse, "not JSON"},
      {"[\"status\"]", ErrorKind::parse, "not a JSON object"},
      {"\"status\"", ErrorKind::parse, "not a JSON object"},
      {"{}", ErrorKind::invalid_argument, "no \"command\""},
      {R"({"command":7})", ErrorKind::invalid_argument, "must be a string"},
      {R"({"command":"reboot"})", ErrorKind::invalid_argument, "unknown command"},
      {R"({"command":"STATUS"})", ErrorKind::invalid_argument, "unknown command"},
      {R"({"command":"status","force":true})", ErrorKind::invalid_argument, "takes no field \"force\""},
      {R"({"command":"logs","limt":5})", ErrorKind::invalid_argument, "takes no field \"limt\""},
      {R"({"command":"selftest"})", ErrorKind::invalid_argument, "needs \"device\""},
      {R"({"command":"selftest","device":"toaster"})", ErrorKind::invalid_argument, "unknown device"},
      {R"({"command":"selftest","device":3})", ErrorKind::invalid_argument, "needs \"device\""},
      {R"({"command":"selftest","device":"card_reader","force":"yes"})", ErrorKind::invalid_argument, "true or false"},
      {R"({"command":"logs","limit":0})", ErrorKind::invalid_argument, "from 1 to"},
      {R"({"command":"logs","limit":-5})", ErrorKind::invalid_argument, "from 1 to"},
      {R"({"command":"logs","limit":10001})", ErrorKind::invalid_argument, "from 1 to"},
      {R"({"command":"logs","limit":18446744073709551615})", ErrorKind::invalid_argument, "from 1 to"},
      {R"({"command":"logs","limit":2.5})", ErrorKind::invalid_argument, "whole number"},
      {R"({"command":"logs","limit":"9"})", ErrorKind::invalid_argument, "whole number"},
      {R"({"command":"bundle","dir":"media/usb"})", ErrorKind::invalid_argument, "absolute"},
      {R"({"command":"bundle","dir":""})", ErrorKind::invalid_argument, "absolute"},
      {R"({"command":"bundle","dir":"/media\u0000/x"})", ErrorKind::invalid_argument, "not a usable path"},
      {R"({"command":"bundle","dir":["/tmp"]})", ErrorKind::invalid_argument, "must be a string"},
      {"{\"command\":\"status\",\"\xff\xfe\":1}", ErrorKind::parse, "not JSON"},
      {std::string(kMaxControlRequestBytes + 1, ' '), ErrorKind::parse, "longer than"},
  };
  for (const auto& one : cases) {
    auto parsed = parse_control_request(one.line);
    ASSERT_FALSE(parsed.ok()) << one.line.substr(0, 80);
    EXPECT_EQ(parsed.error().kind, one.kind) << one.line.substr(0, 80);
    EXPECT_NE(parsed.error().message.find(one.says), std::string::npos) << one.line.substr(0, 80) << " → " << parsed.error().message;
  }
  // A long or unprintable field name is not echoed back.
  auto long_key = parse_control_request(json{{"command", "status"}, {std::string(500, 'k'), 1}}.dump());
  ASSERT_FALSE(long_key.ok());
  EXPECT_LT(long_key.error().message.size(), 100u);
}

TEST(ControlAnswerTest, ParsesAnswersAndRefusesMalformedOnes) {
  auto ok = parse_control_answer(ok_answer_line(json{{"pending", 3}}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["pending"], 3);
  auto busy = parse_control_answer(error_answer_line(Error::make(ErrorKind::busy, "a citizen is using it")));
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().kind, ErrorKind::busy);
  EXPECT_EQ(busy.error().message, "a citizen is using it");
  for (const char* bad : {"", "nonsense", "[]", R"({"ok":"yes"})", R"({"ok":true})", R"({"ok":false})",
                          R"({"ok":false,"error":{"kind":"busy"}})", R"({"ok":false,"error":"busy"})"}) {
    auto parsed = parse_control_answer(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().kind, ErrorKind::parse) << bad;
  }
  // Invalid UTF-8 in a result (a device's detail string) is replaced, not thrown on.
  const std::string line = ok_answer_line(json{{"detail", std::string("paper \xff out")}});
  EXPECT_TRUE(parse_control_answer(line).ok()) << line;
}

TEST(ControlRequestTest, AuditsWhatActsOrRevealsMore) {
  EXPECT_FALSE(command_is_audited(ControlCommand::status));
  EXPECT_FALSE(command_is_audited(ControlCommand::devices));
  EXPECT_FALSE(command_is_audited(ControlCommand::outbox));
  EXPECT_FALSE(command_is_audited(ControlCommand::logs));
  EXPECT_TRUE(command_is_audited(ControlCommand::selftest));
  EXPECT_TRUE(command_is_audited(ControlCommand::bundle));
  EXPECT_EQ(audit_event_name(ControlCommand::outbox_retry), "kioskctl_outbox_retry");
}

// --- the server ----------------------------------------------------------------------------------

// Records what the server asked; network() blocks until cancelled or released.
class FakeOperations : public Operations {
 public:
  StatusReport status() override {
    StatusReport report;
    report.terminal_id = "510502-HALL-0001";
    return report;
  }
  std::vector<DeviceReport> devices() override { return {DeviceReport{"card_reader", "sim", "online", true, "", "", 0}}; }
  Result<SelfTestReport> selftest(hal::DeviceClass device, bool force, CancelToken) override {
    if (!force) return Error::make(ErrorKind::busy, "a citizen is using the terminal");
    SelfTestReport report;
    report.device = hal::to_string(device);
    report.passed = true;
    return report;
  }
  NetworkReport check_network(CancelToken cancel) override {
    {
      std::lock_guard lock(mutex_);
      network_started_ = true;
    }
    changed_.notify_all();
    while (!cancel.cancelled() && !release_network_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    NetworkReport report;
    report.ok = !cancel.cancelled();
    return report;
  }
  OutboxReport outbox() override { return OutboxReport{true, 2, 0, 60, ""}; }
  Status retry_outbox() override { return {}; }
  std::vector<std::string> log_lines(int limit) override { return std::vector<std::string>(static_cast<std::size_t>(limit), "line"); }
  Result<fs::path> write_bundle(const fs::path& dir, const std::string& who) override {
    std::lock_guard lock(mutex_);
    bundle_who_ = who;
    return dir / "kiosk-diag.tar";
  }
  Status audit(const std::string& event, const json& detail) override {
    std::lock_guard lock(mutex_);
    audited_.push_back({event, detail});
    return {};
  }
  Result<json> verify_audit() override { return json{{"intact", true}}; }

  bool wait_network_started() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(5), [&] { return network_started_; });
  }
  std::vector<std::pair<std::string, json>> audited() {
    std::lock_guard lock(mutex_);
    return audited_;
  }
  std::string bundle_who() {
    std::lock_guard lock(mutex_);
    return bundle_who_;
  }
  std::atomic<bool> release_network_{false};

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool network_started_ = false;
  std::string bundle_who_;
  std::vector<std::pair<std::string, json>> audited_;
};

int connect_to(const fs::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

// Everything the server sends until it closes (or `timeout_ms`).
std::string read_all(int fd, int timeout_ms = 10000) {
  std::string text;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd one{fd, POLLIN, 0};
    if (::poll(&one, 1, static_cast<int>(left)) <= 0) break;
    char buffer[4096];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);  // sockets and pipes
    if (got <= 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

std::string ask(const fs::path& path, const std::string& request) {
  const int fd = connect_to(path);
  if (fd < 0) return "connect: " + std::string(std::strerror(errno));
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer = read_all(fd);
  ::close(fd);
  return answer;
}

// Asks in a child process that has become `nobody` (uid and gid 65534, no supplementary groups)
// and returns the answer it got, or "connect: <error>".
std::string ask_as_nobody(const fs::path& path, const std::string& request) {
  int out[2];
  if (::pipe(out) != 0) return "pipe failed";
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(out[0]);
    std::string answer = "could not become nobody";
    if (::setgroups(0, nullptr) == 0 && ::setgid(65534) == 0 && ::setuid(65534) == 0) answer = ask(path, request);
    (void)!::write(out[1], answer.data(), answer.size());
    ::_exit(0);
  }
  ::close(out[1]);
  const std::string answer = read_all(out[0]);
  ::close(out[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return answer + " (child ended with status " + std::to_string(status) + ")";
  return answer;
}

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/control-server-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ::chmod(dir_.c_str(), 0755);  // `nobody` must reach the socket inside
    socket_ = dir_ / "control.sock";
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  void start(const std::string& group = "kiosk-admin-absent", ControlServerOptions options = {}) {
    auto started = ControlServer::start(socket_, group, operations_, options);
    ASSERT_TRUE(started.ok()) << started.error().message;
    server_ = started.release_value();
  }

  fs::path dir_, socket_;
  FakeOperations operations_;
  std::unique_ptr<ControlServer> server_;
};

TEST_F(ControlServerTest, AnswersOneJsonLinePerRequest) {
  start();
  const std::string status = ask(socket_, "{\"command\":\"status\"}\n");
  ASSERT_EQ(std::count(status.begin(), status.end(), '\n'), 1) << status;
  auto parsed = parse_control_answer(status);
  ASSERT_TRUE(parsed.ok()) << status;
  EXPECT_EQ((*parsed)["terminal_id"], "510502-HALL-0001");

  auto logs = parse_control_answer(ask(socket_, "{\"command\":\"logs\",\"limit\":3}\n"));
  ASSERT_TRUE(logs.ok());
  EXPECT_EQ((*logs)["lines"].size(), 3u);
  auto devices = parse_control_answer(ask(socket_, "{\"command\":\"devices\"}\n"));
  ASSERT_TRUE(devices.ok());
  EXPECT_EQ((*devices)[0]["device"], "card_reader");
  auto retry = parse_control_answer(ask(socket_, "{\"command\":\"outbox-retry\"}\n"));
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ((*retry)["pending"], 2);
  // No newline, half-closed: still one request.
  const int fd = connect_to(socket_);
  ASSERT_GE(fd, 0);
  const std::string request = R"({"command":"outbox"})";
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  ::shutdown(fd, SHUT_WR);
  auto outbox = parse_control_answer(read_all(fd));
  ::close(fd);
  ASSERT_TRUE(outbox.ok());
  EXPECT_EQ((*outbox)["oldest_pending_age_s"], 60);
  EXPECT_EQ(server_->served(), 5);
}

TEST_F(ControlServerTest, ErrorsCarryTheirKind) {
  start();
  auto busy = parse_control_answer(ask(socket_, R"({"command":"selftest","device":"card_reader"})" "\n"));
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().kind, ErrorKind::busy);
  auto malformed = parse_control_answer(ask(socket_, "hello\n"));
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().kind, ErrorKind::parse);
  auto unknown = parse_control_answer(ask(socket_, R"({"command":"reboot"})" "\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::invalid_argument);
  // Over 64 KiB without a newline: refused without reading on for ever.
  const std::string huge(kMaxControlRequestBytes + 10, 'x');
  auto too_long = parse_control_answer(ask(socket_, huge));
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message.find("longer than"), std::string::npos);
}

TEST_F(ControlServerTest, AuditsCommandsThatActWithTheCallersUid) {
  start();
  ASSERT_TRUE(parse_control_answer(ask(socket_, R"({"command":"status"})" "\n")).ok());
  ASSERT_TRUE(parse_control_answer(ask(socket_, R"({"command":"selftest","device":"receipt_printer","force":true})" "\n")).ok());
  ASSERT_FALSE(parse_control_answer(ask(socket_, R"({"command":"selftest","device":"receipt_printer"})" "\n")).ok());
  auto bundle = parse_control_answer(ask(socket_, R"({"command":"bundle"})" "\n"));
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ((*bundle)["path"], "/tmp/kiosk-diag.tar");  // no dir: the configured bundle_dir
  EXPECT_EQ(operations_.bundle_who(), "kioskctl uid 0");
  const auto audited = operations_.audited();
  ASSERT_EQ(audited.size(), 3u);  // status is not audited
  EXPECT_EQ(audited[0].first, "kioskctl_selftest");
  EXPECT_EQ(audited[0].second["uid"], 0);
  EXPECT_EQ(audited[0].second["device"], "receipt_printer");
  EXPECT_EQ(audited[0].second["ok"], true);
  EXPECT_EQ(audited[1].second["ok"], false);
  EXPECT_EQ(audited[1].second["error"], "busy");
  EXPECT_EQ(audited[2].first, "kioskctl_bundle");
}

TEST_F(ControlServerTest, SocketIsGroupReadableOnlyAndGivenToTheAdminGroup) {
  start("nogroup");
  struct stat info {};
  ASSERT_EQ(::lstat(socket_.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 07777, 0660u);
  EXPECT_EQ(info.st_gid, 65534u);
  server_.reset();
  EXPECT_FALSE(fs::exists(fs::symlink_status(socket_))) << "stop() removes the socket file";
  // A group this system lacks: the socket still opens, for root and the kiosk's user only.
  start("no-such-group-here");
  ASSERT_EQ(::lstat(socket_.c_str(), &info), 0);
  EXPECT_EQ(info.st_gid, 0u);
}

TEST_F(ControlServerTest, RefusesAStrangerTwice) {
  start("root");
  // The file mode keeps `nobody` out.
  EXPECT_EQ(ask_as_nobody(socket_, R"({"command":"status"})" "\n"), "connect: " + std::string(std::strerror(EACCES)));
  // With the mode opened on purpose, the SO_PEERCRED check still refuses with one error line.
  ASSERT_EQ(::chmod(socket_.c_str(), 0666), 0);
  const std::string answer = ask_as_nobody(socket_, R"({"command":"status"})" "\n");
  auto parsed = parse_control_answer(answer);
  ASSERT_FALSE(parsed.ok()) << answer;
  EXPECT_EQ(parsed.error().kind, ErrorKind::permission);
  EXPECT_NE(parsed.error().message.find("member of root"), std::string::npos);
  EXPECT_EQ(server_->refused(), 1);
  EXPECT_EQ(server_->served(), 0);
}

TEST_F(ControlServerTest, LetsAMemberOfTheAdminGroupIn) {
  start("nogroup");  // nobody's primary group
  const std::string answer = ask_as_nobody(socket_, R"({"command":"selftest","device":"card_reader","force":true})" "\n");
  auto parsed = parse_control_answer(answer);
  ASSERT_TRUE(parsed.ok()) << answer;
  EXPECT_EQ(server_->refused(), 0);
  const auto audited = operations_.audited();
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].second["uid"], 65534);
}

TEST(PeerAllowedTest, RootTheKiosksUserAndTheAdminGroup) {
  EXPECT_TRUE(peer_allowed(0, 0, 999, "kiosk-admin"));
  EXPECT_TRUE(peer_allowed(999, 999, 999, ""));
  EXPECT_FALSE(peer_allowed(65534, 65534, 999, ""));
  EXPECT_FALSE(peer_allowed(65534, 65534, 999, "no-such-group-here"));
  EXPECT_TRUE(peer_allowed(65534, 65534, 999, "nogroup"));        // the peer's primary group
  EXPECT_FALSE(peer_allowed(65534, 12345, 999, "root"));
  EXPECT_TRUE(peer_allowed(12345, 65534, 999, "nogroup"));        // the peer process's group, unknown uid
  EXPECT_FALSE(peer_allowed(12345, 12345, 999, "nogroup"));       // unknown uid, no group
}

// Supplementary membership comes from the group database: find any user listed as a member of a
// group that is not their primary one on this machine.
TEST(PeerAllowedTest, SupplementaryGroupFromTheGroupDatabase) {
  std::ifstream groups("/etc/group");
  std::string line;
  while (std::getline(groups, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t colon; (colon = line.find(':', start)) != std::string::npos; start = colon + 1) {
      fields.push_back(line.substr(start, colon - start));
    }
    fields.push_back(line.substr(start));
    if (fields.size() < 4 || fields[3].empty()) continue;
    const std::string member = fields[3].substr(0, fields[3].find(','));
    const passwd* user = ::getpwnam(member.c_str());
    if (user == nullptr || user->pw_uid == 0) continue;
    const gid_t group = static_cast<gid_t>(std::stoul(fields[2]));
    if (user->pw_gid == group) continue;
    EXPECT_TRUE(peer_allowed(user->pw_uid, user->pw_gid, 999, fields[0])) << member << " in " << fields[0];
    EXPECT_FALSE(peer_allowed(user->pw_uid, user->pw_gid, 999, "nogroup")) << member;
    return;
  }
  GTEST_SKIP() << "no user on this machine has a supplementary group in /etc/group";
}

TEST_F(ControlServerTest, ASilentClientTimesOutWithoutBlockingOthers) {
  ControlServerOptions options;
  options.read_timeout = std::chrono::milliseconds(400);
  start("root", options);
  const int silent = connect_to(socket_);
  ASSERT_GE(silent, 0);
  const auto started = Clock::now();
  auto status = parse_control_answer(ask(socket_, R"({"command":"status"})" "\n"));
  EXPECT_TRUE(status.ok());
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(300)) << "the silent client held up another";
  auto timed_out = parse_control_answer(read_all(silent, 3000));
  ::close(silent);
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().kind, ErrorKind::timeout);
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(350));
}

TEST_F(ControlServerTest, ConnectionsBeyondTheCapAreToldBusy) {
  ControlServerOptions options;
  options.max_connections = 1;
  start("root", options);
  const int slow = connect_to(socket_);
  ASSERT_GE(slow, 0);
  const std::string network = "{\"command\":\"network\"}\n";
  ASSERT_GT(::send(slow, network.data(), network.size(), MSG_NOSIGNAL), 0);
  ASSERT_TRUE(operations_.wait_network_started());
  auto refused = parse_control_answer(ask(socket_, R"({"command":"status"})" "\n"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::busy);
  operations_.release_network_ = true;
  auto done = parse_control_answer(read_all(slow));
  ::close(slow);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ((*done)["ok"], true);
  // The slot is free again.
  for (int i = 0; i < 50; ++i) {
    if (parse_control_answer(ask(socket_, R"({"command":"status"})" "\n")).ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << "the slot never came back";
}

TEST_F(ControlServerTest, StopCancelsALongCommandPromptly) {
  start();
  const int client = connect_to(socket_);
  ASSERT_GE(client, 0);
  const std::string network = "{\"command\":\"network\"}\n";
  ASSERT_GT(::send(client, network.data(), network.size(), MSG_NOSIGNAL), 0);
  ASSERT_TRUE(operations_.wait_network_started());
  const auto started = Clock::now();
  server_->stop();
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(1000));
  read_all(client, 2000);
  ::close(client);
  EXPECT_EQ(connect_to(socket_), -1);
}

TEST_F(ControlServerTest, ReplacesAStaleSocketButNotALiveOneOrAFile) {
  // A stale socket: bound by a process that is gone (here: a closed fd).
  {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_.c_str(), sizeof address.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    ::close(fd);
  }
  start();
  EXPECT_TRUE(parse_control_answer(ask(socket_, R"({"command":"status"})" "\n")).ok());
  // A live one: a second server on the same path is refused and the first keeps working.
  FakeOperations other;
  auto second = ControlServer::start(socket_, "root", other);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::busy);
  EXPECT_TRUE(parse_control_answer(ask(socket_, R"({"command":"status"})" "\n")).ok());
  server_.reset();
  // A regular file is never removed.
  std::ofstream(socket_) << "not a socket";
  auto over_file = ControlServer::start(socket_, "root", other);
  ASSERT_FALSE(over_file.ok());
  EXPECT_NE(over_file.error().message.find("not a socket"), std::string::npos);
  EXPECT_TRUE(fs::is_regular_file(socket_));
  // Missing folder, over-long path.
  auto missing = ControlServer::start(dir_ / "no" / "control.sock", "root", other);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  auto too_long = ControlServer::start(dir_ / std::string(120, 'x'), "root", other);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().kind, ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace kiosk::ops
