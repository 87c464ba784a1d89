#include "kiosk/catalog/catalog.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kiosk/core/text.h"

namespace kiosk::catalog {
namespace {

using nlohmann::json;

// Reads fields of one JSON object, naming the path of anything malformed
// (`items[3].materials[1].count: expected a positive integer`).
class Reader {
 public:
  Reader(const json& object, std::string path) : object_(object), path_(std::move(path)) {}

  Error error(const std::string& field, const std::string& what) const {
    return Error::make(ErrorKind::parse, "catalog: " + path_ + (path_.empty() ? "" : ".") + field + ": " + what);
  }

  Status string(const char* field, std::string& out, bool required = false) const {
    if (!object_.contains(field)) {
      if (required) return error(field, "missing");
      return {};
    }
    const json& value = object_[field];
    if (!value.is_string()) return error(field, "expected a string");
    out = value.get<std::string>();
    if (!text::is_valid_utf8(out)) return error(field, "not valid UTF-8");
    if (required && out.empty()) return error(field, "must not be empty");
    return {};
  }

  Status strings(const char* field, std::vector<std::string>& out) const {
    if (!object_.contains(field)) return {};
    const json& value = object_[field];
    if (!value.is_array()) return error(field, "expected an array of strings");
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) return error(std::string(field) + "[" + std::to_string(i) + "]", "expected a string");
      std::string item = value[i].get<std::string>();
      if (!text::is_valid_utf8(item)) return error(std::string(field) + "[" + std::to_string(i) + "]", "not valid UTF-8");
      out.push_back(std::move(item));
    }
    return {};
  }

  Status integer(const char* field, int minimum, int maximum, int& out) const {
    if (!object_.contains(field)) return {};
    const json& value = object_[field];
    if (!value.is_number_integer()) return error(field, "expected an integer");
    const long long number = value.get<long long>();
    if (number < minimum || number > maximum) {
      return error(field, "expected an integer from " + std::to_string(minimum) + " to " + std::to_string(maximum));
    }
    out = static_cast<int>(number);
    return {};
  }

  // An array of integers in [minimum, maximum] at `field` (left empty if absent).
  Status integers(const char* field, int minimum, int maximum, std::vector<int>& out) const {
    if (!object_.contains(field)) return {};
    const json& value = object_[field];
    if (!value.is_array()) return error(field, "expected an array of integers");
    for (std::size_t i = 0; i < value.size(); ++i) {
      const bool in_range = value[i].is_number_integer() && value[i].get<long long>() >= minimum &&
                            value[i].get<long long>() <= maximum;
      if (!in_range) {
        return error(std::string(field) + "[" + std::to_string(i) + "]",
                     "expected an integer from " + std::to_string(minimum) + " to " + std::to_string(maximum));
      }
      out.push_back(static_cast<int>(value[i].get<long long>()));
    }
    return {};
  }

  Status boolean(const char* field, bool& out) const {
    if (!object_.contains(field)) return {};
    if (!object_[field].is_boolean()) return error(field, "expected true or false");
    out = object_[field].get<bool>();
    return {};
  }

  // The array at `field` (empty if absent); each element must be an object.
  Result<std::vector<Reader>> objects(const char* field, bool required = false) const {
    std::vector<Reader> readers;
    if (!object_.contains(field)) {
      if (required) return error(field, "missing");
      return readers;
    }
    const json& value = object_[field];
    if (!value.is_array()) return error(field, "expected an array");
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string path = path_ + (path_.empty() ? "" : ".") + field + "[" + std::to_string(i) + "]";
      if (!value[i].is_object()) return Error::make(ErrorKind::parse, "catalog: " + path + ": expected an object");
      readers.emplace_back(value[i], path);
    }
    return readers;
  }

  const json& object() const { return object_; }
  const std::string& path() const { return path_; }

 private:
  const json& object_;
  std::string path_;
};

Result<Material> parse_material(const Reader& reader) {
  Material material;
  TRY_STATUS(reader.string("name", material.name, true));
  std::string form = "original";
  TRY_STATUS(reader.string("form", form));
  if (form == "original") material.form = MaterialForm::original;
  else if (form == "copy") material.form = MaterialForm::copy;
  else if (form == "electronic") material.form = MaterialForm::electronic;
  else return reader.error("form", "expected \"original\", \"copy\" or \"electronic\"");
  if (reader.object().contains("count") &&
      (!reader.object()["count"].is_number_integer() || reader.object()["count"].get<long long>() < 1)) {
    return reader.error("count", "expected a positive integer");
  }
  TRY_STATUS(reader.integer("count", 1, 100, material.count));
  TRY_STATUS(reader.boolean("required", material.required));
  TRY_STATUS(reader.boolean("commitment_allowed", material.commitment_allowed));
  TRY_STATUS(reader.string("note", material.note));
  TRY_STATUS(reader.string("provided_by", material.provided_by));
  if (!material.provided_by.empty() &&
      std::none_of(std::begin(kProvidedBySources), std::end(kProvidedBySources),
                   [&](const char* source) { return material.provided_by == source; })) {
    return reader.error("provided_by", "expected \"id_card\" or \"face_photo\"");
  }
  return material;
}

constexpr const char* kFieldTypes = "text, id_number, uscc, phone, date, number, enum";

std::optional<FieldType> field_type_from(std::string_view name) {
  for (FieldType type : {FieldType::text, FieldType::id_number, FieldType::uscc, FieldType::phone, FieldType::date,
                         FieldType::number, FieldType::enumeration}) {
    if (name == to_string(type)) return type;
  }
  return std::nullopt;
}

// A form field's name is a key of the case's `form` object: 1..64 of [A-Za-z0-9_].
bool is_field_key(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!allowed) return false;
  }
  return true;
}

bool is_prefill_source(std::string_view source) {
  for (const char* known : kPrefillSources) {
    if (source == known) return true;
  }
  return false;
}

std::string prefill_sources() {
  std::string list;
  for (const char* known : kPrefillSources) list += (list.empty() ? "" : ", ") + std::string(known);
  return list;
}

Status parse_options(const Reader& reader, FormField& field) {
  std::set<std::string> values;
  for (const Reader& option_reader : TRY(reader.objects("options"))) {
    FieldOption option;
    TRY_STATUS(option_reader.string("value", option.value, true));
    TRY_STATUS(option_reader.string("label", option.label, true));
    if (!values.insert(option.value).second) return option_reader.error("value", "duplicate option \"" + option.value + "\"");
    field.options.push_back(std::move(option));
  }
  if (field.type == FieldType::enumeration && field.options.empty()) {
    return reader.error("options", "an enum field needs at least one option");
  }
  if (field.type != FieldType::enumeration && !field.options.empty()) {
    return reader.error("options", "only an enum field has options");
  }
  return {};
}

Result<FormField> parse_field(const Reader& reader) {
  FormField field;
  TRY_STATUS(reader.string("name", field.name, true));
  if (!is_field_key(field.name)) return reader.error("name", "expected 1 to 64 letters, digits or _");
  TRY_STATUS(reader.string("label", field.label, true));
  std::string type;
  TRY_STATUS(reader.string("type", type, true));
  const std::optional<FieldType> parsed = field_type_from(type);
  if (!parsed) return reader.error("type", std::string("expected one of ") + kFieldTypes);
  field.type = *parsed;
  TRY_STATUS(reader.boolean("required", field.required));
  TRY_STATUS(reader.integer("max_length", 1, 10000, field.max_length));
  TRY_STATUS(parse_options(reader, field));
  TRY_STATUS(reader.string("prefill", field.prefill));
  if (!field.prefill.empty() && !is_prefill_source(field.prefill)) {
    return reader.error("prefill", "expected one of " + prefill_sources());
  }
  TRY_STATUS(reader.string("hint", field.hint));
  return field;
}

Status parse_form(const Reader& reader, Item& item) {
  std::set<std::string> names;
  for (const Reader& field_reader : TRY(reader.objects("form"))) {
    FormField field = TRY(parse_field(field_reader));
    if (!names.insert(field.name).second) return field_reader.error("name", "duplicate field \"" + field.name + "\"");
    item.form.push_back(std::move(field));
  }
  return {};
}

Result<Item> parse_item(const Reader& reader) {
  Item item;
  TRY_STATUS(reader.string("code", item.code, true));
  TRY_STATUS(reader.string("name", item.name, true));
  TRY_STATUS(reader.string("category", item.category, true));
  TRY_STATUS(reader.string("type", item.type, true));
  TRY_STATUS(reader.string("department", item.department, true));
  TRY_STATUS(reader.string("implementer", item.implementer));
  if (item.implementer.empty()) item.implementer = item.department;
  TRY_STATUS(reader.strings("legal_basis", item.legal_basis));
  TRY_STATUS(reader.strings("conditions", item.conditions));
  for (const Reader& material : TRY(reader.objects("materials"))) item.materials.push_back(TRY(parse_material(material)));
  TRY_STATUS(reader.strings("steps", item.steps));
  TRY_STATUS(reader.integer("statutory_days", 0, 3650, item.statutory_days));
  TRY_STATUS(reader.integer("promised_days", 0, 3650, item.promised_days));
  if (item.promised_days > item.statutory_days && item.statutory_days > 0) {
    return reader.error("promised_days", "longer than statutory_days");
  }
  if (reader.object().contains("fee")) {
    if (!reader.object()["fee"].is_object()) return reader.error("fee", "expected an object");
    const Reader fee(reader.object()["fee"], reader.path() + ".fee");
    TRY_STATUS(fee.boolean("free", item.fee.free));
    TRY_STATUS(fee.string("standard", item.fee.standard));
    TRY_STATUS(fee.string("basis", item.fee.basis));
    if (!item.fee.free && item.fee.standard.empty()) return fee.error("standard", "missing for a charged item");
  }
  TRY_STATUS(reader.string("place", item.place));
  TRY_STATUS(reader.string("hours", item.hours));
  TRY_STATUS(reader.string("phone", item.phone));
  TRY_STATUS(reader.string("complaint_phone", item.complaint_phone));
  TRY_STATUS(reader.integer("visits", 0, 1, item.visits));
  TRY_STATUS(reader.string("online_url", item.online_url));
  TRY_STATUS(reader.boolean("kiosk_enabled", item.kiosk_enabled));
  TRY_STATUS(reader.boolean("province_wide", item.province_wide));
  TRY_STATUS(reader.boolean("cross_province", item.cross_province));
  TRY_STATUS(reader.strings("keywords", item.keywords));
  TRY_STATUS(parse_form(reader, item));
  TRY_STATUS(reader.string("commitment_text", item.commitment_text));
  return item;
}

Result<Category> parse_category(const Reader& reader) {
  Category category;
  TRY_STATUS(reader.string("id", category.id, true));
  TRY_STATUS(reader.string("name", category.name, true));
  TRY_STATUS(reader.string("icon", category.icon));
  return category;
}

Result<Package> parse_package(const Reader& reader) {
  Package package;
  TRY_STATUS(reader.string("id", package.id, true));
  TRY_STATUS(reader.string("name", package.name, true));
  TRY_STATUS(reader.string("description", package.description));
  if (!reader.object().contains("items")) return reader.error("items", "missing");
  TRY_STATUS(reader.strings("items", package.items));
  if (package.items.empty()) return reader.error("items", "expected at least one item code");
  std::set<std::string> codes;
  for (std::size_t i = 0; i < package.items.size(); ++i) {
    if (!codes.insert(package.items[i]).second) {
      return reader.error("items[" + std::to_string(i) + "]", "duplicate item \"" + package.items[i] + "\"");
    }
  }
  return package;
}

Result<RatingReason> parse_rating_reason(const Reader& reader) {
  RatingReason reason;
  TRY_STATUS(reader.string("code", reason.code, true));
  TRY_STATUS(reader.string("text", reason.text, true));
  if (!reader.object().contains("levels")) return reader.error("levels", "missing");
  TRY_STATUS(reader.integers("levels", 1, 5, reason.levels));
  if (reason.levels.empty()) return reader.error("levels", "expected at least one level from 1 to 5");
  return reason;
}

Result<QueueCategory> parse_queue_category(const Reader& reader) {
  QueueCategory category;
  TRY_STATUS(reader.string("id", category.id, true));
  TRY_STATUS(reader.string("name", category.name, true));
  TRY_STATUS(reader.boolean("priority", category.priority));
  return category;
}

// Parses the array at `field` with `parse`, rejecting two elements with the same key.
template <typename T, typename Parse, typename Key>
Result<std::vector<T>> parse_list(const Reader& top, const char* field, bool required, Parse parse, Key key,
                                  const char* key_field, const char* what) {
  std::vector<T> list;
  std::set<std::string> keys;
  for (const Reader& reader : TRY(top.objects(field, required))) {
    T element = TRY(parse(reader));
    if (!keys.insert(key(element)).second) {
      return reader.error(key_field, std::string("duplicate ") + what + " \"" + key(element) + "\"");
    }
    list.push_back(std::move(element));
  }
  return list;
}

// Parses an optional top-level list: absent stays std::nullopt.
template <typename T, typename Parse, typename Key>
Result<std::optional<std::vector<T>>> parse_optional_list(const Reader& top, const char* field, Parse parse, Key key,
                                                          const char* key_field, const char* what) {
  if (!top.object().contains(field)) return std::optional<std::vector<T>>();
  return std::optional<std::vector<T>>(TRY(parse_list<T>(top, field, false, parse, key, key_field, what)));
}

bool is_region_code(std::string_view region) {
  if (region.size() != 6) return false;
  for (char c : region) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Error reference_error(const std::string& path, const std::string& what) {
  return Error::make(ErrorKind::parse, "catalog: " + path + ": " + what);
}

// The catalog `delta` would produce from `cached` (before the references are checked).
Catalog merged(const Catalog& cached, const CatalogDelta& delta) {
  Catalog result;
  if (!delta.full) result = cached;
  result.version = delta.version;
  if (delta.full || !delta.region.empty()) result.region = delta.region;
  if (delta.categories) result.categories = *delta.categories;
  if (delta.packages) result.packages = *delta.packages;
  if (delta.rating_reasons) result.rating_reasons = *delta.rating_reasons;
  if (delta.queue_categories) result.queue_categories = *delta.queue_categories;
  if (delta.full) {
    result.items = delta.items;
    return result;
  }
  const std::set<std::string> removed(delta.removed.begin(), delta.removed.end());
  std::erase_if(result.items, [&](const Item& item) { return removed.count(item.code) > 0; });
  for (const Item& item : delta.items) {
    auto same = std::find_if(result.items.begin(), result.items.end(),
                             [&](const Item& cached_item) { return cached_item.code == item.code; });
    if (same != result.items.end()) *same = item;
    else result.items.push_back(item);
  }
  return result;
}

// Every item's category and every package's items must exist in `catalog`. Items the delta carried
// are named by their index in the answer, cached ones by code.
Status check_references(const Catalog& catalog, const CatalogDelta& delta) {
  for (std::size_t i = 0; i < delta.items.size(); ++i) {
    const Item& item = delta.items[i];
    if (!catalog.find_category(item.category)) {
      return reference_error("items[" + std::to_string(i) + "].category", "unknown category \"" + item.category + "\"");
    }
  }
  for (const Item& item : catalog.items) {
    if (!catalog.find_category(item.category)) {
      return reference_error("cached item \"" + item.code + "\".category", "unknown category \"" + item.category + "\"");
    }
  }
  for (std::size_t i = 0; i < catalog.packages.size(); ++i) {
    const Package& package = catalog.packages[i];
    for (std::size_t j = 0; j < package.items.size(); ++j) {
      if (!catalog.find_item(package.items[j])) {
        return reference_error("packages[" + std::to_string(i) + "].items[" + std::to_string(j) + "]",
                               "unknown item \"" + package.items[j] + "\"");
      }
    }
  }
  return {};
}

}  // namespace

const char* to_string(FieldType type) {
  switch (type) {
    case FieldType::text: return "text";
    case FieldType::id_number: return "id_number";
    case FieldType::uscc: return "uscc";
    case FieldType::phone: return "phone";
    case FieldType::date: return "date";
    case FieldType::number: return "number";
    case FieldType::enumeration: return "enum";
  }
  return "text";
}

bool Item::commitment_allowed() const {
  return std::any_of(materials.begin(), materials.end(), [](const Material& material) { return material.commitment_allowed; });
}

bool Item::zero_materials() const {
  return std::none_of(materials.begin(), materials.end(), [](const Material& material) { return material.required; });
}

const FormField* Item::find_field(std::string_view field_name) const {
  for (const auto& field : form) {
    if (field.name == field_name) return &field;
  }
  return nullptr;
}

const Category* Catalog::find_category(std::string_view id) const {
  for (const auto& category : categories) {
    if (category.id == id) return &category;
  }
  return nullptr;
}

const Item* Catalog::find_item(std::string_view code) const {
  for (const auto& item : items) {
    if (item.code == code) return &item;
  }
  return nullptr;
}

const Package* Catalog::find_package(std::string_view id) const {
  for (const auto& package : packages) {
    if (package.id == id) return &package;
  }
  return nullptr;
}

std::vector<const RatingReason*> Catalog::reasons_for(int level) const {
  std::vector<const RatingReason*> found;
  for (const auto& reason : rating_reasons) {
    if (std::find(reason.levels.begin(), reason.levels.end(), level) != reason.levels.end()) found.push_back(&reason);
  }
  return found;
}

std::vector<const Item*> Catalog::items_in(std::string_view category_id) const {
  std::vector<const Item*> found;
  for (const auto& item : items) {
    if (item.category == category_id && item.kiosk_enabled) found.push_back(&item);
  }
  for (const auto& item : items) {
    if (item.category == category_id && !item.kiosk_enabled) found.push_back(&item);
  }
  return found;
}

Result<CatalogDelta> parse_catalog_delta(std::string_view json_text) {
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Error::make(ErrorKind::parse, "catalog: not valid JSON");
  if (!root.is_object()) return Error::make(ErrorKind::parse, "catalog: the top level must be an object");
  const Reader top(root, "");
  CatalogDelta delta;
  TRY_STATUS(top.string("version", delta.version, true));
  TRY_STATUS(top.string("region", delta.region));
  if (top.object().contains("region") && !is_region_code(delta.region)) {
    return top.error("region", "expected a 6-digit region code");
  }
  TRY_STATUS(top.boolean("full", delta.full));

  const auto category_id = [](const Category& category) { return category.id; };
  if (delta.full || top.object().contains("categories")) {
    delta.categories = TRY(parse_list<Category>(top, "categories", delta.full, parse_category, category_id, "id", "category"));
  }
  const auto item_code = [](const Item& item) { return item.code; };
  delta.items = TRY(parse_list<Item>(top, "items", delta.full, parse_item, item_code, "code", "item code"));
  TRY_STATUS(top.strings("removed", delta.removed));
  for (std::size_t i = 0; i < delta.removed.size() && !delta.full; ++i) {
    for (const Item& item : delta.items) {
      if (item.code == delta.removed[i]) {
        return top.error("removed[" + std::to_string(i) + "]", "item \"" + item.code + "\" is also in items");
      }
    }
  }
  delta.packages = TRY(parse_optional_list<Package>(top, "packages", parse_package,
                                                    [](const Package& package) { return package.id; }, "id", "package"));
  delta.rating_reasons = TRY(parse_optional_list<RatingReason>(
      top, "rating_reasons", parse_rating_reason, [](const RatingReason& reason) { return reason.code; }, "code",
      "rating reason"));
  delta.queue_categories = TRY(parse_optional_list<QueueCategory>(
      top, "queue_categories", parse_queue_category, [](const QueueCategory& category) { return category.id; }, "id",
      "queue category"));
  return delta;
}

Status apply_delta(Catalog& catalog, const CatalogDelta& delta) {
  if (!delta.full && !delta.region.empty() && !catalog.region.empty() && delta.region != catalog.region) {
    return Error::make(ErrorKind::parse, "catalog: region: a partial catalog for " + delta.region +
                                             " does not apply to the cached catalog of " + catalog.region);
  }
  Catalog result = merged(catalog, delta);
  TRY_STATUS(check_references(result, delta));
  catalog = std::move(result);
  return {};
}

Result<Catalog> parse_catalog(std::string_view json_text) {
  CatalogDelta delta = TRY(parse_catalog_delta(json_text));
  if (!delta.full) return Error::make(ErrorKind::parse, "catalog: full: expected a full catalog, not a partial one");
  Catalog catalog;
  TRY_STATUS(apply_delta(catalog, delta));
  return catalog;
}

Result<Catalog> load_catalog(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::io, "catalog " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  auto catalog = parse_catalog(text.str());
  if (!catalog.ok()) return Error::make(ErrorKind::parse, path + ": " + catalog.error().message);
  return catalog;
}

}  // namespace kiosk::catalog
