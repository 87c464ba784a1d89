#include "kiosk/core/base64.h"

namespace kiosk::base64 {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    const auto c = static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[a >> 2];
    out += kAlphabet[((a & 3) << 4) | (b >> 4)];
    out += kAlphabet[((b & 15) << 2) | (c >> 6)];
    out += kAlphabet[c & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const unsigned b = rest == 2 ? static_cast<unsigned char>(bytes[i + 1]) : 0u;
    out += kAlphabet[a >> 2];
    out += kAlphabet[((a & 3) << 4) | (b >> 4)];
    out += rest == 2 ? kAlphabet[(b & 15) << 2] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> decode(std::string_view text) {
  if (text.size() % 4 != 0) return Error::make(ErrorKind::parse, "base64: length is not a multiple of 4");
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4] = {};
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        ++padding;
        continue;
      }
      if (padding > 0) return Error::make(ErrorKind::parse, "base64: data after padding at " + std::to_string(i + j));
      v[j] = value_of(c);
      if (v[j] < 0) return Error::make(ErrorKind::parse, "base64: bad character at " + std::to_string(i + j));
    }
    out += static_cast<char>((v[0] << 2) | (v[1] >> 4));
    if (padding < 2) out += static_cast<char>(((v[1] & 15) << 4) | (v[2] >> 2));
    if (padding < 1) out += static_cast<char>(((v[2] & 3) << 6) | v[3]);
  }
  return out;
}

}  // namespace kiosk::base64
