#pragma once
// The service-item catalog (政务服务事项): every element a guide (办事指南) shows. Loaded from JSON
// (assets/catalog/items.json until the platform channel replaces it with the platform's catalog).
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
};

struct Fee {
  bool free = true;
  std::string standard;  // "不收费" or the amount and unit
  std::string basis;     // legal basis of the fee; empty when free
};

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

  bool same_day() const { return promised_days == 0; }
};

struct Catalog {
  std::string version;  // the catalog's version string
  std::vector<Category> categories;
  std::vector<Item> items;

  const Category* find_category(std::string_view id) const;
  const Item* find_item(std::string_view code) const;
  // Items of a category, in catalog order; kiosk-enabled items first.
  std::vector<const Item*> items_in(std::string_view category_id) const;
};

// Parses catalog JSON. Errors are ErrorKind::parse with the path of the bad field, e.g.
// `items[3].materials[1].count: expected a positive integer`.
Result<Catalog> parse_catalog(std::string_view json_text);
Result<Catalog> load_catalog(const std::string& path);

}  // namespace kiosk::catalog
