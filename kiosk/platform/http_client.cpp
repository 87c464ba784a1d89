#include "kiosk/platform/http_client.h"

#include <curl/curl.h>
#include <poll.h>
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

// Failures of the TLS files or of the platform's trust in them (tls_fault.h): which config field,
// and why in OpenSSL's words. `verify_result` is CURLINFO_SSL_VERIFYRESULT (an X509_V_ERR_… code).
std::optional<tls::ConfigFault> config_fault_from_curl(CURLcode code, std::string_view detail, long verify_result) {
  // curl words a failed verification "SSL certificate problem: <OpenSSL's text>".
  constexpr std::string_view kProblem = "SSL certificate problem: ";
  const auto problem_at = detail.find(kProblem);
  const std::string reason(problem_at == std::string_view::npos ? detail : detail.substr(problem_at + kProblem.size()));
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
      if (verify_result != 0) return tls::server_certificate_refused(verify_result, reason);
      // curl checks the host name itself: the chain was fine, the name was not.
      if (detail.find("subject name") != std::string_view::npos || detail.find("match") != std::string_view::npos) {
        return tls::ConfigFault{"platform.url", "the server's certificate is for another name than the platform URL's", reason};
      }
      return tls::ConfigFault{"platform.ca_file", "the server's certificate was refused", reason};
    case CURLE_SSL_CACERT_BADFILE:
      return tls::ConfigFault{"platform.ca_file", "the platform CA file cannot be read or holds no certificate", reason};
    case CURLE_SSL_CERTPROBLEM:
      if (detail.find("key") != std::string_view::npos) {
        return tls::ConfigFault{"platform.key_file",
                                "this terminal's private key cannot be used (unreadable, not a PEM key, or not the key of "
                                "platform.cert_file)",
                                reason};
      }
      return tls::ConfigFault{"platform.cert_file", "this terminal's certificate cannot be used (unreadable or not PEM)", reason};
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return tls::ConfigFault{"platform.pinned_public_key",
                              "the server's key is not the pinned one: a new platform key, or someone in between", reason};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      // With TLS 1.3 the platform judges our certificate after the handshake: its alert arrives
      // with the first read.
      return tls::alert_refuses_terminal(detail);
    default:
      return std::nullopt;
  }
}

PlatformError error_from_curl(CURLcode code, const char* detail, bool too_large, long verify_result) {
  std::string message = std::string(curl_easy_strerror(code));
  if (detail != nullptr && detail[0] != '\0') message += ": " + std::string(detail);
  if (auto fault = config_fault_from_curl(code, detail == nullptr ? "" : detail, verify_result)) {
    // Retryable in the outbox's sense (nothing is lost by trying later: a renewed certificate or
    // a fixed file makes it work); the channel tells citizens and technicians meanwhile.
    PlatformError error = make_error(PlatformErrorKind::tls, message, true);
    error.config_fault = std::move(fault);
    return error;
  }
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

// What every connection to the platform shares: the URL, https only, the error buffer, and trust —
// only the platform CA, never the system store; TLS 1.2 at least; our certificate; the optional
// key pin; the connect timeout.
void set_connection_options(CURL* curl, const TlsSettings& settings, const std::string& url, char* detail) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CAINFO, settings.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_CAPATH, nullptr);
#if LIBCURL_VERSION_NUM >= 0x075700
  // No cached CA store (curl ≥ 7.87 keeps one for a day): a technician who replaces a wrong CA
  // file sees the next connection use it. Our CA file is one certificate; parsing it costs nothing.
  curl_easy_setopt(curl, CURLOPT_CA_CACHE_TIMEOUT, 0L);
#endif
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!settings.pinned_public_key.empty()) {
    curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, settings.pinned_public_key.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_SSLCERT, settings.cert_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
  curl_easy_setopt(curl, CURLOPT_SSLKEY, settings.key_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout));
}

// CURLOPT_DEBUGFUNCTION: curl's informational and error lines, into a string (headers and data
// are left out).
int collect_curl_text(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type == CURLINFO_TEXT) static_cast<std::string*>(user)->append(data, size);
  return 0;
}

// With TLS 1.3 the platform judges our certificate after our side of the handshake is done; its
// refusal — an alert, then a close that resets the connection — can reach curl as a failed send
// before curl has read the alert. So ask once more, reading first: a fresh connection, the
// handshake, then only read, for up to `wait_ms`: an accepted certificate gets a session ticket
// (or silence), a refused one the alert. Blocks up to the connect timeout + `wait_ms`.
std::optional<tls::ConfigFault> probe_certificate_refusal(const TlsSettings& settings, int wait_ms) {
  CURL* probe = curl_easy_init();
  if (probe == nullptr) return std::nullopt;
  char detail[CURL_ERROR_SIZE] = {};
  set_connection_options(probe, settings, settings.base_url + "/", detail);
  // Every error curl words, not only the first (the error buffer keeps the first, and a reset
  // connection's "getpeername() failed" can come before OpenSSL's alert).
  std::string said;
  curl_easy_setopt(probe, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(probe, CURLOPT_DEBUGDATA, &said);
  curl_easy_setopt(probe, CURLOPT_DEBUGFUNCTION, collect_curl_text);
  curl_easy_setopt(probe, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(probe, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(probe, CURLOPT_SSL_SESSIONID_CACHE, 0L);
  std::optional<tls::ConfigFault> fault;
  if (curl_easy_perform(probe) != CURLE_OK) {
    fault = tls::alert_refuses_terminal(said);
  } else {
    curl_socket_t socket = CURL_SOCKET_BAD;
    curl_easy_getinfo(probe, CURLINFO_ACTIVESOCKET, &socket);
    pollfd readable{socket, POLLIN, 0};
    if (socket != CURL_SOCKET_BAD && ::poll(&readable, 1, wait_ms) > 0) {
      char buffer[512];
      std::size_t got = 0;
      // A session ticket (TLS records, no data, CURLE_AGAIN): the platform sends it once it has
      // accepted our certificate. An error: its alert. Data or the end: no refusal either.
      const CURLcode read = curl_easy_recv(probe, buffer, sizeof buffer, &got);
      if (read != CURLE_OK && read != CURLE_AGAIN) fault = tls::alert_refuses_terminal(said);
    }
  }
  curl_easy_cleanup(probe);
  return fault;
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
  if (config_fault) out += "; config fault: " + config_fault->describe();
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
  // The platform does not accept this terminal (docs/platform-api.md, Errors): not the request's
  // fault, so nothing is given up; the terminal stops looking "offline" and asks for a technician.
  if (status == 401) {
    error.config_fault = tls::ConfigFault{"platform.cert_file", "the platform did not accept this terminal's certificate",
                                          "HTTP 401" + (error.code.empty() ? "" : " " + error.code)};
  } else if (status == 403 && (error.code == "terminal_unknown" || error.code == "terminal_revoked")) {
    error.config_fault = tls::ConfigFault{
        "terminal_id",
        error.code == "terminal_unknown"
            ? "the platform has no terminal registered for this certificate's name (CN): register the terminal, or "
              "install the certificate issued for it"
            : "the platform has revoked this terminal: ask the platform's operators, then install a new certificate",
        "HTTP 403 " + error.code};
  }
  if (error.config_fault) error.retryable = true;
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
  for (const auto& [field, path] : {std::pair{"platform.ca_file", &settings.ca_file}, std::pair{"platform.cert_file", &settings.cert_file},
                                    std::pair{"platform.key_file", &settings.key_file}}) {
    struct stat info {};
    if (path->empty() || ::stat(path->c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
      return make_error(PlatformErrorKind::config, std::string(field) + ": no such file: " + path->string(), false);
    }
  }
  struct stat key {};
  ::stat(settings.key_file.c_str(), &key);
  if ((key.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(key.st_mode & 07777));
    return make_error(PlatformErrorKind::config,
                      "platform.key_file: private key " + settings.key_file.string() + " has mode " + mode +
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

  set_connection_options(curl, settings_, url, detail);
  if (share_) curl_easy_setopt(curl, CURLOPT_SHARE, share_->handle());
  curl_easy_setopt(curl, CURLOPT_SSL_SESSIONID_CACHE, 1L);
  // Timeouts: connect (above), stalled transfer (low speed), whole request.
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
    long verify_result = 0;
    curl_easy_getinfo(curl, CURLINFO_SSL_VERIFYRESULT, &verify_result);
    PlatformError error = error_from_curl(code, detail, transfer.too_large, verify_result);
    // A connection this request opened and finished the handshake on, lost at once: perhaps the
    // platform's refusal of our certificate (TLS 1.3) that curl did not get to read. Ask.
    curl_off_t handshake_us = 0;
    curl_easy_getinfo(curl, CURLINFO_APPCONNECT_TIME_T, &handshake_us);
    if (!error.config_fault && connects > 0 && handshake_us > 0 &&
        (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING)) {
      error.config_fault = probe_certificate_refusal(settings_, 1000);
    }
    return error;
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
  auto answer = send(request, cancel, also);
  if (answer) answer = check_status(answer.release_value());
  if (settings_.on_outcome && (answer || answer.error().kind != PlatformErrorKind::cancelled)) {
    settings_.on_outcome(answer ? nullptr : &answer.error());
  }
  return answer;
}

}  // namespace kiosk::platform
