#pragma once
// Validators for the fields of an item's application form (docs/platform-api.md, "Catalog"): what
// the citizen typed is checked on the terminal before the case goes out, with a plain Chinese
// message and an English one. Pure functions: no I/O, no state; messages never repeat the value.

#include <string>
#include <string_view>

#include "kiosk/catalog/catalog.h"

namespace kiosk::catalog {

enum class CheckLevel {
  ok,
  warning,  // probably wrong, but the citizen may go on (a credit code failing its check)
  error,    // must be corrected before submitting
};

struct FieldCheck {
  CheckLevel level = CheckLevel::ok;
  std::string message_zh;  // plain words for the citizen, e.g. "身份证号码校验位不正确"
  std::string message_en;  // e.g. "The ID number's check digit is wrong"

  bool ok() const { return level == CheckLevel::ok; }
  bool blocks() const { return level == CheckLevel::error; }
};

// Checks `value` against the field: required, max_length (in characters), valid UTF-8 without
// control characters, then the type's rule:
// - id_number: 17 digits and a GB 11643 check character (x or X), with a real birth date inside;
// - uscc: 18 characters of the GB 32100 set; a failed check character (GB 32100, or the GB 11714
//   organisation code inside) is a warning, since some early pilot codes fail it yet are valid;
// - phone: a mobile number 1[3-9] and 9 digits, or a landline 0, 2-3 digits, an optional '-',
//   7-8 digits;
// - date: a real calendar date YYYY-MM-DD between 1900-01-01 and 2099-12-31 (leap years counted);
// - number: digits with an optional decimal part ("3", "2500.50");
// - enum: the value of one of the options.
// An empty optional field is ok whatever its type.
FieldCheck validate_field(const FormField& field, std::string_view value);

// True if year-month-day is a real day of the Gregorian calendar.
bool is_real_date(int year, int month, int day);

}  // namespace kiosk::catalog
