#pragma once
// The crypto seam: random bytes, SHA-256, HMAC-SHA256, sealing at rest (AES-256-GCM) and ECDSA
// P-256 verification behind one small interface. Two backends implement it — OpenSSL (default)
// and mbedTLS (small firmware images) — and CMake picks one for the kiosk
// (KIOSK_CRYPTO_BACKEND=openssl|mbedtls); tests run the same vectors against both.
//
// Errors are kiosk::Error: parse for malformed sealed data, signatures and keys (an
// authentication failure in open() is parse with "sealed data failed authentication"),
// invalid_argument for misuse, unsupported for keys of another type or curve. Messages never
// carry key or plaintext bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of a text, without a terminator (no copy).
ByteView as_bytes(std::string_view text);

// Lowercase hex. from_hex accepts either case and fails (parse) on odd length or a non-hex
// character; its message gives the offset, never the text.
std::string to_hex(ByteView bytes);
Result<Bytes> from_hex(std::string_view text);

// An AES-256 key for sealing. Wiped (explicit_bzero) when destroyed; copies wipe themselves too.
inline constexpr std::size_t kSealKeySize = 32;
struct SealKey {
  std::array<std::uint8_t, kSealKeySize> bytes{};

  SealKey() = default;
  SealKey(const SealKey&) = default;
  SealKey& operator=(const SealKey&) = default;
  ~SealKey();
};

// Sealed data format, version 1:
//   1 byte format version (0x01) | 12 bytes nonce | ciphertext (as long as the plaintext) | 16 bytes tag
// The AES-256-GCM tag covers the ciphertext and `aad`; `aad` (e.g. the outbox row's idempotency
// key) is authenticated but not stored, so a blob moved to another row no longer opens.
inline constexpr std::uint8_t kSealedFormatVersion = 0x01;
inline constexpr std::size_t kSealNonceSize = 12;
inline constexpr std::size_t kSealTagSize = 16;
inline constexpr std::size_t kSealOverhead = 1 + kSealNonceSize + kSealTagSize;
// Larger plaintexts or aad are refused (invalid_argument): payloads are forms and small files.
inline constexpr std::size_t kMaxSealInput = std::size_t{1} << 30;

// One backend. Every method may be called from any thread, concurrently, on one instance.
// None blocks beyond CPU work and reading the kernel's random pool; none needs a timeout.
class Crypto {
 public:
  virtual ~Crypto() = default;

  // "openssl" or "mbedtls".
  virtual const char* backend() const = 0;

  // Bytes from a CSPRNG seeded by the kernel (getrandom). Safe across fork().
  virtual Result<Bytes> random_bytes(std::size_t count) = 0;

  // Plain digests of memory cannot fail short of the library running out of memory, which aborts.
  virtual Bytes sha256(ByteView data) = 0;
  virtual Bytes hmac_sha256(ByteView key, ByteView data) = 0;

  // AES-256-GCM with a fresh random 96-bit nonce per call, in the format above. Random nonces are
  // safe for up to 2^32 seals under one key (NIST SP 800-38D); rotate keys long before that.
  virtual Result<Bytes> seal(const SealKey& key, ByteView plaintext, ByteView aad) = 0;
  // Rejects (parse) input shorter than kSealOverhead, another format version, and any tag mismatch
  // (wrong key, wrong aad, changed byte). Never returns partial plaintext.
  virtual Result<Bytes> open(const SealKey& key, ByteView sealed, ByteView aad) = 0;

  // ECDSA P-256 over SHA-256 of `message`. `public_key_pem` is a PEM "PUBLIC KEY"
  // (SubjectPublicKeyInfo, uncompressed point); `signature_der` is the strict DER
  // SEQUENCE { INTEGER r, INTEGER s }.
  // ok(true): valid. ok(false): well-formed but does not verify (including r or s out of range).
  // Error: malformed PEM or signature (parse), a key of another type or curve (unsupported).
  virtual Result<bool> verify_p256(std::string_view public_key_pem, ByteView message, ByteView signature_der) = 0;
};

// Library kiosk_crypto_openssl.
std::unique_ptr<Crypto> make_openssl_crypto();
// Library kiosk_crypto_mbedtls.
std::unique_ptr<Crypto> make_mbedtls_crypto();
// Library kiosk_crypto: the backend this build chose (CMake option KIOSK_CRYPTO_BACKEND).
std::unique_ptr<Crypto> make_crypto();

}  // namespace kiosk::crypto
