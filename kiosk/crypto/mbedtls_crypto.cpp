// The mbedTLS 2.28 backend of the crypto seam (Debian's libmbedcrypto), for small firmware images.
// Digests, GCM and ECDSA use one context per call; the only shared state is the CTR_DRBG, which is
// seeded on first use under a mutex and runs with prediction resistance (fresh kernel entropy on
// every call), so a fork()ed child never repeats the parent's random stream — and so its nonces.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "kiosk/core/secure_memory.h"
#include "kiosk/crypto/detail.h"

#if MBEDTLS_VERSION_MAJOR != 2
#error "kiosk_crypto_mbedtls is written against the mbedTLS 2.x API (Debian 12: 2.28)"
#endif

namespace kiosk::crypto {
namespace {

constexpr const char* kBackend = "mbedtls";
constexpr char kPersonalisation[] = "kiosk crypto seam";

Error library_error(ErrorKind kind, const std::string& what, int code) {
  char number[16];
  std::snprintf(number, sizeof(number), "-0x%04X", static_cast<unsigned>(-code));
  return Error::make(kind, "mbedtls: " + what + " (error " + number + ")");
}

// mbedtls_gcm_context with its cleanup (mbedtls_gcm_free wipes the key schedule).
class Gcm {
 public:
  Gcm() { mbedtls_gcm_init(&context_); }
  ~Gcm() { mbedtls_gcm_free(&context_); }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;

  Status set_key(const SealKey& key) {
    const int code = mbedtls_gcm_setkey(&context_, MBEDTLS_CIPHER_ID_AES, key.bytes.data(), 256);
    if (code != 0) return library_error(ErrorKind::io, "cannot set the AES-256 key", code);
    return {};
  }
  mbedtls_gcm_context* get() { return &context_; }

 private:
  mbedtls_gcm_context context_;
};

class PublicKey {
 public:
  PublicKey() { mbedtls_pk_init(&context_); }
  ~PublicKey() { mbedtls_pk_free(&context_); }
  PublicKey(const PublicKey&) = delete;
  PublicKey& operator=(const PublicKey&) = delete;
  mbedtls_pk_context* get() { return &context_; }

 private:
  mbedtls_pk_context context_;
};

Result<Bytes> gcm_seal(const SealKey& key, ByteView nonce, ByteView plaintext, ByteView aad) {
  TRY_STATUS(detail::check_seal_input(nonce, plaintext, aad));
  Bytes sealed = detail::start_sealed(nonce, plaintext.size());
  std::uint8_t* ciphertext = sealed.data() + 1 + kSealNonceSize;
  Gcm gcm;
  TRY_STATUS(gcm.set_key(key));
  const int code = mbedtls_gcm_crypt_and_tag(gcm.get(), MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(),
                                             nonce.size(), detail::data_or_empty(aad), aad.size(),
                                             detail::data_or_empty(plaintext), ciphertext, kSealTagSize,
                                             ciphertext + plaintext.size());
  if (code != 0) return library_error(ErrorKind::io, "AES-256-GCM encryption failed", code);
  return sealed;
}

Result<Bytes> gcm_open(const SealKey& key, ByteView sealed, ByteView aad) {
  if (aad.size() > kMaxSealInput) return Error::make(ErrorKind::invalid_argument, "open: aad larger than 1 GiB");
  const auto parts = TRY(detail::split_sealed(sealed));
  Gcm gcm;
  TRY_STATUS(gcm.set_key(key));
  Bytes plaintext(parts.ciphertext.size());
  // Write into a one-byte buffer when there is no plaintext: the library wants a valid pointer.
  std::uint8_t empty_output[1];
  const int code = mbedtls_gcm_auth_decrypt(gcm.get(), parts.ciphertext.size(), parts.nonce.data(), parts.nonce.size(),
                                            detail::data_or_empty(aad), aad.size(), parts.tag.data(), parts.tag.size(),
                                            detail::data_or_empty(parts.ciphertext),
                                            plaintext.empty() ? empty_output : plaintext.data());
  if (code == MBEDTLS_ERR_GCM_AUTH_FAILED) {
    secure_clear(plaintext);
    return detail::authentication_failed();
  }
  if (code != 0) {
    secure_clear(plaintext);
    return library_error(ErrorKind::io, "AES-256-GCM decryption failed", code);
  }
  return plaintext;
}

// Parses and checks the key: common PEM/prefix checks first, then mbedTLS's own DER parse, which
// also checks the point is on the curve.
Status parse_p256_key(std::string_view pem, PublicKey& key) {
  Bytes der = TRY(detail::p256_public_key_der_from_pem(pem));
  const int code = mbedtls_pk_parse_public_key(key.get(), der.data(), der.size());
  if (code != 0) return library_error(ErrorKind::parse, "public key: not a valid EC P-256 key", code);
  if (mbedtls_pk_get_type(key.get()) != MBEDTLS_PK_ECKEY ||
      mbedtls_pk_ec(*key.get())->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
    return Error::make(ErrorKind::unsupported, "mbedtls: public key: not an EC P-256 key");
  }
  return {};
}

class MbedtlsCrypto final : public Crypto {
 public:
  MbedtlsCrypto() {
    mbedtls_entropy_init(&entropy_);
    mbedtls_ctr_drbg_init(&drbg_);
  }
  ~MbedtlsCrypto() override {
    mbedtls_ctr_drbg_free(&drbg_);
    mbedtls_entropy_free(&entropy_);
  }
  MbedtlsCrypto(const MbedtlsCrypto&) = delete;
  MbedtlsCrypto& operator=(const MbedtlsCrypto&) = delete;

  const char* backend() const override { return kBackend; }

  Result<Bytes> random_bytes(std::size_t count) override {
    std::lock_guard lock(drbg_mutex_);
    TRY_STATUS(seed_locked());
    Bytes bytes(count);
    for (std::size_t done = 0; done < count; done += MBEDTLS_CTR_DRBG_MAX_REQUEST) {
      const std::size_t chunk = std::min<std::size_t>(MBEDTLS_CTR_DRBG_MAX_REQUEST, count - done);
      const int code = mbedtls_ctr_drbg_random(&drbg_, bytes.data() + done, chunk);
      if (code != 0) return library_error(ErrorKind::io, "the random generator failed", code);
    }
    return bytes;
  }

  Bytes sha256(ByteView data) override {
    Bytes digest(32);
    if (mbedtls_sha256_ret(detail::data_or_empty(data), data.size(), digest.data(), 0) != 0) {
      detail::fatal_library_failure(kBackend, "SHA-256");
    }
    return digest;
  }

  Bytes hmac_sha256(ByteView key, ByteView data) override {
    Bytes mac(32);
    if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), detail::data_or_empty(key), key.size(),
                        detail::data_or_empty(data), data.size(), mac.data()) != 0) {
      detail::fatal_library_failure(kBackend, "HMAC-SHA256");
    }
    return mac;
  }

  Result<Bytes> seal(const SealKey& key, ByteView plaintext, ByteView aad) override {
    const Bytes nonce = TRY(random_bytes(kSealNonceSize));
    return gcm_seal(key, nonce, plaintext, aad);
  }

  Result<Bytes> open(const SealKey& key, ByteView sealed, ByteView aad) override { return gcm_open(key, sealed, aad); }

  Result<bool> verify_p256(std::string_view public_key_pem, ByteView message, ByteView signature_der) override {
    TRY_STATUS(detail::check_ecdsa_signature_der(signature_der));
    PublicKey key;
    TRY_STATUS(parse_p256_key(public_key_pem, key));
    const Bytes digest = sha256(message);
    const int code = mbedtls_pk_verify(key.get(), MBEDTLS_MD_SHA256, digest.data(), digest.size(),
                                       signature_der.data(), signature_der.size());
    if (code == 0) return true;
    if (code == MBEDTLS_ERR_ECP_VERIFY_FAILED) return false;
    return library_error(ErrorKind::parse, "signature rejected as malformed", code);
  }

 private:
  Status seed_locked() {
    if (seeded_) return {};
    const int code = mbedtls_ctr_drbg_seed(&drbg_, mbedtls_entropy_func, &entropy_,
                                           reinterpret_cast<const unsigned char*>(kPersonalisation),
                                           sizeof(kPersonalisation) - 1);
    if (code != 0) return library_error(ErrorKind::io, "cannot seed the random generator", code);
    mbedtls_ctr_drbg_set_prediction_resistance(&drbg_, MBEDTLS_CTR_DRBG_PR_ON);
    seeded_ = true;
    return {};
  }

  std::mutex drbg_mutex_;
  mbedtls_entropy_context entropy_;
  mbedtls_ctr_drbg_context drbg_;
  bool seeded_ = false;
};

}  // namespace

std::unique_ptr<Crypto> make_mbedtls_crypto() { return std::make_unique<MbedtlsCrypto>(); }

namespace detail {

Result<Bytes> mbedtls_seal_with_nonce(const SealKey& key, ByteView nonce, ByteView plaintext, ByteView aad) {
  return gcm_seal(key, nonce, plaintext, aad);
}

}  // namespace detail
}  // namespace kiosk::crypto
