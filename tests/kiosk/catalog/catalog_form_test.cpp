// The catalog's newer parts: item forms, commitment texts, region, packages, rating reasons and
// queue categories — read completely, and every malformed shape refused with its field's path.
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "kiosk/catalog/catalog.h"
#include "tests/kiosk/catalog/catalog_samples.h"

namespace kiosk::catalog {
namespace {

using nlohmann::json;
using testing_samples::full_catalog;

TEST(CatalogForm, ReadsEveryNewPart) {
  auto catalog = parse_catalog(full_catalog().dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(catalog->region, "510502");
  const Item& item = catalog->items[0];
  ASSERT_EQ(item.form.size(), 7u);
  EXPECT_EQ(item.form[0].name, "applicant_name");
  EXPECT_EQ(item.form[0].label, "申请人姓名");
  EXPECT_EQ(item.form[0].type, FieldType::text);
  EXPECT_EQ(item.form[0].max_length, 30);
  EXPECT_EQ(item.form[0].prefill, "card.name");
  EXPECT_TRUE(item.form[0].required);  // the default
  EXPECT_EQ(item.form[1].type, FieldType::id_number);
  EXPECT_EQ(item.form[1].prefill, "card.id_number");
  EXPECT_EQ(item.form[1].max_length, 0);  // no limit of its own
  EXPECT_EQ(item.form[2].type, FieldType::phone);
  EXPECT_EQ(item.form[2].hint, "用于接收短信");
  EXPECT_EQ(item.form[3].type, FieldType::enumeration);
  ASSERT_EQ(item.form[3].options.size(), 2u);
  EXPECT_EQ(item.form[3].options[1].value, "other");
  EXPECT_EQ(item.form[3].options[1].label, "其他");
  EXPECT_EQ(item.form[4].type, FieldType::date);
  EXPECT_FALSE(item.form[4].required);
  EXPECT_EQ(item.form[5].type, FieldType::number);
  EXPECT_EQ(item.form[6].type, FieldType::uscc);
  EXPECT_EQ(item.commitment_text, "本人承诺所填租赁信息真实。");
  EXPECT_TRUE(item.commitment_allowed());
  EXPECT_FALSE(item.zero_materials());
  EXPECT_EQ(item.find_field("phone"), &item.form[2]);
  EXPECT_EQ(item.find_field("email"), nullptr);
  EXPECT_TRUE(catalog->items[1].zero_materials());
  EXPECT_FALSE(catalog->items[2].commitment_allowed());
  EXPECT_TRUE(catalog->items[2].form.empty());

  ASSERT_EQ(catalog->packages.size(), 2u);
  EXPECT_EQ(catalog->packages[0].description, "提取与证明一次办");
  EXPECT_EQ(catalog->packages[1].description, "");
  EXPECT_EQ(catalog->find_package("renting"), &catalog->packages[0]);
  EXPECT_EQ(catalog->find_package("newborn"), nullptr);
  EXPECT_EQ(catalog->packages[0].items, (std::vector<std::string>{"F-0001", "F-0002"}));

  ASSERT_EQ(catalog->rating_reasons.size(), 2u);
  EXPECT_EQ(catalog->rating_reasons[1].levels, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(catalog->reasons_for(1).size(), 2u);
  ASSERT_EQ(catalog->reasons_for(3).size(), 1u);
  EXPECT_EQ(catalog->reasons_for(3)[0]->code, "unclear");
  EXPECT_TRUE(catalog->reasons_for(5).empty());

  ASSERT_EQ(catalog->queue_categories.size(), 2u);
  EXPECT_TRUE(catalog->queue_categories[0].priority);
  EXPECT_FALSE(catalog->queue_categories[1].priority);  // the default
}

TEST(CatalogForm, TheOldShapeStillParses) {
  json old_shape = full_catalog();
  for (const char* part : {"region", "packages", "rating_reasons", "queue_categories"}) old_shape.erase(part);
  for (json& item : old_shape["items"]) {
    item.erase("form");
    item.erase("commitment_text");
  }
  auto catalog = parse_catalog(old_shape.dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(catalog->region, "");
  EXPECT_TRUE(catalog->packages.empty());
  EXPECT_TRUE(catalog->rating_reasons.empty());
  EXPECT_TRUE(catalog->queue_categories.empty());
  EXPECT_TRUE(catalog->items[0].form.empty());
  EXPECT_EQ(catalog->items[0].commitment_text, "");
  EXPECT_TRUE(catalog->items[0].commitment_allowed());  // the material still says so
}

TEST(CatalogForm, FieldTypesSpellAsInTheContract) {
  EXPECT_STREQ(to_string(FieldType::text), "text");
  EXPECT_STREQ(to_string(FieldType::id_number), "id_number");
  EXPECT_STREQ(to_string(FieldType::uscc), "uscc");
  EXPECT_STREQ(to_string(FieldType::phone), "phone");
  EXPECT_STREQ(to_string(FieldType::date), "date");
  EXPECT_STREQ(to_string(FieldType::number), "number");
  EXPECT_STREQ(to_string(FieldType::enumeration), "enum");
}

struct BadPart {
  const char* name;
  std::function<void(json&)> mutate;
  const char* mentions;
};

void PrintTo(const BadPart& bad, std::ostream* out) { *out << bad.name; }

class CatalogRejectsNewPart : public testing::TestWithParam<BadPart> {};

TEST_P(CatalogRejectsNewPart, NamesTheFieldPath) {
  json catalog_json = full_catalog();
  ASSERT_TRUE(parse_catalog(catalog_json.dump()).ok());  // the mutation alone breaks it
  GetParam().mutate(catalog_json);
  auto catalog = parse_catalog(catalog_json.dump());
  ASSERT_FALSE(catalog.ok()) << GetParam().name;
  EXPECT_EQ(catalog.error().kind, ErrorKind::parse);
  EXPECT_NE(catalog.error().message.find(GetParam().mentions), std::string::npos) << catalog.error().message;
  EXPECT_EQ(catalog.error().message.rfind("catalog: ", 0), 0u) << catalog.error().message;
}

json& form(json& catalog) { return catalog["items"][0]["form"]; }
json& package(json& catalog, std::size_t index) { return catalog["packages"][index]; }
json& reason(json& catalog) { return catalog["rating_reasons"][0]; }

INSTANTIATE_TEST_SUITE_P(
    Malformed, CatalogRejectsNewPart,
    testing::Values(
        // form[]
        BadPart{"form_object", [](json& c) { form(c) = json::object(); }, "items[0].form: expected an array"},
        BadPart{"form_field_string", [](json& c) { form(c)[1] = "id_number"; }, "items[0].form[1]: expected an object"},
        BadPart{"field_name_missing", [](json& c) { form(c)[0].erase("name"); }, "items[0].form[0].name: missing"},
        BadPart{"field_name_empty", [](json& c) { form(c)[0]["name"] = ""; }, "items[0].form[0].name: must not be empty"},
        BadPart{"field_name_not_a_key", [](json& c) { form(c)[0]["name"] = "申请人 姓名"; },
                "items[0].form[0].name: expected 1 to 64 letters, digits or _"},
        BadPart{"field_name_too_long", [](json& c) { form(c)[0]["name"] = std::string(65, 'a'); },
                "items[0].form[0].name: expected 1 to 64 letters, digits or _"},
        BadPart{"field_label_missing", [](json& c) { form(c)[2].erase("label"); }, "items[0].form[2].label: missing"},
        BadPart{"field_label_number", [](json& c) { form(c)[2]["label"] = 3; }, "items[0].form[2].label: expected a string"},
        BadPart{"field_type_missing", [](json& c) { form(c)[1].erase("type"); }, "items[0].form[1].type: missing"},
        BadPart{"field_type_unknown", [](json& c) { form(c)[1]["type"] = "email"; },
                "items[0].form[1].type: expected one of text, id_number, uscc, phone, date, number, enum"},
        BadPart{"field_type_upper_case", [](json& c) { form(c)[1]["type"] = "TEXT"; },
                "items[0].form[1].type: expected one of text, id_number"},
        BadPart{"field_type_number", [](json& c) { form(c)[1]["type"] = 2; }, "items[0].form[1].type: expected a string"},
        BadPart{"field_required_string", [](json& c) { form(c)[4]["required"] = "false"; },
                "items[0].form[4].required: expected true or false"},
        BadPart{"field_max_length_zero", [](json& c) { form(c)[0]["max_length"] = 0; },
                "items[0].form[0].max_length: expected an integer from 1 to 10000"},
        BadPart{"field_max_length_huge", [](json& c) { form(c)[0]["max_length"] = 18446744073709551615ull; },
                "items[0].form[0].max_length"},
        BadPart{"field_max_length_string", [](json& c) { form(c)[0]["max_length"] = "30"; },
                "items[0].form[0].max_length: expected an integer"},
        BadPart{"enum_without_options", [](json& c) { form(c)[3].erase("options"); },
                "items[0].form[3].options: an enum field needs at least one option"},
        BadPart{"enum_with_empty_options", [](json& c) { form(c)[3]["options"] = json::array(); },
                "items[0].form[3].options: an enum field needs at least one option"},
        BadPart{"options_object", [](json& c) { form(c)[3]["options"] = json::object(); },
                "items[0].form[3].options: expected an array"},
        BadPart{"option_string", [](json& c) { form(c)[3]["options"][0] = "rent"; },
                "items[0].form[3].options[0]: expected an object"},
        BadPart{"option_value_missing", [](json& c) { form(c)[3]["options"][1].erase("value"); },
                "items[0].form[3].options[1].value: missing"},
        BadPart{"option_label_missing", [](json& c) { form(c)[3]["options"][1].erase("label"); },
                "items[0].form[3].options[1].label: missing"},
        BadPart{"option_duplicate", [](json& c) { form(c)[3]["options"][1]["value"] = "rent"; },
                "items[0].form[3].options[1].value: duplicate option \"rent\""},
        BadPart{"options_on_a_text_field", [](json& c) { form(c)[0]["options"] = form(c)[3]["options"]; },
                "items[0].form[0].options: only an enum field has options"},
        BadPart{"prefill_unknown", [](json& c) { form(c)[0]["prefill"] = "card.photo"; },
                "items[0].form[0].prefill: expected one of card.name, card.id_number, card.address, card.birth_date, "
                "card.sex"},
        BadPart{"prefill_without_card", [](json& c) { form(c)[0]["prefill"] = "name"; },
                "items[0].form[0].prefill: expected one of"},
        BadPart{"prefill_number", [](json& c) { form(c)[0]["prefill"] = 1; }, "items[0].form[0].prefill: expected a string"},
        BadPart{"hint_array", [](json& c) { form(c)[2]["hint"] = json::array(); }, "items[0].form[2].hint: expected a string"},
        BadPart{"duplicate_field", [](json& c) { form(c)[5]["name"] = "phone"; },
                "items[0].form[5].name: duplicate field \"phone\""},
        BadPart{"second_item_form", [](json& c) { c["items"][1]["form"] = json::array({json{{"name", "x"}}}); },
                "items[1].form[0].label: missing"},
        BadPart{"commitment_text_number", [](json& c) { c["items"][0]["commitment_text"] = 1; },
                "items[0].commitment_text: expected a string"},
        // region, full, removed
        BadPart{"region_short", [](json& c) { c["region"] = "5105"; }, "region: expected a 6-digit region code"},
        BadPart{"region_letters", [](json& c) { c["region"] = "51050A"; }, "region: expected a 6-digit region code"},
        BadPart{"region_number", [](json& c) { c["region"] = 510502; }, "region: expected a string"},
        BadPart{"full_string", [](json& c) { c["full"] = "yes"; }, "full: expected true or false"},
        BadPart{"partial_is_not_a_catalog", [](json& c) { c["full"] = false; }, "full: expected a full catalog"},
        BadPart{"removed_string", [](json& c) { c["removed"] = "F-0001"; }, "removed: expected an array of strings"},
        // packages
        BadPart{"packages_object", [](json& c) { c["packages"] = json::object(); }, "packages: expected an array"},
        BadPart{"package_string", [](json& c) { c["packages"][1] = "renting"; }, "packages[1]: expected an object"},
        BadPart{"package_id_missing", [](json& c) { package(c, 1).erase("id"); }, "packages[1].id: missing"},
        BadPart{"package_name_missing", [](json& c) { package(c, 0).erase("name"); }, "packages[0].name: missing"},
        BadPart{"package_duplicate", [](json& c) { package(c, 1)["id"] = "renting"; },
                "packages[1].id: duplicate package \"renting\""},
        BadPart{"package_items_missing", [](json& c) { package(c, 0).erase("items"); }, "packages[0].items: missing"},
        BadPart{"package_items_empty", [](json& c) { package(c, 0)["items"] = json::array(); },
                "packages[0].items: expected at least one item code"},
        BadPart{"package_item_number", [](json& c) { package(c, 0)["items"][1] = 2; },
                "packages[0].items[1]: expected a string"},
        BadPart{"package_item_unknown", [](json& c) { package(c, 0)["items"][1] = "F-9999"; },
                "packages[0].items[1]: unknown item \"F-9999\""},
        BadPart{"package_item_twice", [](json& c) { package(c, 0)["items"][1] = "F-0001"; },
                "packages[0].items[1]: duplicate item \"F-0001\""},
        BadPart{"package_description_number", [](json& c) { package(c, 0)["description"] = 1; },
                "packages[0].description: expected a string"},
        // rating_reasons
        BadPart{"reasons_string", [](json& c) { c["rating_reasons"] = "slow"; }, "rating_reasons: expected an array"},
        BadPart{"reason_code_missing", [](json& c) { reason(c).erase("code"); }, "rating_reasons[0].code: missing"},
        BadPart{"reason_text_empty", [](json& c) { reason(c)["text"] = ""; }, "rating_reasons[0].text: must not be empty"},
        BadPart{"reason_duplicate", [](json& c) { c["rating_reasons"][1]["code"] = "slow"; },
                "rating_reasons[1].code: duplicate rating reason \"slow\""},
        BadPart{"levels_missing", [](json& c) { reason(c).erase("levels"); }, "rating_reasons[0].levels: missing"},
        BadPart{"levels_empty", [](json& c) { reason(c)["levels"] = json::array(); },
                "rating_reasons[0].levels: expected at least one level from 1 to 5"},
        BadPart{"levels_number", [](json& c) { reason(c)["levels"] = 1; },
                "rating_reasons[0].levels: expected an array of integers"},
        BadPart{"level_zero", [](json& c) { reason(c)["levels"][0] = 0; },
                "rating_reasons[0].levels[0]: expected an integer from 1 to 5"},
        BadPart{"level_six", [](json& c) { reason(c)["levels"][1] = 6; },
                "rating_reasons[0].levels[1]: expected an integer from 1 to 5"},
        BadPart{"level_string", [](json& c) { reason(c)["levels"][1] = "2"; },
                "rating_reasons[0].levels[1]: expected an integer from 1 to 5"},
        BadPart{"level_fraction", [](json& c) { reason(c)["levels"][1] = 1.5; },
                "rating_reasons[0].levels[1]: expected an integer from 1 to 5"},
        BadPart{"level_huge", [](json& c) { reason(c)["levels"][1] = 18446744073709551615ull; },
                "rating_reasons[0].levels[1]: expected an integer from 1 to 5"},
        // queue_categories
        BadPart{"queue_object", [](json& c) { c["queue_categories"] = json::object(); },
                "queue_categories: expected an array"},
        BadPart{"queue_id_missing", [](json& c) { c["queue_categories"][1].erase("id"); }, "queue_categories[1].id: missing"},
        BadPart{"queue_name_missing", [](json& c) { c["queue_categories"][0].erase("name"); },
                "queue_categories[0].name: missing"},
        BadPart{"queue_priority_string", [](json& c) { c["queue_categories"][0]["priority"] = "true"; },
                "queue_categories[0].priority: expected true or false"},
        BadPart{"queue_duplicate", [](json& c) { c["queue_categories"][1]["id"] = "A"; },
                "queue_categories[1].id: duplicate queue category \"A\""}),
    [](const testing::TestParamInfo<BadPart>& parameter) { return std::string(parameter.param.name); });

}  // namespace
}  // namespace kiosk::catalog
