// Form field validators: GB 11643 ID numbers, GB 32100 credit codes (warn, don't block), phones,
// real calendar dates, numbers, enums, required and max_length in characters. Vectors are the
// standards' own examples and real published codes.
#include "kiosk/catalog/form_validation.h"

#include <string>

#include <gtest/gtest.h>

#include "kiosk/core/check_digits.h"

namespace kiosk::catalog {
namespace {

FormField field_of(FieldType type, bool required = true) {
  FormField field;
  field.name = "field";
  field.label = "联系电话";
  field.type = type;
  field.required = required;
  return field;
}

CheckLevel level(FieldType type, std::string_view value) { return validate_field(field_of(type), value).level; }

// GB 11643 check character, computed here independently of the code under test.
char id_check_character(const std::string& first17) {
  static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * weights[i];
  return "10X98765432"[sum % 11];
}

std::string with_check(const std::string& first17) { return first17 + id_check_character(first17); }

TEST(FormValidation, IdNumberStandardExampleAndSamples) {
  EXPECT_EQ(level(FieldType::id_number, "11010519491231002X"), CheckLevel::ok);  // GB 11643's example
  EXPECT_EQ(level(FieldType::id_number, "11010519491231002x"), CheckLevel::ok);  // as people type it
  EXPECT_EQ(level(FieldType::id_number, "510502195803150137"), CheckLevel::ok);
  EXPECT_EQ(level(FieldType::id_number, with_check("51050220240229001")), CheckLevel::ok);  // born on a leap day
}

TEST(FormValidation, IdNumberWrongCheckDigitIsAnErrorInBothLanguages) {
  const FieldCheck check = validate_field(field_of(FieldType::id_number), "110105194912310021");
  EXPECT_EQ(check.level, CheckLevel::error);
  EXPECT_TRUE(check.blocks());
  EXPECT_EQ(check.message_zh, "身份证号码校验位不正确");
  EXPECT_EQ(check.message_en, "The ID number's check digit is wrong");
}

TEST(FormValidation, IdNumberAnySingleDigitChangeIsCaught) {
  const std::string valid = "510502195803150137";
  for (std::size_t i = 0; i < 17; ++i) {
    if (i >= 6 && i < 14) continue;  // birth date digits may turn into an impossible date: checked below
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == valid[i]) continue;
      std::string changed = valid;
      changed[i] = digit;
      EXPECT_EQ(validate_field(field_of(FieldType::id_number), changed).message_en, "The ID number's check digit is wrong")
          << changed;
    }
  }
}

TEST(FormValidation, IdNumberShapeAndBirthDate) {
  const FormField field = field_of(FieldType::id_number);
  EXPECT_EQ(validate_field(field, "11010519491231002").message_zh, "身份证号码应为18位");
  EXPECT_EQ(validate_field(field, "11010519491231002X0").message_zh, "身份证号码应为18位");
  EXPECT_EQ(validate_field(field, "110105194912310X2X").message_zh, "身份证号码前17位应为数字");
  EXPECT_EQ(validate_field(field, "11010519491231002Y").message_zh, "身份证号码最后一位应为数字或X");
  // Right check digit, impossible birth date: 2023-02-29, month 13, day 00.
  for (const char* first17 : {"51050220230229001", "51050219801301001", "51050219800100001"}) {
    const std::string number = with_check(first17);
    EXPECT_TRUE(check_digits::valid_id_number(number)) << number;
    EXPECT_EQ(validate_field(field, number).message_zh, "身份证号码中的出生日期不正确") << number;
  }
}

TEST(FormValidation, CreditCodeValidExamples) {
  // GB 32100's example, and two codes published on business licences.
  for (const char* code : {"91350100M000100Y43", "9144030071526726XG", "91110000802100433B"}) {
    EXPECT_EQ(level(FieldType::uscc, code), CheckLevel::ok) << code;
  }
}

TEST(FormValidation, CreditCodeFailingItsCheckOnlyWarns) {
  const FieldCheck check = validate_field(field_of(FieldType::uscc), "91350100M000100Y44");
  EXPECT_EQ(check.level, CheckLevel::warning);
  EXPECT_FALSE(check.blocks());
  EXPECT_FALSE(check.ok());
  EXPECT_FALSE(check.message_zh.empty());
  EXPECT_FALSE(check.message_en.empty());
  // Every other last character warns too.
  for (char last : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
    if (last == '3') continue;
    EXPECT_EQ(level(FieldType::uscc, std::string("91350100M000100Y4") + last), CheckLevel::warning) << last;
  }
}

TEST(FormValidation, CreditCodeWithABadOrganisationCodeWarns) {
  // Organisation code M000100Y5 (its own check says 4), with the GB 32100 check made right again.
  const std::string body = "91350100M000100Y5";
  const std::string set = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  int sum = 0;
  int weight = 1;
  for (char c : body) {
    sum += static_cast<int>(set.find(c)) * weight;
    weight = weight * 3 % 31;
  }
  const std::string code = body + set[static_cast<std::size_t>((31 - sum % 31) % 31)];
  EXPECT_TRUE(check_digits::valid_uscc(code)) << code;
  EXPECT_FALSE(check_digits::valid_organisation_code(code.substr(8, 9)));
  EXPECT_EQ(level(FieldType::uscc, code), CheckLevel::warning);
}

TEST(FormValidation, CreditCodeShapeErrors) {
  EXPECT_EQ(level(FieldType::uscc, "91350100M000100Y4"), CheckLevel::error);    // 17
  EXPECT_EQ(level(FieldType::uscc, "91350100M000100Y433"), CheckLevel::error);  // 19
  EXPECT_EQ(level(FieldType::uscc, "91350100m000100y43"), CheckLevel::error);   // lower case
  EXPECT_EQ(level(FieldType::uscc, "91350100I000100Y43"), CheckLevel::error);   // I is not in the set
  EXPECT_EQ(level(FieldType::uscc, "91350100O000100Y43"), CheckLevel::error);   // nor O
  EXPECT_EQ(level(FieldType::uscc, "91350100M000100-43"), CheckLevel::error);
}

TEST(FormValidation, Phones) {
  for (const char* good : {"13800000000", "19912345678", "15283061234", "0830-3196110", "08303196110", "010-12345678",
                           "028-8888888"}) {
    EXPECT_EQ(level(FieldType::phone, good), CheckLevel::ok) << good;
  }
  for (const char* bad : {"12345678901", "1380000000", "138000000000", "+8613800000000", "138 0000 0000", "830-3196110",
                          "0830-319611", "0830--3196110", "0830-319611000", "0830-", "0", "１３８００００００００",
                          "1380000000a"}) {
    EXPECT_EQ(level(FieldType::phone, bad), CheckLevel::error) << bad;
  }
}

TEST(FormValidation, DatesAreRealCalendarDays) {
  for (const char* good : {"2024-02-29", "2000-02-29", "2023-12-31", "1900-01-01", "2099-12-31", "1958-03-15"}) {
    EXPECT_EQ(level(FieldType::date, good), CheckLevel::ok) << good;
  }
  for (const char* bad : {"2023-02-29", "1900-02-29", "2100-02-28", "1899-12-31", "2023-04-31", "2023-13-01",
                          "2023-00-10", "2023-01-00", "2023-1-01", "2023/01/01", "20230101", "2023-01-01 ", "２０２４-02-29",
                          "abcd-ef-gh", "2023-+1-01"}) {
    EXPECT_EQ(level(FieldType::date, bad), CheckLevel::error) << bad;
  }
  EXPECT_TRUE(is_real_date(2024, 2, 29));
  EXPECT_FALSE(is_real_date(2023, 2, 29));
  EXPECT_FALSE(is_real_date(2100, 2, 29));
  EXPECT_TRUE(is_real_date(2400, 2, 29));
  EXPECT_FALSE(is_real_date(2023, 6, 31));
  EXPECT_FALSE(is_real_date(0, 1, 1));
}

TEST(FormValidation, Numbers) {
  for (const char* good : {"0", "3", "2500.50", "100000"}) EXPECT_EQ(level(FieldType::number, good), CheckLevel::ok) << good;
  for (const char* bad : {"-1", "1.", ".5", "1e5", "1,000", " 3", "三", "1.2.3"}) {
    EXPECT_EQ(level(FieldType::number, bad), CheckLevel::error) << bad;
  }
}

TEST(FormValidation, EnumTakesAnOptionValueNotItsLabel) {
  FormField field = field_of(FieldType::enumeration);
  field.options = {{"expired", "有效期已满"}, {"expiring", "将在三个月内期满"}};
  EXPECT_TRUE(validate_field(field, "expiring").ok());
  EXPECT_TRUE(validate_field(field, "有效期已满").blocks());
  EXPECT_TRUE(validate_field(field, "expire").blocks());
  EXPECT_EQ(validate_field(field, "other").message_zh, "请从给出的选项中选择");
}

TEST(FormValidation, RequiredAndOptionalEmptyValues) {
  const FieldCheck missing = validate_field(field_of(FieldType::phone), "");
  EXPECT_TRUE(missing.blocks());
  EXPECT_EQ(missing.message_zh, "请填写联系电话");
  EXPECT_EQ(missing.message_en, "This field is required");
  for (FieldType type : {FieldType::text, FieldType::id_number, FieldType::uscc, FieldType::phone, FieldType::date,
                         FieldType::number, FieldType::enumeration}) {
    EXPECT_TRUE(validate_field(field_of(type, /*required=*/false), "").ok()) << to_string(type);
  }
}

TEST(FormValidation, MaxLengthCountsCharactersNotBytes) {
  FormField field = field_of(FieldType::text);
  field.max_length = 10;
  EXPECT_TRUE(validate_field(field, "泸州市江阳区酒城大道").ok());  // 10 characters, 30 bytes
  const FieldCheck longer = validate_field(field, "泸州市江阳区酒城大道三");
  EXPECT_TRUE(longer.blocks());
  EXPECT_EQ(longer.message_zh, "最多可填写10个字");
  EXPECT_EQ(longer.message_en, "At most 10 characters");
  EXPECT_TRUE(validate_field(field, "abcdefghij").ok());
  EXPECT_TRUE(validate_field(field, "abcdefghijk").blocks());
  field.max_length = 0;  // no limit of its own
  EXPECT_TRUE(validate_field(field, std::string(5000, 'a')).ok());
}

TEST(FormValidation, TextRefusesBrokenEncodingAndControlCharacters) {
  const FormField field = field_of(FieldType::text);
  EXPECT_TRUE(validate_field(field, "江阳区\xE5\x8F").blocks());
  EXPECT_TRUE(validate_field(field, "\xFF\xFE").blocks());
  EXPECT_TRUE(validate_field(field, "第一行\n第二行").blocks());
  EXPECT_TRUE(validate_field(field, std::string("a\0b", 3)).blocks());
  EXPECT_TRUE(validate_field(field, "张三（代办）").ok());
}

// Messages go to screens and logs: they must never repeat what the citizen typed.
TEST(FormValidation, MessagesNeverRepeatTheValue) {
  const struct {
    FieldType type;
    const char* value;
  } cases[] = {{FieldType::id_number, "510502195803150138"}, {FieldType::id_number, "5105021958031501"},
               {FieldType::uscc, "91350100M000100Y44"},     {FieldType::phone, "13800000"},
               {FieldType::date, "1958-02-30"},             {FieldType::number, "12a"}};
  for (const auto& bad : cases) {
    const FieldCheck check = validate_field(field_of(bad.type), bad.value);
    EXPECT_FALSE(check.ok()) << bad.value;
    EXPECT_FALSE(check.message_zh.empty());
    EXPECT_FALSE(check.message_en.empty());
    EXPECT_EQ(check.message_zh.find(bad.value), std::string::npos);
    EXPECT_EQ(check.message_en.find(bad.value), std::string::npos);
  }
}

}  // namespace
}  // namespace kiosk::catalog
