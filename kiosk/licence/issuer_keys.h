#pragma once
// The issuers' public keys (GET /api/v1/issuers) and the check every licence document passes
// before the terminal shows or prints it: ECDSA P-256 over SHA-256 of the PDF bytes, by the key
// the document names (docs/platform-api.md, "Licences").
//
// main() builds one IssuerKeys and hands it to the screens through Services, so the keys fetched
// once stay in memory for the app's life; the licences screen fetches them again only when a
// document names a key it does not know (a new issuer, a rotated key).

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/crypto/crypto.h"
#include "kiosk/licence/licence_error.h"
#include "kiosk/platform/messages.h"

namespace kiosk::licence {

// Checks `document` against `issuers`: unknown_issuer when no issuer has its key id,
// bad_signature when the signature is well formed but does not verify, malformed for a signature
// or key that does not parse (or a key that is not P-256). Pure CPU work, any thread.
LicenceStatus verify_document(crypto::Crypto& crypto, const std::vector<platform::Issuer>& issuers,
                              const platform::LicenceDocument& document);

// Thread-safe: the UI thread asks whether keys are there, a worker replaces and verifies.
class IssuerKeys {
 public:
  // `crypto` must outlive this object.
  explicit IssuerKeys(crypto::Crypto& crypto) : crypto_(crypto) {}
  IssuerKeys(const IssuerKeys&) = delete;
  IssuerKeys& operator=(const IssuerKeys&) = delete;

  // Keeps `issuers` instead of what was there (the platform's answer is the whole list).
  void replace(std::vector<platform::Issuer> issuers);
  bool empty() const;
  bool knows(std::string_view key_id) const;
  std::optional<platform::Issuer> find(std::string_view key_id) const;
  LicenceStatus verify(const platform::LicenceDocument& document) const;

 private:
  crypto::Crypto& crypto_;
  mutable std::mutex mutex_;
  std::vector<platform::Issuer> issuers_;
};

}  // namespace kiosk::licence
