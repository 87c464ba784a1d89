#pragma once
// The technician's PIN: only a salted, slow hash is stored (config "technician.pin_hash",
// made by `kioskctl pin-hash`), and wrong tries are counted in a file so a restart does not
// reset the lockout. Hash format: "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"
// (PBKDF2-HMAC-SHA256, RFC 8018, one 32-byte block, built on the crypto seam's HMAC).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/result.h"
#include "kiosk/crypto/crypto.h"

namespace kiosk::ops {

inline constexpr int kPinHashIterations = 100'000;

// PBKDF2-HMAC-SHA256, first block (dk_len 32).
crypto::Bytes pbkdf2_sha256(crypto::Crypto& crypto, std::string_view password, crypto::ByteView salt, int iterations);

// A new hash of `pin` with a fresh 16-byte salt. A PIN must be 6–12 digits (invalid_argument).
Result<std::string> hash_pin(crypto::Crypto& crypto, std::string_view pin, int iterations = kPinHashIterations);
// Whether `pin` matches `hash` (compared in constant time). A malformed hash is a parse error.
Result<bool> pin_matches(crypto::Crypto& crypto, std::string_view pin, std::string_view hash);

// Counts wrong PINs and locks entry after `max_tries` in a row for `lockout_minutes`. State in
// `state_file` (JSON; "" keeps it in memory only); a file that cannot be read counts as locked
// for one lockout period, so deleting or corrupting it does not reopen the door early.
class PinGuard {
 public:
  PinGuard(std::filesystem::path state_file, int max_tries, int lockout_minutes);

  // nullopt: entry allowed now; else the Unix ms when it is allowed again.
  std::optional<std::int64_t> locked_until(std::int64_t now_ms);
  // A wrong PIN: returns the tries left before the lockout (0: now locked).
  int record_failure(std::int64_t now_ms);
  void record_success();
  int failures() const { return failures_; }

 private:
  void load(std::int64_t now_ms);
  void save() const;
  std::filesystem::path state_file_;
  int max_tries_;
  std::int64_t lockout_ms_;
  int failures_ = 0;
  std::int64_t locked_until_ms_ = 0;
  bool loaded_ = false;
};

}  // namespace kiosk::ops
