// The catalog cache: factory seed, full and incremental answers from the platform, and bad
// answers that must leave the cached data as it was.

#include "kiosk/platform/catalog_cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace kiosk::platform {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json item(const std::string& code, const std::string& name) {
  return json{{"code", code},     {"name", name},     {"category", "public-security"},
              {"type", "公共服务"}, {"department", "泸州市公安局"}};
}

json full_answer(const std::string& version, std::vector<json> items) {
  return json{{"version", version},
              {"full", true},
              {"region", "510502"},
              {"categories", json::array({json{{"id", "public-security"}, {"name", "公安"}, {"icon", "警"}}})},
              {"items", items}};
}

class CatalogCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("catalog-cache-" + std::to_string(::getpid()) + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto cache = CatalogCache::open(path_);
    ASSERT_TRUE(cache.ok()) << cache.error().message;
    cache_ = cache.release_value();
  }
  void TearDown() override {
    cache_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  std::vector<std::string> codes() {
    auto loaded = cache_->load();
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
    std::vector<std::string> out;
    if (loaded.ok()) {
      for (const auto& entry : loaded.value().catalog.items) out.push_back(entry.code);
    }
    return out;
  }

  fs::path path_;
  std::unique_ptr<CatalogCache> cache_;
};

TEST_F(CatalogCacheTest, SeedsFromTheFactoryCatalogOnceAndMarksItUnsynced) {
  std::ifstream file(std::string(KIOSK_TEST_ASSETS) + "/catalog/items.json");
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_TRUE(cache_->empty().value());
  ASSERT_TRUE(cache_->seed(text.str()).ok());
  auto loaded = cache_->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_GE(loaded.value().catalog.items.size(), 30u);
  EXPECT_EQ(loaded.value().synced_at, 0);
  // A second seed does not replace what is there.
  ASSERT_TRUE(cache_->seed(full_answer("other", {item("A", "甲")}).dump()).ok());
  EXPECT_GE(cache_->load().value().catalog.items.size(), 30u);
}

TEST_F(CatalogCacheTest, FullThenChangesThenRemovals) {
  ASSERT_TRUE(cache_->apply(full_answer("v1", {item("A", "甲"), item("B", "乙"), item("C", "丙")}).dump(), 1000).ok());
  EXPECT_EQ(codes(), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(cache_->version().value(), "v1");

  json delta{{"version", "v2"}, {"full", false}, {"items", {item("B", "乙改"), item("D", "丁")}}, {"removed", {"A"}}};
  auto applied = cache_->apply(delta.dump(), 2000);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(codes(), (std::vector<std::string>{"B", "C", "D"}));  // a changed item keeps its place
  EXPECT_EQ(applied.value().catalog.find_item("B")->name, "乙改");
  EXPECT_EQ(applied.value().synced_at, 2000);
  EXPECT_EQ(applied.value().catalog.version, "v2");
  EXPECT_EQ(applied.value().catalog.categories.size(), 1u);  // kept from the full answer

  ASSERT_TRUE(cache_->touch(3000).ok());
  EXPECT_EQ(cache_->load().value().synced_at, 3000);

  ASSERT_TRUE(cache_->apply(full_answer("v3", {item("Z", "戊")}).dump(), 4000).ok());
  EXPECT_EQ(codes(), (std::vector<std::string>{"Z"}));
}

TEST_F(CatalogCacheTest, ABadAnswerLeavesTheCachedCatalogAsItWas) {
  ASSERT_TRUE(cache_->apply(full_answer("v1", {item("A", "甲")}).dump(), 1000).ok());
  const std::vector<std::string> bad = {
      "", "not json", "[]", R"({"items":[]})", R"({"version":"v2","items":{}})",
      R"({"version":"v2","full":"yes","items":[]})", R"({"version":"v2","items":[{"name":"no code"}]})",
      R"({"version":"v2","full":false,"items":[],"removed":[1]})", R"({"version":"v2","full":false,"items":[],"removed":"A"})",
      // parses as JSON but not as a catalog: an item without its department
      R"({"version":"v2","full":true,"items":[{"code":"X","name":"n","category":"public-security","type":"t"}],
          "categories":[{"id":"public-security","name":"公安","icon":"警"}]})",
      R"({"version":"v2","full":false,"items":[],"categories":{}})"};
  for (const auto& answer : bad) {
    EXPECT_FALSE(cache_->apply(answer, 2000).ok()) << answer;
    EXPECT_EQ(codes(), std::vector<std::string>{"A"}) << answer;
    EXPECT_EQ(cache_->version().value(), "v1") << answer;
    EXPECT_EQ(cache_->load().value().synced_at, 1000) << answer;
  }
}

TEST_F(CatalogCacheTest, ChangesWithoutAFullCatalogFirstAreRefused) {
  json delta{{"version", "v2"}, {"full", false}, {"items", {item("B", "乙")}}};
  EXPECT_FALSE(cache_->apply(delta.dump(), 1).ok());
  EXPECT_TRUE(cache_->empty().value());
}

TEST_F(CatalogCacheTest, SurvivesReopening) {
  ASSERT_TRUE(cache_->apply(full_answer("v1", {item("A", "甲"), item("B", "乙")}).dump(), 1000).ok());
  cache_.reset();
  auto reopened = CatalogCache::open(path_);
  ASSERT_TRUE(reopened.ok());
  cache_ = reopened.release_value();
  EXPECT_EQ(codes(), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(cache_->load().value().synced_at, 1000);
}

}  // namespace
}  // namespace kiosk::platform
