// Field extraction on hand-made OCR word lists (no Tesseract): labels and values, rows split by
// OCR, multi-line addresses, normalisation, check characters, confidence gating, and malformed
// input (blank, garbage, invalid UTF-8, oversized).
#include "kiosk/ocr/document_fields.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiosk::ocr {
namespace {

// One word per entry; rows are 50 px apart, words 60 px apart.
struct Word {
  std::string text;
  float confidence = 95.0f;
};
using Row = std::vector<Word>;

OcrPage page_of(const std::vector<Row>& rows) {
  std::vector<OcrLine> lines;
  int top = 10;
  for (const auto& row : rows) {
    OcrLine line;
    int left = 10;
    for (const auto& word : row) {
      line.words.push_back({word.text, word.confidence, {left, top, 50, 30}});
      left += 60;
    }
    line.box = {10, top, left - 10, 30};
    lines.push_back(line);
    top += 50;
  }
  return arrange_rows(lines, 1000, top);
}

const OcrField& field(const ExtractedDocument& document, const std::string& key) {
  const OcrField* found = document.field(key);
  EXPECT_NE(found, nullptr) << key;
  static const OcrField missing;
  return found != nullptr ? *found : missing;
}

ExtractedDocument extract_ok(const OcrPage& page, DocumentKind kind, const ExtractOptions& options = {}) {
  auto extracted = extract_fields(page, kind, options);
  EXPECT_TRUE(extracted.ok()) << extracted.error().message;
  return extracted.ok() ? extracted.release_value() : ExtractedDocument{};
}

const std::vector<Row> kIdCard = {{{"姓名"}, {"张"}, {"三"}},
                                  {{"性"}, {"别"}, {"男"}, {"民族"}, {"汉"}},
                                  {{"出"}, {"生"}, {"1958"}, {"年"}, {"3"}, {"月"}, {"15"}, {"日"}},
                                  {{"住址"}, {"四川省泸州市江阳区"}},
                                  {{"蓝田路88号"}},
                                  {{"公民身份号码"}, {"510502195803150137"}}};

TEST(DocumentFields, ReadsAnIdCardFront) {
  const auto document = extract_ok(page_of(kIdCard), DocumentKind::id_card_front);
  EXPECT_EQ(field(document, "name").value, "张三");
  EXPECT_EQ(field(document, "name").label, "姓名");
  EXPECT_EQ(field(document, "sex").value, "男");
  EXPECT_EQ(field(document, "nation").value, "汉");
  EXPECT_EQ(field(document, "birth_date").value, "19580315");
  EXPECT_EQ(field(document, "address").value, "四川省泸州市江阳区蓝田路88号") << "the address goes on to the next row";
  EXPECT_EQ(field(document, "id_number").value, "510502195803150137");
  EXPECT_FALSE(document.needs_confirmation()) << "all read at 95 and every check passes";
  EXPECT_EQ(detect_document_kind(page_of(kIdCard)), DocumentKind::id_card_front);
}

TEST(DocumentFields, ConfidenceComesFromTheValueWordsOnly) {
  const auto document = extract_ok(page_of({{{"姓名", 10.0f}, {"张", 80.0f}, {"三", 90.0f}}}), DocumentKind::id_card_front);
  const OcrField& name = field(document, "name");
  EXPECT_FLOAT_EQ(name.confidence_min, 80.0f);
  EXPECT_FLOAT_EQ(name.confidence_mean, 85.0f);
  EXPECT_FALSE(name.needs_confirmation);
}

TEST(DocumentFields, LowConfidenceNeedsConfirmationAtTheNamedThreshold) {
  const auto page = page_of({{{"姓名"}, {"张"}, {"三", kConfirmBelowConfidence - 1}}});
  const OcrField name = field(extract_ok(page, DocumentKind::id_card_front), "name");
  EXPECT_EQ(name.value, "张三") << "the value is kept for the citizen to confirm";
  EXPECT_TRUE(name.low_confidence);
  EXPECT_TRUE(name.needs_confirmation);
  EXPECT_EQ(name.note, "low OCR confidence");
  ExtractOptions lenient;
  lenient.confirm_below = 50;
  EXPECT_FALSE(field(extract_ok(page, DocumentKind::id_card_front, lenient), "name").needs_confirmation);
}

TEST(DocumentFields, MissingFieldsAreListedAndNeedConfirmation) {
  const auto document = extract_ok(page_of({{{"姓名"}, {"张三"}}}), DocumentKind::id_card_front);
  ASSERT_EQ(document.fields.size(), 6u) << "every field of the kind, found or not";
  const OcrField& id = field(document, "id_number");
  EXPECT_FALSE(id.found);
  EXPECT_TRUE(id.needs_confirmation);
  EXPECT_EQ(id.note, "not found");
  EXPECT_TRUE(document.needs_confirmation());
}

TEST(DocumentFields, WrongIdCheckCharacterIsFlaggedAndKept) {
  const auto document = extract_ok(page_of({{{"公民身份号码"}, {"510502195803150138"}}}), DocumentKind::id_card_front);
  const OcrField& id = field(document, "id_number");
  EXPECT_EQ(id.value, "510502195803150138");
  EXPECT_TRUE(id.check_failed);
  EXPECT_TRUE(id.needs_confirmation);
  EXPECT_EQ(id.note.find("510502"), std::string::npos) << "notes never carry the value";
  const auto short_id = extract_ok(page_of({{{"公民身份号码"}, {"51050219580315"}}}), DocumentKind::id_card_front);
  EXPECT_EQ(field(short_id, "id_number").note, "expected 18 characters, read 14");
}

TEST(DocumentFields, LowerCaseXIsNormalised) {
  const auto document = extract_ok(page_of({{{"公民身份号码"}, {"11010519491231002x"}}}), DocumentKind::id_card_front);
  EXPECT_EQ(field(document, "id_number").value, "11010519491231002X");
  EXPECT_FALSE(field(document, "id_number").check_failed);
}

TEST(DocumentFields, BirthDateMustMatchTheIdNumber) {
  const auto document = extract_ok(
      page_of({{{"出生"}, {"1958年3月16日"}}, {{"公民身份号码"}, {"510502195803150137"}}}), DocumentKind::id_card_front);
  const OcrField& birth = field(document, "birth_date");
  EXPECT_EQ(birth.value, "19580316");
  EXPECT_TRUE(birth.check_failed);
  EXPECT_EQ(birth.note, "does not match the birth date in the ID number");
  EXPECT_FALSE(field(document, "id_number").check_failed);
}

TEST(DocumentFields, DatesInEveryPrintedForm) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"2015年06月20日", "20150620"}, {"2015年6月2日", "20150602"}, {"2015-06-20", "20150620"},
      {"2015.6.20", "20150620"},      {"20150620", "20150620"},     {"2016年2月29日", "20160229"}};
  for (const auto& [printed, expected] : cases) {
    const auto document = extract_ok(page_of({{{"成立日期"}, {printed}}}), DocumentKind::business_licence);
    EXPECT_EQ(field(document, "registration_date").value, expected) << printed;
    EXPECT_FALSE(field(document, "registration_date").check_failed) << printed;
  }
  for (const std::string bad : {"2015年13月20日", "2015年2月30日", "2015年6月", "1700年1月1日", "二〇一五年"}) {
    const auto document = extract_ok(page_of({{{"成立日期"}, {bad}}}), DocumentKind::business_licence);
    EXPECT_TRUE(field(document, "registration_date").check_failed) << bad;
    EXPECT_EQ(field(document, "registration_date").note, "not a valid date") << bad;
  }
}

const std::vector<Row> kLicence = {{{"营业"}, {"执照"}},
                                   {{"统一"}, {"社会"}, {"信用"}, {"代码"}, {"91350100M000100Y43"}},
                                   {{"名"}, {"称"}, {"泸州示例商贸"}, {"有限公司"}},
                                   {{"类型"}, {"有限责任公司"}},
                                   {{"法定代表人"}, {"李思"}},
                                   {{"成立日期"}, {"2015年06月20日"}},
                                   {{"住所"}, {"四川省泸州市"}},
                                   {{"江阳区蓝田路88号"}},
                                   {{"经营范围"}, {"日用百货"}}};

TEST(DocumentFields, ReadsABusinessLicence) {
  const auto document = extract_ok(page_of(kLicence), DocumentKind::business_licence);
  EXPECT_EQ(field(document, "uscc").value, "91350100M000100Y43");
  EXPECT_FALSE(field(document, "uscc").check_failed);
  EXPECT_EQ(field(document, "name").value, "泸州示例商贸有限公司");
  EXPECT_EQ(field(document, "legal_representative").value, "李思");
  EXPECT_EQ(field(document, "registration_date").value, "20150620");
  EXPECT_EQ(field(document, "address").value, "四川省泸州市江阳区蓝田路88号") << "stops at the 经营范围 row";
  EXPECT_FALSE(document.needs_confirmation());
  EXPECT_EQ(detect_document_kind(page_of(kLicence)), DocumentKind::business_licence);
}

TEST(DocumentFields, FailedCreditCodeCheckIsAWarningNotABlock) {
  auto rows = kLicence;
  rows[1][4].text = "91350100m000100y44";
  const auto document = extract_ok(page_of(rows), DocumentKind::business_licence);
  const OcrField& uscc = field(document, "uscc");
  EXPECT_EQ(uscc.value, "91350100M000100Y44");
  EXPECT_TRUE(uscc.check_failed);
  EXPECT_TRUE(uscc.needs_confirmation);
  EXPECT_NE(uscc.note.find("GB 32100"), std::string::npos) << uscc.note;
  EXPECT_EQ(field(document, "name").value, "泸州示例商贸有限公司") << "the other fields are still read";
  EXPECT_FALSE(field(document, "name").needs_confirmation);
}

TEST(DocumentFields, ReadsAHouseholdRegisterRow) {
  const std::vector<Row> rows = {{{"常住人口登记卡"}},
                                 {{"姓名"}, {"张三"}, {"|"}, {"户主或与户主关系"}, {"户主"}},
                                 {{"性别"}, {"男"}, {"民族"}, {"汉"}},
                                 {{"出生地"}, {"四川省泸州市"}},
                                 {{"出"}, {"生日"}, {"其"}, {"1958年03月15日"}},
                                 {{"公民身份证件编号"}, {"510502195803150137"}}};
  const auto document = extract_ok(page_of(rows), DocumentKind::household_register);
  EXPECT_EQ(field(document, "name").value, "张三") << "the table rule is trimmed";
  EXPECT_EQ(field(document, "relationship").value, "户主");
  EXPECT_EQ(field(document, "birth_date").value, "19580315") << "出生日其: a long label with one misread character";
  EXPECT_EQ(field(document, "id_number").value, "510502195803150137");
  EXPECT_FALSE(document.needs_confirmation());
  EXPECT_EQ(detect_document_kind(page_of(rows)), DocumentKind::household_register);
}

TEST(DocumentFields, ALabelAloneOnItsRowTakesTheNextRow) {
  const auto document =
      extract_ok(page_of({{{"姓名"}}, {{"张三"}}, {{"性别"}}, {{"男"}}}), DocumentKind::id_card_front);
  EXPECT_EQ(field(document, "name").value, "张三");
  EXPECT_EQ(field(document, "sex").value, "男");
}

TEST(DocumentFields, ShortLabelsInsideAValueDoNotCutIt) {
  const auto document = extract_ok(page_of({{{"名称"}, {"泸州住所服务有限公司"}}}), DocumentKind::business_licence);
  EXPECT_EQ(field(document, "name").value, "泸州住所服务有限公司");
  EXPECT_FALSE(field(document, "address").found);
}

TEST(DocumentFields, SexMustBeMaleOrFemale) {
  const auto document = extract_ok(page_of({{{"性别"}, {"另"}}}), DocumentKind::id_card_front);
  EXPECT_TRUE(field(document, "sex").check_failed);
  EXPECT_EQ(field(document, "sex").note, "expected 男 or 女");
}

TEST(DocumentFields, LatinWordsKeepTheirSpace) {
  const auto document = extract_ok(page_of({{{"名称"}, {"ABC"}, {"Trading"}, {"有限公司"}}}), DocumentKind::business_licence);
  EXPECT_EQ(field(document, "name").value, "ABC Trading有限公司");
}

TEST(DocumentFields, BlankOrPunctuationOnlyPageHasNoText) {
  for (const auto& page : {page_of({}), page_of({{{"|"}, {"—"}}, {{"。"}, {"  "}}})}) {
    auto extracted = extract_fields(page, DocumentKind::id_card_front);
    ASSERT_FALSE(extracted.ok());
    EXPECT_EQ(extracted.error().kind, ErrorKind::not_found);
    EXPECT_EQ(extracted.error().message, "no text found");
  }
}

TEST(DocumentFields, TextWithoutAnyLabelIsNotADocumentOfThatKind) {
  auto extracted = extract_fields(page_of(kIdCard), DocumentKind::business_licence);
  ASSERT_FALSE(extracted.ok());
  EXPECT_EQ(extracted.error().message, "no business licence fields found");
  EXPECT_EQ(detect_document_kind(page_of({{{"今天"}, {"天气"}}})), std::nullopt);
}

TEST(DocumentFields, GarbageNeverCrashes) {
  std::string invalid_utf8 = "姓名\xff\xfe\xc3";
  std::string huge(200000, 'A');
  std::vector<Row> rows = {{{invalid_utf8}, {"\xe5\xa7"}}, {{"住址"}, {huge}}, {{"公民身份号码"}, {"\x80\x80"}}};
  for (int i = 0; i < 2000; ++i) rows.push_back({{"住址"}, {"出生"}, {std::to_string(i)}});
  auto extracted = extract_fields(page_of(rows), DocumentKind::id_card_front);
  ASSERT_TRUE(extracted.ok()) << extracted.error().message;
  EXPECT_TRUE(extracted->needs_confirmation());
  EXPECT_TRUE(field(*extracted, "id_number").check_failed);
}

TEST(DocumentFields, KindNames) {
  EXPECT_EQ(document_kind_from_name("licence"), DocumentKind::business_licence);
  EXPECT_EQ(document_kind_from_name("idcard"), DocumentKind::id_card_front);
  EXPECT_EQ(document_kind_from_name("household"), DocumentKind::household_register);
  EXPECT_EQ(document_kind_from_name("passport"), std::nullopt);
}

TEST(ArrangeRows, MergesSideBySideLinesAndKeepsRowsApart) {
  std::vector<OcrLine> lines = {
      {{{"民族", 90, {300, 100, 60, 30}}, {"汉", 90, {380, 102, 30, 30}}}, {300, 100, 110, 32}},
      {{{"住址", 90, {10, 180, 60, 30}}}, {10, 180, 60, 30}},
      {{{"性别", 90, {10, 98, 60, 30}}, {"男", 90, {90, 101, 30, 30}}}, {10, 98, 110, 33}},
      {{{" ", 95, {0, 0, 1000, 500}}}, {0, 0, 1000, 500}},  // a blank "word" over the whole page
  };
  const OcrPage page = arrange_rows(lines, 1000, 500);
  ASSERT_EQ(page.lines.size(), 2u);
  EXPECT_EQ(page.lines[0].text(), "性别 男 民族 汉");
  EXPECT_EQ(page.lines[1].text(), "住址");
  EXPECT_EQ(page.word_count(), 5u);
}

TEST(ArrangeRows, ATallWordDoesNotSwallowTheRowsBelow) {
  std::vector<OcrLine> lines = {
      {{{"住址", 90, {10, 100, 60, 30}}, {"四川", 90, {90, 100, 60, 30}}}, {10, 100, 140, 30}},
      {{{"蓝田路", 90, {90, 150, 90, 30}}}, {90, 150, 90, 30}},
      {{{"噪", 10, {200, 95, 20, 100}}}, {200, 95, 20, 100}},
  };
  const OcrPage page = arrange_rows(lines, 1000, 500);
  ASSERT_EQ(page.lines.size(), 3u);
  EXPECT_EQ(page.lines[1].text(), "住址 四川");
  EXPECT_EQ(page.lines[2].text(), "蓝田路");
}

}  // namespace
}  // namespace kiosk::ocr
