#pragma once
// Byte codecs the simulator needs: strict base64 (materials, PDFs, faces arrive as base64 inside
// JSON), SHA-256 (idempotency fingerprints, material digests) and random tokens.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace platform_sim {

std::string base64_encode(std::string_view bytes);
// Standard alphabet with padding; whitespace is not allowed. nullopt on anything malformed.
std::optional<std::string> base64_decode(std::string_view text);

std::string sha256_hex(std::string_view bytes);
std::string sha256_bytes(std::string_view bytes);
std::string hex(std::string_view bytes);

// `bytes` random bytes from the OS CSPRNG as lower-case hex.
std::string random_hex(std::size_t bytes);

}  // namespace platform_sim
