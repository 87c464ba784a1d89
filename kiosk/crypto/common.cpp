// Backend-independent parts of the crypto seam: hex, key wiping, sealed-blob framing, and the
// strict PEM and DER checks both backends run before handing a key or signature to their library.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "kiosk/core/base64.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/crypto/detail.h"

namespace kiosk::crypto {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

}  // namespace

ByteView as_bytes(std::string_view text) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::string to_hex(ByteView bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    text.push_back(kHexDigits[byte >> 4]);
    text.push_back(kHexDigits[byte & 0x0F]);
  }
  return text;
}

Result<Bytes> from_hex(std::string_view text) {
  if (text.size() % 2 != 0) {
    return Error::make(ErrorKind::parse, "hex: odd number of digits (" + std::to_string(text.size()) + ")");
  }
  Bytes bytes(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) {
      secure_clear(bytes.data(), bytes.size());
      return Error::make(ErrorKind::parse, "hex: not a hex digit at offset " + std::to_string(high < 0 ? i : i + 1));
    }
    bytes[i / 2] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return bytes;
}

SealKey::~SealKey() { secure_clear(bytes.data(), bytes.size()); }

}  // namespace kiosk::crypto

namespace kiosk::crypto::detail {
namespace {

// SubjectPublicKeyInfo { AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, BIT STRING { 04 X Y } }
// is always these 27 bytes and then the 64 bytes of X and Y (RFC 5480).
constexpr std::uint8_t kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
                                            0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                                            0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};
constexpr std::size_t kP256SpkiSize = sizeof(kP256SpkiPrefix) + 64;
constexpr std::size_t kMaxPemSize = 16 * 1024;
constexpr std::string_view kPemBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kPemEnd = "-----END PUBLIC KEY-----";

Error pem_error(std::string_view what) { return Error::make(ErrorKind::parse, "public key: " + std::string(what)); }
Error signature_error(std::string_view what) {
  return Error::make(ErrorKind::parse, "signature: " + std::string(what));
}

bool is_pem_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_pem_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_pem_space(text.back())) text.remove_suffix(1);
  return text;
}

// Standard base64 (RFC 4648) with whitespace between characters, as PEM bodies have it: the
// whitespace goes, then the project's one strict decoder (kiosk/core/base64.h) reads the rest.
Result<Bytes> decode_base64(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (const char c : text) {
    if (!is_pem_space(c)) compact += c;
  }
  auto decoded = base64::decode(compact);
  if (!decoded) return pem_error("not base64 (" + decoded.error().message + ")");
  return Bytes(decoded.value().begin(), decoded.value().end());
}

// True when `der` is one DER SEQUENCE whose length covers exactly the whole input.
bool is_one_der_sequence(ByteView der) {
  if (der.size() < 2 || der[0] != 0x30) return false;
  std::size_t length = der[1];
  std::size_t header = 2;
  if (length >= 0x80) {
    const std::size_t length_bytes = length - 0x80;
    if (length_bytes == 0 || length_bytes > 2 || der.size() < 2 + length_bytes) return false;
    length = 0;
    for (std::size_t i = 0; i < length_bytes; ++i) length = (length << 8) | der[2 + i];
    header += length_bytes;
  }
  return header + length == der.size();
}

// Reads one DER INTEGER of an ECDSA signature at `offset`, moving past it.
Status read_signature_integer(ByteView der, std::size_t& offset, const char* name) {
  if (offset + 2 > der.size() || der[offset] != 0x02) {
    return signature_error(std::string(name) + " is not an INTEGER");
  }
  const std::size_t length = der[offset + 1];
  if (length == 0 || length > 33) return signature_error(std::string(name) + " has a bad length");
  if (offset + 2 + length > der.size()) return signature_error(std::string(name) + " is truncated");
  const std::uint8_t first = der[offset + 2];
  if (first & 0x80) return signature_error(std::string(name) + " is negative");
  if (length > 1 && first == 0 && !(der[offset + 3] & 0x80)) {
    return signature_error(std::string(name) + " is not minimally encoded");
  }
  if (length == 33 && first != 0) return signature_error(std::string(name) + " is longer than 256 bits");
  offset += 2 + length;
  return {};
}

}  // namespace

Status check_seal_input(ByteView nonce, ByteView plaintext, ByteView aad) {
  if (nonce.size() != kSealNonceSize) {
    return Error::make(ErrorKind::invalid_argument, "seal: the nonce must be 12 bytes, not " + std::to_string(nonce.size()));
  }
  if (plaintext.size() > kMaxSealInput || aad.size() > kMaxSealInput) {
    return Error::make(ErrorKind::invalid_argument, "seal: plaintext or aad larger than 1 GiB");
  }
  return {};
}

Bytes start_sealed(ByteView nonce, std::size_t plaintext_size) {
  Bytes sealed(kSealOverhead + plaintext_size);
  sealed[0] = kSealedFormatVersion;
  std::copy(nonce.begin(), nonce.end(), sealed.begin() + 1);
  return sealed;
}

Result<SealedParts> split_sealed(ByteView sealed) {
  if (sealed.size() < kSealOverhead) {
    return Error::make(ErrorKind::parse, "sealed data too short (" + std::to_string(sealed.size()) +
                                             " bytes, need at least " + std::to_string(kSealOverhead) + ")");
  }
  if (sealed[0] != kSealedFormatVersion) {
    return Error::make(ErrorKind::parse, "unknown sealed format version " + std::to_string(sealed[0]));
  }
  if (sealed.size() - kSealOverhead > kMaxSealInput) {
    return Error::make(ErrorKind::parse, "sealed data larger than 1 GiB");
  }
  SealedParts parts;
  parts.nonce = sealed.subspan(1, kSealNonceSize);
  parts.ciphertext = sealed.subspan(1 + kSealNonceSize, sealed.size() - kSealOverhead);
  parts.tag = sealed.subspan(sealed.size() - kSealTagSize);
  return parts;
}

Error authentication_failed() { return Error::make(ErrorKind::parse, "sealed data failed authentication"); }

const std::uint8_t* data_or_empty(ByteView bytes) {
  static constexpr std::uint8_t kEmpty[1] = {0};
  return bytes.empty() ? kEmpty : bytes.data();
}

Result<Bytes> p256_public_key_der_from_pem(std::string_view pem) {
  if (pem.size() > kMaxPemSize) return pem_error("PEM larger than 16 KiB");
  const std::string_view text = trim(pem);
  if (!text.starts_with(kPemBegin)) return pem_error("no \"-----BEGIN PUBLIC KEY-----\" line at the start");
  if (!text.ends_with(kPemEnd) || text.size() < kPemBegin.size() + kPemEnd.size()) {
    return pem_error("no \"-----END PUBLIC KEY-----\" line at the end");
  }
  const std::string_view body = text.substr(kPemBegin.size(), text.size() - kPemBegin.size() - kPemEnd.size());
  Bytes der = TRY(decode_base64(body));
  if (der.size() == kP256SpkiSize && std::equal(std::begin(kP256SpkiPrefix), std::end(kP256SpkiPrefix), der.begin())) {
    return der;
  }
  if (is_one_der_sequence(der)) {
    return Error::make(ErrorKind::unsupported, "public key: not an EC P-256 key with an uncompressed point");
  }
  return pem_error("not a DER SubjectPublicKeyInfo");
}

Status check_ecdsa_signature_der(ByteView der) {
  // The largest P-256 signature is 30 46 | 02 21 00 r(32) | 02 21 00 s(32) = 72 bytes.
  if (der.size() < 8 || der.size() > 72) {
    return signature_error("length " + std::to_string(der.size()) + " is not that of a P-256 DER signature");
  }
  if (der[0] != 0x30) return signature_error("not a DER SEQUENCE");
  if (static_cast<std::size_t>(der[1]) != der.size() - 2) return signature_error("SEQUENCE length does not match the data");
  std::size_t offset = 2;
  TRY_STATUS(read_signature_integer(der, offset, "r"));
  TRY_STATUS(read_signature_integer(der, offset, "s"));
  if (offset != der.size()) return signature_error("data after s");
  return {};
}

void fatal_library_failure(const char* backend, const char* what) {
  std::fprintf(stderr, "crypto: %s failed in %s (out of memory?)\n", what, backend);
  std::abort();
}

}  // namespace kiosk::crypto::detail
