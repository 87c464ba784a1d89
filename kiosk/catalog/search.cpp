#include "kiosk/catalog/search.h"

#include <algorithm>

#include "kiosk/core/text.h"

namespace kiosk::catalog {
namespace {

// Trims ASCII spaces and lower-cases ASCII letters.
std::string normalise(std::string_view query) {
  std::size_t start = 0, end = query.size();
  while (start < end && (query[start] == ' ' || query[start] == '\t')) ++start;
  while (end > start && (query[end - 1] == ' ' || query[end - 1] == '\t')) --end;
  return text::to_lower_ascii(query.substr(start, end - start));
}

bool only_latin(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

SearchIndex::SearchIndex(const Catalog& catalog) {
  for (const Item& item : catalog.items) {
    Entry entry{&item, text::to_lower_ascii(item.name), pinyin_initials(item.name), {}};
    for (const auto& keyword : item.keywords) entry.other_lower += text::to_lower_ascii(keyword) + "\n";
    entry.other_lower += text::to_lower_ascii(item.department) + "\n";
    if (const Category* category = catalog.find_category(item.category)) entry.other_lower += category->name;
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
      if (const auto initial_at = entry.initials.find(query); initial_at != std::string::npos) {
        score = initial_at == 0 ? 90 : 80;
      }
    }
    if (score == 0 && entry.other_lower.find(query) != std::string::npos) score = 50;
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
