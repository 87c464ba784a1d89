#include "kiosk/catalog/catalog.h"

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kiosk::catalog {
namespace {

using nlohmann::json;

const std::string kSamplePath = std::string(KIOSK_TEST_ASSETS) + "/catalog/items.json";

// The sample catalog as plain JSON, read independently of the parser under test.
json sample_json() {
  std::ifstream in(kSamplePath, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// The smallest catalog the parser accepts, plus one complete item, to mutate per test.
json minimal_catalog() {
  return json{
      {"version", "test-1"},
      {"categories", json::array({json{{"id", "tax"}, {"name", "税务"}, {"icon", "税"}},
                                  json{{"id", "health"}, {"name", "卫生健康"}}})},
      {"items", json::array({json{{"code", "T-0001"},
                                  {"name", "个人纳税记录开具"},
                                  {"category", "tax"},
                                  {"type", "公共服务"},
                                  {"department", "税务局"},
                                  {"materials", json::array({json{{"name", "身份证"}},
                                                             json{{"name", "申请表"}, {"form", "copy"}, {"count", 2}}})},
                                  {"statutory_days", 10},
                                  {"promised_days", 3},
                                  {"fee", json{{"free", true}, {"standard", "不收费"}}},
                                  {"visits", 0},
                                  {"kiosk_enabled", true},
                                  {"keywords", json::array({"完税证明"})}}})},
  };
}

TEST(Catalog, ParsesTheSampleCatalogCompletely) {
  auto catalog = load_catalog(kSamplePath);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  const json expected = sample_json();
  EXPECT_EQ(catalog->version, expected["version"].get<std::string>());
  ASSERT_EQ(catalog->categories.size(), expected["categories"].size());
  ASSERT_EQ(catalog->items.size(), expected["items"].size());
  EXPECT_FALSE(catalog->items.empty());
  for (std::size_t i = 0; i < catalog->items.size(); ++i) {
    const Item& item = catalog->items[i];
    const json& source = expected["items"][i];
    SCOPED_TRACE(item.code);
    EXPECT_EQ(item.code, source["code"].get<std::string>());
    EXPECT_EQ(item.name, source["name"].get<std::string>());
    EXPECT_EQ(item.category, source["category"].get<std::string>());
    EXPECT_EQ(item.department, source["department"].get<std::string>());
    EXPECT_EQ(item.kiosk_enabled, source.value("kiosk_enabled", false));
    EXPECT_EQ(item.materials.size(), source.value("materials", json::array()).size());
    EXPECT_EQ(item.steps.size(), source.value("steps", json::array()).size());
    EXPECT_EQ(item.keywords.size(), source.value("keywords", json::array()).size());
    EXPECT_EQ(item.promised_days, source.value("promised_days", 0));
    EXPECT_NE(catalog->find_category(item.category), nullptr);
    for (std::size_t m = 0; m < item.materials.size(); ++m) {
      EXPECT_GE(item.materials[m].count, 1);
      EXPECT_EQ(item.materials[m].provided_by, source["materials"][m].value("provided_by", ""));
    }
    if (item.statutory_days > 0) {
      EXPECT_LE(item.promised_days, item.statutory_days);
    }
  }
}

TEST(Catalog, ReadsEveryFieldAndAppliesDefaults) {
  auto catalog = parse_catalog(minimal_catalog().dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  ASSERT_EQ(catalog->categories.size(), 2u);
  EXPECT_EQ(catalog->categories[0].icon, "税");
  EXPECT_EQ(catalog->categories[1].icon, "");  // optional
  ASSERT_EQ(catalog->items.size(), 1u);
  const Item& item = catalog->items[0];
  EXPECT_EQ(item.code, "T-0001");
  EXPECT_EQ(item.implementer, "税务局");  // defaults to the department
  ASSERT_EQ(item.materials.size(), 2u);
  EXPECT_EQ(item.materials[0].form, MaterialForm::original);
  EXPECT_EQ(item.materials[0].count, 1);
  EXPECT_TRUE(item.materials[0].required);
  EXPECT_FALSE(item.materials[0].commitment_allowed);
  EXPECT_EQ(item.materials[1].form, MaterialForm::copy);
  EXPECT_EQ(item.materials[1].count, 2);
  EXPECT_EQ(item.statutory_days, 10);
  EXPECT_EQ(item.promised_days, 3);
  EXPECT_FALSE(item.same_day());
  EXPECT_TRUE(item.fee.free);
  EXPECT_EQ(item.fee.standard, "不收费");
  EXPECT_TRUE(item.kiosk_enabled);
  EXPECT_FALSE(item.province_wide);
  ASSERT_EQ(item.keywords.size(), 1u);
  EXPECT_EQ(item.keywords[0], "完税证明");
}

TEST(Catalog, ExplicitImplementerAndElectronicForm) {
  json catalog_json = minimal_catalog();
  catalog_json["items"][0]["implementer"] = "江阳区税务局";
  catalog_json["items"][0]["materials"][0]["form"] = "electronic";
  catalog_json["items"][0]["promised_days"] = 0;
  auto catalog = parse_catalog(catalog_json.dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(catalog->items[0].implementer, "江阳区税务局");
  EXPECT_EQ(catalog->items[0].materials[0].form, MaterialForm::electronic);
  EXPECT_TRUE(catalog->items[0].same_day());
}

TEST(Catalog, ChargedItemKeepsItsStandard) {
  json catalog_json = minimal_catalog();
  catalog_json["items"][0]["fee"] = json{{"free", false}, {"standard", "20元/证"}, {"basis", "发改价格〔2003〕2322号"}};
  auto catalog = parse_catalog(catalog_json.dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_FALSE(catalog->items[0].fee.free);
  EXPECT_EQ(catalog->items[0].fee.standard, "20元/证");
  EXPECT_EQ(catalog->items[0].fee.basis, "发改价格〔2003〕2322号");
}

TEST(Catalog, EmptyItemListIsValid) {
  json catalog_json = minimal_catalog();
  catalog_json["items"] = json::array();
  auto catalog = parse_catalog(catalog_json.dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_TRUE(catalog->items.empty());
}

TEST(Catalog, FindItemByCode) {
  auto catalog = load_catalog(kSamplePath);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  for (const Item& item : catalog->items) {
    const Item* found = catalog->find_item(item.code);
    ASSERT_NE(found, nullptr) << item.code;
    EXPECT_EQ(found, &item);
  }
  EXPECT_EQ(catalog->find_item(""), nullptr);
  EXPECT_EQ(catalog->find_item("510502000000-QR-9999"), nullptr);
  // Exact match only: a prefix of a real code is not a code.
  const std::string prefix = catalog->items.front().code.substr(0, 10);
  EXPECT_EQ(catalog->find_item(prefix), nullptr);
}

TEST(Catalog, FindCategoryById) {
  auto catalog = load_catalog(kSamplePath);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  for (const Category& category : catalog->categories) EXPECT_EQ(catalog->find_category(category.id), &category);
  EXPECT_EQ(catalog->find_category("no-such-category"), nullptr);
}

TEST(Catalog, ItemsInPutsKioskEnabledFirstInCatalogOrder) {
  auto catalog = load_catalog(kSamplePath);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  std::size_t total = 0;
  bool saw_a_mixed_category = false;
  for (const Category& category : catalog->categories) {
    SCOPED_TRACE(category.id);
    const std::vector<const Item*> items = catalog->items_in(category.id);
    total += items.size();
    // Exactly the category's items.
    std::size_t expected = 0;
    for (const Item& item : catalog->items) expected += item.category == category.id;
    EXPECT_EQ(items.size(), expected);
    bool seen_disabled = false;
    bool seen_enabled = false;
    for (std::size_t i = 0; i < items.size(); ++i) {
      EXPECT_EQ(items[i]->category, category.id);
      if (!items[i]->kiosk_enabled) seen_disabled = true;
      else seen_enabled = true;
      EXPECT_FALSE(seen_disabled && items[i]->kiosk_enabled) << "enabled item after a disabled one";
      // Catalog order within each group.
      if (i > 0 && items[i - 1]->kiosk_enabled == items[i]->kiosk_enabled) {
        EXPECT_LT(items[i - 1], items[i]);
      }
    }
    saw_a_mixed_category = saw_a_mixed_category || (seen_disabled && seen_enabled);
  }
  EXPECT_EQ(total, catalog->items.size());
  EXPECT_TRUE(saw_a_mixed_category) << "the sample should exercise the ordering";
  EXPECT_TRUE(catalog->items_in("no-such-category").empty());
}

TEST(Catalog, ItemsInReordersADisabledFirstItem) {
  json catalog_json = minimal_catalog();
  json disabled = catalog_json["items"][0];
  disabled["code"] = "T-0000";
  disabled["kiosk_enabled"] = false;
  catalog_json["items"].insert(catalog_json["items"].begin(), disabled);
  auto catalog = parse_catalog(catalog_json.dump());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  const auto items = catalog->items_in("tax");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->code, "T-0001");
  EXPECT_EQ(items[1]->code, "T-0000");
  EXPECT_TRUE(catalog->items_in("health").empty());
}

TEST(Catalog, MissingFileIsAnIoErrorNamingThePath) {
  auto catalog = load_catalog("/nonexistent/items.json");
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().kind, ErrorKind::io);
  EXPECT_NE(catalog.error().message.find("/nonexistent/items.json"), std::string::npos);
}

// Text-level malformations.
struct BadText {
  const char* text;
  const char* mentions;
};

class CatalogRejectsText : public testing::TestWithParam<BadText> {};

TEST_P(CatalogRejectsText, NamesTheProblem) {
  auto catalog = parse_catalog(GetParam().text);
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().kind, ErrorKind::parse);
  EXPECT_NE(catalog.error().message.find(GetParam().mentions), std::string::npos) << catalog.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, CatalogRejectsText,
    testing::Values(BadText{"", "not valid JSON"}, BadText{"not json", "not valid JSON"},
                    BadText{R"({"version": "1", "categories": [)", "not valid JSON"},
                    BadText{"{\"version\": \"\xFF\xFE\", \"categories\": [], \"items\": []}", "catalog"},
                    BadText{"[1, 2]", "top level must be an object"}, BadText{"\"catalog\"", "top level must be an object"},
                    BadText{"{}", "version: missing"},
                    BadText{R"({"version": 2, "categories": [], "items": []})", "version: expected a string"},
                    BadText{R"({"version": "", "categories": [], "items": []})", "version: must not be empty"},
                    BadText{R"({"version": "1", "items": []})", "categories: missing"},
                    BadText{R"({"version": "1", "categories": []})", "items: missing"},
                    BadText{R"({"version": "1", "categories": {}, "items": []})", "categories: expected an array"},
                    BadText{R"({"version": "1", "categories": [], "items": "none"})", "items: expected an array"},
                    BadText{R"({"version": "1", "categories": ["tax"], "items": []})", "categories[0]: expected an object"},
                    BadText{R"({"version": "1", "categories": [{"name": "x"}], "items": []})", "categories[0].id: missing"}));

// Field-level malformations: each mutates the minimal catalog and names the field's path.
struct BadField {
  const char* name;
  std::function<void(json&)> mutate;
  const char* mentions;
};

void PrintTo(const BadField& bad, std::ostream* out) { *out << bad.name; }

class CatalogRejectsField : public testing::TestWithParam<BadField> {};

TEST_P(CatalogRejectsField, NamesTheFieldPath) {
  json catalog_json = minimal_catalog();
  ASSERT_TRUE(parse_catalog(catalog_json.dump()).ok());  // the mutation alone breaks it
  GetParam().mutate(catalog_json);
  auto catalog = parse_catalog(catalog_json.dump());
  ASSERT_FALSE(catalog.ok()) << GetParam().name;
  EXPECT_EQ(catalog.error().kind, ErrorKind::parse);
  EXPECT_NE(catalog.error().message.find(GetParam().mentions), std::string::npos) << catalog.error().message;
  EXPECT_EQ(catalog.error().message.rfind("catalog: ", 0), 0u) << catalog.error().message;
}

json& item0(json& catalog) { return catalog["items"][0]; }

// A second, valid item: errors in it must name index 1.
void add_second_item(json& catalog) {
  json second = catalog["items"][0];
  second["code"] = "T-0002";
  catalog["items"].push_back(second);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, CatalogRejectsField,
    testing::Values(
        BadField{"category_name_missing", [](json& c) { c["categories"][1].erase("name"); }, "categories[1].name: missing"},
        BadField{"category_icon_number", [](json& c) { c["categories"][0]["icon"] = 1; }, "categories[0].icon: expected a string"},
        BadField{"duplicate_category", [](json& c) { c["categories"][1]["id"] = "tax"; },
                 "categories[1].id: duplicate category \"tax\""},
        BadField{"item_not_object", [](json& c) { c["items"].push_back(7); }, "items[1]: expected an object"},
        BadField{"code_missing", [](json& c) { item0(c).erase("code"); }, "items[0].code: missing"},
        BadField{"code_empty", [](json& c) { item0(c)["code"] = ""; }, "items[0].code: must not be empty"},
        BadField{"name_number", [](json& c) { item0(c)["name"] = 7; }, "items[0].name: expected a string"},
        BadField{"category_missing", [](json& c) { item0(c).erase("category"); }, "items[0].category: missing"},
        BadField{"type_missing", [](json& c) { item0(c).erase("type"); }, "items[0].type: missing"},
        BadField{"department_missing", [](json& c) { item0(c).erase("department"); }, "items[0].department: missing"},
        BadField{"implementer_array", [](json& c) { item0(c)["implementer"] = json::array(); },
                 "items[0].implementer: expected a string"},
        BadField{"unknown_category", [](json& c) { item0(c)["category"] = "space-agency"; },
                 "items[0].category: unknown category \"space-agency\""},
        BadField{"duplicate_code",
                 [](json& c) {
                   add_second_item(c);
                   c["items"][1]["code"] = "T-0001";
                 },
                 "items[1].code: duplicate item code \"T-0001\""},
        BadField{"second_item_name_missing",
                 [](json& c) {
                   add_second_item(c);
                   c["items"][1].erase("name");
                 },
                 "items[1].name: missing"},
        BadField{"legal_basis_string", [](json& c) { item0(c)["legal_basis"] = "《法》"; },
                 "items[0].legal_basis: expected an array of strings"},
        BadField{"conditions_element_number", [](json& c) { item0(c)["conditions"] = json::array({"ok", 3}); },
                 "items[0].conditions[1]: expected a string"},
        BadField{"steps_element_null", [](json& c) { item0(c)["steps"] = json::array({nullptr}); },
                 "items[0].steps[0]: expected a string"},
        BadField{"keywords_object", [](json& c) { item0(c)["keywords"] = json::object(); },
                 "items[0].keywords: expected an array of strings"},
        BadField{"materials_object", [](json& c) { item0(c)["materials"] = json::object(); },
                 "items[0].materials: expected an array"},
        BadField{"material_not_object", [](json& c) { item0(c)["materials"][1] = "申请表"; },
                 "items[0].materials[1]: expected an object"},
        BadField{"material_name_missing", [](json& c) { item0(c)["materials"][1].erase("name"); },
                 "items[0].materials[1].name: missing"},
        BadField{"material_form_unknown", [](json& c) { item0(c)["materials"][0]["form"] = "scan"; },
                 "items[0].materials[0].form: expected \"original\", \"copy\" or \"electronic\""},
        BadField{"material_provided_by_unknown", [](json& c) { item0(c)["materials"][0]["provided_by"] = "fingerprint"; },
                 "items[0].materials[0].provided_by: expected \"id_card\" or \"face_photo\""},
        BadField{"material_form_number", [](json& c) { item0(c)["materials"][0]["form"] = 1; },
                 "items[0].materials[0].form: expected a string"},
        BadField{"material_count_zero", [](json& c) { item0(c)["materials"][1]["count"] = 0; },
                 "items[0].materials[1].count: expected a positive integer"},
        BadField{"material_count_negative", [](json& c) { item0(c)["materials"][1]["count"] = -3; },
                 "items[0].materials[1].count: expected a positive integer"},
        BadField{"material_count_string", [](json& c) { item0(c)["materials"][1]["count"] = "2"; },
                 "items[0].materials[1].count: expected a positive integer"},
        BadField{"material_count_fraction", [](json& c) { item0(c)["materials"][1]["count"] = 1.5; },
                 "items[0].materials[1].count: expected a positive integer"},
        BadField{"material_count_too_many", [](json& c) { item0(c)["materials"][1]["count"] = 101; },
                 "items[0].materials[1].count: expected an integer from 1 to 100"},
        BadField{"material_count_huge", [](json& c) { item0(c)["materials"][1]["count"] = 18446744073709551615ull; },
                 "items[0].materials[1].count"},
        BadField{"material_required_string", [](json& c) { item0(c)["materials"][0]["required"] = "yes"; },
                 "items[0].materials[0].required: expected true or false"},
        BadField{"material_commitment_number", [](json& c) { item0(c)["materials"][0]["commitment_allowed"] = 1; },
                 "items[0].materials[0].commitment_allowed: expected true or false"},
        BadField{"statutory_days_string", [](json& c) { item0(c)["statutory_days"] = "10"; },
                 "items[0].statutory_days: expected an integer"},
        BadField{"statutory_days_negative", [](json& c) { item0(c)["statutory_days"] = -1; },
                 "items[0].statutory_days: expected an integer from 0 to 3650"},
        BadField{"statutory_days_huge", [](json& c) { item0(c)["statutory_days"] = 9223372036854775807ll; },
                 "items[0].statutory_days: expected an integer from 0 to 3650"},
        BadField{"statutory_days_unsigned_wrap", [](json& c) { item0(c)["statutory_days"] = 18446744073709551615ull; },
                 "items[0].statutory_days"},
        BadField{"promised_days_fraction", [](json& c) { item0(c)["promised_days"] = 2.5; },
                 "items[0].promised_days: expected an integer"},
        BadField{"promised_longer_than_statutory", [](json& c) { item0(c)["promised_days"] = 11; },
                 "items[0].promised_days: longer than statutory_days"},
        BadField{"fee_string", [](json& c) { item0(c)["fee"] = "免费"; }, "items[0].fee: expected an object"},
        BadField{"fee_free_string", [](json& c) { item0(c)["fee"]["free"] = "no"; },
                 "items[0].fee.free: expected true or false"},
        BadField{"fee_charged_without_standard", [](json& c) { item0(c)["fee"] = json{{"free", false}}; },
                 "items[0].fee.standard: missing for a charged item"},
        BadField{"fee_basis_number", [](json& c) { item0(c)["fee"]["basis"] = 5; },
                 "items[0].fee.basis: expected a string"},
        BadField{"visits_two", [](json& c) { item0(c)["visits"] = 2; }, "items[0].visits: expected an integer from 0 to 1"},
        BadField{"kiosk_enabled_string", [](json& c) { item0(c)["kiosk_enabled"] = "true"; },
                 "items[0].kiosk_enabled: expected true or false"},
        BadField{"province_wide_number", [](json& c) { item0(c)["province_wide"] = 0; },
                 "items[0].province_wide: expected true or false"},
        BadField{"online_url_bool", [](json& c) { item0(c)["online_url"] = false; },
                 "items[0].online_url: expected a string"},
        BadField{"phone_null", [](json& c) { item0(c)["phone"] = nullptr; }, "items[0].phone: expected a string"}),
    [](const testing::TestParamInfo<BadField>& parameter) { return std::string(parameter.param.name); });

TEST(Catalog, LoadErrorNamesTheFileAndTheField) {
  const std::string path = testing::TempDir() + "catalog_test_bad.json";
  json catalog_json = minimal_catalog();
  item0(catalog_json)["visits"] = 5;
  {
    std::ofstream out(path, std::ios::binary);
    out << catalog_json.dump();
  }
  auto catalog = load_catalog(path);
  std::remove(path.c_str());
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().kind, ErrorKind::parse);
  EXPECT_NE(catalog.error().message.find(path), std::string::npos) << catalog.error().message;
  EXPECT_NE(catalog.error().message.find("items[0].visits"), std::string::npos) << catalog.error().message;
}

}  // namespace
}  // namespace kiosk::catalog
