// Fuzz target: the service-item catalog (assets/catalog/items.json, and the platform's answers to
// GET /api/v1/catalog, full or partial). A catalog that parses also goes through the search index,
// whose word starts are computed from the (fuzzed) item names, and its form fields through the
// validators; any answer that parses as a delta is applied to a small cached catalog.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "kiosk/catalog/catalog.h"
#include "kiosk/catalog/form_validation.h"
#include "kiosk/catalog/search.h"

namespace {

using namespace kiosk::catalog;

// The cache a partial answer is applied to: two categories, two items, one package.
const Catalog& cached_catalog() {
  static const Catalog catalog = [] {
    auto parsed = parse_catalog(R"({"version": "1", "region": "510502",
      "categories": [{"id": "tax", "name": "税务"}, {"id": "health", "name": "卫生健康"}],
      "items": [{"code": "T-0001", "name": "个人纳税记录开具", "category": "tax", "type": "公共服务", "department": "税务局"},
                {"code": "H-0001", "name": "预防接种记录查询", "category": "health", "type": "公共服务", "department": "疾控中心"}],
      "packages": [{"id": "p", "name": "一件事", "items": ["T-0001", "H-0001"]}]})");
    if (!parsed.ok()) std::abort();
    return parsed.release_value();
  }();
  return catalog;
}

void exercise_forms(const Item& item) {
  (void)item.commitment_allowed();
  (void)item.zero_materials();
  for (const FormField& field : item.form) {
    if (item.find_field(field.name) == nullptr) std::abort();  // a parsed field is found by its name
    for (std::string_view value : {std::string_view(field.label), std::string_view(field.hint), std::string_view("")}) {
      const FieldCheck check = validate_field(field, value);
      if (!check.ok() && (check.message_zh.empty() || check.message_en.empty())) std::abort();
    }
    for (const FieldOption& option : field.options) (void)validate_field(field, option.value);
  }
}

void exercise_catalog(const Catalog& catalog) {
  const SearchIndex index(catalog);
  std::size_t searched = 0;
  for (const auto& item : catalog.items) {
    if (++searched > 8) break;  // enough to reach every code path; keeps each input fast
    (void)catalog.find_item(item.code);
    (void)catalog.items_in(item.category);
    (void)index.search(item.name);
    (void)index.search(pinyin_initials(item.name), 5);
    exercise_forms(item);
  }
  for (int level = 0; level <= 6; ++level) (void)catalog.reasons_for(level);
  for (const Package& package : catalog.packages) {
    if (catalog.find_package(package.id) == nullptr) std::abort();
    for (const std::string& code : package.items) {
      if (catalog.find_item(code) == nullptr) std::abort();  // parse and apply_delta promise this
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto catalog = parse_catalog(text);
  if (catalog.ok()) exercise_catalog(*catalog);
  auto delta = parse_catalog_delta(text);
  if (!delta.ok()) return 0;
  Catalog applied = cached_catalog();
  const std::string version_before = applied.version;
  if (apply_delta(applied, *delta).ok()) {
    exercise_catalog(applied);
  } else if (applied.version != version_before || applied.items.size() != cached_catalog().items.size()) {
    std::abort();  // a refused answer leaves the cache as it was
  }
  return 0;
}
