#include "kiosk/catalog/catalog.h"

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
  return material;
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
  return item;
}

}  // namespace

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

Result<Catalog> parse_catalog(std::string_view json_text) {
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Error::make(ErrorKind::parse, "catalog: not valid JSON");
  if (!root.is_object()) return Error::make(ErrorKind::parse, "catalog: the top level must be an object");
  const Reader top(root, "");
  Catalog catalog;
  TRY_STATUS(top.string("version", catalog.version, true));

  std::set<std::string> category_ids;
  for (const Reader& reader : TRY(top.objects("categories", true))) {
    Category category;
    TRY_STATUS(reader.string("id", category.id, true));
    TRY_STATUS(reader.string("name", category.name, true));
    TRY_STATUS(reader.string("icon", category.icon));
    if (!category_ids.insert(category.id).second) return reader.error("id", "duplicate category \"" + category.id + "\"");
    catalog.categories.push_back(std::move(category));
  }

  std::set<std::string> codes;
  for (const Reader& reader : TRY(top.objects("items", true))) {
    Item item = TRY(parse_item(reader));
    if (!category_ids.count(item.category)) return reader.error("category", "unknown category \"" + item.category + "\"");
    if (!codes.insert(item.code).second) return reader.error("code", "duplicate item code \"" + item.code + "\"");
    catalog.items.push_back(std::move(item));
  }
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
