// A citizen's application against real items of the sample catalog (assets/catalog/items.json):
// prefill from the card, 一次性告知 of missing materials, the 告知承诺书, form and address checks, the
// body of POST /api/v1/cases (docs/platform-api.md) and OCR filling.
#include "kiosk/apply/application.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace kiosk::apply {
namespace {

using catalog::CheckLevel;
using catalog::FieldType;
using catalog::FormField;
using catalog::Item;
using nlohmann::json;

constexpr const char* kRenewIdCard = "510502000000-QR-0001";       // 居民身份证有效期满换领
constexpr const char* kTemporaryIdCard = "510502000000-QR-0003";   // 临时居民身份证申领 (photos: 2 copies)
constexpr const char* kHouseholdRegister = "510502000000-QR-0005"; // 户口簿遗失补领 (optional material)
constexpr const char* kUnemployment = "510500000000-GF-0011";      // 失业保险金申领 (告知承诺)
constexpr const char* kLostLicence = "510500000000-XK-0019";       // 营业执照遗失补领 (field "uscc")
constexpr const char* kFoodLicence = "510500000000-XK-0020";       // 食品经营许可 (营业执照, 告知承诺)

// The item as if the catalog did not mark what identification provides: every material is the
// citizen's to bring (the rules for capture, licence and commitment apply to each).
catalog::Item brought_by_citizen(catalog::Item item) {
  for (catalog::Material& material : item.materials) material.provided_by.clear();
  return item;
}

const catalog::Catalog& sample_catalog() {
  static const catalog::Catalog loaded = [] {
    auto result = catalog::load_catalog(std::string(KIOSK_TEST_ASSETS) + "/catalog/items.json");
    if (!result.ok()) {
      ADD_FAILURE() << result.error().message;
      return catalog::Catalog{};
    }
    return result.release_value();
  }();
  return loaded;
}

const Item& item(const char* code) {
  const Item* found = sample_catalog().find_item(code);
  if (found == nullptr) {
    ADD_FAILURE() << "no item " << code << " in the sample catalog";
    static const Item empty;
    return empty;
  }
  return *found;
}

hal::IdentityCard zhangsan() {
  hal::IdentityCard card;
  card.name = "张三";
  card.sex = "男";
  card.nation = "汉";
  card.birth_date = "19580315";
  card.address = "四川省泸州市江阳区大山坪街道88号";
  card.id_number = "510502195803150137";
  card.authority = "泸州市公安局江阳区分局";
  card.valid_from = "20150620";
  card.valid_until = "长期";
  return card;
}

const std::vector<std::uint8_t> kJpeg = {0xFF, 0xD8, 0xFF, 0xD9};  // base64 "/9j/2Q=="
const std::vector<std::uint8_t> kJpeg2 = {0x01, 0x02, 0x03};       // base64 "AQID"

MaterialChoice capture(std::vector<std::vector<std::uint8_t>> pages) {
  MaterialChoice choice;
  choice.source = MaterialSource::capture;
  choice.pages = std::move(pages);
  return choice;
}

MaterialChoice licence(std::string id, std::string name) {
  MaterialChoice choice;
  choice.source = MaterialSource::licence;
  choice.licence_id = std::move(id);
  choice.licence_name = std::move(name);
  return choice;
}

MaterialChoice commitment() {
  MaterialChoice choice;
  choice.source = MaterialSource::commitment;
  return choice;
}

std::vector<std::string> problem_fields(const std::vector<FieldProblem>& problems) {
  std::vector<std::string> fields;
  for (const auto& problem : problems) fields.push_back(problem.field);
  return fields;
}

// The 居民身份证有效期满换领 application of a citizen who did everything.
Application complete_renewal(const hal::IdentityCard& card) {
  const Item& renew = item(kRenewIdCard);
  Application application = start_application(renew, &card);
  set_field(application, "phone", "13800000000");
  set_field(application, "reason", "expired");
  set_field(application, "delivery", "window");
  application.materials[0] = capture({kJpeg});
  application.materials[1] = capture({kJpeg2});
  return application;
}

TEST(Application, StartPrefillsTheFormFromTheCard) {
  const auto card = zhangsan();
  const Item& renew = item(kRenewIdCard);
  const Application application = start_application(renew, &card);
  EXPECT_EQ(application.item_code, kRenewIdCard);
  EXPECT_EQ(application.form.at("applicant_name"), "张三");
  EXPECT_EQ(application.form.at("id_number"), "510502195803150137");
  EXPECT_EQ(application.form.at("mail_address"), "四川省泸州市江阳区大山坪街道88号");
  EXPECT_EQ(application.form.at("phone"), "");   // no prefill: present and empty
  EXPECT_EQ(application.form.at("reason"), "");
  EXPECT_EQ(application.form.size(), renew.form.size());
  ASSERT_EQ(application.materials.size(), renew.materials.size());
  for (const auto& choice : application.materials) EXPECT_EQ(choice.source, MaterialSource::none);
  EXPECT_TRUE(application.to_confirm.empty());
  EXPECT_TRUE(application.from_ocr.empty());
}

TEST(Application, StartPrefillsBirthDateAndSex) {
  // No sample item prefills these yet: the catalog allows them (kPrefillSources).
  Item custom = item(kRenewIdCard);
  FormField birth{"birth_date", "出生日期", FieldType::date, true, 0, {}, "card.birth_date", ""};
  FormField sex{"sex", "性别", FieldType::enumeration, true, 0, {{"male", "男"}, {"female", "女"}}, "card.sex", ""};
  FormField sex_by_value{"sex_code", "性别", FieldType::enumeration, true, 0, {{"男", "男性"}, {"女", "女性"}}, "card.sex", ""};
  FormField sex_unknown{"sex_other", "性别", FieldType::enumeration, true, 0, {{"m", "M"}, {"f", "F"}}, "card.sex", ""};
  FormField sex_text{"sex_text", "性别", FieldType::text, true, 0, {}, "card.sex", ""};
  custom.form.insert(custom.form.end(), {birth, sex, sex_by_value, sex_unknown, sex_text});
  auto card = zhangsan();
  Application application = start_application(custom, &card);
  EXPECT_EQ(application.form.at("birth_date"), "1958-03-15");
  EXPECT_EQ(application.form.at("sex"), "male");
  EXPECT_EQ(application.form.at("sex_code"), "男");
  EXPECT_EQ(application.form.at("sex_other"), "");  // left for the citizen to pick
  EXPECT_EQ(application.form.at("sex_text"), "男");

  card.birth_date = "1958315";  // unreadable: left for the citizen rather than filled wrong
  card.sex = "女";
  application = start_application(custom, &card);
  EXPECT_EQ(application.form.at("birth_date"), "");
  EXPECT_EQ(application.form.at("sex"), "female");
}

TEST(Application, StartWithoutACardLeavesTheFormEmpty) {
  const Application application = start_application(item(kRenewIdCard), nullptr);
  for (const auto& [name, value] : application.form) EXPECT_EQ(value, "") << name;
}

TEST(Application, MissingMaterialsAreNamedAllAtOnceInOrder) {
  const auto card = zhangsan();
  Item renew = item(kRenewIdCard);
  renew = brought_by_citizen(renew);
  Application application = start_application(renew, &card);
  EXPECT_EQ(missing_materials(renew, application), (std::vector<std::string>{"本人居民身份证", "符合标准的数码相片"}));

  application.materials[1] = capture({kJpeg});
  EXPECT_EQ(missing_materials(renew, application), std::vector<std::string>{"本人居民身份证"});

  application.materials[0] = capture({});  // chose the camera but took no picture yet
  EXPECT_EQ(missing_materials(renew, application), std::vector<std::string>{"本人居民身份证"});
  application.materials[0] = capture({{}});  // an empty page is no page
  EXPECT_EQ(missing_materials(renew, application), std::vector<std::string>{"本人居民身份证"});
  application.materials[0] = licence("", "");  // a licence without its id
  EXPECT_EQ(missing_materials(renew, application), std::vector<std::string>{"本人居民身份证"});
  application.materials[0] = commitment();  // the item does not allow 告知承诺 for it
  EXPECT_EQ(missing_materials(renew, application), std::vector<std::string>{"本人居民身份证"});
  application.materials[0] = licence("LIC-0001", "居民身份证");
  EXPECT_TRUE(missing_materials(renew, application).empty());
}

TEST(Application, WhatIdentificationProvidedIsNeitherMissingNorSent) {
  const auto card = zhangsan();
  const Item& renew = item(kRenewIdCard);  // 本人居民身份证 (id_card), 符合标准的数码相片 (face_photo)
  ASSERT_EQ(renew.materials.size(), 2u);
  EXPECT_EQ(renew.materials[0].provided_by, "id_card");
  EXPECT_EQ(renew.materials[1].provided_by, "face_photo");
  const Application application = start_application(renew, &card);
  EXPECT_TRUE(missing_materials(renew, application).empty());
}

TEST(Application, OptionalMaterialsAreNeverMissing) {
  const Item& household = item(kHouseholdRegister);
  ASSERT_FALSE(household.materials[1].required);
  const Application application = start_application(household, nullptr);
  EXPECT_EQ(missing_materials(household, application), std::vector<std::string>{"申请人居民身份证"});
}

TEST(Application, OnePageCoversAMaterialOfSeveralCopies) {
  const Item& temporary = item(kTemporaryIdCard);
  ASSERT_EQ(temporary.materials[1].count, 2);
  Application application = start_application(temporary, nullptr);
  application.materials[0] = capture({kJpeg});
  application.materials[1] = capture({kJpeg2});
  EXPECT_TRUE(missing_materials(temporary, application).empty());
}

TEST(Application, CommitmentReplacesAMaterialOnceSigned) {
  const auto card = zhangsan();
  const Item& unemployment = item(kUnemployment);
  ASSERT_TRUE(unemployment.materials[1].commitment_allowed);
  Application application = start_application(unemployment, &card);
  set_field(application, "phone", "13800000000");
  set_field(application, "last_employer", "泸州市某某机械厂");
  set_field(application, "separation_date", "2026-10-31");
  set_field(application, "separation_reason", "contract_ended");
  set_field(application, "bank_account", "6222021234567890123");
  application.materials[0] = capture({kJpeg});
  EXPECT_FALSE(needs_commitment(application));
  EXPECT_EQ(missing_materials(unemployment, application), std::vector<std::string>{"解除或终止劳动关系证明"});
  EXPECT_FALSE(ready_to_submit(unemployment, application));

  application.materials[1] = commitment();
  EXPECT_TRUE(needs_commitment(application));
  EXPECT_TRUE(missing_materials(unemployment, application).empty());
  EXPECT_FALSE(ready_to_submit(unemployment, application));  // not signed yet

  application.commitment = Signature{{}, "2026-11-25T14:02:00+08:00"};
  EXPECT_FALSE(ready_to_submit(unemployment, application));  // no strokes: not a signature
  application.commitment->png = {0x89, 'P', 'N', 'G'};
  EXPECT_TRUE(ready_to_submit(unemployment, application));
}

TEST(Application, FormProblemsInFormOrderIncludingTheIdCheckDigit) {
  auto card = zhangsan();
  card.id_number = "510502195803150138";  // last digit wrong
  const Item& renew = item(kRenewIdCard);
  Application application = start_application(renew, &card);
  application.materials[0] = capture({kJpeg});
  application.materials[1] = capture({kJpeg});
  const auto problems = form_problems(renew, application);
  EXPECT_EQ(problem_fields(problems), (std::vector<std::string>{"id_number", "phone", "reason", "delivery"}));
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].check.level, CheckLevel::error);
  EXPECT_EQ(problems[0].check.message_zh, "身份证号码校验位不正确");
  EXPECT_EQ(problems[0].check.message_en, "The ID number's check digit is wrong");
  EXPECT_FALSE(ready_to_submit(renew, application));

  set_field(application, "id_number", "510502195803150137");
  set_field(application, "phone", "0830-3196110");
  set_field(application, "reason", "有效期已满");  // a label is not a value
  set_field(application, "delivery", "window");
  EXPECT_EQ(problem_fields(form_problems(renew, application)), std::vector<std::string>{"reason"});
  set_field(application, "reason", "expired");
  EXPECT_TRUE(form_problems(renew, application).empty());
  EXPECT_TRUE(ready_to_submit(renew, application));
}

TEST(Application, OcrFilledFieldsMustBeCheckedBeforeSubmitting) {
  const auto card = zhangsan();
  const Item& renew = item(kRenewIdCard);
  Application application = complete_renewal(card);
  ASSERT_TRUE(ready_to_submit(renew, application));
  application.to_confirm.insert("phone");
  const auto problems = form_problems(renew, application);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "phone");
  EXPECT_EQ(problems[0].check.level, CheckLevel::error);
  EXPECT_EQ(problems[0].check.message_zh, "请核对此项（由扫描识别填写）");
  EXPECT_EQ(problems[0].check.message_en, "Please check this value (filled in from the scan)");
  EXPECT_FALSE(ready_to_submit(renew, application));
  application.confirmed.insert("phone");
  EXPECT_TRUE(form_problems(renew, application).empty());
  EXPECT_TRUE(ready_to_submit(renew, application));
}

TEST(Application, CreditCodeFailingItsCheckWarnsButDoesNotBlock) {
  const auto card = zhangsan();
  const Item& lost = item(kLostLicence);
  Application application = start_application(lost, &card);
  set_field(application, "uscc", "91350100M000100Y44");
  set_field(application, "entity_name", "泸州市江阳区张三百货店");
  set_field(application, "phone", "13800000000");
  set_field(application, "reason", "lost");
  set_field(application, "licence_copy", "both");
  application.materials[0] = capture({kJpeg});
  application.materials[1] = capture({kJpeg});
  const auto problems = form_problems(lost, application);
  ASSERT_EQ(problem_fields(problems), std::vector<std::string>{"uscc"});
  EXPECT_EQ(problems[0].check.level, CheckLevel::warning);
  EXPECT_TRUE(ready_to_submit(lost, application));
}

TEST(Application, PostNeedsACompleteAddress) {
  const auto card = zhangsan();
  const Item& renew = item(kRenewIdCard);
  Application application = complete_renewal(card);
  EXPECT_TRUE(address_problems(application).empty());  // pickup: no address wanted
  application.delivery = DeliveryMethod::post;
  EXPECT_EQ(address_problems(application), (std::vector<std::string>{"recipient", "phone", "region", "detail"}));
  EXPECT_FALSE(ready_to_submit(renew, application));

  application.address = {"张三", "12345", "四川省泸州市江阳区", "   "};
  EXPECT_EQ(address_problems(application), (std::vector<std::string>{"phone", "detail"}));
  application.address.phone = "13800000000";
  application.address.detail = "大山坪街道88号";
  EXPECT_TRUE(address_problems(application).empty());
  EXPECT_TRUE(ready_to_submit(renew, application));

  application.address.recipient = std::string(65, 'a');  // the platform takes 64 characters
  EXPECT_EQ(address_problems(application), std::vector<std::string>{"recipient"});
  application.address.recipient = "张\x01三";  // control character
  EXPECT_EQ(address_problems(application), std::vector<std::string>{"recipient"});
}

TEST(CaseBody, PickupWithCapturedMaterials) {
  const auto card = zhangsan();
  const Item renew = brought_by_citizen(item(kRenewIdCard));
  Application application = complete_renewal(card);
  set_field(application, "mail_address", "");  // optional and empty: not sent
  application.form["not_in_the_item"] = "dropped";
  application.submitted_at = "2026-11-25T14:03:00+08:00";
  const json expected = json::parse(R"({
    "item_code": "510502000000-QR-0001",
    "identity_token": "token-1",
    "applicant": {"name": "张三", "id_number": "510502195803150137", "phone": "13800000000"},
    "form": {"applicant_name": "张三", "id_number": "510502195803150137", "phone": "13800000000",
             "reason": "expired", "delivery": "window"},
    "materials": [
      {"name": "本人居民身份证", "source": "capture", "content_type": "image/jpeg", "data": "/9j/2Q=="},
      {"name": "符合标准的数码相片", "source": "capture", "content_type": "image/jpeg", "data": "AQID"}],
    "delivery": {"method": "pickup"},
    "submitted_at": "2026-11-25T14:03:00+08:00"})");
  EXPECT_EQ(case_body(renew, application, card, "token-1"), expected);
}

TEST(CaseBody, PostWithLicenceCommitmentAndSeveralPages) {
  const auto card = zhangsan();
  const Item& food = item(kFoodLicence);
  Application application = start_application(food, &card);
  set_field(application, "entity_name", "泸州市江阳区张三小吃店");
  set_field(application, "uscc", "91350100M000100Y43");
  set_field(application, "phone", "13800000000");
  set_field(application, "business_address", "江阳区大山坪街道88号");
  set_field(application, "food_business", "hot_food");
  set_field(application, "safety_manager", "李四");
  application.materials[0] = capture({kJpeg});
  application.materials[1] = licence("LIC-0001", "营业执照");
  application.materials[2] = capture({kJpeg, {}, kJpeg2});  // an empty page is skipped
  application.materials[3] = commitment();
  application.commitment = Signature{{0x89, 'P', 'N', 'G'}, "2026-11-25T14:02:00+08:00"};
  application.delivery = DeliveryMethod::post;
  application.address = {"张三", "13800000000", "四川省泸州市江阳区", "大山坪街道88号"};
  ASSERT_TRUE(ready_to_submit(food, application));

  const json body = case_body(food, application, card, "");
  EXPECT_FALSE(body.contains("identity_token"));  // none given
  EXPECT_FALSE(body.contains("submitted_at"));    // not submitted yet
  EXPECT_FALSE(body.contains("local_receipt"));   // the outbox adds it
  EXPECT_EQ(body["applicant"], json::parse(R"({"name": "张三", "id_number": "510502195803150137", "phone": "13800000000"})"));
  EXPECT_EQ(body["materials"], json::parse(R"([
      {"name": "食品经营许可申请书", "source": "capture", "content_type": "image/jpeg", "data": "/9j/2Q=="},
      {"name": "营业执照", "source": "licence", "licence_id": "LIC-0001"},
      {"name": "经营场所平面图", "source": "capture", "content_type": "image/jpeg", "data": "/9j/2Q==", "page": 1, "pages": 2},
      {"name": "经营场所平面图", "source": "capture", "content_type": "image/jpeg", "data": "AQID", "page": 2, "pages": 2},
      {"name": "食品安全管理制度", "source": "commitment"}])"));
  ASSERT_TRUE(body.contains("commitment"));
  EXPECT_EQ(body["commitment"]["text"], food.commitment_text);
  EXPECT_EQ(body["commitment"]["signature_png"], "iVBORw==");
  EXPECT_EQ(body["commitment"]["signed_at"], "2026-11-25T14:02:00+08:00");
  EXPECT_EQ(body["delivery"], json::parse(R"({"method": "post", "address": {"recipient": "张三", "phone": "13800000000",
                                              "region": "四川省泸州市江阳区", "detail": "大山坪街道88号"}})"));
}

TEST(CaseBody, SignatureWithoutACommitmentMaterialIsNotSent) {
  const auto card = zhangsan();
  const Item& unemployment = item(kUnemployment);
  Application application = start_application(unemployment, &card);
  application.materials[0] = capture({kJpeg});
  application.materials[1] = capture({kJpeg2});  // signed first, then photographed the paper
  application.commitment = Signature{{0x89}, "2026-11-25T14:02:00+08:00"};
  EXPECT_FALSE(case_body(unemployment, application, card, "t").contains("commitment"));
}

TEST(CaseBody, ApplicantPhoneOmittedWithoutAPhoneField) {
  const auto card = zhangsan();
  const Item& temporary = item(kTemporaryIdCard);
  Application application = start_application(temporary, &card);
  EXPECT_FALSE(case_body(temporary, application, card, "t")["applicant"].contains("phone"));  // phone field empty
  Item without_phone = temporary;
  std::erase_if(without_phone.form, [](const FormField& field) { return field.type == FieldType::phone; });
  application.form["phone"] = "13800000000";
  EXPECT_FALSE(case_body(without_phone, application, card, "t")["applicant"].contains("phone"));
}

TEST(CaseBody, InvalidUtf8IsRepairedSoTheBodyAlwaysSerialises) {
  auto card = zhangsan();
  card.name = "张\xff三";
  const Item& renew = item(kRenewIdCard);
  Application application = complete_renewal(card);
  application.form["phone"] = "138\xc0";
  application.delivery = DeliveryMethod::post;
  application.address.detail = "\xe5\xa4";
  const json body = case_body(renew, application, card, "\xfe");
  EXPECT_NO_THROW(static_cast<void>(body.dump()));
  EXPECT_EQ(body["applicant"]["name"], "张\xEF\xBF\xBD三");
}

TEST(ApplyOcr, FillsEmptyFieldsAndMarksDoubtfulOnes) {
  const Item& lost = item(kLostLicence);
  Application application = start_application(lost, nullptr);
  // A business licence's fields; its 名称 ("name") is left out here, see the report on apply_ocr_fields.
  const std::map<std::string, std::string> values = {{"uscc", "91350100M000100Y43"},
                                                     {"legal_representative", "张三"},
                                                     {"registration_date", "20150620"}};
  const auto filled = apply_ocr_fields(lost, application, values, {"uscc", "legal_representative"});
  EXPECT_EQ(filled, std::vector<std::string>{"uscc"});
  EXPECT_EQ(application.form.at("uscc"), "91350100M000100Y43");
  EXPECT_EQ(application.to_confirm, std::set<std::string>{"uscc"});
  EXPECT_EQ(application.from_ocr, std::set<std::string>{"uscc"});
  EXPECT_EQ(problem_fields(form_problems(lost, application)),
            (std::vector<std::string>{"uscc", "entity_name", "applicant_name", "id_number", "phone", "reason",
                                      "licence_copy"}));
}

TEST(ApplyOcr, NeverOverwritesWhatTheCitizenTypedOrTheCardGave) {
  const auto card = zhangsan();
  const Item& unemployment = item(kUnemployment);
  Application application = start_application(unemployment, &card);
  set_field(application, "employer_uscc", "91110000802100433B");
  const std::map<std::string, std::string> values = {
      {"uscc", "91350100M000100Y43"}, {"name", "李四"}, {"id_number", "11010519491231002X"}};
  EXPECT_TRUE(apply_ocr_fields(unemployment, application, values, {"uscc"}).empty());
  EXPECT_EQ(application.form.at("employer_uscc"), "91110000802100433B");
  EXPECT_EQ(application.form.at("applicant_name"), "张三");
  EXPECT_EQ(application.form.at("id_number"), "510502195803150137");
  EXPECT_TRUE(application.to_confirm.empty());
}

TEST(ApplyOcr, ANewScanReplacesAnEarlierScanUntilTheCitizenEdits) {
  const Item& unemployment = item(kUnemployment);
  Application application = start_application(unemployment, nullptr);
  EXPECT_EQ(apply_ocr_fields(unemployment, application, {{"uscc", "91350100M000100Y44"}}, {"uscc"}),
            std::vector<std::string>{"employer_uscc"});
  application.confirmed.insert("employer_uscc");
  // Rescanned: the new value needs no confirmation, and the old confirmation is gone.
  EXPECT_EQ(apply_ocr_fields(unemployment, application, {{"uscc", "91350100M000100Y43"}}, {}),
            std::vector<std::string>{"employer_uscc"});
  EXPECT_EQ(application.form.at("employer_uscc"), "91350100M000100Y43");
  EXPECT_FALSE(application.to_confirm.contains("employer_uscc"));
  EXPECT_FALSE(application.confirmed.contains("employer_uscc"));
  // Rescanned with a doubtful value: to be checked again.
  apply_ocr_fields(unemployment, application, {{"uscc", "91350100M000100Y44"}}, {"uscc"});
  EXPECT_TRUE(application.to_confirm.contains("employer_uscc"));

  set_field(application, "employer_uscc", "9144030071526726XG");
  EXPECT_FALSE(application.to_confirm.contains("employer_uscc"));
  EXPECT_TRUE(apply_ocr_fields(unemployment, application, {{"uscc", "91350100M000100Y43"}}, {}).empty());
  EXPECT_EQ(application.form.at("employer_uscc"), "9144030071526726XG");
}

TEST(ApplyOcr, AnIdCardScanFillsFieldsByTheirPrefillSource) {
  const Item& renew = item(kRenewIdCard);
  Application application = start_application(renew, nullptr);  // the card could not be read
  const std::map<std::string, std::string> values = {{"name", "张三"},
                                                     {"id_number", "510502195803150137"},
                                                     {"address", "四川省泸州市江阳区大山坪街道88号"},
                                                     {"nation", "汉"}};
  EXPECT_EQ(apply_ocr_fields(renew, application, values, {"address"}),
            (std::vector<std::string>{"applicant_name", "id_number", "mail_address"}));
  EXPECT_EQ(application.form.at("applicant_name"), "张三");
  EXPECT_EQ(application.form.at("mail_address"), "四川省泸州市江阳区大山坪街道88号");
  EXPECT_EQ(application.to_confirm, std::set<std::string>{"mail_address"});
}

TEST(ApplyOcr, DatesAndEnumsAreConverted) {
  Item custom = item(kRenewIdCard);
  custom.form.push_back({"birth_date", "出生日期", FieldType::date, true, 0, {}, "card.birth_date", ""});
  custom.form.push_back({"sex", "性别", FieldType::enumeration, true, 0, {{"male", "男"}, {"female", "女"}}, "card.sex", ""});
  custom.form.push_back({"nation", "民族", FieldType::enumeration, true, 0, {{"han", "汉"}}, "", ""});
  Application application = start_application(custom, nullptr);
  const auto filled =
      apply_ocr_fields(custom, application, {{"birth_date", "19580315"}, {"sex", "女"}, {"nation", "彝"}}, {});
  EXPECT_EQ(filled, (std::vector<std::string>{"birth_date", "sex"}));  // 彝 is no option: left to the citizen
  EXPECT_EQ(application.form.at("birth_date"), "1958-03-15");
  EXPECT_EQ(application.form.at("sex"), "female");
  EXPECT_EQ(application.form.at("nation"), "");
}

TEST(ApplyOcr, UnknownKeysEmptyValuesAndStrayDoubtsAreIgnored) {
  const Item& renew = item(kRenewIdCard);
  Application application = start_application(renew, nullptr);
  const auto filled = apply_ocr_fields(renew, application, {{"no_such_field", "x"}, {"", "y"}, {"phone", ""}, {"reason", "  "}},
                                       {"no_such_field", "applicant_name", ""});
  EXPECT_TRUE(filled.empty());
  EXPECT_TRUE(application.to_confirm.empty());
  EXPECT_FALSE(application.form.contains("no_such_field"));
}

TEST(Application, WipeEmptiesEverything) {
  const auto card = zhangsan();
  Application application = complete_renewal(card);
  application.to_confirm = {"phone"};
  application.confirmed = {"phone"};
  application.from_ocr = {"phone"};
  application.materials[1] = licence("LIC-0001", "营业执照");
  application.commitment = Signature{{0x89, 'P', 'N', 'G'}, "2026-11-25T14:02:00+08:00"};
  application.delivery = DeliveryMethod::post;
  application.address = {"张三", "13800000000", "四川省泸州市江阳区", "大山坪街道88号"};
  application.submitted_at = "2026-11-25T14:03:00+08:00";
  application.local_receipt = "L-0001-000042";
  application.case_number = "SC20261125000123";
  application.promised_date = "2026-12-23";

  application.wipe();
  EXPECT_TRUE(application.item_code.empty());
  EXPECT_TRUE(application.form.empty());
  EXPECT_TRUE(application.to_confirm.empty());
  EXPECT_TRUE(application.confirmed.empty());
  EXPECT_TRUE(application.from_ocr.empty());
  EXPECT_TRUE(application.materials.empty());
  EXPECT_FALSE(application.commitment.has_value());
  EXPECT_EQ(application.delivery, DeliveryMethod::pickup);
  EXPECT_TRUE(application.address.recipient.empty() && application.address.phone.empty() &&
              application.address.region.empty() && application.address.detail.empty());
  EXPECT_TRUE(application.submitted_at.empty());
  EXPECT_TRUE(application.local_receipt.empty());
  EXPECT_TRUE(application.case_number.empty());
  EXPECT_TRUE(application.promised_date.empty());
  application.wipe();  // twice is harmless
}

TEST(Application, MalformedInputsDoNotCrash) {
  const Item empty;
  const auto card = zhangsan();
  Application application = start_application(empty, &card);
  EXPECT_TRUE(application.materials.empty());
  EXPECT_TRUE(missing_materials(empty, application).empty());
  EXPECT_TRUE(form_problems(empty, application).empty());
  EXPECT_TRUE(apply_ocr_fields(empty, application, {{"name", "张三"}}, {"name"}).empty());
  EXPECT_NO_THROW(static_cast<void>(case_body(empty, application, card, "").dump()));

  // An application that does not fit its item (fewer choices than materials): all missing.
  const Item renew = brought_by_citizen(item(kRenewIdCard));
  EXPECT_EQ(missing_materials(renew, application).size(), 2u);
  EXPECT_FALSE(ready_to_submit(renew, application));
  EXPECT_TRUE(case_body(renew, application, hal::IdentityCard{}, "")["materials"].empty());
}

}  // namespace
}  // namespace kiosk::apply
