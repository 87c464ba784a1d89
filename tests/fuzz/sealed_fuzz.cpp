// Fuzz target: outside data the crypto seam parses — sealed outbox payloads (open() of both
// backends with a fixed key), hex text, seal key file contents, and ECDSA signatures and public
// keys (verify_p256 of both backends). The two backends must agree on every input.
#include <cstdint>
#include <string_view>

#include "kiosk/crypto/crypto.h"
#include "kiosk/crypto/key_file.h"

namespace {

using namespace kiosk::crypto;

// The seed corpus's sealed blob was made with this key (bytes 0..31) and this aad; its signature
// is key A's signature of kMessage (tests/kiosk/crypto/crypto_test.cpp).
constexpr std::string_view kAad = "fuzz-row";
constexpr std::string_view kMessage = "kiosk update manifest v1";
constexpr std::string_view kKeyA =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEL9sWprIqZ9y0sDmcuU4l/WOyM5hE\n"
    "SQqdBaEnM+nlcRtsU7BlXtVlXV45CvOD9rRBpMT8JLoHIKOMM4umwmcXOw==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view kSignatureA =
    "3046022100b7499c7af6d1e14af58a25fec685681ff5d7d27df3fa9b130082c2e8d5636e37"
    "022100bae1f475404fcf2c94d23a22a85670aceea072c3c50cb89a2359b898b5158896";

SealKey fixed_key() {
  SealKey key;
  for (std::size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<std::uint8_t>(i);
  return key;
}

void open_with_both(Crypto& openssl, Crypto& mbedtls, ByteView input) {
  const SealKey key = fixed_key();
  auto a = openssl.open(key, input, as_bytes(kAad));
  auto b = mbedtls.open(key, input, as_bytes(kAad));
  if (a.ok() != b.ok()) __builtin_trap();
  if (a.ok() && (*a != *b || a->size() + kSealOverhead != input.size())) __builtin_trap();
}

void hex_round_trip(ByteView input) {
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  auto bytes = from_hex(text);
  if (!bytes.ok()) return;
  const std::string back = to_hex(*bytes);
  if (back.size() != text.size()) __builtin_trap();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char lower = (text[i] >= 'A' && text[i] <= 'F') ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (back[i] != lower) __builtin_trap();
  }
}

void verify_with_both(Crypto& openssl, Crypto& mbedtls, ByteView input) {
  const auto signature = from_hex(kSignatureA);
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  // The input as the signature, then as the public key.
  auto a = openssl.verify_p256(kKeyA, as_bytes(kMessage), input);
  auto b = mbedtls.verify_p256(kKeyA, as_bytes(kMessage), input);
  if (a.ok() != b.ok() || (a.ok() && *a != *b)) __builtin_trap();
  a = openssl.verify_p256(text, as_bytes(kMessage), signature.value());
  b = mbedtls.verify_p256(text, as_bytes(kMessage), signature.value());
  if (a.ok() != b.ok() || (a.ok() && *a != *b)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  auto openssl = make_openssl_crypto();
  auto mbedtls = make_mbedtls_crypto();
  open_with_both(*openssl, *mbedtls, input);
  hex_round_trip(input);
  (void)parse_seal_key(input);
  verify_with_both(*openssl, *mbedtls, input);
  return 0;
}
