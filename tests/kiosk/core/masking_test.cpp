// One masking rule (kiosk/core/masking.h) for ID numbers, names, phones and bank accounts.
#include "kiosk/core/masking.h"

#include <gtest/gtest.h>

namespace kiosk::masking {
namespace {

TEST(Masking, IdNumbersKeepFourAndFour) {
  EXPECT_EQ(id_number("510502195803150137"), "5105**********0137");
  EXPECT_EQ(id_number("51050219900101123X"), "5105**********123X");
  EXPECT_EQ(id_number("510502900101123"), "5105*******1123");  // old 15-digit numbers
  EXPECT_EQ(id_number("5105021"), "*******");                  // half typed: nothing kept
  EXPECT_EQ(id_number(""), "");
}

TEST(Masking, NamesKeepTheFirstCharacter) {
  EXPECT_EQ(name("张三"), "张*");
  EXPECT_EQ(name("欧阳娜娜"), "欧***");
  EXPECT_EQ(name("李"), "*");
  EXPECT_EQ(name("Zhang San"), "Z********");
  EXPECT_EQ(name(""), "");
}

TEST(Masking, PhonesAndAccounts) {
  EXPECT_EQ(phone("13800000000"), "138****0000");
  EXPECT_EQ(phone("0830-2123456"), "083*****3456");
  EXPECT_EQ(phone("1380"), "****");
  EXPECT_EQ(bank_account("6228480000000000000"), "6228***********0000");
  EXPECT_EQ(mask(PersonalKind::phone, "13900000000"), "139****0000");
  EXPECT_EQ(mask(PersonalKind::none, "泸州市"), "泸州市");
  EXPECT_EQ(keep_ends("91510500MA6ABCDE12", 4, 4), "9151**********DE12");
}

TEST(Masking, WithinText) {
  EXPECT_EQ(mask_within("营业执照（昭觉县阿依农家乐）", "阿依", PersonalKind::name), "营业执照（昭觉县阿*农家乐）");
  EXPECT_EQ(mask_within("张三和张三", "张三", PersonalKind::name), "张*和张*");
  EXPECT_EQ(mask_within("李氏祠堂", "李", PersonalKind::name), "李氏祠堂");  // one character: no match
  EXPECT_EQ(mask_within("电话13800000000", "13800000000", PersonalKind::phone), "电话138****0000");
}

TEST(Masking, FormFieldsByTypeKeyLabelOrPrefill) {
  EXPECT_EQ(personal_kind_of_field("id_number", "spouse_id_number", "配偶公民身份号码", ""), PersonalKind::id_number);
  EXPECT_EQ(personal_kind_of_field("phone", "phone", "联系电话", ""), PersonalKind::phone);
  EXPECT_EQ(personal_kind_of_field("number", "bank_account", "收款银行卡号", ""), PersonalKind::bank_account);
  EXPECT_EQ(personal_kind_of_field("text", "applicant_name", "申请人姓名", "card.name"), PersonalKind::name);
  EXPECT_EQ(personal_kind_of_field("text", "child_name", "新生儿姓名", ""), PersonalKind::name);
  EXPECT_EQ(personal_kind_of_field("text", "entity_name", "市场主体名称", ""), PersonalKind::none);
  EXPECT_EQ(personal_kind_of_field("uscc", "uscc", "统一社会信用代码", ""), PersonalKind::none);
  EXPECT_EQ(personal_kind_of_field("text", "household_address", "户籍地址", "card.address"), PersonalKind::none);
}

}  // namespace
}  // namespace kiosk::masking
