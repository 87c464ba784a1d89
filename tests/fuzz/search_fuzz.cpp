// Fuzz target: search queries typed on the touch keyboard (or by a script), against the sample
// catalog. Checks the documented order of the hits and the limit.
#include <cstdint>
#include <string_view>
#include <utility>

#include "kiosk/catalog/catalog.h"
#include "kiosk/catalog/search.h"

namespace {

struct Sample {
  kiosk::catalog::Catalog catalog;
  kiosk::catalog::SearchIndex index;

  static Sample* load() {
    auto catalog = kiosk::catalog::load_catalog(KIOSK_FUZZ_CATALOG);
    if (!catalog.ok()) __builtin_trap();  // the sample catalog is part of the source tree
    return new Sample(catalog.release_value());
  }

 private:
  explicit Sample(kiosk::catalog::Catalog loaded) : catalog(std::move(loaded)), index(catalog) {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Sample* sample = Sample::load();  // built once, kept for the process's life
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  const std::size_t limit = size % 40;
  const auto hits = sample->index.search(query, limit);
  if (hits.size() > limit) __builtin_trap();
  for (std::size_t i = 1; i < hits.size(); ++i) {
    if (hits[i - 1].score < hits[i].score) __builtin_trap();
    if (hits[i - 1].score == hits[i].score && hits[i - 1].item->name.size() > hits[i].item->name.size()) __builtin_trap();
  }
  return 0;
}
