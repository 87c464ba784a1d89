#pragma once
// A private cupsd for the CUPS driver tests: its own configuration, spool and state in a temp
// folder, listening on a free loopback port, with a test backend ("kiosk-test") that speaks the
// real CUPS backend protocol (STATE:/ERROR: lines on stderr, exit codes) and behaves as the
// device URI says:
//   kiosk-test://copy/<queue>         writes the job's bytes to <dir>/out/<queue>.pdf, exit 0
//   kiosk-test://media-empty/<queue>  "STATE: +media-empty-error", exit 4 (CUPS_BACKEND_STOP)
//   kiosk-test://media-jam/<queue>    "STATE: +media-jam-error", exit 1 (CUPS_BACKEND_FAILED)
//   kiosk-test://hang/<queue>         keeps "printing" until killed or cupsd dies (≤ 30 s)
// Queues are raw (no filters) and made with the real lpadmin; cupsdisable/cupsenable stop and
// start them. The backend is mode 0700 so cupsd runs it as root when the tests run as root; as
// another user cupsd runs everything as that user.

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <cups/cups.h>

#include "kiosk/core/result.h"

extern char** environ;

namespace kiosk::devices::cups::test_support {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Polls `done` every 20 ms until it holds or `timeout` passes; true if it held.
inline bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// A program in PATH or the sbin folders, or empty.
inline fs::path find_program(const std::string& name) {
  std::vector<std::string> folders = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
  if (const char* path = std::getenv("PATH")) {
    std::stringstream list(path);
    for (std::string folder; std::getline(list, folder, ':');) folders.insert(folders.begin(), folder);
  }
  for (const auto& folder : folders) {
    const fs::path candidate = fs::path(folder) / name;
    if (!folder.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// A loopback port nobody listens on right now.
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

inline bool port_answers(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return connected;
}

inline void write_file(const fs::path& path, const std::string& text, fs::perms perms) {
  std::ofstream(path) << text;
  fs::permissions(path, perms);
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a program (no shell) with output to `log`; waits up to 20 s. Returns its exit status.
inline Result<int> run(const std::vector<std::string>& arguments, const fs::path& log) {
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return Error::make(ErrorKind::io, "cannot run " + arguments[0]);
  int status = 0;
  const bool ended = wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 20s);
  if (!ended) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return Error::make(ErrorKind::timeout, arguments[0] + " did not finish in 20 s");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ServerJob {
  int id = 0;
  ipp_jstate_t state = IPP_JSTATE_PENDING;
  std::string title;
};

class PrivateCupsd {
 public:
  static Result<std::unique_ptr<PrivateCupsd>> start() {
    std::unique_ptr<PrivateCupsd> cupsd(new PrivateCupsd());
    if (auto prepared = cupsd->prepare(); !prepared.ok()) return prepared.release_error();
    if (auto launched = cupsd->launch(); !launched.ok()) return launched.release_error();
    return cupsd;
  }

  ~PrivateCupsd() {
    stop();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  PrivateCupsd(const PrivateCupsd&) = delete;
  PrivateCupsd& operator=(const PrivateCupsd&) = delete;

  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  fs::path output(const std::string& queue) const { return dir_ / "out" / (queue + ".pdf"); }
  std::string error_log() const { return read_file(dir_ / "log" / "error_log") + read_file(dir_ / "log" / "tools"); }

  // lpadmin -p <queue> -E -v kiosk-test://<behaviour>/<queue> [options…]
  Status add_queue(const std::string& queue, const std::string& behaviour, std::vector<std::string> options = {}) {
    std::vector<std::string> arguments = {lpadmin_, "-h", server(), "-p", queue, "-E", "-v",
                                          "kiosk-test://" + behaviour + "/" + queue};
    for (auto& option : options) arguments.push_back(std::move(option));
    return tool(arguments);
  }
  Status remove_queue(const std::string& queue) { return tool({lpadmin_, "-h", server(), "-x", queue}); }
  Status disable(const std::string& queue) { return tool({find_program("cupsdisable"), "-h", server(), queue}); }
  Status enable(const std::string& queue) { return tool({find_program("cupsenable"), "-h", server(), queue}); }

  // The jobs of `queue` as CUPS lists them (Get-Jobs, all states).
  std::vector<ServerJob> jobs(const std::string& queue) const {
    std::vector<ServerJob> result;
    http_t* http = httpConnect2("127.0.0.1", port_, nullptr, AF_INET, HTTP_ENCRYPTION_IF_REQUESTED, 1, 5000, nullptr);
    if (!http) return result;
    cups_job_t* jobs = nullptr;
    const int count = cupsGetJobs2(http, &jobs, queue.c_str(), 0, CUPS_WHICHJOBS_ALL);
    for (int i = 0; i < count; ++i) result.push_back({jobs[i].id, jobs[i].state, jobs[i].title ? jobs[i].title : ""});
    cupsFreeJobs(count, jobs);
    httpClose(http);
    return result;
  }

  // SIGKILL: cupsd vanishes as in a crash.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

 private:
  PrivateCupsd() = default;

  Status prepare() {
    const fs::path cupsd = find_program("cupsd");
    lpadmin_ = find_program("lpadmin");
    if (cupsd.empty() || lpadmin_.empty()) {
      return Error::make(ErrorKind::not_found,
                         "cupsd or lpadmin not found: install cups-daemon and cups-client (tools/install-deps test)");
    }
    cupsd_ = cupsd;
    server_bin_ = system_server_bin();
    if (server_bin_.empty()) return Error::make(ErrorKind::not_found, "no CUPS ServerBin with daemon/cups-exec");
    std::string pattern = (fs::temp_directory_path() / "kiosk-cupsd-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) return Error::make(ErrorKind::io, "mkdtemp failed");
    dir_ = pattern;
    for (const char* folder : {"conf", "spool", "spool/tmp", "cache", "state", "bin", "bin/backend", "log", "out"}) {
      fs::create_directories(dir_ / folder);
      // cupsd runs only backends whose folder no group or other may write to, whatever the umask.
      fs::permissions(dir_ / folder, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                         fs::perms::others_read | fs::perms::others_exec);
    }
    // cupsd runs its helpers from ServerBin: the system's, plus our backend folder.
    fs::create_directory_symlink(server_bin_ / "daemon", dir_ / "bin" / "daemon");
    write_file(dir_ / "bin" / "backend" / "kiosk-test", backend_script(), fs::perms::owner_all);
    return {};
  }

  Status launch() {
    for (int attempt = 0; attempt < 3; ++attempt) {  // another process may take the free port first
      port_ = free_port();
      write_configuration();
      std::vector<std::string> arguments = {cupsd_, "-f", "-c", (dir_ / "conf" / "cupsd.conf").string(), "-s",
                                            (dir_ / "conf" / "cups-files.conf").string()};
      std::vector<char*> argv;
      for (auto& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 1, (dir_ / "log" / "stdout").c_str(), O_WRONLY | O_CREAT, 0600);
      posix_spawn_file_actions_adddup2(&actions, 1, 2);
      const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      if (spawned != 0) return Error::make(ErrorKind::io, "cannot run " + cupsd_.string());
      bool exited = false;
      const bool up = wait_until(
          [&] {
            exited = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
            return exited || port_answers(port_);
          },
          10s);
      if (up && !exited) return {};
      if (!exited) stop();
      pid_ = 0;
    }
    return Error::make(ErrorKind::io, "private cupsd did not start: " + read_file(dir_ / "log" / "stdout") + error_log());
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    if (!wait_until([&] { return ::waitpid(pid_, nullptr, WNOHANG) == pid_; }, 5s)) kill();
    pid_ = 0;
  }

  Status tool(const std::vector<std::string>& arguments) {
    auto status = run(arguments, dir_ / "log" / "tools");
    if (!status.ok()) return status.release_error();
    if (status.value() != 0) {
      return Error::make(ErrorKind::io, arguments[0] + " exited with " + std::to_string(status.value()) + ": " +
                                            read_file(dir_ / "log" / "tools"));
    }
    return {};
  }

  static fs::path system_server_bin() {
    for (const char* candidate : {"/usr/lib/cups", "/usr/libexec/cups", "/usr/lib64/cups"}) {
      if (fs::exists(fs::path(candidate) / "daemon" / "cups-exec")) return candidate;
    }
    return {};
  }

  void write_configuration() const {
    write_file(dir_ / "conf" / "cupsd.conf",
               "Listen 127.0.0.1:" + std::to_string(port_) +
                   "\n"
                   "LogLevel warn\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
                   "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                   "<Policy default>\n  JobPrivateAccess all\n  JobPrivateValues none\n"
                   "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
                   "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
               fs::perms::owner_read | fs::perms::owner_write);
    const std::string d = dir_.string();
    write_file(dir_ / "conf" / "cups-files.conf",
               "ServerRoot " + d + "/conf\nRequestRoot " + d + "/spool\nTempDir " + d + "/spool/tmp\nCacheDir " + d +
                   "/cache\nStateDir " + d + "/state\nServerBin " + d + "/bin\nErrorLog " + d +
                   "/log/error_log\nAccessLog " + d + "/log/access_log\nPageLog " + d +
                   "/log/page_log\nFileDevice Yes\n",
               fs::perms::owner_read | fs::perms::owner_write);
  }

  std::string backend_script() const {
    return "#!/bin/sh\n"
           "# kiosk-test CUPS backend: behaves as its device URI says (see private_cupsd.h).\n"
           "[ $# -eq 0 ] && exit 0\n"
           "rest=\"${DEVICE_URI#kiosk-test://}\"\n"
           "behaviour=\"${rest%%/*}\"\n"
           "queue=\"${rest#*/}\"\n"
           "case \"$behaviour\" in\n"
           "  copy)\n"
           "    if [ $# -ge 6 ]; then cat \"$6\"; else cat; fi > \"" + (dir_ / "out").string() + "/$queue.pdf\"\n"
           "    exit 0 ;;\n"
           "  media-empty)\n"
           "    echo 'STATE: +media-empty-error' >&2\n"
           "    echo 'ERROR: out of paper' >&2\n"
           "    exit 4 ;;\n"
           "  media-jam)\n"
           "    echo 'STATE: +media-jam-error' >&2\n"
           "    echo 'ERROR: paper jam' >&2\n"
           "    exit 1 ;;\n"
           "  hang)\n"
           "    echo 'INFO: printing slowly' >&2\n"
           "    trap 'exit 0' TERM\n"
           "    n=0\n"
           "    while [ $n -lt 300 ] && kill -0 $PPID 2>/dev/null; do sleep 0.1; n=$((n + 1)); done\n"
           "    exit 0 ;;\n"
           "esac\n"
           "exit 1\n";
  }

  fs::path dir_;
  fs::path cupsd_;
  fs::path lpadmin_;
  fs::path server_bin_;
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace kiosk::devices::cups::test_support
