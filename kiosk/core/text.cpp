#include "kiosk/core/text.h"

namespace kiosk::text {

std::u32string decode_utf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  size_t i = 0;
  const size_t n = utf8.size();
  while (i < n) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    int length = 0;
    char32_t code_point = 0;
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    if (i + static_cast<size_t>(length) > n) {
      out.push_back(0xFFFD);
      break;
    }
    bool valid = true;
    for (int k = 1; k < length; ++k) {
      const auto continuation = static_cast<unsigned char>(utf8[i + static_cast<size_t>(k)]);
      if ((continuation & 0xC0) != 0x80) {
        valid = false;
        break;
      }
      code_point = (code_point << 6) | (continuation & 0x3F);
    }
    static constexpr char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (!valid || code_point < minimum[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(code_point);
    i += static_cast<size_t>(length);
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string encode_utf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t c : text) append_utf8(out, c);
  return out;
}

bool is_valid_utf8(std::string_view utf8) {
  // A U+FFFD that was not in the input means a malformed sequence.
  size_t replacement_in_input = 0;
  for (size_t i = 0; i + 2 < utf8.size(); ++i) {
    if (utf8.compare(i, 3, "\xEF\xBF\xBD") == 0) ++replacement_in_input;
  }
  size_t replacement_out = 0;
  for (char32_t c : decode_utf8(utf8)) replacement_out += (c == 0xFFFD);
  return replacement_in_input == replacement_out;
}

bool is_han(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FA1F);
}

bool is_cjk_breakable(char32_t c) {
  return is_han(c) || (c >= 0x3000 && c <= 0x30FF) ||  // CJK punctuation, kana
         (c >= 0xAC00 && c <= 0xD7AF) ||               // hangul
         (c >= 0xFF00 && c <= 0xFFEF);                 // fullwidth forms
}

bool is_no_line_start(char32_t c) {
  switch (c) {
    case U'，': case U'。': case U'、': case U'；': case U'：': case U'？': case U'！': case U'）':
    case U'」': case U'』': case U'》': case U'〉': case U'】': case U'〕': case U'…': case U'—':
    case U'”': case U'’': case U'·': case U'％': case U'～':
    case U',': case U'.': case U';': case U':': case U'?': case U'!': case U')': case U']': case U'%':
      return true;
    default:
      return false;
  }
}

bool is_no_line_end(char32_t c) {
  switch (c) {
    case U'（': case U'「': case U'『': case U'《': case U'〈': case U'【': case U'〔': case U'“': case U'‘':
    case U'(': case U'[':
      return true;
    default:
      return false;
  }
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace kiosk::text
