// Fuzz target: the service-item catalog (assets/catalog/items.json today, the platform's catalog
// later). A catalog that parses also goes through the search index, whose word starts are
// computed from the (fuzzed) item names.
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/catalog/catalog.h"
#include "kiosk/catalog/search.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto catalog = kiosk::catalog::parse_catalog(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!catalog.ok()) return 0;
  const kiosk::catalog::SearchIndex index(*catalog);
  std::size_t searched = 0;
  for (const auto& item : catalog->items) {
    if (++searched > 8) break;  // enough to reach every code path; keeps each input fast
    (void)catalog->find_item(item.code);
    (void)catalog->items_in(item.category);
    (void)index.search(item.name);
    (void)index.search(kiosk::catalog::pinyin_initials(item.name), 5);
  }
  return 0;
}
