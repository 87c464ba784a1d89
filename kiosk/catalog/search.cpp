#include "kiosk/catalog/search.h"

#include <algorithm>

#include "kiosk/core/text.h"

namespace kiosk::catalog {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Trims ASCII white space and lower-cases ASCII letters.
std::string normalise(std::string_view query) {
  std::size_t start = 0, end = query.size();
  while (start < end && is_ascii_space(query[start])) ++start;
  while (end > start && is_ascii_space(query[end - 1])) --end;
  return text::to_lower_ascii(query.substr(start, end - start));
}

// Each field is matched on its own, so a query cannot match across two keywords.
bool any_contains(const std::vector<std::string>& fields, const std::string& query) {
  return std::any_of(fields.begin(), fields.end(),
                     [&query](const std::string& field) { return field.find(query) != std::string::npos; });
}

bool only_latin(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// Offsets in the initials of `name` where a word starts: 0 and each known term's start.
std::vector<std::size_t> find_word_starts(const std::string& name) {
  const std::u32string characters = text::decode_utf8(name);
  std::vector<std::size_t> starts{0};
  std::size_t offset = 0;  // initials produced before character i
  for (std::size_t i = 0; i < characters.size(); ++i) {
    for (const auto& term : known_terms()) {
      if (i > 0 && std::u32string_view(characters).substr(i, term.size()) == term) {
        starts.push_back(offset);
        break;
      }
    }
    offset += pinyin_initials(text::encode_utf8(std::u32string(1, characters[i]))).size();
  }
  return starts;
}

}  // namespace

const std::vector<std::u32string>& known_terms() {
  static const std::vector<std::u32string> terms = {
      U"身份证", U"户口", U"社会保障卡", U"社保", U"社会保险", U"医疗保险", U"医保", U"养老", U"失业",
      U"公积金", U"营业执照", U"不动产", U"抵押", U"纳税", U"发票", U"驾驶证", U"机动车", U"婚姻",
      U"出生", U"接种", U"低保", U"最低生活", U"津贴", U"犯罪", U"食品", U"个体", U"权益", U"异地",
      U"参保", U"资格认证", U"交通违法", U"罚款", U"转移登记", U"证明", U"查询", U"打印", U"登记",
      U"补领", U"换领", U"申领", U"提取", U"缴存", U"就医", U"备案", U"许可", U"预约",
  };
  return terms;
}

SearchIndex::SearchIndex(const Catalog& catalog) {
  for (const Item& item : catalog.items) {
    Entry entry{&item, text::to_lower_ascii(item.name), pinyin_initials(item.name), find_word_starts(item.name), {}, {}};
    for (const auto& keyword : item.keywords) entry.keywords_lower.push_back(text::to_lower_ascii(keyword));
    entry.other_lower.push_back(text::to_lower_ascii(item.department));
    if (const Category* category = catalog.find_category(item.category)) {
      entry.other_lower.push_back(text::to_lower_ascii(category->name));
    }
    entries_.push_back(std::move(entry));
  }
}

std::vector<SearchHit> SearchIndex::search(std::string_view raw_query, std::size_t limit) const {
  const std::string query = normalise(raw_query);
  std::vector<SearchHit> hits;
  if (query.empty()) return hits;
  const bool initials_query = only_latin(query);
  for (const Entry& entry : entries_) {
    int score = 0;
    if (const auto at = entry.name_lower.find(query); at != std::string::npos) {
      score = at == 0 ? 110 : 100;
    } else if (initials_query) {
      for (const std::size_t start : entry.word_starts) {
        if (entry.initials.compare(start, query.size(), query) == 0) {
          score = start == 0 ? 90 : 80;
          break;
        }
      }
    }
    if (score == 0 && any_contains(entry.keywords_lower, query)) score = 60;
    if (score == 0 && any_contains(entry.other_lower, query)) score = 50;
    if (score > 0 && entry.item->kiosk_enabled) score += 5;  // what can be done here first
    if (score > 0) hits.push_back({entry.item, score});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.item->name.size() < b.item->name.size();
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace kiosk::catalog
