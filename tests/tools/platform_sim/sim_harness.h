#pragma once
// Test support for platform-sim: a fresh PKI made by tools/pki in a temporary folder, the real
// platform-sim process on free loopback ports, and small libcurl clients — mutual TLS for the
// platform port, plain HTTP for the admin port. Nothing here stands in for the simulator.

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tools/platform-sim/launcher.h"

namespace platform_sim_test {

namespace fs = std::filesystem;
using nlohmann::json;

inline const fs::path kPkiScript = KIOSK_PKI_SCRIPT;
inline const fs::path kSimBinary = PLATFORM_SIM_BINARY;
inline const fs::path kAssets = KIOSK_TEST_ASSETS;
inline constexpr const char* kTerminal = "510502-HALL-0001";

using TempDir = platform_sim::TempDir;  // tools/platform-sim/launcher.h, shared with the benchmark

// Runs tools/pki with `arguments`; returns its exit status. Output goes to `log`.
inline int run_pki(const std::string& arguments, const fs::path& log) {
  return platform_sim::run_pki(kPkiScript, arguments, log);
}

// The platform-sim process of this build on free ports, serving the source tree's assets.
class SimProcess : public platform_sim::SimProcess {
 public:
  SimProcess(const fs::path& pki, const fs::path& db, const fs::path& log)
      : platform_sim::SimProcess(kSimBinary, pki, db, kAssets, log) {}
};

struct HttpAnswer {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  double seconds = 0;

  json json_body() const { return json::parse(body, nullptr, false); }
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
  std::string error_code() const {
    const json parsed = json_body();
    return parsed.is_object() && parsed.contains("error") ? parsed["error"].value("code", "") : "";
  }
};

// One curl easy handle: its connection (and TLS session) is reused across requests.
class Client {
 public:
  explicit Client(std::string base_url) : base_url_(std::move(base_url)), curl_(curl_easy_init()) {}
  ~Client() { curl_easy_cleanup(curl_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Mutual TLS with the given client certificate (empty: none); trusts only `ca`.
  void use_tls(const fs::path& ca, const fs::path& cert, const fs::path& key) {
    curl_easy_setopt(curl_, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(curl_, CURLOPT_CAPATH, nullptr);
    curl_easy_setopt(curl_, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
    if (!cert.empty()) {
      cert_ = cert.string();
      key_ = key.string();
      curl_easy_setopt(curl_, CURLOPT_SSLCERT, cert_.c_str());
      curl_easy_setopt(curl_, CURLOPT_SSLKEY, key_.c_str());
    }
  }
  void share(CURLSH* share) { curl_easy_setopt(curl_, CURLOPT_SHARE, share); }
  void limit_tls(long versions) { curl_easy_setopt(curl_, CURLOPT_SSLVERSION, versions); }
  void set_timeout_ms(long timeout) { timeout_ms_ = timeout; }

  HttpAnswer get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return perform("GET", path, nullptr, headers);
  }
  HttpAnswer post(const std::string& path, const std::string& body, const std::vector<std::string>& headers = {}) {
    return perform("POST", path, &body, headers);
  }
  HttpAnswer post(const std::string& path, const json& body, const std::vector<std::string>& headers = {}) {
    return post(path, body.dump(), headers);
  }
  HttpAnswer send(const std::string& method, const std::string& path, const std::string* body,
                  const std::vector<std::string>& headers = {}) {
    return perform(method, path, body, headers);
  }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* answer) {
    static_cast<HttpAnswer*>(answer)->body.append(data, size * count);
    return size * count;
  }
  static size_t on_header(char* data, size_t size, size_t count, void* answer) {
    std::string line(data, size * count);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon), value = line.substr(colon + 1);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
      static_cast<HttpAnswer*>(answer)->headers[name] = value;
    }
    return size * count;
  }

  HttpAnswer perform(const std::string& method, const std::string& path, const std::string* body,
                     const std::vector<std::string>& headers) {
    HttpAnswer answer;
    const std::string url = base_url_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &answer);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms_);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_slist* list = nullptr;
    for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
    if (body) list = curl_slist_append(list, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    if (body) {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    } else {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method == "GET" || method == "POST" ? nullptr : method.c_str());
    const auto start = std::chrono::steady_clock::now();
    answer.code = curl_easy_perform(curl_);
    answer.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(list);
    return answer;
  }

  std::string base_url_;
  CURL* curl_;
  std::string cert_, key_;
  long timeout_ms_ = 15000;
};

// A fresh PKI with one registered terminal, a database and a running simulator.
class SimFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = temp_.path() / "pki";
    log_ = temp_.path() / "sim.log";
    ASSERT_EQ(run_pki("init '" + pki_.string() + "'", log_), 0);
    ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' " + kTerminal, log_), 0);
    start();
  }

  void start() { sim_ = std::make_unique<SimProcess>(pki_, temp_.path() / "platform.db", log_); }
  int stop() { return sim_->stop(); }

  std::string base_url() const { return "https://127.0.0.1:" + std::to_string(sim_->port()); }

  // A client with a terminal certificate from `pki` (default: ours) trusting our CA.
  std::unique_ptr<Client> terminal_client(const std::string& id = kTerminal, const fs::path& pki = {}) {
    const fs::path from = pki.empty() ? pki_ : pki;
    auto client = std::make_unique<Client>(base_url());
    client->use_tls(pki_ / "ca.crt", from / "terminals" / (id + ".crt"), from / "terminals" / (id + ".key"));
    return client;
  }

  Client& api() {
    if (!api_) api_ = terminal_client();
    return *api_;
  }

  Client& admin() {
    if (!admin_) admin_ = std::make_unique<Client>("http://127.0.0.1:" + std::to_string(sim_->admin_port()));
    return *admin_;
  }

  json admin_json(const std::string& path) { return admin().get(path).json_body(); }

  void add_fault(const json& rule) {
    const auto answer = admin().post("/admin/faults", rule);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }

  // Verifies a sample identity and returns its token.
  std::string verify(const std::string& name, const std::string& id_number, const std::string& valid_until) {
    const json body = {{"card", {{"name", name}, {"id_number", id_number}, {"valid_until", valid_until}}},
                       {"face_jpeg", "/9j/4AAQSkZJRg=="}};
    const auto answer = api().post("/api/v1/identity/verify", body);
    const json parsed = answer.json_body();
    return parsed.is_object() ? parsed.value("token", "") : "";
  }

  static json zhangsan_case() {
    return {{"item_code", "510502000000-QR-0001"},
            {"applicant", {{"name", "张三"}, {"id_number", "510502195803150137"}, {"phone", "13800000000"}}},
            {"form",
             {{"applicant_name", "张三"}, {"id_number", "510502195803150137"}, {"phone", "13800000000"},
              {"reason", "expired"}, {"delivery", "window"}}},
            {"materials", {{{"name", "本人居民身份证"}, {"source", "capture"}, {"content_type", "image/jpeg"},
                            {"data", "/9j/4AAQSkZJRgABAQ=="}}}},
            {"delivery", {{"method", "pickup"}}},
            {"local_receipt", "L-0001-000042"},
            {"submitted_at", "2026-11-25T14:03:00+08:00"}};
  }

  TempDir temp_;
  fs::path pki_, log_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<Client> api_, admin_;
};

inline std::string key_header(const std::string& key) { return "Idempotency-Key: " + key; }

}  // namespace platform_sim_test
