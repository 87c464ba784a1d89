#include "kiosk/platform/http_client.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <functional>
#include <mutex>

#include <nlohmann/json.hpp>

namespace kiosk::platform {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

PlatformError make_error(PlatformErrorKind kind, std::string message, bool retryable) {
  PlatformError error;
  error.kind = kind;
  error.message = std::move(message);
  error.retryable = retryable;
  return error;
}

// The global init is not thread-safe before 7.84; do it once, before any handle exists.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  std::string* body;
  std::map<std::string, std::string>* headers;
  std::size_t limit;
  bool too_large = false;
  std::function<bool()> cancelled;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (transfer->body->size() + bytes > transfer->limit) {
    transfer->too_large = true;
    return 0;  // aborts with CURLE_WRITE_ERROR
  }
  transfer->body->append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    transfer->headers->clear();  // a new response (after 100-continue or a redirect)
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    (*transfer->headers)[lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  }
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* transfer = static_cast<Transfer*>(user);
  return transfer->cancelled() ? 1 : 0;
}

PlatformError error_from_curl(CURLcode code, const char* detail, bool too_large) {
  std::string message = std::string(curl_easy_strerror(code));
  if (detail != nullptr && detail[0] != '\0') message += ": " + std::string(detail);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return make_error(PlatformErrorKind::timeout, message, true);
    case CURLE_ABORTED_BY_CALLBACK:
      return make_error(PlatformErrorKind::cancelled, "cancelled", false);
    case CURLE_WRITE_ERROR:
      if (too_large) return make_error(PlatformErrorKind::bad_response, "answer larger than the limit", true);
      return make_error(PlatformErrorKind::network, message, true);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
      // Retryable in the outbox's sense (nothing is lost by trying later: a renewed certificate or
      // a fixed clock makes it work); the status shows the TLS cause to technicians meanwhile.
      return make_error(PlatformErrorKind::tls, message, true);
    default:
      return make_error(PlatformErrorKind::network, message, true);
  }
}

}  // namespace

const char* to_string(PlatformErrorKind kind) {
  switch (kind) {
    case PlatformErrorKind::config: return "config";
    case PlatformErrorKind::network: return "network";
    case PlatformErrorKind::tls: return "tls";
    case PlatformErrorKind::timeout: return "timeout";
    case PlatformErrorKind::cancelled: return "cancelled";
    case PlatformErrorKind::http: return "http";
    case PlatformErrorKind::bad_response: return "bad_response";
  }
  return "unknown";
}

std::string PlatformError::describe() const {
  std::string out = to_string(kind);
  if (kind == PlatformErrorKind::http) out += " " + std::to_string(status) + (code.empty() ? "" : " " + code);
  if (!message.empty()) out += ": " + message;
  return out;
}

const std::string* HttpResponse::header(const std::string& lower_name) const {
  const auto found = headers.find(lower_name);
  return found == headers.end() ? nullptr : &found->second;
}

std::optional<Milliseconds> parse_retry_after(std::string_view value, std::int64_t now_unix) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::min<std::int64_t>(seconds, 24 * 3600) * 1000;  // a day at most: we never sleep longer
  }
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  return std::clamp<std::int64_t>(static_cast<std::int64_t>(when) - now_unix, 0, 24 * 3600) * 1000;
}

PlatformError error_from_answer(int status, std::string_view body, const std::string* retry_after) {
  PlatformError error;
  error.kind = PlatformErrorKind::http;
  error.status = status;
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
    const auto& object = parsed["error"];
    if (object.contains("code") && object["code"].is_string()) error.code = object["code"].get<std::string>();
    if (object.contains("message") && object["message"].is_string()) {
      error.citizen_message = object["message"].get<std::string>();
    }
  }
  error.message = "HTTP " + std::to_string(status) + (error.code.empty() ? " (no error body)" : " " + error.code);
  error.retryable = status >= 500 || status == 429 || status == 408 ||
                    (status == 409 && error.code == "idempotency_in_flight");
  if (retry_after != nullptr) error.retry_after = parse_retry_after(*retry_after, std::time(nullptr));
  return error;
}

PlatformResult<HttpResponse> check_status(HttpResponse response) {
  if (response.status >= 200 && response.status < 400) return response;
  return error_from_answer(response.status, response.body, response.header("retry-after"));
}

struct TlsShare::Impl {
  CURLSH* share = nullptr;
  std::mutex locks[CURL_LOCK_DATA_LAST];
};

namespace {
void share_lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<TlsShare::Impl*>(user)->locks[data].lock();
}
void share_unlock(CURL*, curl_lock_data data, void* user) {
  static_cast<TlsShare::Impl*>(user)->locks[data].unlock();
}
}  // namespace

TlsShare::TlsShare() : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, share_lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

TlsShare::~TlsShare() { curl_share_cleanup(impl_->share); }

void* TlsShare::handle() const { return impl_->share; }

PlatformResult<std::unique_ptr<HttpClient>> HttpClient::create(TlsSettings settings, std::shared_ptr<TlsShare> share) {
  if (settings.base_url.rfind("https://", 0) != 0) {
    return make_error(PlatformErrorKind::config, "platform url must start with https://", false);
  }
  for (const auto* path : {&settings.ca_file, &settings.cert_file, &settings.key_file}) {
    struct stat info {};
    if (path->empty() || ::stat(path->c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
      return make_error(PlatformErrorKind::config, "missing file: " + path->string(), false);
    }
  }
  struct stat key {};
  ::stat(settings.key_file.c_str(), &key);
  if ((key.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(key.st_mode & 07777));
    return make_error(PlatformErrorKind::config,
                      "private key " + settings.key_file.string() + " has mode " + mode +
                          ": it must not be readable by group or others (chmod 600)",
                      false);
  }
  while (!settings.base_url.empty() && settings.base_url.back() == '/') settings.base_url.pop_back();
  global_init();
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(settings), std::move(share)));
}

HttpClient::HttpClient(TlsSettings settings, std::shared_ptr<TlsShare> share)
    : settings_(std::move(settings)), share_(std::move(share)), curl_(curl_easy_init()), multi_(curl_multi_init()) {}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

PlatformResult<HttpResponse> HttpClient::send(const HttpRequest& request, const CancelToken& cancel,
                                              const CancelToken* also) {
  auto cancelled_now = [&] { return cancel.cancelled() || (also != nullptr && also->cancelled()); };
  if (cancelled_now()) return make_error(PlatformErrorKind::cancelled, "cancelled", false);
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the connection and session caches, clears the options

  HttpResponse response;
  Transfer transfer{&response.body, &response.headers, settings_.max_response_bytes, false, cancelled_now};
  char detail[CURL_ERROR_SIZE] = {};
  const std::string url = settings_.base_url + request.path;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (share_) curl_easy_setopt(curl, CURLOPT_SHARE, share_->handle());
  // Trust: only the platform CA, never the system store; TLS 1.2 at least; optional key pin.
  curl_easy_setopt(curl, CURLOPT_CAINFO, settings_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(curl, CURLOPT_SSL_SESSIONID_CACHE, 1L);
  if (!settings_.pinned_public_key.empty()) {
    curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, settings_.pinned_public_key.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_SSLCERT, settings_.cert_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
  curl_easy_setopt(curl, CURLOPT_SSLKEY, settings_.key_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  // Timeouts: connect, stalled transfer (low speed), whole request.
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.connect_timeout));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.value_or(settings_.total_timeout)));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, settings_.low_speed_bytes_per_s);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, std::max(1L, static_cast<long>(settings_.low_speed_time / 1000)));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  // Cancellation: the loop below polls the token every 100 ms; the progress callback also stops a
  // transfer that is busy moving data.
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  if (request.method == "POST") {
    headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  // Run through the multi interface so the wait wakes every 100 ms to look at the cancel token.
  CURLM* multi = static_cast<CURLM*>(multi_);
  curl_multi_add_handle(multi, curl);
  CURLcode code = CURLE_OK;
  bool cancelled = false;
  for (int running = 1; running > 0;) {
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      code = CURLE_FAILED_INIT;
      break;
    }
    if (running == 0) break;
    if (cancelled_now()) {
      cancelled = true;
      break;
    }
    curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  }
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg == CURLMSG_DONE) code = message->data.result;
  }
  curl_multi_remove_handle(multi, curl);
  curl_slist_free_all(headers);
  if (cancelled) return make_error(PlatformErrorKind::cancelled, "cancelled", false);
  ++requests_sent_;
  if (settings_.on_request) {
    curl_off_t total_us = 0;
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &total_us);
    settings_.on_request(endpoint_label(request.path), static_cast<double>(total_us) / 1e6);
  }
  long connects = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
  connections_opened_ += connects;
  if (code != CURLE_OK) {
    if (cancelled_now()) return make_error(PlatformErrorKind::cancelled, "cancelled", false);
    return error_from_curl(code, detail, transfer.too_large);
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  if (const auto* date = response.header("date")) {
    const time_t when = curl_getdate(date->c_str(), nullptr);
    if (when >= 0) response.server_time = when;
  }
  return response;
}

std::string endpoint_label(std::string_view path) {
  constexpr std::string_view prefix = "/api/v1/";
  if (path.substr(0, prefix.size()) == prefix) path.remove_prefix(prefix.size());
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string label;
  for (char c : path) {
    if (c == '/' || c == '?' || c == '#') break;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') label += c;
    else if (c >= 'A' && c <= 'Z') label += static_cast<char>(c - 'A' + 'a');
    else if (c == '-') label += '_';
  }
  // A segment with a digit is an id (a case number, a region), not an endpoint: endpoint names
  // are words. Ids never become labels.
  if (label.empty() || label.find_first_of("0123456789") != std::string::npos) return "other";
  return label;
}

PlatformResult<HttpResponse> HttpClient::exchange(const HttpRequest& request, const CancelToken& cancel,
                                                  const CancelToken* also) {
  auto sent = send(request, cancel, also);
  if (!sent) return sent.release_error();
  return check_status(sent.release_value());
}

}  // namespace kiosk::platform
