#pragma once
// What a failed TLS connection to the platform says about this terminal's configuration, in one
// place for the platform channel (kiosk/platform/http_client.cpp, libcurl) and the technician's
// network check (kiosk/ops/network_check.cpp, its own OpenSSL connection): the config field to
// fix and the problem in plain words. Such a failure does not go away by waiting, so it is told
// apart from a network outage (docs/operations.md "Log events", platform-config-fault).

#include <optional>
#include <string>
#include <string_view>

namespace kiosk::tls {

struct ConfigFault {
  std::string field;    // "platform.ca_file", "platform.cert_file", "platform.key_file", "platform.url",
                        // "platform.pinned_public_key", "terminal_id"
  std::string problem;  // plain words for a technician, e.g. "the server's certificate is not signed
                        // by the platform CA (…)"
  std::string reason;   // OpenSSL's or the platform's words ("unable to get local issuer
                        // certificate", "tlsv1 alert unknown ca", "403 terminal_unknown")

  // "platform.ca_file: <problem> (<reason>)"
  std::string describe() const;
  bool operator==(const ConfigFault&) const = default;
};

// The platform's certificate failed verification with OpenSSL's X509 result `verify_result`
// (X509_V_ERR_…) whose text is `openssl_text` (X509_verify_cert_error_string).
ConfigFault server_certificate_refused(long verify_result, std::string_view openssl_text);

// `text` holds an alert the platform sent during or right after the handshake, in OpenSSL's words
// ("… tlsv1 alert unknown ca", "… sslv3 alert certificate expired"). When it refuses this
// terminal's certificate, the fault; nullopt for other alerts (or none).
std::optional<ConfigFault> alert_refuses_terminal(std::string_view text);

}  // namespace kiosk::tls
