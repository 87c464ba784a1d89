#pragma once
// The service-item catalog (政务服务事项): every element a guide (办事指南) shows, each item's
// application form and 告知承诺书, the 一件事一次办 packages, the reasons offered for a bad rating
// and the hall's queue categories. Loaded from JSON: assets/catalog/items.json (the factory seed)
// or the platform's answer to GET /api/v1/catalog (docs/platform-api.md), full or as a delta.
// Parsing outside data never throws: a malformed catalog is an Error naming the item and field.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::catalog {

enum class MaterialForm { original, copy, electronic };

struct Material {
  std::string name;
  MaterialForm form = MaterialForm::original;
  int count = 1;
  bool required = true;
  bool commitment_allowed = false;  // 告知承诺 may replace it
  std::string note;                 // e.g. "近期免冠照片"; may be empty
  // What the terminal's identification already provides (来源渠道 of 申请材料): "id_card" (the card
  // read on the reader), "face_photo" (the photo taken for face verification), or "" (the
  // citizen provides it). Such a material is shown as provided and asks nothing more.
  std::string provided_by;
};
// The values `provided_by` may take besides "".
inline constexpr const char* kProvidedBySources[] = {"id_card", "face_photo"};

struct Fee {
  bool free = true;
  std::string standard;  // "不收费" or the amount and unit
  std::string basis;     // legal basis of the fee; empty when free
};

// One field of an item's application form (docs/platform-api.md, "Catalog"). The validators are
// in form_validation.h.
enum class FieldType { text, id_number, uscc, phone, date, number, enumeration };

struct FieldOption {
  std::string value;  // what the case carries, e.g. "expired"
  std::string label;  // what the citizen reads, e.g. "有效期满"
};

struct FormField {
  std::string name;   // key in the case's `form` object: letters, digits and '_'
  std::string label;  // 联系电话
  FieldType type = FieldType::text;
  bool required = true;               // absent in JSON: required, as for materials
  int max_length = 0;                 // in characters (code points); 0 = no limit of its own
  std::vector<FieldOption> options;   // enum only, at least one
  std::string prefill;                // "" or one of kPrefillSources: filled from the ID card
  std::string hint;                   // shown under the field; may be empty
};

// JSON spelling of a field type ("enum" for FieldType::enumeration).
const char* to_string(FieldType type);
// The card fields a form field may be prefilled from.
inline constexpr const char* kPrefillSources[] = {"card.name", "card.id_number", "card.address", "card.birth_date",
                                                 "card.sex"};

struct Category {
  std::string id;    // "public-security"
  std::string name;  // "公安"
  std::string icon;  // short glyph shown on the tile, e.g. "警"
};

struct Item {
  std::string code;            // 事项编码, e.g. "510100000000-XK-0001"
  std::string name;            // 事项名称
  std::string category;        // Category::id
  std::string type;            // 事项类型: 行政许可, 行政确认, 行政给付, 公共服务 …
  std::string department;      // 主管部门
  std::string implementer;     // 实施机关
  std::vector<std::string> legal_basis;  // 设定和实施依据
  std::vector<std::string> conditions;   // 受理条件
  std::vector<Material> materials;       // 申请材料
  std::vector<std::string> steps;        // 办理流程
  int statutory_days = 0;      // 法定时限 (working days)
  int promised_days = 0;       // 承诺时限; 0 = 即办件 (same day)
  Fee fee;                     // 收费标准
  std::string place;           // 办理地点
  std::string hours;           // 办理时间
  std::string phone;           // 咨询电话
  std::string complaint_phone; // 监督投诉电话
  int visits = 0;              // 到现场次数 (0 or 1)
  std::string online_url;      // 网上办理地址; may be empty
  bool kiosk_enabled = false;  // can be done at this self-service terminal
  bool province_wide = false;  // 全省通办
  bool cross_province = false; // 跨省通办
  std::vector<std::string> keywords;  // extra search words (synonyms)
  std::vector<FormField> form;        // 申请表, in order; empty for query-only items
  std::string commitment_text;        // 告知承诺书; empty when no material allows 告知承诺

  bool same_day() const { return promised_days == 0; }
  // True if some material may be replaced by a signed commitment (告知承诺).
  bool commitment_allowed() const;
  // True if no material is required (零材料).
  bool zero_materials() const;
  const FormField* find_field(std::string_view name) const;
};

// 一件事一次办: several items applied for together.
struct Package {
  std::string id;                  // "newborn"
  std::string name;                // 出生一件事
  std::string description;
  std::vector<std::string> items;  // item codes, each in the catalog
};

// A reason a citizen may give for a bad rating (GB/T 39734), offered at the listed levels (1..5).
struct RatingReason {
  std::string code;  // "slow"
  std::string text;  // 办理时间长
  std::vector<int> levels;
};

// A business category of the hall's queue (排队叫号).
struct QueueCategory {
  std::string id;    // "A"
  std::string name;  // 综合受理
  bool priority = false;  // elderly and disabled citizens may take a priority ticket
};

struct Catalog {
  std::string version;  // the catalog's version string
  std::string region;   // 6-digit administrative division code, e.g. "510502"; may be empty
  std::vector<Category> categories;
  std::vector<Item> items;
  std::vector<Package> packages;
  std::vector<RatingReason> rating_reasons;
  std::vector<QueueCategory> queue_categories;

  const Category* find_category(std::string_view id) const;
  const Item* find_item(std::string_view code) const;
  const Package* find_package(std::string_view id) const;
  // Items of a category, in catalog order; kiosk-enabled items first.
  std::vector<const Item*> items_in(std::string_view category_id) const;
  // Reasons offered for a rating at `level` (1..5), in catalog order.
  std::vector<const RatingReason*> reasons_for(int level) const;
};

// The platform's answer to GET /api/v1/catalog. `full` (the default when absent) replaces the
// cached catalog; otherwise `items` holds only changed or added items, `removed` the codes that
// are gone, and the optional lists are present only when the platform sent them.
struct CatalogDelta {
  std::string version;
  std::string region;
  bool full = true;
  std::optional<std::vector<Category>> categories;  // required when full
  std::vector<Item> items;
  std::vector<std::string> removed;  // ignored when full
  std::optional<std::vector<Package>> packages;
  std::optional<std::vector<RatingReason>> rating_reasons;
  std::optional<std::vector<QueueCategory>> queue_categories;
};

// Parses a full catalog (the seed file, or a platform answer with `full` true or absent) and checks
// it whole: every item's category exists, every package's items exist. Errors are
// ErrorKind::parse with the path of the bad field, e.g.
// `catalog: items[3].form[1].type: expected one of text, id_number, …`. The newer parts (form,
// commitment_text, region, packages, rating_reasons, queue_categories) are optional.
Result<Catalog> parse_catalog(std::string_view json_text);
Result<Catalog> load_catalog(const std::string& path);

// Parses the platform's answer, full or partial. Checks each part on its own (field shapes,
// duplicates within the answer, a code both changed and removed); references between parts are
// checked by apply_delta, against the catalog they end up in.
Result<CatalogDelta> parse_catalog_delta(std::string_view json_text);

// Applies an answer to the cached catalog: a full answer replaces it; a partial one replaces items
// with the same code, appends new ones, drops the `removed` codes (unknown codes are no-ops) and
// replaces categories, packages, rating reasons and queue categories when the answer carries
// them. All or nothing: if the result would be inconsistent (an item in an unknown category, a
// package naming a missing item, a partial answer for another region) `catalog` is left as it was
// and the error names the offending part; the caller then asks for a full catalog.
Status apply_delta(Catalog& catalog, const CatalogDelta& delta);

}  // namespace kiosk::catalog
