#pragma once
// Internals shared by the crypto backends, and test-only hooks. Not for the rest of the kiosk:
// include kiosk/crypto/crypto.h instead.
//
// The outside-data parsers that both backends need (sealed-blob framing, PEM, the ECDSA signature's
// DER) live here once, so both backends accept and refuse exactly the same inputs.

#include "kiosk/crypto/crypto.h"

namespace kiosk::crypto::detail {

// Refuses oversized plaintext/aad and a nonce that is not kSealNonceSize bytes (invalid_argument).
Status check_seal_input(ByteView nonce, ByteView plaintext, ByteView aad);

// Writes the version byte and nonce, and sizes the output for ciphertext and tag.
Bytes start_sealed(ByteView nonce, std::size_t plaintext_size);

// The parts of a sealed blob; refuses short input and unknown versions (parse).
struct SealedParts {
  ByteView nonce;
  ByteView ciphertext;
  ByteView tag;
};
Result<SealedParts> split_sealed(ByteView sealed);

// The one error for every tag mismatch (wrong key, wrong aad, changed byte).
Error authentication_failed();

// A valid pointer for a possibly empty span: C libraries may not accept nullptr even with length 0.
const std::uint8_t* data_or_empty(ByteView bytes);

// The DER SubjectPublicKeyInfo inside a PEM "PUBLIC KEY" block (parse), checked to be an EC P-256
// key with an uncompressed point by its fixed prefix (unsupported otherwise). Both backends then
// parse the DER themselves and check the point is on the curve.
Result<Bytes> p256_public_key_der_from_pem(std::string_view pem);

// Strict DER of ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, minimal lengths, non-negative,
// each at most 33 bytes, nothing after it (parse otherwise). Values out of range are left to the
// verifier (a well-formed signature that does not verify).
Status check_ecdsa_signature_der(ByteView der);

// Aborts after an impossible library failure (out of memory in a digest); see Crypto::sha256.
[[noreturn]] void fatal_library_failure(const char* backend, const char* what);

// Test-only: seal with a caller-chosen nonce (the GCM spec's vectors fix the nonce). Never use a
// nonce twice under one key; production code calls Crypto::seal, which draws a random one.
Result<Bytes> openssl_seal_with_nonce(const SealKey& key, ByteView nonce, ByteView plaintext, ByteView aad);
Result<Bytes> mbedtls_seal_with_nonce(const SealKey& key, ByteView nonce, ByteView plaintext, ByteView aad);

}  // namespace kiosk::crypto::detail
