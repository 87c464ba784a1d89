// Pinyin initials without a hand-typed table of thousands of characters: GB2312 orders its 3755
// level-1 hanzi by pinyin, so the initial follows from a character's GB2312 code and the code of
// the first character of each initial. glibc's iconv converts UTF-8 to GB2312. Level-2 hanzi
// (ordered by radical) and characters outside GB2312 come from a small override table; words whose
// reading differs from a character's first reading (银行 yínháng) from a word table.
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>
#include <unordered_map>
#include <utility>

#include "kiosk/catalog/search.h"
#include "kiosk/core/text.h"

namespace kiosk::catalog {
namespace {

// First GB2312 code of each initial's block of level-1 hanzi (rows 16–55).
constexpr std::array<std::pair<unsigned, char>, 23> kInitialBoundaries = {{
    {0xB0A1, 'a'}, {0xB0C5, 'b'}, {0xB2C1, 'c'}, {0xB4EE, 'd'}, {0xB6EA, 'e'}, {0xB7A2, 'f'},
    {0xB8C1, 'g'}, {0xB9FE, 'h'}, {0xBBF7, 'j'}, {0xBFA6, 'k'}, {0xC0AC, 'l'}, {0xC2E8, 'm'},
    {0xC4C3, 'n'}, {0xC5B6, 'o'}, {0xC5BE, 'p'}, {0xC6DA, 'q'}, {0xC8BB, 'r'}, {0xC8F6, 's'},
    {0xCBFA, 't'}, {0xCDDA, 'w'}, {0xCEF4, 'x'}, {0xD1B9, 'y'}, {0xD4D1, 'z'},
}};
constexpr unsigned kLevelOneEnd = 0xD7F9;

// Characters outside GB2312 level 1 that occur in item names and addresses.
const std::unordered_map<char32_t, char>& overrides() {
  static const std::unordered_map<char32_t, char> table = {
      {U'泸', 'l'}, {U'邛', 'q'}, {U'叙', 'x'}, {U'蔺', 'l'}, {U'璧', 'b'}, {U'僳', 's'},
      {U'傈', 'l'}, {U'彝', 'y'}, {U'羌', 'q'}, {U'黔', 'q'}, {U'渝', 'y'}, {U'蜀', 's'},
      {U'赓', 'g'}, {U'嵊', 's'}, {U'佤', 'w'}, {U'犍', 'q'}, {U'涪', 'f'}, {U'阆', 'l'},
  };
  return table;
}

// Words read differently from their characters' first readings.
const std::array<std::pair<std::u32string_view, std::string_view>, 4>& word_overrides() {
  static const std::array<std::pair<std::u32string_view, std::string_view>, 4> table = {{
      {U"银行", "yh"},
      {U"重新", "cx"},
      {U"重复", "cf"},
      {U"还款", "hk"},
  }};
  return table;
}

char initial_of_gb2312(unsigned code) {
  if (code < kInitialBoundaries.front().first || code > kLevelOneEnd) return 0;
  char initial = 0;
  for (const auto& [start, letter] : kInitialBoundaries) {
    if (code >= start) initial = letter;
  }
  return initial;
}

// Converts one character to GB2312 with its own iconv handle (iconv handles are not thread-safe).
class Gb2312 {
 public:
  Gb2312() : handle_(iconv_open("GB2312", "UTF-8")) {}
  ~Gb2312() {
    if (handle_ != reinterpret_cast<iconv_t>(-1)) iconv_close(handle_);
  }
  Gb2312(const Gb2312&) = delete;
  Gb2312& operator=(const Gb2312&) = delete;

  // The two-byte code, or 0 if the character is not in GB2312.
  unsigned code(char32_t character) {
    if (handle_ == reinterpret_cast<iconv_t>(-1)) return 0;
    std::string utf8;
    text::append_utf8(utf8, character);
    char output[8] = {};
    char* in = utf8.data();
    std::size_t in_left = utf8.size();
    char* out = output;
    std::size_t out_left = sizeof output;
    iconv(handle_, nullptr, nullptr, nullptr, nullptr);  // reset shift state
    if (iconv(handle_, &in, &in_left, &out, &out_left) == static_cast<std::size_t>(-1)) return 0;
    if (sizeof output - out_left != 2) return 0;
    return (static_cast<unsigned>(static_cast<unsigned char>(output[0])) << 8) |
           static_cast<unsigned char>(output[1]);
  }

 private:
  iconv_t handle_;
};

}  // namespace

std::string pinyin_initials(std::string_view utf8) {
  const std::u32string characters = text::decode_utf8(utf8);
  Gb2312 converter;
  std::string initials;
  for (std::size_t i = 0; i < characters.size();) {
    bool matched_word = false;
    for (const auto& [word, reading] : word_overrides()) {
      if (std::u32string_view(characters).substr(i, word.size()) == word) {
        initials += reading;
        i += word.size();
        matched_word = true;
        break;
      }
    }
    if (matched_word) continue;
    const char32_t c = characters[i++];
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) initials += static_cast<char>(c);
      else if (c >= 'A' && c <= 'Z') initials += static_cast<char>(c - 'A' + 'a');
      continue;
    }
    if (!text::is_han(c)) continue;
    if (const auto found = overrides().find(c); found != overrides().end()) {
      initials += found->second;
    } else if (const char initial = initial_of_gb2312(converter.code(c))) {
      initials += initial;
    }
  }
  return initials;
}

}  // namespace kiosk::catalog
