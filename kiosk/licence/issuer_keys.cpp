#include "kiosk/licence/issuer_keys.h"

namespace kiosk::licence {

const char* to_string(LicenceErrorKind kind) {
  switch (kind) {
    case LicenceErrorKind::unknown_issuer: return "unknown_issuer";
    case LicenceErrorKind::bad_signature: return "bad_signature";
    case LicenceErrorKind::malformed: return "malformed";
    case LicenceErrorKind::too_large: return "too_large";
    case LicenceErrorKind::render: return "render";
    case LicenceErrorKind::cancelled: return "cancelled";
  }
  return "unknown";
}

LicenceStatus verify_document(crypto::Crypto& crypto, const std::vector<platform::Issuer>& issuers,
                              const platform::LicenceDocument& document) {
  const platform::Issuer* issuer = nullptr;
  for (const platform::Issuer& candidate : issuers) {
    if (!document.issuer_key_id.empty() && candidate.key_id == document.issuer_key_id) issuer = &candidate;
  }
  // The key id comes from outside: only its length goes into the message.
  if (!issuer) {
    return LicenceError::make(LicenceErrorKind::unknown_issuer,
                              "no issuer key with the document's key id (" +
                                  std::to_string(document.issuer_key_id.size()) + " characters)");
  }
  if (document.pdf.size() > kMaxPdfBytes) {
    return LicenceError::make(LicenceErrorKind::too_large, "document of " + std::to_string(document.pdf.size()) + " bytes");
  }
  auto verdict = crypto.verify_p256(issuer->public_key_pem, crypto::ByteView(document.pdf.data(), document.pdf.size()),
                                    crypto::ByteView(document.signature.data(), document.signature.size()));
  if (!verdict.ok()) {
    return LicenceError::make(LicenceErrorKind::malformed, "signature check: " + verdict.error().message);
  }
  if (!verdict.value()) {
    return LicenceError::make(LicenceErrorKind::bad_signature, "the signature does not match the document");
  }
  return {};
}

void IssuerKeys::replace(std::vector<platform::Issuer> issuers) {
  std::lock_guard lock(mutex_);
  issuers_ = std::move(issuers);
}

bool IssuerKeys::empty() const {
  std::lock_guard lock(mutex_);
  return issuers_.empty();
}

bool IssuerKeys::knows(std::string_view key_id) const { return find(key_id).has_value(); }

std::optional<platform::Issuer> IssuerKeys::find(std::string_view key_id) const {
  std::lock_guard lock(mutex_);
  for (const platform::Issuer& issuer : issuers_) {
    if (issuer.key_id == key_id) return issuer;
  }
  return std::nullopt;
}

LicenceStatus IssuerKeys::verify(const platform::LicenceDocument& document) const {
  std::vector<platform::Issuer> issuers;
  {
    std::lock_guard lock(mutex_);
    issuers = issuers_;  // verify outside the lock: the UI thread may ask empty() meanwhile
  }
  return verify_document(crypto_, issuers, document);
}

}  // namespace kiosk::licence
