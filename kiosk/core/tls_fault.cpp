#include "kiosk/core/tls_fault.h"

#include <openssl/x509_vfy.h>  // X509_V_ERR_* only: nothing here links OpenSSL

#include <array>

namespace kiosk::tls {

std::string ConfigFault::describe() const {
  return field + ": " + problem + (reason.empty() ? "" : " (" + reason + ")");
}

ConfigFault server_certificate_refused(long verify_result, std::string_view openssl_text) {
  ConfigFault fault{"platform.ca_file", "", std::string(openssl_text)};
  switch (verify_result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      fault.problem = "the server's certificate is not signed by the platform CA (a wrong URL, a proxy in the way, or the wrong CA file)";
      break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      fault.field = "platform.url";
      fault.problem = "the server's certificate is for another name than the platform URL's";
      break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      fault.problem = "the server's certificate has expired (or this terminal's clock is far ahead)";
      break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      fault.problem = "the server's certificate is not valid yet (is this terminal's clock behind?)";
      break;
    default:
      fault.problem = "the server's certificate was refused";
      break;
  }
  return fault;
}

std::optional<ConfigFault> alert_refuses_terminal(std::string_view text) {
  // TLS alerts (RFC 8446 §6.2) by which a server turns down the client's certificate, as OpenSSL
  // names them in its error strings ("tlsv1 alert unknown ca").
  static constexpr std::array<std::string_view, 8> kRefusals = {
      "alert unknown ca",           "alert bad certificate",         "alert certificate expired",
      "alert certificate revoked",  "alert certificate unknown",     "alert unsupported certificate",
      "alert certificate required", "alert access denied"};
  for (const std::string_view refusal : kRefusals) {
    if (text.find(refusal) == std::string_view::npos) continue;
    return ConfigFault{"platform.cert_file",
                       "the platform refused this terminal's certificate (signed by another CA, expired, revoked, or "
                       "not the one the platform issued)",
                       "TLS " + std::string(refusal)};
  }
  return std::nullopt;
}

}  // namespace kiosk::tls
