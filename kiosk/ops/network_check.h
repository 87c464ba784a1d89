#pragma once
// The technician's network and platform check (technician mode, `kioskctl network`): one step
// after another, each timed, stopping at the first that fails —
//   dns          the platform's host name resolves (getaddrinfo on a helper thread, so the
//                timeout and cancel hold even while the resolver hangs)
//   tcp          a connection to its port (non-blocking connect)
//   tls          the handshake with this terminal's certificate, trusting ONLY the platform CA
//                and checking the host name (and the pinned key, when configured)
//   certificate  days left on this terminal's certificate and on the platform's (warning under
//                30 days, failure when expired or not yet valid)
//   clock        the platform's `Date` against our clock (fails over 300 s: TLS validity and case
//                times go wrong)
//   platform     an authenticated request (GET /api/v1/issuers, docs/platform-api.md) answered 2xx
// Details are plain sentences for a technician ("DNS: platform.example does not resolve"). It
// opens its own connection with OpenSSL — it does not reuse the channel's libcurl — so that each
// step can be timed and told apart. Blocks: never on the UI thread. Nothing here is personal data.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/cancel.h"
#include "kiosk/core/config.h"
#include "kiosk/core/result.h"
#include "kiosk/ops/operations.h"

namespace kiosk::ops {

struct NetworkCheckSettings {
  std::string url;                        // "https://platform.example:8443" (may carry a base path)
  std::filesystem::path ca_file;          // the platform CA: the only trust anchor
  std::filesystem::path cert_file;        // this terminal's certificate (PEM)
  std::filesystem::path key_file;         // its key (PEM)
  std::string pinned_public_key;          // optional "sha256//<base64>[;sha256//…]" (curl's form)
  std::string probe_path = "/api/v1/issuers";  // cheap, authenticated, no side effects
  std::chrono::milliseconds dns_timeout{5000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds tls_timeout{10000};
  std::chrono::milliseconds request_timeout{10000};
  int max_clock_skew_s = 300;
  int certificate_warning_days = 30;
};

// The settings for the configured platform (timeouts from connect_timeout_ms/request_timeout_ms).
NetworkCheckSettings network_check_settings(const PlatformConfig& platform);

// Runs the steps. Cancel makes the running step fail with "cancelled" within ~50 ms.
NetworkReport check_network(const NetworkCheckSettings& settings, CancelToken cancel);

// --- parsers of what the platform sends (outside data; fuzzed in tests/fuzz/network_http_fuzz.cpp)

struct HttpHead {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, values trimmed
  std::size_t size = 0;                        // bytes up to and including the blank line
};
// The status line and headers of an HTTP/1.x response (up to "\r\n\r\n"). parse error when
// malformed or incomplete.
Result<HttpHead> parse_http_head(std::string_view text);
// An IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7) as Unix seconds.
std::optional<std::int64_t> parse_http_date(std::string_view text);

}  // namespace kiosk::ops
