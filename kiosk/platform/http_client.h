#pragma once
// HTTPS to the provincial platform over mutual TLS, with libcurl (docs/platform-api.md).
//
// One HttpClient per thread (it owns a curl easy handle and so its open connection); every client
// of a terminal shares one TlsShare, so connections and TLS sessions are reused across threads
// and a retry after a drop resumes the session instead of a full handshake. Only the platform CA
// is trusted (never the system store), TLS 1.2 is the floor, and the server's public key can be
// pinned. Every request has connect, low-speed and total timeouts and a CancelToken checked at
// least every 100 ms. Nothing here runs on the UI thread.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/cancel.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/result.h"
#include "kiosk/core/tls_fault.h"

namespace kiosk::platform {

struct PlatformError;

struct TlsSettings {
  std::string base_url;                 // "https://platform.example:8443" (no trailing slash)
  std::filesystem::path ca_file;        // the platform CA, PEM; the only trust anchor
  std::filesystem::path cert_file;      // this terminal's certificate, PEM
  std::filesystem::path key_file;       // its private key, PEM; must be mode 0600 or stricter
  std::string pinned_public_key;        // optional "sha256//<base64>" of the server's key
  Milliseconds connect_timeout = 5000;
  Milliseconds total_timeout = 30000;   // per request, unless the request sets its own
  long low_speed_bytes_per_s = 512;     // slower than this for low_speed_time → timeout
  Milliseconds low_speed_time = 10000;
  std::size_t max_response_bytes = 8u << 20;
  // Called after every request that reached the platform (answered or failed in transport, not
  // cancelled) with endpoint_label(path) and the seconds it took: the fleet's latency histogram.
  // Runs on the requesting thread; must be thread-safe and quick.
  std::function<void(const std::string& endpoint, double seconds)> on_request;
  // Called after every exchange() that was not cancelled, with its error (nullptr: the platform
  // answered 2xx/3xx): the channel tells a configuration fault from an outage with it. Runs on
  // the requesting thread; must be thread-safe and quick.
  std::function<void(const PlatformError* error)> on_outcome;
};

// The metric label of a request path: its first segment after "/api/v1/" ("/api/v1/cases/42/
// materials?x=1" → "cases"), letters and '_' only; "other" when nothing is left or the segment
// holds a digit (an id, not an endpoint). Never an id.
std::string endpoint_label(std::string_view path);

// Why a request failed. `retryable` is the contract's rule: transport failures, timeouts, 5xx,
// 429 and idempotency_in_flight are worth another try; other answers are final.
enum class PlatformErrorKind {
  config,        // unusable settings: missing or world-readable key, bad CA file
  network,       // could not connect, connection dropped, reset
  tls,           // handshake failed: server not trusted, our certificate refused, pin mismatch
  timeout,       // connect, low-speed or total timeout
  cancelled,     // the caller cancelled
  http,          // the platform answered with an error status (see status/code)
  bad_response,  // an answer that is not what the contract says (malformed JSON, too large)
};
const char* to_string(PlatformErrorKind kind);

struct PlatformError {
  PlatformErrorKind kind = PlatformErrorKind::network;
  int status = 0;            // HTTP status for kind http
  std::string code;          // the contract's error code ("idempotency_mismatch") for kind http
  std::string message;       // technical context for logs and technicians; no personal data
  std::string citizen_message;  // the platform's plain-language message, if it sent one
  bool retryable = false;
  std::optional<Milliseconds> retry_after;  // from Retry-After
  // Set when waiting will not fix it: this terminal's TLS files or its registration at the
  // platform are wrong (the platform's certificate not trusted by platform.ca_file, ours refused
  // by a TLS alert or HTTP 401, a key that cannot be used, 403 terminal_unknown/terminal_revoked).
  // Still retryable: nothing a citizen submitted is given up, and once fixed it goes out.
  std::optional<tls::ConfigFault> config_fault;

  std::string describe() const;  // "http 503 unavailable: …" (+ "; config fault: platform.ca_file: …")
};

template <typename T>
using PlatformResult = Result<T, PlatformError>;

struct HttpRequest {
  std::string method = "GET";
  std::string path;  // "/api/v1/catalog?region=510502"
  std::map<std::string, std::string> headers;
  std::string body;
  std::optional<Milliseconds> timeout;  // overrides TlsSettings::total_timeout
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::optional<std::int64_t> server_time;  // the Date header, Unix seconds

  const std::string* header(const std::string& lower_name) const;
};

// Connections and TLS sessions shared by every HttpClient of the terminal; thread-safe.
class TlsShare {
 public:
  TlsShare();
  ~TlsShare();
  TlsShare(const TlsShare&) = delete;
  TlsShare& operator=(const TlsShare&) = delete;
  void* handle() const;  // CURLSH*
  struct Impl;  // public so the lock callbacks can reach it; defined in the .cpp only

 private:
  std::unique_ptr<Impl> impl_;
};

class HttpClient {
 public:
  // Checks the key file's mode and that the files exist; an error is kind config.
  static PlatformResult<std::unique_ptr<HttpClient>> create(TlsSettings settings, std::shared_ptr<TlsShare> share);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and returns any HTTP answer (including 4xx/5xx: see check_status) or a
  // transport error. Blocks up to the timeout; returns `cancelled` within 100 ms of cancel().
  // `also` (optional) is a second token, e.g. the owner's shutdown, that cancels as well.
  PlatformResult<HttpResponse> send(const HttpRequest& request, const CancelToken& cancel,
                                    const CancelToken* also = nullptr);
  // send() then check_status(): an error status becomes a PlatformError (kind http).
  PlatformResult<HttpResponse> exchange(const HttpRequest& request, const CancelToken& cancel,
                                        const CancelToken* also = nullptr);

  // Total connections opened and requests sent by this client (for the benchmark).
  long connections_opened() const { return connections_opened_; }
  long requests_sent() const { return requests_sent_; }
  const TlsSettings& settings() const { return settings_; }

 private:
  HttpClient(TlsSettings settings, std::shared_ptr<TlsShare> share);
  TlsSettings settings_;
  std::shared_ptr<TlsShare> share_;
  void* curl_ = nullptr;   // CURL*
  void* multi_ = nullptr;  // CURLM*: owns the connection cache when no share is given
  long connections_opened_ = 0;
  long requests_sent_ = 0;
};

// Turns a ≥ 400 answer into a PlatformError (parsing the contract's error body), passes 2xx/3xx.
PlatformResult<HttpResponse> check_status(HttpResponse response);
// The error body `{"error": {...}}` of an answer; tolerant of garbage (then code is empty).
PlatformError error_from_answer(int status, std::string_view body, const std::string* retry_after);
// Retry-After: delta-seconds or an HTTP date (relative to `now_unix`).
std::optional<Milliseconds> parse_retry_after(std::string_view value, std::int64_t now_unix);

}  // namespace kiosk::platform
