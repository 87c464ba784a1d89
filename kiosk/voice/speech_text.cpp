#include "kiosk/voice/speech_text.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

#include "kiosk/core/text.h"

namespace kiosk::voice {
namespace {

constexpr const char* kChineseDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
bool is_alnum(char32_t c) { return is_digit(c) || is_letter(c); }
bool is_separator(char32_t c) { return c == U'-' || c == U':' || c == U'.' || c == U'/'; }
char upper(char32_t c) { return static_cast<char>(c >= U'a' && c <= U'z' ? c - U'a' + U'A' : c); }

// One section of up to four digits (1 … 9999). `leading`: the section starts the number, so
// 1x reads 十x (not 一十x) and a 2 before 百 or 千 reads 两.
std::string chinese_section(unsigned value, bool leading) {
  static constexpr const char* kUnits[] = {"千", "百", "十", ""};
  static constexpr unsigned kDivisors[] = {1000, 100, 10, 1};
  std::string out;
  bool started = false;
  bool zero_pending = false;
  for (int k = 0; k < 4; ++k) {
    const unsigned digit = value / kDivisors[k] % 10;
    if (digit == 0) {
      zero_pending = started;
      continue;
    }
    if (zero_pending) out += "零";
    zero_pending = false;
    if (k == 2 && digit == 1 && !started && leading) {
      out += "十";
    } else {
      out += (digit == 2 && !started && leading && k <= 1) ? "两" : kChineseDigits[digit];
      out += kUnits[k];
    }
    started = true;
  }
  return out;
}

std::string digits_one_by_one_chinese(std::string_view digits) {
  std::string out;
  for (char c : digits) out += kChineseDigits[c - '0'];
  return out;
}

std::optional<unsigned long long> parse_number(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  unsigned long long value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// The token split at its separators: "2026-12-04" → {"2026", "12", "04"} and "-" twice.
struct Parts {
  std::vector<std::string> pieces;
  std::vector<char> separators;
};

Parts split(const std::string& token) {
  Parts parts;
  parts.pieces.emplace_back();
  for (char c : token) {
    if (c == '-' || c == ':' || c == '.' || c == '/') {
      parts.separators.push_back(c);
      parts.pieces.emplace_back();
    } else {
      parts.pieces.back().push_back(c);
    }
  }
  return parts;
}

bool all_digits(const std::string& piece) {
  if (piece.empty()) return false;
  for (char c : piece) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A code read one character at a time; the parts between separators are divided by a pause.
std::string spell(const Parts& parts, Language language) {
  std::string out = " ";
  for (std::size_t p = 0; p < parts.pieces.size(); ++p) {
    if (p > 0) out += language == Language::zh ? "，" : ", ";
    const std::string& piece = parts.pieces[p];
    for (std::size_t i = 0; i < piece.size(); ++i) {
      const char c = piece[i];
      if (c >= '0' && c <= '9') {
        if (language == Language::zh) {
          out += kChineseDigits[c - '0'];
        } else {
          out += c;
          out += ' ';
        }
      } else {
        out += upper(static_cast<unsigned char>(c));
        // English: "A0" is read "ay zero", a lone "A" as the article.
        const bool glue = language == Language::en && i + 1 < piece.size() && piece[i + 1] >= '0' && piece[i + 1] <= '9';
        if (!glue) out += ' ';
      }
    }
  }
  out += ' ';
  return out;
}

// How a Chinese prompt reads `token` (ASCII letters, digits and inner separators), `next` being
// the character after it.
std::string chinese_token(const std::string& token, char32_t next) {
  const Parts parts = split(token);
  bool has_letter = false;
  for (char c : token) has_letter = has_letter || is_letter(static_cast<unsigned char>(c));
  bool numeric = !has_letter;
  for (const std::string& piece : parts.pieces) numeric = numeric && all_digits(piece);

  if (numeric && parts.pieces.size() == 3 && parts.separators[0] == parts.separators[1] &&
      (parts.separators[0] == '-' || parts.separators[0] == '/') && parts.pieces[0].size() == 4 &&
      parts.pieces[1].size() <= 2 && parts.pieces[2].size() <= 2) {
    const auto month = parse_number(parts.pieces[1]).value_or(0);
    const auto day = parse_number(parts.pieces[2]).value_or(0);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
      return digits_one_by_one_chinese(parts.pieces[0]) + "年" + chinese_number(month) + "月" + chinese_number(day) + "日";
    }
  }
  if (numeric && parts.pieces.size() == 2 && parts.separators[0] == ':' && parts.pieces[0].size() <= 2 &&
      parts.pieces[1].size() == 2) {
    const auto hours = parse_number(parts.pieces[0]).value_or(99);
    const auto minutes = parse_number(parts.pieces[1]).value_or(99);
    if (hours < 24 && minutes < 60) {
      std::string out = chinese_number(hours) + "点";
      if (minutes > 0) out += (minutes < 10 ? "零" : "") + chinese_number(minutes) + "分";
      return out;
    }
  }
  if (numeric && parts.pieces.size() == 2 && parts.separators[0] == '.' && parts.pieces[0].size() <= 8 &&
      !(parts.pieces[0].size() > 1 && parts.pieces[0][0] == '0')) {
    return chinese_number(parse_number(parts.pieces[0]).value_or(0)) + "点" + digits_one_by_one_chinese(parts.pieces[1]);
  }
  if (numeric && parts.pieces.size() == 1) {
    const std::string& digits = parts.pieces[0];
    if (digits.size() == 4 && next == U'年') return digits_one_by_one_chinese(digits);
    if (digits.size() < 7 && !(digits.size() > 1 && digits[0] == '0')) {
      return chinese_number(parse_number(digits).value_or(0));
    }
    return spell(parts, Language::zh);
  }
  if (!has_letter || token.find_first_of("0123456789") != std::string::npos) return spell(parts, Language::zh);
  return token;  // a word in Latin letters (OK, ID): the voice reads it in English
}

std::string english_token(const std::string& token) {
  const Parts parts = split(token);
  bool has_letter = false;
  bool has_digit = false;
  for (char c : token) {
    has_letter = has_letter || is_letter(static_cast<unsigned char>(c));
    has_digit = has_digit || (c >= '0' && c <= '9');
  }
  if (!has_digit) return token;
  if (has_letter) return spell(parts, Language::en);
  // Digits only: a code when it is long or starts with 0 (not a decimal like 0.5); dates, times
  // and numbers are read well by the English voice.
  if (parts.pieces.size() == 1) {
    const std::string& digits = parts.pieces[0];
    if (digits.size() >= 7 || (digits.size() > 1 && digits[0] == '0')) return spell(parts, Language::en);
    return token;
  }
  std::size_t longest = 0;
  for (const std::string& piece : parts.pieces) longest = std::max(longest, piece.size());
  if (longest >= 7 || parts.separators.size() > 2) return spell(parts, Language::en);
  return token;
}

}  // namespace

std::string chinese_number(unsigned long long value) {
  if (value == 0) return "零";
  if (value > 99'999'999ULL) return digits_one_by_one_chinese(std::to_string(value));
  const auto high = static_cast<unsigned>(value / 10000);
  const auto low = static_cast<unsigned>(value % 10000);
  if (high == 0) return chinese_section(low, true);
  std::string out = high == 2 ? std::string("两") : chinese_section(high, true);
  out += "万";
  if (low != 0) {
    if (low < 1000) out += "零";
    out += chinese_section(low, false);
  }
  return out;
}

std::string speech_text(std::string_view utf8, Language language) {
  const std::u32string in = text::decode_utf8(utf8);
  std::string out;
  out.reserve(utf8.size() + 16);
  std::size_t i = 0;
  while (i < in.size()) {
    const char32_t c = in[i];
    if (is_alnum(c)) {
      // A token: letters and digits, with single separators between them ("LZ2026-0001", "10:42").
      std::size_t end = i;
      std::string token;
      while (end < in.size()) {
        if (is_alnum(in[end])) {
          token.push_back(static_cast<char>(in[end]));
          ++end;
        } else if (is_separator(in[end]) && end + 1 < in.size() && is_alnum(in[end + 1])) {
          token.push_back(static_cast<char>(in[end]));
          ++end;
        } else {
          break;
        }
      }
      const char32_t next = end < in.size() ? in[end] : U'\0';
      out += language == Language::zh ? chinese_token(token, next) : english_token(token);
      i = end;
      continue;
    }
    if (c == U'*' || c == U'＊') {
      if (language == Language::zh) out += "某";
    } else if (c < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      text::append_utf8(out, c);
    }
    ++i;
  }
  // One space for each run of spaces, none at the ends.
  std::string collapsed;
  collapsed.reserve(out.size());
  for (char ch : out) {
    if (ch == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed.push_back(ch);
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  return collapsed;
}

}  // namespace kiosk::voice
