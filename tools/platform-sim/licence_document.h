#pragma once
// Electronic licences (电子证照) of the simulator: each sample licence is rendered once as a real
// PDF with cairo (A4, Noto Sans CJK SC) showing its fields, and signed by the issuer key that
// tools/pki made (ECDSA P-256 over SHA-256 of the PDF bytes, DER). The terminal verifies the
// signature with GET /api/v1/issuers before it shows or prints a document.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace platform_sim {

struct LicenceContent {
  std::string type;      // "不动产权证书"
  std::string number;    // the full licence number (printed on the document)
  std::string holder;    // holder's name
  std::string issuer;    // issuing body
  std::string issued_at;
  std::string valid_until;
  std::vector<std::pair<std::string, std::string>> fields;  // further label → value rows
};

// A one-page PDF of the licence. Errors: cairo failed (message has cairo's status).
kiosk::Result<std::string> render_licence_pdf(const LicenceContent& content);

// Releases cairo's and fontconfig's caches (at exit, so leak checkers see a clean heap).
void release_font_caches();

class IssuerKey {
 public:
  // Loads the issuer's private key (PEM, P-256) written by `tools/pki/pki init`.
  static kiosk::Result<std::unique_ptr<IssuerKey>> load(const std::filesystem::path& private_key_pem,
                                                        std::string issuer_name);
  ~IssuerKey();
  IssuerKey(const IssuerKey&) = delete;
  IssuerKey& operator=(const IssuerKey&) = delete;

  const std::string& key_id() const { return key_id_; }  // first 16 hex of SHA-256(SPKI DER)
  const std::string& name() const { return name_; }
  const std::string& public_key_pem() const { return public_key_pem_; }
  // ECDSA P-256 signature (DER) over SHA-256 of `bytes`.
  kiosk::Result<std::string> sign(std::string_view bytes) const;

 private:
  IssuerKey(EVP_PKEY* key, std::string name);
  EVP_PKEY* key_;
  std::string name_;
  std::string key_id_;
  std::string public_key_pem_;
};

}  // namespace platform_sim
