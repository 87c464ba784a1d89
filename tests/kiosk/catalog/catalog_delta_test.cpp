// The platform's catalog answers (GET /api/v1/catalog): full answers replace the cache, partial
// ones add, change and remove items; an answer that would leave the cache inconsistent changes
// nothing and says why.
#include <string>

#include <gtest/gtest.h>

#include "kiosk/catalog/catalog.h"
#include "tests/kiosk/catalog/catalog_samples.h"

namespace kiosk::catalog {
namespace {

using nlohmann::json;
using testing_samples::full_catalog;
using testing_samples::item_json;

Catalog cached() {
  auto catalog = parse_catalog(full_catalog().dump());
  EXPECT_TRUE(catalog.ok()) << catalog.error().message;
  return catalog.ok() ? catalog.release_value() : Catalog{};
}

json partial(json items = json::array(), json removed = json::array()) {
  return json{{"version", "2026.11.25-0002"}, {"region", "510502"}, {"full", false}, {"items", items},
              {"removed", removed}};
}

Result<CatalogDelta> parse(const json& answer) { return parse_catalog_delta(answer.dump()); }

std::vector<std::string> codes(const Catalog& catalog) {
  std::vector<std::string> found;
  for (const Item& item : catalog.items) found.push_back(item.code);
  return found;
}

TEST(CatalogDelta, PartialAnswerParsesWithOnlyWhatItCarries) {
  auto delta = parse(partial(json::array({item_json("F-0004", "住房公积金贷款", "housing-fund")}), json::array({"T-0003"})));
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  EXPECT_FALSE(delta->full);
  EXPECT_EQ(delta->version, "2026.11.25-0002");
  EXPECT_FALSE(delta->categories.has_value());
  EXPECT_FALSE(delta->packages.has_value());
  EXPECT_FALSE(delta->rating_reasons.has_value());
  EXPECT_FALSE(delta->queue_categories.has_value());
  ASSERT_EQ(delta->items.size(), 1u);
  EXPECT_EQ(delta->removed, std::vector<std::string>{"T-0003"});
}

TEST(CatalogDelta, AbsentFullMeansFull) {
  auto delta = parse(full_catalog());
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  EXPECT_TRUE(delta->full);
  ASSERT_TRUE(delta->categories.has_value());
  EXPECT_EQ(delta->categories->size(), 2u);
  ASSERT_TRUE(delta->packages.has_value());
}

TEST(CatalogDelta, AddsANewItemAtTheEnd) {
  Catalog catalog = cached();
  auto delta = parse(partial(json::array({item_json("F-0004", "住房公积金贷款", "housing-fund")})));
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(catalog, *delta).ok());
  EXPECT_EQ(codes(catalog), (std::vector<std::string>{"F-0001", "F-0002", "T-0003", "F-0004"}));
  EXPECT_EQ(catalog.version, "2026.11.25-0002");
  EXPECT_EQ(catalog.find_item("F-0004")->name, "住房公积金贷款");
  // What the answer did not carry stays.
  EXPECT_EQ(catalog.categories.size(), 2u);
  EXPECT_EQ(catalog.packages.size(), 2u);
  EXPECT_EQ(catalog.rating_reasons.size(), 2u);
  EXPECT_EQ(catalog.queue_categories.size(), 2u);
  EXPECT_EQ(catalog.region, "510502");
}

TEST(CatalogDelta, ChangesAnItemInPlace) {
  Catalog catalog = cached();
  json changed = item_json("F-0002", "住房公积金缴存证明打印（新版）", "housing-fund");
  changed["promised_days"] = 0;
  auto delta = parse(partial(json::array({changed})));
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(catalog, *delta).ok());
  EXPECT_EQ(codes(catalog), (std::vector<std::string>{"F-0001", "F-0002", "T-0003"}));
  EXPECT_EQ(catalog.items[1].name, "住房公积金缴存证明打印（新版）");
  EXPECT_EQ(catalog.items[1].materials.size(), 1u);  // replaced whole, not merged field by field
  EXPECT_EQ(catalog.items[0].form.size(), 7u);       // the others untouched
}

TEST(CatalogDelta, RemovesItemsAndIgnoresUnknownCodes) {
  Catalog catalog = cached();
  json answer = partial(json::array(), json::array({"T-0003", "X-0404"}));
  answer["packages"] = json::array({full_catalog()["packages"][0]});  // the tax package goes too
  auto delta = parse(answer);
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(catalog, *delta).ok());
  EXPECT_EQ(codes(catalog), (std::vector<std::string>{"F-0001", "F-0002"}));
  EXPECT_EQ(catalog.packages.size(), 1u);
  EXPECT_EQ(catalog.find_item("T-0003"), nullptr);
}

TEST(CatalogDelta, ApplyingTheSameAnswerTwiceChangesNothingMore) {
  Catalog once = cached();
  auto delta = parse(partial(json::array({item_json("F-0004", "住房公积金贷款", "housing-fund"),
                                          item_json("F-0001", "住房公积金提取", "housing-fund")}),
                             json::array({"X-0404"})));
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(once, *delta).ok());
  Catalog twice = once;
  ASSERT_TRUE(apply_delta(twice, *delta).ok());
  EXPECT_EQ(codes(twice), codes(once));
  EXPECT_EQ(codes(once), (std::vector<std::string>{"F-0001", "F-0002", "T-0003", "F-0004"}));
  EXPECT_EQ(twice.items[0].name, "住房公积金提取");
  EXPECT_TRUE(twice.items[0].form.empty());
}

TEST(CatalogDelta, PartialAnswerReplacesTheListsItCarries) {
  Catalog catalog = cached();
  json answer = partial();
  answer["categories"] = json::array({json{{"id", "housing-fund"}, {"name", "住房公积金"}}, json{{"id", "tax"}, {"name", "税务"}}});
  answer["rating_reasons"] = json::array({json{{"code", "attitude"}, {"text", "服务态度差"}, {"levels", json::array({1})}}});
  answer["queue_categories"] = json::array();
  auto delta = parse(answer);
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(catalog, *delta).ok());
  EXPECT_EQ(catalog.categories[0].name, "住房公积金");
  ASSERT_EQ(catalog.rating_reasons.size(), 1u);
  EXPECT_EQ(catalog.rating_reasons[0].code, "attitude");
  EXPECT_TRUE(catalog.queue_categories.empty());  // an empty list is a list
  EXPECT_EQ(catalog.packages.size(), 2u);         // absent: kept
}

TEST(CatalogDelta, FullAnswerReplacesEverything) {
  Catalog catalog = cached();
  json answer = json{{"version", "2026.12.01-0001"},
                     {"region", "510503"},
                     {"full", true},
                     {"categories", json::array({json{{"id", "tax"}, {"name", "税务"}}})},
                     {"items", json::array({item_json("T-0009", "发票代开", "tax")})},
                     {"removed", json::array({"T-0009"})}};  // meaningless in a full answer: ignored
  auto delta = parse(answer);
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(catalog, *delta).ok());
  EXPECT_EQ(catalog.version, "2026.12.01-0001");
  EXPECT_EQ(catalog.region, "510503");
  EXPECT_EQ(codes(catalog), std::vector<std::string>{"T-0009"});
  EXPECT_EQ(catalog.categories.size(), 1u);
  EXPECT_TRUE(catalog.packages.empty());
  EXPECT_TRUE(catalog.rating_reasons.empty());
  EXPECT_TRUE(catalog.queue_categories.empty());
}

TEST(CatalogDelta, FullAnswerEqualsParseCatalog) {
  Catalog from_empty;
  auto delta = parse(full_catalog());
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(from_empty, *delta).ok());
  const Catalog parsed = cached();
  EXPECT_EQ(codes(from_empty), codes(parsed));
  EXPECT_EQ(from_empty.version, parsed.version);
  EXPECT_EQ(from_empty.packages.size(), parsed.packages.size());
}

TEST(CatalogDelta, PartialAnswerMayOmitItems) {
  Catalog catalog = cached();
  json answer = partial();
  answer.erase("items");
  auto delta = parse(answer);
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  ASSERT_TRUE(apply_delta(catalog, *delta).ok());
  EXPECT_EQ(catalog.items.size(), 3u);
}

// Answers that would leave an inconsistent cache: refused, cache untouched, the error names why.
void expect_refused(const json& answer, const char* mentions) {
  Catalog catalog = cached();
  auto delta = parse(answer);
  ASSERT_TRUE(delta.ok()) << delta.error().message;
  const Status applied = apply_delta(catalog, *delta);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().kind, ErrorKind::parse);
  EXPECT_NE(applied.error().message.find(mentions), std::string::npos) << applied.error().message;
  EXPECT_EQ(catalog.version, "2026.11.25-0001");
  EXPECT_EQ(codes(catalog), (std::vector<std::string>{"F-0001", "F-0002", "T-0003"}));
  EXPECT_EQ(catalog.packages.size(), 2u);
  EXPECT_EQ(catalog.categories.size(), 2u);
}

TEST(CatalogDelta, RefusesAnItemInAnUnknownCategory) {
  expect_refused(partial(json::array({item_json("F-0002", "公积金", "housing-fund"), item_json("S-0001", "社保卡", "social")})),
                 "catalog: items[1].category: unknown category \"social\"");
}

TEST(CatalogDelta, RefusesRemovingAnItemAPackageStillLists) {
  expect_refused(partial(json::array(), json::array({"F-0002"})), "catalog: packages[0].items[1]: unknown item \"F-0002\"");
}

TEST(CatalogDelta, RefusesCategoriesThatOrphanACachedItem) {
  json answer = partial();
  answer["categories"] = json::array({json{{"id", "housing-fund"}, {"name", "公积金"}}});
  expect_refused(answer, "catalog: cached item \"T-0003\".category: unknown category \"tax\"");
}

TEST(CatalogDelta, RefusesAPackageNamingAMissingItem) {
  json answer = partial();
  answer["packages"] = json::array({json{{"id", "loan"}, {"name", "贷款一件事"}, {"items", json::array({"F-0001", "F-0404"})}}});
  expect_refused(answer, "catalog: packages[0].items[1]: unknown item \"F-0404\"");
}

TEST(CatalogDelta, RefusesAPartialAnswerForAnotherRegion) {
  json answer = partial();
  answer["region"] = "510521";
  expect_refused(answer, "catalog: region: a partial catalog for 510521 does not apply to the cached catalog of 510502");
}

TEST(CatalogDelta, ParseRefusesAnAnswerThatContradictsItself) {
  auto both = parse(partial(json::array({item_json("F-0002", "公积金", "housing-fund")}), json::array({"T-0003", "F-0002"})));
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("catalog: removed[1]: item \"F-0002\" is also in items"), std::string::npos)
      << both.error().message;

  auto twice = parse(partial(json::array({item_json("F-0005", "甲", "tax"), item_json("F-0005", "乙", "tax")})));
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("catalog: items[1].code: duplicate item code \"F-0005\""), std::string::npos)
      << twice.error().message;
}

TEST(CatalogDelta, ParseNamesBadParts) {
  struct Case {
    json answer;
    const char* mentions;
  };
  json full_without_items = full_catalog();
  full_without_items.erase("items");
  json full_without_categories = full_catalog();
  full_without_categories.erase("categories");
  json removed_number = partial();
  removed_number["removed"] = json::array({"T-0003", 7});
  json bad_item = partial(json::array({json{{"code", "F-0006"}}}));
  json bad_categories = partial();
  bad_categories["categories"] = "tax";
  for (const Case& bad : {Case{full_without_items, "catalog: items: missing"},
                          Case{full_without_categories, "catalog: categories: missing"},
                          Case{removed_number, "catalog: removed[1]: expected a string"},
                          Case{bad_item, "catalog: items[0].name: missing"},
                          Case{bad_categories, "catalog: categories: expected an array"},
                          Case{json::array(), "catalog: the top level must be an object"}}) {
    auto delta = parse(bad.answer);
    ASSERT_FALSE(delta.ok()) << bad.mentions;
    EXPECT_EQ(delta.error().kind, ErrorKind::parse);
    EXPECT_NE(delta.error().message.find(bad.mentions), std::string::npos) << delta.error().message;
  }
  auto garbage = parse_catalog_delta("{\"version\": \"1\", \"full\": fal");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().message.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace kiosk::catalog
