#include "tools/platform-sim/codec.h"

#include "kiosk/core/base64.h"

#include <array>
#include <cstdlib>

#include <openssl/rand.h>
#include <openssl/sha.h>

namespace platform_sim {
// Base64 is the kiosk's own (kiosk/core/base64.h): both sides of the contract read it alike.
std::string base64_encode(std::string_view bytes) { return kiosk::base64::encode(bytes); }

std::optional<std::string> base64_decode(std::string_view text) {
  auto decoded = kiosk::base64::decode(text);
  if (!decoded) return std::nullopt;
  return decoded.release_value();
}

std::string sha256_bytes(std::string_view bytes) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest.data());
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string sha256_hex(std::string_view bytes) { return hex(sha256_bytes(bytes)); }

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    // The OS CSPRNG failing is not survivable for a server that hands out tokens.
    std::abort();
  }
  return hex(raw);
}

}  // namespace platform_sim
