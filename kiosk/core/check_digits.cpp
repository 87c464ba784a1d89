// Check characters of ID numbers, credit codes and organisation codes (see check_digits.h).
#include "kiosk/core/check_digits.h"

#include <array>

namespace kiosk::check_digits {
namespace {

constexpr std::string_view kUsccCharacters = "0123456789ABCDEFGHJKLMNPQRTUWXY";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Value of a GB 32100 character (its index in the set), or -1.
int uscc_value(char c) {
  const std::size_t index = kUsccCharacters.find(c);
  return index == std::string_view::npos ? -1 : static_cast<int>(index);
}

// Value of a GB 11714 character: digits 0-9, letters A=10 … Z=35; -1 otherwise.
int organisation_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool valid_id_number(std::string_view id_number) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  if (id_number.size() != 18) return false;
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    if (!is_digit(id_number[i])) return false;
    sum += (id_number[i] - '0') * kWeights[i];
  }
  const char last = id_number[17] == 'x' ? 'X' : id_number[17];
  return kCheck[static_cast<std::size_t>(sum % 11)] == last;
}

bool is_uscc_character(char c) { return uscc_value(c) >= 0; }

bool valid_uscc(std::string_view code) {
  if (code.size() != 18) return false;
  int sum = 0;
  int weight = 1;  // 3^i mod 31
  for (std::size_t i = 0; i < 17; ++i) {
    const int value = uscc_value(code[i]);
    if (value < 0) return false;
    sum += value * weight;
    weight = weight * 3 % 31;
  }
  const int check = (31 - sum % 31) % 31;
  return uscc_value(code[17]) == check;
}

bool valid_organisation_code(std::string_view code) {
  static constexpr std::array<int, 8> kWeights = {3, 7, 9, 10, 5, 8, 4, 2};
  if (code.size() != 9) return false;
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) {
    const int value = organisation_value(code[i]);
    if (value < 0) return false;
    sum += value * kWeights[i];
  }
  const int check = 11 - sum % 11;
  const char expected = check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
  return code[8] == expected;
}

}  // namespace kiosk::check_digits
