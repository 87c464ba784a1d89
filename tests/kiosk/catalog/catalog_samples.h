#pragma once
// Catalog JSON for the catalog tests: a small but complete catalog with every newer part (forms,
// a 告知承诺书, packages, rating reasons, queue categories), and the sample asset read as plain
// JSON, independently of the parser under test.

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace kiosk::catalog::testing_samples {

using nlohmann::json;

inline const std::string kSamplePath = std::string(KIOSK_TEST_ASSETS) + "/catalog/items.json";

inline json sample_json() {
  std::ifstream in(kSamplePath, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

inline json item_json(const std::string& code, const std::string& name, const std::string& category) {
  return json{{"code", code},
              {"name", name},
              {"category", category},
              {"type", "公共服务"},
              {"department", "泸州市住房公积金管理中心"},
              {"materials", json::array({json{{"name", "本人居民身份证"}}})},
              {"kiosk_enabled", true}};
}

// Two categories, three items (the first with a form of every kind of field and a commitment), two
// packages, two rating reasons, two queue categories.
inline json full_catalog() {
  json withdrawal = item_json("F-0001", "住房公积金提取（租房）", "housing-fund");
  withdrawal["materials"].push_back(json{{"name", "租赁合同"}, {"commitment_allowed", true}});
  withdrawal["commitment_text"] = "本人承诺所填租赁信息真实。";
  withdrawal["form"] = json::array({
      json{{"name", "applicant_name"}, {"label", "申请人姓名"}, {"type", "text"}, {"max_length", 30},
           {"prefill", "card.name"}},
      json{{"name", "id_number"}, {"label", "公民身份号码"}, {"type", "id_number"}, {"prefill", "card.id_number"}},
      json{{"name", "phone"}, {"label", "联系电话"}, {"type", "phone"}, {"hint", "用于接收短信"}},
      json{{"name", "reason"},
           {"label", "提取原因"},
           {"type", "enum"},
           {"options", json::array({json{{"value", "rent"}, {"label", "租房"}},
                                    json{{"value", "other"}, {"label", "其他"}}})}},
      json{{"name", "lease_start"}, {"label", "租赁起始日期"}, {"type", "date"}, {"required", false}},
      json{{"name", "monthly_rent"}, {"label", "月租金（元）"}, {"type", "number"}},
      json{{"name", "landlord_uscc"}, {"label", "出租单位统一社会信用代码"}, {"type", "uscc"}, {"required", false}},
  });
  json certificate = item_json("F-0002", "住房公积金缴存证明打印", "housing-fund");
  certificate["materials"] = json::array();
  json record = item_json("T-0003", "个人纳税记录开具", "tax");
  record["department"] = "国家税务总局泸州市江阳区税务局";
  return json{
      {"version", "2026.11.25-0001"},
      {"region", "510502"},
      {"categories", json::array({json{{"id", "housing-fund"}, {"name", "公积金"}, {"icon", "金"}},
                                  json{{"id", "tax"}, {"name", "税务"}, {"icon", "税"}}})},
      {"items", json::array({withdrawal, certificate, record})},
      {"packages", json::array({json{{"id", "renting"}, {"name", "租房一件事"}, {"description", "提取与证明一次办"},
                                     {"items", json::array({"F-0001", "F-0002"})}},
                                json{{"id", "tax-record"}, {"name", "纳税证明一件事"},
                                     {"items", json::array({"T-0003"})}}})},
      {"rating_reasons", json::array({json{{"code", "slow"}, {"text", "办理时间长"}, {"levels", json::array({1, 2})}},
                                      json{{"code", "unclear"}, {"text", "指南不清楚"}, {"levels", json::array({1, 2, 3})}}})},
      {"queue_categories", json::array({json{{"id", "A"}, {"name", "综合受理"}, {"priority", true}},
                                        json{{"id", "B"}, {"name", "不动产登记"}}})},
  };
}

}  // namespace kiosk::catalog::testing_samples
