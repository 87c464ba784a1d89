// The shipped catalog (assets/catalog/items.json, the factory seed and the platform simulator's
// seed): what the screens and the simulator rely on is there — forms for every item, a full
// 告知承诺书 wherever a material allows one, packages, rating reasons, queue categories.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "kiosk/catalog/catalog.h"
#include "kiosk/catalog/form_validation.h"
#include "kiosk/core/text.h"
#include "tests/kiosk/catalog/catalog_samples.h"

namespace kiosk::catalog {
namespace {

using nlohmann::json;
using testing_samples::kSamplePath;
using testing_samples::sample_json;

const Catalog& sample() {
  static const Catalog catalog = [] {
    auto loaded = load_catalog(kSamplePath);
    EXPECT_TRUE(loaded.ok()) << loaded.error().message;
    return loaded.ok() ? loaded.release_value() : Catalog{};
  }();
  return catalog;
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

TEST(CatalogContent, IsForJiangyangDistrict) {
  EXPECT_EQ(sample().region, "510502");
  EXPECT_EQ(sample().items.size(), 31u);
  EXPECT_EQ(sample().categories.size(), 10u);
}

TEST(CatalogContent, EveryItemHasAFormOfTwoToEightFieldsMatchingTheFile) {
  const json source = sample_json();
  ASSERT_EQ(sample().items.size(), source["items"].size());
  for (std::size_t i = 0; i < sample().items.size(); ++i) {
    const Item& item = sample().items[i];
    const json& fields = source["items"][i]["form"];
    SCOPED_TRACE(item.code);
    EXPECT_GE(item.form.size(), 2u);
    EXPECT_LE(item.form.size(), 8u);
    ASSERT_EQ(item.form.size(), fields.size());
    for (std::size_t j = 0; j < item.form.size(); ++j) {
      const FormField& field = item.form[j];
      EXPECT_EQ(field.name, fields[j]["name"].get<std::string>());
      EXPECT_EQ(to_string(field.type), fields[j]["type"].get<std::string>());
      EXPECT_EQ(field.prefill, fields[j].value("prefill", ""));
      EXPECT_EQ(field.options.size(), fields[j].value("options", json::array()).size());
      EXPECT_FALSE(field.label.empty());
      // A text field always says how long it may be: the on-screen keyboard needs a limit.
      if (field.type == FieldType::text) {
        EXPECT_GT(field.max_length, 0) << field.name;
      }
    }
  }
}

TEST(CatalogContent, PrefilledFieldsAcceptWhatTheCardGives) {
  std::size_t prefilled = 0;
  for (const Item& item : sample().items) {
    for (const FormField& field : item.form) {
      if (field.prefill.empty()) continue;
      ++prefilled;
      SCOPED_TRACE(item.code + " " + field.name);
      if (field.prefill == "card.id_number") {
        EXPECT_EQ(field.type, FieldType::id_number);
        EXPECT_TRUE(validate_field(field, "510502195803150137").ok());  // a sample identity
      } else {
        EXPECT_EQ(field.type, FieldType::text);
        EXPECT_TRUE(validate_field(field, "泸州市江阳区酒城大道三段18号").ok());
      }
    }
  }
  EXPECT_GE(prefilled, 40u);  // name and ID number on most items
}

TEST(CatalogContent, BusinessItemsAskForTheCreditCode) {
  std::size_t with_uscc = 0;
  for (const Item& item : sample().items) {
    bool asks = false;
    for (const FormField& field : item.form) asks = asks || field.type == FieldType::uscc;
    with_uscc += asks;
    if (item.category == "market-regulation" && item.code != "510500000000-XK-0018") {  // a new business has none yet
      EXPECT_TRUE(asks) << item.code;
    }
  }
  EXPECT_GE(with_uscc, 3u);
}

TEST(CatalogContent, CommitmentTextsAreCompleteWhereverACommitmentIsAllowed) {
  std::size_t with_commitment = 0;
  std::size_t at_kiosk = 0;
  for (const Item& item : sample().items) {
    SCOPED_TRACE(item.code);
    if (!item.commitment_allowed()) {
      EXPECT_TRUE(item.commitment_text.empty());
      continue;
    }
    ++with_commitment;
    at_kiosk += item.kiosk_enabled;
    const std::size_t characters = text::decode_utf8(item.commitment_text).size();
    EXPECT_GE(characters, 300u);
    EXPECT_LE(characters, 600u);
    const std::string& commitment = item.commitment_text;
    EXPECT_TRUE(contains(commitment, "告知承诺书") || contains(commitment, "承诺书")) << "names itself";
    EXPECT_TRUE(contains(commitment, "承诺")) << "says what is promised";
    EXPECT_TRUE(contains(commitment, "撤销")) << "a false commitment undoes the decision";
    EXPECT_TRUE(contains(commitment, "失信")) << "and goes on the credit record";
    EXPECT_TRUE(contains(commitment, "追究")) << "and has legal consequences";
    EXPECT_TRUE(contains(commitment, "自愿")) << "signing is voluntary";
    EXPECT_TRUE(contains(commitment, "撤回")) << "and may be withdrawn before the decision";
    EXPECT_TRUE(contains(commitment, item.implementer.c_str()) || contains(commitment, item.department.c_str()))
        << "addressed to the body that decides";
    for (const Material& material : item.materials) {
      if (material.commitment_allowed) {
        EXPECT_TRUE(contains(commitment, "代替")) << "replaces " << material.name;
      }
    }
  }
  EXPECT_GE(with_commitment, 4u);
  EXPECT_GE(at_kiosk, 3u);
}

TEST(CatalogContent, HasZeroMaterialAndElsewhereOnlyItems) {
  std::size_t zero_at_kiosk = 0;
  std::size_t not_at_kiosk = 0;
  for (const Item& item : sample().items) {
    zero_at_kiosk += item.zero_materials() && item.kiosk_enabled;
    not_at_kiosk += !item.kiosk_enabled;
  }
  EXPECT_GE(zero_at_kiosk, 3u);
  EXPECT_GE(not_at_kiosk, 3u);
}

TEST(CatalogContent, PackagesBundleExistingItems) {
  ASSERT_GE(sample().packages.size(), 3u);
  std::set<std::string> names;
  for (const Package& package : sample().packages) {
    SCOPED_TRACE(package.id);
    EXPECT_TRUE(names.insert(package.name).second);
    EXPECT_NE(package.name.find("一件事"), std::string::npos);
    EXPECT_FALSE(package.description.empty());
    EXPECT_GE(package.items.size(), 2u) << "a package bundles several items";
    for (const std::string& code : package.items) EXPECT_NE(sample().find_item(code), nullptr) << code;
  }
  for (const char* expected : {"出生一件事", "退休一件事", "开办企业一件事"}) EXPECT_TRUE(names.count(expected)) << expected;
}

TEST(CatalogContent, BadRatingsOfferReasonsAndGoodOnesDoNot) {
  EXPECT_GE(sample().rating_reasons.size(), 6u);
  EXPECT_GE(sample().reasons_for(1).size(), 6u);
  EXPECT_GE(sample().reasons_for(2).size(), 6u);
  for (int level : {4, 5}) EXPECT_TRUE(sample().reasons_for(level).empty()) << level;
}

TEST(CatalogContent, QueueCategoriesMixPriorityAndOrdinary) {
  ASSERT_GE(sample().queue_categories.size(), 4u);
  std::size_t priority = 0;
  for (const QueueCategory& category : sample().queue_categories) priority += category.priority;
  EXPECT_GE(priority, 1u);
  EXPECT_LT(priority, sample().queue_categories.size());
}

// No placeholder or test text slipped into what citizens read.
TEST(CatalogContent, NoPlaceholderText) {
  const std::string all = sample_json().dump();
  for (const char* placeholder : {"TODO", "TBD", "FIXME", "lorem", "Lorem", "XXX", "待补充", "占位", "测试", "示例"}) {
    EXPECT_FALSE(contains(all, placeholder)) << placeholder;
  }
}

}  // namespace
}  // namespace kiosk::catalog
