#pragma once
// Starting the real platform-sim from tests and benchmarks: a temporary folder, a fresh PKI made
// by tools/pki, the simulator process on free loopback ports (it prints them as one JSON line),
// and a plain-HTTP call to its admin port. Header-only; needs libcurl for admin().

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace platform_sim {

// A unique temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "platform-sim-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs the tools/pki script with `arguments`; returns its exit status. Output goes to `log`.
inline int run_pki(const std::filesystem::path& script, const std::string& arguments, const std::filesystem::path& log) {
  const std::string command = "'" + script.string() + "' " + arguments + " >>'" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The platform-sim process on free ports; stopped with SIGTERM by stop() or the destructor.
class SimProcess {
 public:
  SimProcess(const std::filesystem::path& binary, const std::filesystem::path& pki, const std::filesystem::path& db,
             const std::filesystem::path& assets, const std::filesystem::path& log) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // a crashed test or benchmark must not leave a simulator behind
      dup2(out[1], STDOUT_FILENO);
      const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      execl(binary.c_str(), "platform-sim", "--pki", pki.c_str(), "--db", db.c_str(), "--port", "0", "--admin-port", "0",
            "--assets", assets.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    const std::string line = read_line(out[0], 20000);
    close(out[0]);
    const nlohmann::json ports = nlohmann::json::parse(line, nullptr, false);
    if (!ports.is_object() || !ports.contains("port")) {
      stop();
      std::ifstream in(log);
      std::stringstream text;
      text << in.rdbuf();
      throw std::runtime_error("platform-sim did not start: '" + line + "'\n" + text.str());
    }
    port_ = ports["port"].get<int>();
    admin_port_ = ports["admin_port"].get<int>();
  }
  ~SimProcess() { stop(); }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  int port() const { return port_; }
  int admin_port() const { return admin_port_; }
  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string admin_url() const { return "http://127.0.0.1:" + std::to_string(admin_port_); }

  // SIGTERM and wait; returns the exit status (or 128 + signal).
  int stop() {
    if (pid_ <= 0) return exit_status_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_status_;
  }

 private:
  static std::string read_line(int fd, int timeout_ms) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd entry{fd, POLLIN, 0};
      if (poll(&entry, 1, 100) <= 0) continue;
      char c = 0;
      if (read(fd, &c, 1) != 1) break;
      if (c == '\n') break;
      line += c;
    }
    return line;
  }

  pid_t pid_ = -1;
  int port_ = 0, admin_port_ = 0;
  int exit_status_ = -1;
};

// One plain-HTTP request to the admin port; returns the body, throws on a failed transfer.
inline std::string admin_call(const std::string& admin_url, const char* method, const std::string& path,
                              const std::string& body = {}) {
  CURL* curl = curl_easy_init();
  std::string answer;
  const std::string url = admin_url + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  });
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) throw std::runtime_error("admin " + url + ": " + curl_easy_strerror(code));
  return answer;
}

}  // namespace platform_sim
