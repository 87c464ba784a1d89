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
//   platform expect-time <kind> <path> id=<widget>|receipt [minute|compact-date]  the newest record's
//                                         time shows there in the terminal's zone
#include <curl/curl.h>

#include <chrono>
#include <thread>

#include "devices/sim/sim_printers.h"
#include "kiosk/core/time_zone.h"
#include "kiosk/driver/script.h"
#include "kiosk/ocr/ocr_engine.h"
#include "kiosk/platform/channel.h"
#include "kiosk/receipt/raster_image.h"

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

// `want`: "*" anything present and not empty; "abc*" a prefix; "*abc" a suffix; "-" absent; else the exact text
// (strings) or JSON spelling (numbers, true/false).
static bool matches(const nlohmann::json* value, const std::string& want) {
  if (want == "-") return value == nullptr;
  if (!value || value->is_null()) return false;
  const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
  if (want == "*") return !text.empty() && text != "[]" && text != "{}";
  if (!want.empty() && want.back() == '*') return text.rfind(want.substr(0, want.size() - 1), 0) == 0;
  if (want.size() > 1 && want.front() == '*') return text.size() >= want.size() - 1 && text.ends_with(want.substr(1));
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
  if (action == "expect-time") {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {  // the record may still be on its way, as for expect-case
      Status checked = check_time(command);
      if (checked.ok() || checked.error().kind != ErrorKind::invalid_argument || std::chrono::steady_clock::now() > deadline) {
        return checked;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
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

namespace {

// The text of a widget and everything in it (a timeline step is a row of labels).
void gather_text(const ui::Widget& widget, std::string& out) {
  out += std::string(widget.text()) + "\n";
  if (const auto* button = dynamic_cast<const ui::Button*>(&widget)) out += std::string(button->detail()) + "\n";
  for (const auto& child : widget.children()) gather_text(*child, out);
}

// OCR text compared without the spaces and full-width colons OCR adds or drops.
std::string squeezed(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "：") == 0) {
      out += ':';
      i += 2;
    } else if (text[i] != ' ' && text[i] != '\n' && text[i] != '\t') {
      out += text[i];
    }
  }
  return out;
}

// The last receipt the simulated printer printed, read by Tesseract (chi_sim).
Result<std::string> receipt_text(hal::Devices& devices) {
  auto* printer = dynamic_cast<devices::sim::SimReceiptPrinter*>(devices.receipt_printer.get());
  if (!printer) return Error::make(ErrorKind::invalid_argument, "the receipt printer is not the simulator");
  const auto printed = printer->printed();
  if (printed.empty()) return Error::make(ErrorKind::invalid_argument, "no receipt was printed");
  const ui::Canvas paper = receipt::raster_to_canvas(printed.back().page);
  hal::Image image;
  image.width = paper.width();
  image.height = paper.height();
  image.format = hal::PixelFormat::gray8;
  image.pixels.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height));
  for (std::size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<std::uint8_t>(paper.pixels()[i] & 0xFF);
  ocr::OcrEngineOptions options;
  options.assumed_dpi = 203;  // the receipt printer's
  auto engine = TRY(ocr::OcrEngine::create(options));
  const ocr::OcrPage page = TRY(engine->recognize(image, CancelToken(), std::chrono::seconds(30)));
  std::string text;
  for (const ocr::OcrLine& line : page.lines) text += line.text() + "\n";
  return text;
}

}  // namespace

// platform expect-time <kind> <path> id=<widget>|receipt [minute|compact-date]: the newest record
// of that kind holds an RFC 3339 time at <path> (or at body.<path>); as "YYYY-MM-DD HH:MM"
// (minute, the default) or "YYYYMMDD" (compact-date, as case numbers carry it) in the terminal's zone — the config's time_zone, loaded here afresh
// — it must show in that widget (its text and its children's), or on the last printed receipt
// (read back by OCR). The kiosk may run in any system zone (the TZ test runs it in UTC).
Status ScriptRunner::check_time(const Command& command) {
  const auto& args = command.arguments;
  if (args.size() < 4 || args.size() > 5) {
    return Error::make(ErrorKind::invalid_argument, "platform expect-time <kind> <path> id=<widget>|receipt [minute|compact-date]");
  }
  const std::string& kind = args[1];
  const std::string& path = args[2];
  const std::string& where = args[3];
  const std::string shape = args.size() > 4 ? args[4] : "minute";
  if (shape != "minute" && shape != "compact-date") {
    return Error::make(ErrorKind::invalid_argument, "platform expect-time: the shape is minute (YYYY-MM-DD HH:MM) or compact-date (YYYYMMDD)");
  }
  std::string answer;
  TRY_STATUS(admin_request(app_.config().platform.sim_admin_url, "GET", "/admin/" + kind + "s", "", &answer));
  const nlohmann::json records = nlohmann::json::parse(answer, nullptr, false);
  if (!records.is_array() || records.empty()) return Error::make(ErrorKind::invalid_argument, "platform expect-time: the simulator has no " + kind);
  const nlohmann::json* value = find_path(records.back(), path);
  if (!value && records.back().contains("body")) value = find_path(records.back()["body"], path);
  const auto instant = value && value->is_string() ? parse_rfc3339(value->get<std::string>()) : std::nullopt;
  if (!instant) {
    return Error::make(ErrorKind::invalid_argument, "platform expect-time: " + path + " is " + (value ? value->dump() : "absent") +
                                                        ", not an RFC 3339 time");
  }
  auto zone = TimeZone::load(app_.config().time_zone);
  if (!zone.ok()) return Error::make(ErrorKind::invalid_argument, "platform expect-time: " + zone.error().message);
  const std::string expected =
      shape == "minute" ? format_time(*instant, "%Y-%m-%d %H:%M", *zone) : format_time(*instant, "%Y%m%d", *zone);
  const std::string described = path + " " + value->get<std::string>() + " as \"" + expected + "\" in " + zone->name();
  if (where == "receipt") {
    const std::string text = TRY(receipt_text(devices_));
    if (squeezed(text).find(squeezed(expected)) != std::string::npos) return {};
    return Error::make(ErrorKind::invalid_argument, "platform expect-time: the receipt does not show " + described + "; it reads:\n" + text);
  }
  if (where.rfind("id=", 0) != 0) return Error::make(ErrorKind::invalid_argument, "platform expect-time: expected id=<widget> or receipt");
  const std::string id = where.substr(3);
  std::string shown;
  bool found = false;
  for (const ui::VisibleWidget& entry : app_.visible_widgets()) {
    if (entry.widget->id() != id) continue;
    found = true;
    gather_text(*entry.widget, shown);
  }
  if (!found) return Error::make(ErrorKind::not_found, "platform expect-time: no visible widget with id \"" + id + "\"");
  if (shown.find(expected) != std::string::npos) return {};
  return Error::make(ErrorKind::invalid_argument, "platform expect-time: widget \"" + id + "\" shows \"" + shown + "\", not " + described);
}

}  // namespace kiosk::driver
