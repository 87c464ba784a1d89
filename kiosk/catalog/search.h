#pragma once
// Catalog search for the touch keyboard: by keyword (substring of name, department, category or
// keywords) and by pinyin initials of the name (`sfz` finds 身份证 items), case-insensitive.

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/catalog/catalog.h"

namespace kiosk::catalog {

// Government-service terms whose starts count as word starts for initials search (身份证, 社保卡 …).
const std::vector<std::u32string>& known_terms();

// Pinyin initials of a UTF-8 string, lower case: "身份证" → "sfz"; ASCII letters and digits pass
// through lower-cased; other characters are dropped. Polyphonic characters use the reading common
// in item names (行 in 银行/行政 …). Unknown Han characters yield nothing.
std::string pinyin_initials(std::string_view utf8);

struct SearchHit {
  const Item* item;
  int score;  // higher is better
};

class SearchIndex {
 public:
  explicit SearchIndex(const Catalog& catalog);
  // Best hits first (name match before keyword match before department match; shorter names
  // first on ties), at most `limit`. An empty or blank query returns nothing.
  std::vector<SearchHit> search(std::string_view query, std::size_t limit = 50) const;

 private:
  struct Entry {
    const Item* item;
    std::string name_lower;
    std::string initials;
    // Offsets into `initials` where a word starts (the name's start and every known term in it):
    // mid-name initials match only there, so "sfz" finds 居民身份证… but not 二手房转移登记.
    std::vector<std::size_t> word_starts;
    std::vector<std::string> keywords_lower;
    std::vector<std::string> other_lower;  // department, category name
  };
  std::vector<Entry> entries_;
};

}  // namespace kiosk::catalog
