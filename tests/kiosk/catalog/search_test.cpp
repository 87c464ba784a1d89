#include "kiosk/catalog/search.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiosk/core/text.h"

namespace kiosk::catalog {
namespace {

const std::string kSamplePath = std::string(KIOSK_TEST_ASSETS) + "/catalog/items.json";

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::vector<std::string> names(const std::vector<SearchHit>& hits) {
  std::vector<std::string> result;
  for (const auto& hit : hits) result.push_back(hit.item->name);
  return result;
}

const SearchHit* hit_for(const std::vector<SearchHit>& hits, const std::string& name) {
  for (const auto& hit : hits) {
    if (hit.item->name == name) return &hit;
  }
  return nullptr;
}

// The documented order: score descending, then shorter names first.
void expect_ranked(const std::vector<SearchHit>& hits) {
  for (std::size_t i = 1; i < hits.size(); ++i) {
    EXPECT_GE(hits[i - 1].score, hits[i].score) << hits[i - 1].item->name << " before " << hits[i].item->name;
    if (hits[i - 1].score == hits[i].score) {
      EXPECT_LE(hits[i - 1].item->name.size(), hits[i].item->name.size())
          << hits[i - 1].item->name << " before " << hits[i].item->name;
    }
  }
}

class SampleSearch : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = load_catalog(kSamplePath);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    catalog_ = new Catalog(loaded.release_value());
    index_ = new SearchIndex(*catalog_);
  }
  static void TearDownTestSuite() {
    delete index_;
    delete catalog_;
    index_ = nullptr;
    catalog_ = nullptr;
  }
  static const Item* item_named(const std::string& name) {
    for (const Item& item : catalog_->items) {
      if (item.name == name) return &item;
    }
    return nullptr;
  }

  static Catalog* catalog_;
  static SearchIndex* index_;
};

Catalog* SampleSearch::catalog_ = nullptr;
SearchIndex* SampleSearch::index_ = nullptr;

// A catalog built in code, for ranking rules the sample does not isolate.
Item make_item(std::string code, std::string name, std::string department = "某局", std::vector<std::string> keywords = {},
               bool kiosk_enabled = true, std::string category = "misc") {
  Item item;
  item.code = std::move(code);
  item.name = std::move(name);
  item.category = std::move(category);
  item.type = "公共服务";
  item.department = std::move(department);
  item.keywords = std::move(keywords);
  item.kiosk_enabled = kiosk_enabled;
  return item;
}

Catalog make_catalog(std::vector<Item> items) {
  Catalog catalog;
  catalog.version = "test";
  catalog.categories = {{"misc", "综合", "综"}, {"road", "交通出行", "车"}};
  catalog.items = std::move(items);
  return catalog;
}

// --- pinyin_initials ---

TEST(SearchPinyinInitials, CommonItemWords) {
  EXPECT_EQ(pinyin_initials("身份证"), "sfz");
  EXPECT_EQ(pinyin_initials("居民身份证"), "jmsfz");
  EXPECT_EQ(pinyin_initials("社会保障卡"), "shbzk");
  EXPECT_EQ(pinyin_initials("公积金"), "gjj");
  EXPECT_EQ(pinyin_initials("二手房转移登记"), "esfzydj");
}

TEST(SearchPinyinInitials, AsciiPassesThroughLowerCased) {
  EXPECT_EQ(pinyin_initials("ABC xyz 123"), "abcxyz123");
  EXPECT_EQ(pinyin_initials("A-1_b!"), "a1b");
}

TEST(SearchPinyinInitials, PunctuationAndSymbolsAreDropped) {
  EXPECT_EQ(pinyin_initials("住房公积金提取（租房）"), "zfgjjtqzf");
  EXPECT_EQ(pinyin_initials("，。、《》"), "");
}

TEST(SearchPinyinInitials, PolyphonicWordsUseTheItemReading) {
  EXPECT_EQ(pinyin_initials("行政"), "xz");
  EXPECT_EQ(pinyin_initials("银行"), "yh");
  EXPECT_EQ(pinyin_initials("中国银行网点"), "zgyhwd");
  EXPECT_EQ(pinyin_initials("重新"), "cx");
}

TEST(SearchPinyinInitials, OverrideTableCoversCharactersOutsideLevelOne) {
  EXPECT_EQ(pinyin_initials("泸州"), "lz");
  EXPECT_EQ(pinyin_initials("彝族"), "yz");
}

TEST(SearchPinyinInitials, UnknownHanAndMalformedInputYieldNothing) {
  EXPECT_EQ(pinyin_initials(""), "");
  EXPECT_EQ(pinyin_initials("亍"), "");              // GB2312 level 2 (ordered by radical), not in the table
  EXPECT_EQ(pinyin_initials("\xF0\xA0\x80\x80"), "");  // U+20000, outside GB2312
  EXPECT_EQ(pinyin_initials("a\xFF\xFE" "b"), "ab");   // malformed bytes are skipped, not fatal
  EXPECT_EQ(pinyin_initials("\xE8\xBA"), "");          // truncated sequence
}

TEST(SearchPinyinInitials, OneLetterPerHanCharacterOfTheSample) {
  // find_word_starts relies on whole-name initials and per-character initials having equal length.
  auto catalog = load_catalog(kSamplePath);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  for (const Item& item : catalog->items) {
    std::size_t per_character = 0;
    for (char32_t c : text::decode_utf8(item.name)) per_character += pinyin_initials(text::encode_utf8(std::u32string(1, c))).size();
    EXPECT_EQ(pinyin_initials(item.name).size(), per_character) << item.name;
    std::size_t han = 0;
    for (char32_t c : text::decode_utf8(item.name)) han += text::is_han(c) ? 1 : 0;
    EXPECT_EQ(pinyin_initials(item.name).size(), han) << item.name << ": every Han character of a sample name has an initial";
  }
}

TEST(SearchKnownTerms, AreNonEmptyHanWords) {
  const auto& terms = known_terms();
  ASSERT_FALSE(terms.empty());
  EXPECT_NE(std::find(terms.begin(), terms.end(), U"身份证"), terms.end());
  for (const auto& term : terms) {
    EXPECT_GE(term.size(), 2u);
    for (char32_t c : term) EXPECT_TRUE(text::is_han(c)) << text::encode_utf8(term);
    EXPECT_EQ(pinyin_initials(text::encode_utf8(term)).size(), term.size()) << text::encode_utf8(term);
  }
}

// --- SearchIndex on the sample catalog ---

TEST_F(SampleSearch, PinyinInitialsFindEveryIdentityCardItem) {
  const auto hits = index_->search("sfz");
  ASSERT_FALSE(hits.empty());
  std::size_t identity_items = 0;
  for (const Item& item : catalog_->items) {
    if (!contains(item.name, "身份证")) continue;
    ++identity_items;
    EXPECT_NE(hit_for(hits, item.name), nullptr) << item.name << " missing from " << testing::PrintToString(names(hits));
  }
  EXPECT_GE(identity_items, 3u);
  for (const auto& hit : hits) EXPECT_TRUE(contains(hit.item->name, "身份证")) << hit.item->name;
  expect_ranked(hits);
  // An item whose name starts with 身份证 outranks one where it starts mid-name.
  EXPECT_EQ(hits.front().item->name.rfind("身份证", 0), 0u) << hits.front().item->name;
}

TEST_F(SampleSearch, MidNameInitialsMatchOnlyAtWordStarts) {
  const Item* resale = item_named("二手房转移登记");
  ASSERT_NE(resale, nullptr);
  // Its initials contain "sfz" across 手|房|转 — the trap the word-start rule avoids.
  ASSERT_TRUE(contains(pinyin_initials(resale->name), "sfz"));
  EXPECT_EQ(hit_for(index_->search("sfz"), resale->name), nullptr);
  // Every sample item whose initials merely contain "sfz" without the word 身份证 stays out.
  for (const Item& item : catalog_->items) {
    if (contains(pinyin_initials(item.name), "sfz") && !contains(item.name, "身份证")) {
      EXPECT_EQ(hit_for(index_->search("sfz"), item.name), nullptr) << item.name;
    }
  }
  // Mid-word initials of 身份证 ("fz") do not match either.
  for (const auto& hit : index_->search("fz")) EXPECT_FALSE(contains(hit.item->name, "身份证")) << hit.item->name;
}

TEST_F(SampleSearch, InitialsMatchAtTheNameStartAndAtKnownTerms) {
  const Item* resale = item_named("二手房转移登记");
  ASSERT_NE(resale, nullptr);
  ASSERT_FALSE(resale->kiosk_enabled);
  const auto start = index_->search("esf");
  const SearchHit* at_start = hit_for(start, resale->name);
  ASSERT_NE(at_start, nullptr);
  const auto term = index_->search("zydj");  // 转移登记, a known term
  const SearchHit* at_term = hit_for(term, resale->name);
  ASSERT_NE(at_term, nullptr);
  EXPECT_GT(at_start->score, at_term->score);  // a match at the name's start ranks higher
  const auto inner_term = index_->search("dj");  // 登记, a known term inside 转移登记
  EXPECT_NE(hit_for(inner_term, resale->name), nullptr);
  EXPECT_EQ(hit_for(index_->search("hfz"), resale->name), nullptr);  // 手房转: no word starts at 手
}

TEST_F(SampleSearch, QueriesAreCaseInsensitiveAndTrimmed) {
  const auto lower = names(index_->search("sfz"));
  ASSERT_FALSE(lower.empty());
  EXPECT_EQ(names(index_->search("SFZ")), lower);
  EXPECT_EQ(names(index_->search("SfZ")), lower);
  EXPECT_EQ(names(index_->search("  sfz\t")), lower);
}

TEST_F(SampleSearch, KeywordFindsItemWhoseNameLacksIt) {
  const Item* resale = item_named("二手房转移登记");
  ASSERT_NE(resale, nullptr);
  ASSERT_NE(std::find(resale->keywords.begin(), resale->keywords.end(), "过户"), resale->keywords.end());
  const auto hits = index_->search("过户");
  const SearchHit* hit = hit_for(hits, resale->name);
  ASSERT_NE(hit, nullptr);
  // A keyword match ranks below any name match.
  const auto name_hits = index_->search("登记");
  const SearchHit* by_name = hit_for(name_hits, resale->name);
  ASSERT_NE(by_name, nullptr);
  EXPECT_GT(by_name->score, hit->score);
}

TEST_F(SampleSearch, NameMatchesComeBeforeKeywordMatches) {
  const auto hits = index_->search("身份证");
  ASSERT_FALSE(hits.empty());
  expect_ranked(hits);
  bool seen_keyword_only = false;
  for (const auto& hit : hits) {
    const bool by_name = contains(hit.item->name, "身份证");
    if (!by_name) seen_keyword_only = true;
    EXPECT_FALSE(seen_keyword_only && by_name) << hit.item->name << " ranked after a keyword-only hit";
  }
  // Every item with 身份证 in its name is found.
  for (const Item& item : catalog_->items) {
    if (contains(item.name, "身份证")) {
      EXPECT_NE(hit_for(hits, item.name), nullptr) << item.name;
    }
  }
}

TEST_F(SampleSearch, DepartmentFindsItsItems) {
  const std::string department = "泸州市民政局";
  const auto hits = index_->search(department);
  std::size_t expected = 0;
  for (const Item& item : catalog_->items) {
    if (item.department != department) continue;
    ++expected;
    EXPECT_NE(hit_for(hits, item.name), nullptr) << item.name;
  }
  EXPECT_GT(expected, 0u);
  EXPECT_EQ(hits.size(), expected);
}

TEST_F(SampleSearch, CategoryNameFindsItsItems) {
  const Category* transport = catalog_->find_category("transport");
  ASSERT_NE(transport, nullptr);
  const auto hits = index_->search(transport->name);
  const auto in_category = catalog_->items_in("transport");
  ASSERT_FALSE(in_category.empty());
  for (const Item* item : in_category) EXPECT_NE(hit_for(hits, item->name), nullptr) << item->name;
}

TEST_F(SampleSearch, EmptyOrBlankQueryReturnsNothing) {
  for (const char* query : {"", " ", "   ", "\t", "\n", " \r\n ", "\t \f\v"}) {
    EXPECT_TRUE(index_->search(query).empty()) << testing::PrintToString(std::string(query));
  }
}

TEST_F(SampleSearch, NoMatchReturnsNothing) {
  EXPECT_TRUE(index_->search("qqqqqq").empty());
  EXPECT_TRUE(index_->search("火星移民").empty());
}

TEST_F(SampleSearch, LimitKeepsTheBestHits) {
  const auto all = index_->search("证");
  ASSERT_GT(all.size(), 3u);
  expect_ranked(all);
  const auto three = index_->search("证", 3);
  ASSERT_EQ(three.size(), 3u);
  for (std::size_t i = 0; i < three.size(); ++i) {
    EXPECT_EQ(three[i].item, all[i].item);
    EXPECT_EQ(three[i].score, all[i].score);
  }
  EXPECT_TRUE(index_->search("证", 0).empty());
  EXPECT_EQ(index_->search("证", 1000).size(), all.size());
}

TEST_F(SampleSearch, ArbitraryBytesDoNotCrash) {
  for (const std::string& query : {std::string("\xFF\xFE\xFD"), std::string("\0sfz", 4), std::string(300, 'a'),
                                  std::string("s\xE8"), std::string("%s%n")}) {
    const auto hits = index_->search(query);
    expect_ranked(hits);
  }
}

// --- Ranking rules, isolated on catalogs built in code ---

TEST(SearchRanking, ShorterNameFirstOnEqualScores) {
  const Catalog catalog = make_catalog({make_item("1", "护照办理进度查询服务"), make_item("2", "护照办理")});
  const SearchIndex index(catalog);
  const auto hits = index.search("护照");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].score, hits[1].score);
  EXPECT_EQ(hits[0].item->code, "2");
  EXPECT_EQ(hits[1].item->code, "1");
}

TEST(SearchRanking, KioskEnabledItemsFirstAmongEqualMatches) {
  const Catalog catalog = make_catalog({make_item("1", "护照补办", "某局", {}, false), make_item("2", "护照换发", "某局", {}, true)});
  const SearchIndex index(catalog);
  const auto hits = index.search("护照");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].item->code, "2");
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST(SearchRanking, NameStartBeforeMidName) {
  // The longer name starts with the query, so shorter-first alone would order them the other way.
  const Catalog catalog = make_catalog({make_item("1", "补办护照"), make_item("2", "护照办理进度查询")});
  const SearchIndex index(catalog);
  const auto hits = index.search("护照");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].item->code, "2");
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST(SearchRanking, NameBeforeInitialsBeforeKeywordBeforeDepartment) {
  const Catalog catalog = make_catalog({
      make_item("department", "某某", "hz管理处"),              // query in the department
      make_item("keyword", "某某某", "某局", {"hz"}),           // query in a keyword
      make_item("initials-mid", "出入境护照办理"),               // hz mid-name, not at a known term
      make_item("initials", "护照办理"),                         // hz at the name's start
      make_item("name", "HZ卡补办手续及相关材料说明"),            // query in the name (longest name)
  });
  const SearchIndex index(catalog);
  const auto hits = index.search("hz");
  std::vector<std::string> codes;
  for (const auto& hit : hits) codes.push_back(hit.item->code);
  EXPECT_EQ(codes, (std::vector<std::string>{"name", "initials", "keyword", "department"}));
  for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_GT(hits[i - 1].score, hits[i].score) << codes[i];
}

TEST(SearchRanking, KeywordBeforeDepartmentEvenWithALongerName) {
  // The header promises keyword matches before department matches; shorter names only break ties.
  const Catalog catalog = make_catalog({make_item("department", "甲乙", "社区服务中心"),
                                        make_item("keyword", "甲乙丙丁戊己庚", "某局", {"社区养老"})});
  const SearchIndex index(catalog);
  const auto hits = index.search("社区");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].item->code, "keyword");
  EXPECT_EQ(hits[1].item->code, "department");
}

TEST(SearchRanking, NonLatinQueryDoesNoInitialsMatching) {
  const Catalog catalog = make_catalog({make_item("1", "身份证补领")});
  const SearchIndex index(catalog);
  EXPECT_EQ(index.search("sfz").size(), 1u);
  EXPECT_TRUE(index.search("s-f-z").empty());
  EXPECT_TRUE(index.search("sfz证").empty());
}

TEST(SearchRanking, KeywordsDoNotMatchAcrossTheirBoundaries) {
  const Catalog catalog = make_catalog({make_item("1", "某某", "某局", {"补卡", "换卡"})});
  const SearchIndex index(catalog);
  EXPECT_EQ(index.search("补卡").size(), 1u);
  EXPECT_TRUE(index.search("补卡\n换卡").empty());
  EXPECT_TRUE(index.search("卡\n换").empty());
}

TEST(SearchRanking, DefaultLimitIsFifty) {
  std::vector<Item> items;
  for (int i = 0; i < 60; ++i) items.push_back(make_item(std::to_string(i), "护照办理" + std::to_string(i)));
  const Catalog catalog = make_catalog(std::move(items));
  const SearchIndex index(catalog);
  EXPECT_EQ(index.search("护照").size(), 50u);
  EXPECT_EQ(index.search("护照", 60).size(), 60u);
  EXPECT_EQ(index.search("护照", 100).size(), 60u);
}

TEST(SearchRanking, EmptyCatalog) {
  const Catalog catalog = make_catalog({});
  const SearchIndex index(catalog);
  EXPECT_TRUE(index.search("sfz").empty());
}

}  // namespace
}  // namespace kiosk::catalog
