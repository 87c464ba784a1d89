#include "kiosk/ops/technician_pin.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/log.h"

namespace kiosk::ops {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

bool constant_time_equal(crypto::ByteView a, crypto::ByteView b) {
  if (a.size() != b.size()) return false;
  std::uint8_t difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference |= static_cast<std::uint8_t>(a[i] ^ b[i]);
  return difference == 0;
}

}  // namespace

crypto::Bytes pbkdf2_sha256(crypto::Crypto& crypto, std::string_view password, crypto::ByteView salt, int iterations) {
  const crypto::ByteView key = crypto::as_bytes(password);
  crypto::Bytes block(salt.begin(), salt.end());
  block.insert(block.end(), {0, 0, 0, 1});  // INT(1): the first (and only) block
  crypto::Bytes u = crypto.hmac_sha256(key, block);
  crypto::Bytes out = u;
  for (int i = 1; i < iterations; ++i) {
    u = crypto.hmac_sha256(key, u);
    for (std::size_t j = 0; j < out.size(); ++j) out[j] ^= u[j];
  }
  return out;
}

Result<std::string> hash_pin(crypto::Crypto& crypto, std::string_view pin, int iterations) {
  if (pin.size() < 6 || pin.size() > 12 || !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Error::make(ErrorKind::invalid_argument, "a technician PIN is 6 to 12 digits");
  }
  if (iterations < 1) return Error::make(ErrorKind::invalid_argument, "iterations must be at least 1");
  auto salt = crypto.random_bytes(16);
  if (!salt.ok()) return salt.error();
  const crypto::Bytes hash = pbkdf2_sha256(crypto, pin, *salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + crypto::to_hex(*salt) + "$" + crypto::to_hex(hash);
}

Result<bool> pin_matches(crypto::Crypto& crypto, std::string_view pin, std::string_view hash) {
  const auto parts = split(hash, '$');
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") {
    return Error::make(ErrorKind::parse, "technician PIN hash: not pbkdf2-sha256$<iterations>$<salt>$<hash>");
  }
  int iterations = 0;
  for (char c : parts[1]) {
    if (c < '0' || c > '9' || iterations > 10'000'000) return Error::make(ErrorKind::parse, "technician PIN hash: bad iteration count");
    iterations = iterations * 10 + (c - '0');
  }
  if (iterations < 1 || iterations > 10'000'000) return Error::make(ErrorKind::parse, "technician PIN hash: bad iteration count");
  auto salt = crypto::from_hex(parts[2]);
  auto expected = crypto::from_hex(parts[3]);
  if (!salt.ok() || !expected.ok() || salt->empty() || expected->size() != 32) {
    return Error::make(ErrorKind::parse, "technician PIN hash: bad salt or hash");
  }
  return constant_time_equal(pbkdf2_sha256(crypto, pin, *salt, iterations), *expected);
}

PinGuard::PinGuard(std::filesystem::path state_file, int max_tries, int lockout_minutes)
    : state_file_(std::move(state_file)), max_tries_(std::max(1, max_tries)),
      lockout_ms_(std::int64_t{std::max(1, lockout_minutes)} * 60'000) {}

void PinGuard::load(std::int64_t now_ms) {
  if (loaded_) return;
  loaded_ = true;
  if (state_file_.empty()) return;
  std::error_code error;
  if (!std::filesystem::exists(state_file_, error)) return;
  std::ifstream in(state_file_);
  std::stringstream text;
  text << in.rdbuf();
  const auto state = nlohmann::json::parse(text.str(), nullptr, false);
  if (!in || state.is_discarded() || !state.is_object() || !state.value("failures", nlohmann::json()).is_number_integer() ||
      !state.value("locked_until_ms", nlohmann::json()).is_number_integer()) {
    // Unreadable state: locked for one period from now rather than open.
    log::warning("technician", "PIN guard state unreadable: locked for one lockout period");
    failures_ = max_tries_;
    locked_until_ms_ = now_ms + lockout_ms_;
    save();
    return;
  }
  failures_ = std::clamp(state["failures"].get<int>(), 0, max_tries_);
  locked_until_ms_ = std::max<std::int64_t>(0, state["locked_until_ms"].get<std::int64_t>());
  // A clock set far back must not stretch a lockout beyond one period.
  locked_until_ms_ = std::min(locked_until_ms_, now_ms + lockout_ms_);
}

void PinGuard::save() const {
  if (state_file_.empty()) return;
  const std::filesystem::path temporary = state_file_.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << nlohmann::json{{"failures", failures_}, {"locked_until_ms", locked_until_ms_}}.dump() << "\n";
    if (!out) {
      log::warning("technician", "cannot save the PIN guard state in " + state_file_.parent_path().string());
      return;
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, state_file_, error);
  if (error) log::warning("technician", "cannot save the PIN guard state: " + error.message());
}

std::optional<std::int64_t> PinGuard::locked_until(std::int64_t now_ms) {
  load(now_ms);
  if (locked_until_ms_ > now_ms) return locked_until_ms_;
  return std::nullopt;
}

int PinGuard::record_failure(std::int64_t now_ms) {
  load(now_ms);
  if (locked_until_ms_ != 0 && locked_until_ms_ <= now_ms) {
    failures_ = 0;  // the lockout has passed: a fresh series
    locked_until_ms_ = 0;
  }
  failures_ = std::min(failures_ + 1, max_tries_);
  if (failures_ >= max_tries_) locked_until_ms_ = now_ms + lockout_ms_;
  save();
  return max_tries_ - failures_;
}

void PinGuard::record_success() {
  loaded_ = true;
  failures_ = 0;
  locked_until_ms_ = 0;
  save();
}

}  // namespace kiosk::ops
