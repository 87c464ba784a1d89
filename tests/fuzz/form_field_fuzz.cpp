// Fuzz target: the form field validators on whatever a citizen (or a broken keyboard) can type.
// The first byte picks the field type and whether it is required, the second its max_length; the
// rest is the value. Checks the promises of form_validation.h beyond "does not crash".
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "kiosk/catalog/form_validation.h"
#include "kiosk/core/check_digits.h"

using kiosk::catalog::CheckLevel;
using kiosk::catalog::FieldCheck;
using kiosk::catalog::FieldType;
using kiosk::catalog::FormField;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static constexpr FieldType kTypes[] = {FieldType::text, FieldType::id_number, FieldType::uscc, FieldType::phone,
                                         FieldType::date, FieldType::number, FieldType::enumeration};
  FormField field;
  field.name = "value";
  field.label = "字段";
  field.type = kTypes[data[0] % 7];
  field.required = (data[0] & 0x80) != 0;
  field.max_length = data[1];
  field.options = {{"expired", "有效期已满"}, {"其他", "其他"}};
  const std::string_view value(reinterpret_cast<const char*>(data) + 2, size - 2);

  const FieldCheck check = validate_field(field, value);
  if (check.ok() != (check.level == CheckLevel::ok)) std::abort();
  if (!check.ok() && (check.message_zh.empty() || check.message_en.empty())) std::abort();
  if (check.ok() && !(check.message_zh.empty() && check.message_en.empty())) std::abort();
  if (value.empty() && field.required && !check.blocks()) std::abort();
  // Only a credit code's failed check is a warning.
  if (check.level == CheckLevel::warning && field.type != FieldType::uscc) std::abort();
  // An accepted ID number has a right check digit; an accepted credit code passes GB 32100.
  if (check.ok() && !value.empty()) {
    if (field.type == FieldType::id_number && !kiosk::check_digits::valid_id_number(value)) std::abort();
    if (field.type == FieldType::uscc && !kiosk::check_digits::valid_uscc(value)) std::abort();
    if (field.type == FieldType::date && value.size() != 10) std::abort();
  }
  return 0;
}
