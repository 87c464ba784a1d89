// The OpenSSL 3 backend of the crypto seam (the default). OpenSSL's EVP calls are thread-safe
// with one context per call, and its DRBG reseeds itself after fork(), so this class has no state.
#include <algorithm>
#include <cstring>
#include <memory>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "kiosk/core/secure_memory.h"
#include "kiosk/crypto/detail.h"

namespace kiosk::crypto {
namespace {

constexpr const char* kBackend = "openssl";
constexpr std::size_t kRandomChunk = 1 << 20;
constexpr std::size_t kSha256BlockSize = 64;

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;
using PublicKey = std::unique_ptr<EVP_PKEY, KeyFree>;

// An error from a failed OpenSSL call. Clears this thread's OpenSSL error queue, so a later user
// of OpenSSL on the same thread (libcurl) does not pick up our stale errors.
Error library_error(ErrorKind kind, const std::string& what) {
  ERR_clear_error();
  return Error::make(kind, "openssl: " + what);
}

// Sizes passed here are bounded by kMaxSealInput (1 GiB) or by fixed sizes, so they fit an int.
int as_int(std::size_t size) { return static_cast<int>(size); }

Result<CipherContext> start_gcm(const SealKey& key, ByteView nonce, ByteView aad, int encrypt) {
  CipherContext context(EVP_CIPHER_CTX_new());
  if (!context) return library_error(ErrorKind::io, "cannot allocate a cipher context");
  const bool started =
      EVP_CipherInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt) == 1 &&
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_IVLEN, as_int(nonce.size()), nullptr) == 1 &&
      EVP_CipherInit_ex(context.get(), nullptr, nullptr, key.bytes.data(), nonce.data(), encrypt) == 1;
  if (!started) return library_error(ErrorKind::io, "cannot start AES-256-GCM");
  int written = 0;
  if (!aad.empty() && EVP_CipherUpdate(context.get(), nullptr, &written, aad.data(), as_int(aad.size())) != 1) {
    return library_error(ErrorKind::io, "cannot authenticate the aad");
  }
  return context;
}

// Runs the cipher over `input` into `output` (same size; GCM is a stream mode).
Status gcm_update(EVP_CIPHER_CTX* context, ByteView input, std::uint8_t* output) {
  int written = 0;
  if (!input.empty() && (EVP_CipherUpdate(context, output, &written, input.data(), as_int(input.size())) != 1 ||
                         written != as_int(input.size()))) {
    return library_error(ErrorKind::io, "AES-256-GCM update failed");
  }
  return {};
}

Result<Bytes> gcm_seal(const SealKey& key, ByteView nonce, ByteView plaintext, ByteView aad) {
  TRY_STATUS(detail::check_seal_input(nonce, plaintext, aad));
  Bytes sealed = detail::start_sealed(nonce, plaintext.size());
  std::uint8_t* ciphertext = sealed.data() + 1 + kSealNonceSize;
  CipherContext context = TRY(start_gcm(key, nonce, aad, 1));
  TRY_STATUS(gcm_update(context.get(), plaintext, ciphertext));
  int written = 0;
  std::uint8_t* tag = ciphertext + plaintext.size();
  if (EVP_CipherFinal_ex(context.get(), tag, &written) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, as_int(kSealTagSize), tag) != 1) {
    return library_error(ErrorKind::io, "AES-256-GCM final failed");
  }
  return sealed;
}

Result<Bytes> gcm_open(const SealKey& key, ByteView sealed, ByteView aad) {
  if (aad.size() > kMaxSealInput) return Error::make(ErrorKind::invalid_argument, "open: aad larger than 1 GiB");
  const auto parts = TRY(detail::split_sealed(sealed));
  CipherContext context = TRY(start_gcm(key, parts.nonce, aad, 0));
  Bytes plaintext(parts.ciphertext.size());
  TRY_STATUS(gcm_update(context.get(), parts.ciphertext, plaintext.data()));
  // OpenSSL takes the expected tag through a non-const pointer but only reads it.
  auto* tag = const_cast<std::uint8_t*>(parts.tag.data());
  int written = 0;
  std::uint8_t final_block[16];
  if (EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, as_int(kSealTagSize), tag) != 1 ||
      EVP_CipherFinal_ex(context.get(), final_block, &written) != 1) {
    secure_clear(plaintext);
    ERR_clear_error();
    return detail::authentication_failed();
  }
  return plaintext;
}

Result<PublicKey> parse_p256_key(std::string_view pem) {
  const Bytes der = TRY(detail::p256_public_key_der_from_pem(pem));
  const unsigned char* cursor = der.data();
  PublicKey key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key || cursor != der.data() + der.size()) {
    return library_error(ErrorKind::parse, "public key: not a valid EC P-256 key (point not on the curve?)");
  }
  char group[32] = {};
  std::size_t group_length = 0;
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC ||
      EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &group_length) != 1 ||
      std::strcmp(group, SN_X9_62_prime256v1) != 0) {
    return library_error(ErrorKind::unsupported, "public key: not an EC P-256 key");
  }
  return key;
}

class OpensslCrypto final : public Crypto {
 public:
  const char* backend() const override { return kBackend; }

  Result<Bytes> random_bytes(std::size_t count) override {
    Bytes bytes(count);
    for (std::size_t done = 0; done < count; done += kRandomChunk) {
      const std::size_t chunk = std::min(kRandomChunk, count - done);
      if (RAND_bytes(bytes.data() + done, as_int(chunk)) != 1) {
        return library_error(ErrorKind::io, "the random generator failed");
      }
    }
    return bytes;
  }

  Bytes sha256(ByteView data) override {
    Bytes digest(32);
    unsigned int length = 0;
    if (EVP_Digest(detail::data_or_empty(data), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != digest.size()) {
      detail::fatal_library_failure(kBackend, "SHA-256");
    }
    return digest;
  }

  Bytes hmac_sha256(ByteView key, ByteView data) override {
    // RFC 2104: a key longer than the block is replaced by its hash; doing it here keeps the
    // key length within HMAC()'s int.
    Bytes hashed_key;
    if (key.size() > kSha256BlockSize) {
      hashed_key = sha256(key);
      key = hashed_key;
    }
    Bytes mac(32);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), detail::data_or_empty(key), as_int(key.size()), detail::data_or_empty(data), data.size(),
             mac.data(), &length) == nullptr ||
        length != mac.size()) {
      detail::fatal_library_failure(kBackend, "HMAC-SHA256");
    }
    secure_clear(hashed_key);
    return mac;
  }

  Result<Bytes> seal(const SealKey& key, ByteView plaintext, ByteView aad) override {
    const Bytes nonce = TRY(random_bytes(kSealNonceSize));
    return gcm_seal(key, nonce, plaintext, aad);
  }

  Result<Bytes> open(const SealKey& key, ByteView sealed, ByteView aad) override { return gcm_open(key, sealed, aad); }

  Result<bool> verify_p256(std::string_view public_key_pem, ByteView message, ByteView signature_der) override {
    TRY_STATUS(detail::check_ecdsa_signature_der(signature_der));
    PublicKey key = TRY(parse_p256_key(public_key_pem));
    DigestContext context(EVP_MD_CTX_new());
    if (!context || EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
      return library_error(ErrorKind::io, "cannot start ECDSA verification");
    }
    const int verdict = EVP_DigestVerify(context.get(), signature_der.data(), signature_der.size(),
                                         detail::data_or_empty(message), message.size());
    ERR_clear_error();
    if (verdict == 1) return true;
    if (verdict == 0) return false;
    return Error::make(ErrorKind::parse, "openssl: signature rejected as malformed");
  }
};

}  // namespace

std::unique_ptr<Crypto> make_openssl_crypto() { return std::make_unique<OpensslCrypto>(); }

namespace detail {

Result<Bytes> openssl_seal_with_nonce(const SealKey& key, ByteView nonce, ByteView plaintext, ByteView aad) {
  return gcm_seal(key, nonce, plaintext, aad);
}

}  // namespace detail
}  // namespace kiosk::crypto
