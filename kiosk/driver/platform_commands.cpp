// Script commands for the platform channel against tools/platform-sim (docs/script-driver.md):
//   platform down   the simulator drops every connection (POST /admin/faults), until
//   platform up     clears the faults; both then sync and wait until the kiosk has noticed
//   platform sync   syncs the catalog now and waits for the answer
//   platform drain [ms]  retries the outbox now and waits until nothing is pending
//   platform expect-offline [ms]  waits until the kiosk shows the platform as unreachable
#include <curl/curl.h>

#include <chrono>
#include <thread>

#include "kiosk/driver/script.h"
#include "kiosk/platform/channel.h"

namespace kiosk::driver {
namespace {

size_t discard(char*, size_t size, size_t count, void*) { return size * count; }

// A plain HTTP request to the simulator's loopback admin port.
Status admin_request(const std::string& base, const char* method, const std::string& path, const std::string& body) {
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
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return Error::make(ErrorKind::io, "platform admin " + url + ": " + curl_easy_strerror(code));
  if (status >= 300) return Error::make(ErrorKind::io, "platform admin " + url + ": HTTP " + std::to_string(status));
  return {};
}

}  // namespace

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
  return Error::make(ErrorKind::invalid_argument, "platform: unknown action \"" + action + "\" (down, up, sync, drain, expect-offline)");
}

}  // namespace kiosk::driver
