// Validators for application form fields (see form_validation.h).
#include "kiosk/catalog/form_validation.h"

#include <optional>

#include "kiosk/core/check_digits.h"
#include "kiosk/core/text.h"

namespace kiosk::catalog {
namespace {

FieldCheck error(std::string zh, std::string en) { return FieldCheck{CheckLevel::error, std::move(zh), std::move(en)}; }
FieldCheck warning(std::string zh, std::string en) { return FieldCheck{CheckLevel::warning, std::move(zh), std::move(en)}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return !text.empty();
}

// Digits of `text` as a number; `text` holds at most 4 digits.
int to_int(std::string_view text) {
  int number = 0;
  for (char c : text) number = number * 10 + (c - '0');
  return number;
}

bool is_real_yyyymmdd(std::string_view year, std::string_view month, std::string_view day) {
  if (!all_digits(year) || !all_digits(month) || !all_digits(day)) return false;
  return is_real_date(to_int(year), to_int(month), to_int(day));
}

FieldCheck check_id_number(std::string_view value) {
  if (value.size() != 18) return error("身份证号码应为18位", "An ID number has 18 characters");
  if (!all_digits(value.substr(0, 17))) {
    return error("身份证号码前17位应为数字", "The first 17 characters of an ID number are digits");
  }
  const char last = value[17];
  if (!is_digit(last) && last != 'X' && last != 'x') {
    return error("身份证号码最后一位应为数字或X", "The last character of an ID number is a digit or X");
  }
  if (!is_real_yyyymmdd(value.substr(6, 4), value.substr(10, 2), value.substr(12, 2))) {
    return error("身份证号码中的出生日期不正确", "The birth date inside the ID number is not a real date");
  }
  if (!check_digits::valid_id_number(value)) return error("身份证号码校验位不正确", "The ID number's check digit is wrong");
  return {};
}

FieldCheck check_uscc(std::string_view value) {
  if (value.size() != 18) return error("统一社会信用代码应为18位", "A unified social credit code has 18 characters");
  for (char c : value) {
    if (!check_digits::is_uscc_character(c)) {
      return error("统一社会信用代码只含数字和大写字母（不含I、O、Z、S、V）",
                   "A credit code has only digits and capital letters other than I, O, Z, S and V");
    }
  }
  if (!check_digits::valid_uscc(value) || !check_digits::valid_organisation_code(value.substr(8, 9))) {
    return warning("统一社会信用代码校验未通过，请核对；如与营业执照一致可继续办理",
                   "The credit code fails its check; compare it with the business licence and go on if they match");
  }
  return {};
}

bool is_mobile(std::string_view value) {
  return value.size() == 11 && value[0] == '1' && value[1] >= '3' && value[1] <= '9' && all_digits(value);
}

// 0\d{2,3}-?\d{7,8}
bool is_landline(std::string_view value) {
  if (value.empty() || value[0] != '0') return false;
  for (std::size_t area = 3; area <= 4; ++area) {  // area code with its leading 0
    if (value.size() <= area || !all_digits(value.substr(0, area))) continue;
    std::string_view number = value.substr(area);
    if (!number.empty() && number[0] == '-') number.remove_prefix(1);
    if ((number.size() == 7 || number.size() == 8) && all_digits(number)) return true;
  }
  return false;
}

FieldCheck check_phone(std::string_view value) {
  if (is_mobile(value) || is_landline(value)) return {};
  return error("请填写11位手机号码，或带区号的固定电话（如0830-3196110）",
               "Enter an 11-digit mobile number, or a landline with its area code (e.g. 0830-3196110)");
}

FieldCheck check_date(std::string_view value) {
  const bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-';
  if (shaped && is_real_yyyymmdd(value.substr(0, 4), value.substr(5, 2), value.substr(8, 2))) {
    const int year = to_int(value.substr(0, 4));
    if (year >= 1900 && year <= 2099) return {};
  }
  return error("请按“年-月-日”填写真实日期，如2024-02-29", "Enter a real date as YYYY-MM-DD, e.g. 2024-02-29");
}

FieldCheck check_number(std::string_view value) {
  const std::size_t point = value.find('.');
  const std::string_view whole = value.substr(0, point);
  const bool valid = all_digits(whole) && (point == std::string_view::npos || all_digits(value.substr(point + 1)));
  if (valid) return {};
  return error("请填写数字", "Enter a number");
}

FieldCheck check_enum(const FormField& field, std::string_view value) {
  for (const FieldOption& option : field.options) {
    if (option.value == value) return {};
  }
  return error("请从给出的选项中选择", "Choose one of the options");
}

bool has_control_character(std::u32string_view text) {
  for (char32_t c : text) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

FieldCheck check_type(const FormField& field, std::string_view value) {
  switch (field.type) {
    case FieldType::text: return {};
    case FieldType::id_number: return check_id_number(value);
    case FieldType::uscc: return check_uscc(value);
    case FieldType::phone: return check_phone(value);
    case FieldType::date: return check_date(value);
    case FieldType::number: return check_number(value);
    case FieldType::enumeration: return check_enum(field, value);
  }
  return {};
}

}  // namespace

bool is_real_date(int year, int month, int day) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

FieldCheck validate_field(const FormField& field, std::string_view value) {
  if (value.empty()) {
    if (field.required) return error("请填写" + field.label, "This field is required");
    return {};
  }
  if (!text::is_valid_utf8(value)) return error("内容含有无法识别的字符", "The text has characters that cannot be read");
  const std::u32string characters = text::decode_utf8(value);
  if (has_control_character(characters)) return error("内容含有不允许的控制字符", "The text has control characters");
  if (field.max_length > 0 && characters.size() > static_cast<std::size_t>(field.max_length)) {
    return error("最多可填写" + std::to_string(field.max_length) + "个字",
                 "At most " + std::to_string(field.max_length) + " characters");
  }
  return check_type(field, value);
}

}  // namespace kiosk::catalog
