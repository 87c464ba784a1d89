// Script commands for the platform channel against tools/platform-sim (docs/script-driver.md):
//   platform down   the simulator drops every connection (POST /admin/faults), until
//   platform up     clears the faults; both then sync and wait until the kiosk has noticed
//   platform sync   syncs the catalog now and waits for the answer
//   platform drain [ms]  retries the outbox now and waits until nothing is pending
//   platform expect-offline [ms]  waits until the kiosk shows the platform as unreachable
//   platform expect-case|rating|print|ticket|heartbeat <path>=<value>…  checks the newest record
//                                         of that kind the simulator received
//   platform face-mismatch|face-match <id number>  the simulator's verdict on that citizen's face
//   platform tamper-licence <id> [pdf|issuer|none]  the simulator serves that licence's document
//                                         tampered with (docs/platform-api.md, admin)
//   platform advance <case number>  the simulator moves that case one step on
#include <curl/curl.h>

#include <chrono>
#include <thread>

#include "kiosk/driver/script.h"
#include "kiosk/platform/channel.h"

namespace kiosk::driver {
namespace {

size_t collect(char* data, size_t size, size_t count, void* out) {
  if (out) static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// A plain HTTP request to the simulator's loopback admin port; the answer's body goes to `answer`.
Status admin_request(const std::string& base, const char* method, const std::string& path, const std::string& body,
                     std::string* answer = nullptr) {
  if (base.empty()) return Error::make(ErrorKind::invalid_argument, "platform: no platform.sim_admin_url in the config");
  CURL* curl = curl_easy_init();
  const std::string url = base + path;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, static_cast<void*>(answer));
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return Error::make(ErrorKind::io, "platform admin " + url + ": " + curl_easy_strerror(code));
  if (status >= 300) return Error::make(ErrorKind::io, "platform admin " + url + ": HTTP " + std::to_string(status));
  return {};
}

// `path` like "materials.0.source" in `document`, or null.
const nlohmann::json* find_path(const nlohmann::json& document, const std::string& path) {
  const nlohmann::json* at = &document;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const std::string part = path.substr(start, dot - start);
    if (at->is_array()) {
      if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      const std::size_t index = std::stoul(part);
      if (index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else if (at->is_object() && at->contains(part)) {
      at = &(*at)[part];
    } else {
      return nullptr;
    }
    start = dot + 1;
  }
  return at;
}

}  // namespace

// `want`: "*" anything present and not empty; "abc*" a prefix; "-" absent; else the exact text
// (strings) or JSON spelling (numbers, true/false).
static bool matches(const nlohmann::json* value, const std::string& want) {
  if (want == "-") return value == nullptr;
  if (!value || value->is_null()) return false;
  const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
  if (want == "*") return !text.empty() && text != "[]" && text != "{}";
  if (!want.empty() && want.back() == '*') return text.rfind(want.substr(0, want.size() - 1), 0) == 0;
  return text == want;
}

// platform expect-<kind> <path>=<value>…: the newest record of that kind the simulator received
// (GET /admin/<kind>s: case, rating, print, ticket, heartbeat; its stored body, case materials as
// size and SHA-256), plus `count=<n>` (for cases also `cases=<n>`) for how many there are. What
// the kiosk sends on its own threads (heartbeats, outbox rows) may still be on its way: the checks
// are tried again for up to 5 s (real time) before the line fails.
Status ScriptRunner::expect_record(const Command& command) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    Status checked = check_record(command);
    if (checked.ok() || checked.error().kind != ErrorKind::invalid_argument || std::chrono::steady_clock::now() > deadline) {
      return checked;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Status ScriptRunner::check_record(const Command& command) {
  const std::string& action = command.arguments[0];
  const std::string kind = action.substr(std::string("expect-").size());
  std::string answer;
  TRY_STATUS(admin_request(app_.config().platform.sim_admin_url, "GET", "/admin/" + kind + "s", "", &answer));
  const nlohmann::json records = nlohmann::json::parse(answer, nullptr, false);
  if (!records.is_array()) return Error::make(ErrorKind::parse, "platform " + action + ": the simulator's answer is not a list");
  for (std::size_t i = 1; i < command.arguments.size(); ++i) {
    const std::string& check = command.arguments[i];
    const std::size_t equals = check.find('=');
    if (equals == std::string::npos) return Error::make(ErrorKind::invalid_argument, "platform " + action + ": expected path=value, got \"" + check + "\"");
    const std::string path = check.substr(0, equals), want = check.substr(equals + 1);
    if (path == "count" || path == kind + "s") {
      if (std::to_string(records.size()) != want) {
        return Error::make(ErrorKind::invalid_argument, "platform " + action + ": " + std::to_string(records.size()) + " " + kind +
                                                            "s, expected " + want);
      }
      continue;
    }
    if (records.empty()) return Error::make(ErrorKind::invalid_argument, "platform " + action + ": the simulator has no " + kind);
    const nlohmann::json& latest = records.back();
    const nlohmann::json* value = find_path(latest, path);
    if (!value && latest.contains("body")) value = find_path(latest["body"], path);
    if (!matches(value, want)) {
      return Error::make(ErrorKind::invalid_argument, "platform " + action + ": " + path + " is " +
                                                          (value ? value->dump() : std::string("absent")) + ", expected " + want);
    }
  }
  return {};
}

Status ScriptRunner::wait_real(const std::function<bool()>& done, Milliseconds ms, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    TRY_STATUS(settle());
    if (done()) return settle();
    if (std::chrono::steady_clock::now() > deadline) {
      return Error::make(ErrorKind::timeout, "platform: " + what + " did not happen within " + std::to_string(ms) + " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

Status ScriptRunner::platform(const Command& command) {
  platform::Channel* channel = app_.platform();
  if (!channel || !channel->configured()) return Error::make(ErrorKind::invalid_argument, "platform: no platform configured");
  const std::string& action = command.arguments[0];
  const std::string& admin = app_.config().platform.sim_admin_url;
  if (action == "expect-case" || action == "expect-rating" || action == "expect-print" || action == "expect-ticket" ||
      action == "expect-heartbeat") {
    return expect_record(command);
  }
  if (action == "face-mismatch" || action == "face-match") {
    if (command.arguments.size() != 2) return Error::make(ErrorKind::invalid_argument, "platform " + action + " <id number>");
    const nlohmann::json body = {{"id_number", command.arguments[1]}, {"face_match", action == "face-match"}};
    return admin_request(admin, "POST", "/admin/identity", body.dump());
  }
  // platform tamper-licence <licence id> [pdf|issuer|none]: the simulator serves that licence's
  // document changed after signing (pdf, the default) or under an unknown issuer key.
  if (action == "tamper-licence") {
    if (command.arguments.size() < 2 || command.arguments.size() > 3) {
      return Error::make(ErrorKind::invalid_argument, "platform tamper-licence <licence id> [pdf|issuer|none]");
    }
    const nlohmann::json body = {{"id", command.arguments[1]},
                                 {"change", command.arguments.size() == 3 ? command.arguments[2] : "pdf"}};
    return admin_request(admin, "POST", "/admin/licences/tamper", body.dump());
  }
  // platform advance <case number>: the simulator moves that case one step on (progress tests).
  if (action == "advance") {
    if (command.arguments.size() != 2) return Error::make(ErrorKind::invalid_argument, "platform advance <case number>");
    return admin_request(admin, "POST", "/admin/cases/" + command.arguments[1] + "/advance", "{}");
  }
  if (command.arguments.size() > 2) return Error::make(ErrorKind::invalid_argument, "platform " + action + ": too many arguments");
  Milliseconds ms = 15000;
  if (command.arguments.size() > 1) {
    const std::string& text = command.arguments[1];
    ms = 0;
    for (const char c : text) {
      if (c < '0' || c > '9') return Error::make(ErrorKind::invalid_argument, "platform: bad time \"" + text + "\"");
      ms = ms * 10 + (c - '0');
    }
  }
  if (action == "down" || action == "up") {
    const bool down = action == "down";
    TRY_STATUS(down ? admin_request(admin, "POST", "/admin/faults", R"({"drop":true,"count":-1})")
                    : admin_request(admin, "DELETE", "/admin/faults", ""));
    channel->sync_now();
    return wait_real([&] { return channel->status().reachable != down && app_.platform_offline() == down; }, ms,
                     down ? "the kiosk noticing the platform is down" : "the kiosk reaching the platform");
  }
  if (action == "sync") {
    const auto before = channel->status();
    channel->sync_now();
    return wait_real(
        [&] {
          const auto now = channel->status();
          return now.catalog_synced_at != before.catalog_synced_at || now.last_error != before.last_error ||
                 (!now.reachable && before.reachable);
        },
        ms, "a catalog sync");
  }
  if (action == "expect-offline") {
    return wait_real([&] { return app_.platform_offline(); }, ms, "the kiosk noticing the platform is unreachable");
  }
  if (action == "drain") {
    channel->retry_outbox_now();
    return wait_real([&] { return channel->status().outbox.pending == 0; }, ms, "the outbox draining");
  }
  return Error::make(ErrorKind::invalid_argument, "platform: unknown action \"" + action + "\" (down, up, sync, drain, expect-offline, expect-case|rating|print|ticket|heartbeat, face-mismatch, face-match, advance)");
}

}  // namespace kiosk::driver
