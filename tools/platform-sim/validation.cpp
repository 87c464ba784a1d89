#include "tools/platform-sim/validation.h"

#include <algorithm>
#include <utility>

#include "kiosk/core/check_digits.h"
#include "kiosk/core/text.h"
#include "tools/platform-sim/codec.h"
#include "tools/platform-sim/times.h"

namespace platform_sim {
namespace {

constexpr std::size_t kShortText = 200;           // names, codes, ids (in characters)
constexpr std::size_t kLongText = 20000;          // commitment texts, addresses
constexpr std::size_t kMaxRatingText = 500;       // contract: text ≤ 500 characters

bool has_control_characters(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && c != '\n' && c != '\t') || b == 0x7f;
  });
}

// Reads typed members of one JSON object. A missing required member or a member of the wrong
// type is a shape error (400); the first one is kept.
class Reader {
 public:
  Reader(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {
    if (!object_.is_object()) fail(prefix_.empty() ? "the body" : prefix_, "must be an object");
  }

  std::optional<std::string> string(const char* name, bool required, std::size_t max_chars = kShortText) {
    const json* value = member(name, required);
    if (!value) return std::nullopt;
    if (!value->is_string()) return fail(name, "must be a string"), std::nullopt;
    const auto& text = value->get_ref<const std::string&>();
    if (utf8_length(text) > max_chars) return fail(name, "is too long"), std::nullopt;
    return text;
  }

  std::optional<std::int64_t> integer(const char* name, bool required) {
    const json* value = member(name, required);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) return fail(name, "must be a whole number"), std::nullopt;
    return value->get<std::int64_t>();
  }

  std::optional<bool> boolean(const char* name, bool required) {
    const json* value = member(name, required);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) return fail(name, "must be true or false"), std::nullopt;
    return value->get<bool>();
  }

  const json* object(const char* name, bool required) {
    const json* value = member(name, required);
    if (value && !value->is_object()) return fail(name, "must be an object"), nullptr;
    return value;
  }

  const json* array(const char* name, bool required) {
    const json* value = member(name, required);
    if (value && !value->is_array()) return fail(name, "must be an array"), nullptr;
    return value;
  }

  const json* number(const char* name, bool required) {
    const json* value = member(name, required);
    if (value && !value->is_number()) return fail(name, "must be a number"), nullptr;
    return value;
  }

  bool failed() const { return error_.has_value(); }
  ApiError error() const { return bad_request(error_.value_or("malformed body")); }
  std::string path(std::string_view name) const { return prefix_.empty() ? std::string(name) : prefix_ + "." + std::string(name); }

 private:
  const json* member(const char* name, bool required) {
    if (failed() || !object_.is_object()) return nullptr;
    const auto found = object_.find(name);
    if (found == object_.end() || found->is_null()) {
      if (required) fail(name, "is missing");
      return nullptr;
    }
    return &*found;
  }

  void fail(std::string_view name, std::string_view what) {
    if (!error_) error_ = path(name) + " " + std::string(what);
  }

  const json& object_;
  std::string prefix_;
  std::optional<std::string> error_;
};

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_resident_id(std::string_view id) {
  return id.size() == 18 && kiosk::check_digits::valid_id_number(id) && valid_compact_date(id.substr(6, 8));
}

bool valid_decimal(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return all_digits(text);
  return all_digits(text.substr(0, dot)) && all_digits(text.substr(dot + 1));
}

bool enum_has(const json& options, const std::string& value) {
  if (!options.is_array()) return false;
  return std::any_of(options.begin(), options.end(), [&](const json& option) {
    return option.is_object() && option.value("value", std::string()) == value;
  });
}

// One form field's rule by type; nullopt when the value is fine.
std::optional<std::string> check_field_value(const json& field, const std::string& value) {
  const std::string type = field.value("type", std::string("text"));
  if (!kiosk::text::is_valid_utf8(value) || has_control_characters(value)) return "含有无法识别的字符";
  if (type == "text") {
    const auto max_length = field.value("max_length", 0);
    if (max_length > 0 && utf8_length(value) > static_cast<std::size_t>(max_length)) return "内容过长";
  } else if (type == "id_number") {
    if (!valid_resident_id(value)) return "公民身份号码不正确";
  } else if (type == "uscc") {
    // A failed GB 32100 check only warns (early pilot codes): refuse only a wrong character set.
    const bool shape = value.size() == 18 && std::all_of(value.begin(), value.end(), kiosk::check_digits::is_uscc_character);
    if (!shape) return "统一社会信用代码应为18位数字或大写字母";
  } else if (type == "phone") {
    if (!valid_phone(value)) return "电话号码格式不正确";
  } else if (type == "date") {
    if (!valid_date(value)) return "日期格式应为年-月-日";
  } else if (type == "number") {
    if (!valid_decimal(value)) return "请填写数字";
  } else if (type == "enum") {
    if (!enum_has(field.value("options", json::array()), value)) return "请从选项中选择";
  }
  return std::nullopt;
}

// The applicant; a shape error is returned, rule errors are added to `errors`.
std::optional<ApiError> check_applicant(Reader& body, CaseRequest& request, std::vector<FieldError>& errors) {
  const json* applicant = body.object("applicant", true);
  if (!applicant) return body.error();
  Reader reader(*applicant, "applicant");
  auto name = reader.string("name", true, 64);
  auto id_number = reader.string("id_number", true, 32);
  auto phone = reader.string("phone", false, 32);
  if (reader.failed()) return reader.error();
  request.applicant_name = *name;
  request.applicant_id_number = *id_number;
  if (name->empty()) errors.push_back({"applicant.name", "请填写申请人姓名"});
  if (!valid_resident_id(*id_number)) errors.push_back({"applicant.id_number", "公民身份号码不正确"});
  if (phone && !phone->empty() && !valid_phone(*phone)) errors.push_back({"applicant.phone", "电话号码格式不正确"});
  return std::nullopt;
}

// Checks one material; returns what the platform stores of it (data → size + SHA-256).
Checked<json> check_material(const json& material, std::size_t index, std::vector<FieldError>& errors) {
  const std::string where = "materials[" + std::to_string(index) + "]";
  Reader reader(material, where);
  auto name = reader.string("name", true);
  auto source = reader.string("source", true, 32);
  auto data = reader.string("data", false, 16u << 20);
  auto licence_id = reader.string("licence_id", false);
  reader.string("content_type", false, 100);
  if (reader.failed()) return reader.error();
  json stored = material;
  if (*source == "capture") {
    if (!data) {
      errors.push_back({where + ".data", "缺少材料内容"});
    } else {
      auto bytes = base64_decode(*data);
      if (!bytes) return bad_request(where + ".data is not base64");
      stored.erase("data");
      stored["size"] = bytes->size();
      stored["sha256"] = sha256_hex(*bytes);
    }
  } else if (*source == "licence") {
    if (!licence_id || licence_id->empty()) errors.push_back({where + ".licence_id", "缺少电子证照编号"});
  } else if (*source != "commitment") {
    errors.push_back({where + ".source", "材料来源应为 capture、licence 或 commitment"});
  }
  if (name->empty()) errors.push_back({where + ".name", "缺少材料名称"});
  return stored;
}

Checked<json> check_commitment(const json& commitment, std::vector<FieldError>& errors) {
  Reader reader(commitment, "commitment");
  auto text = reader.string("text", true, kLongText);
  auto signature = reader.string("signature_png", false, 8u << 20);
  auto signed_at = reader.string("signed_at", false, 40);
  if (reader.failed()) return reader.error();
  json stored = commitment;
  if (signature) {
    auto bytes = base64_decode(*signature);
    if (!bytes) return bad_request("commitment.signature_png is not base64");
    // The signature is a picture of what the citizen drew: it must at least be a PNG.
    if (bytes->size() < 8 || std::string_view(reinterpret_cast<const char*>(bytes->data()), 8) != "\x89PNG\r\n\x1a\n") {
      errors.push_back({"commitment.signature_png", "签名不是 PNG 图片"});
    }
    stored.erase("signature_png");
    stored["signature_size"] = bytes->size();
    stored["signature_sha256"] = sha256_hex(*bytes);
  }
  if (text->empty()) errors.push_back({"commitment.text", "缺少承诺书内容"});
  if (signed_at && !valid_rfc3339(*signed_at)) errors.push_back({"commitment.signed_at", "时间格式不正确"});
  return stored;
}

Checked<json> check_delivery(const json* delivery, std::vector<FieldError>& errors) {
  if (!delivery) return json{{"method", "pickup"}};
  Reader reader(*delivery, "delivery");
  auto method = reader.string("method", true, 16);
  const json* address = reader.object("address", false);
  if (reader.failed()) return reader.error();
  if (*method == "pickup") return json{{"method", "pickup"}};
  if (*method != "post") {
    errors.push_back({"delivery.method", "领取方式应为 pickup 或 post"});
    return *delivery;
  }
  if (!address) {
    errors.push_back({"delivery.address", "邮寄需要填写收件地址"});
    return *delivery;
  }
  Reader fields(*address, "delivery.address");
  auto recipient = fields.string("recipient", true, 64);
  auto phone = fields.string("phone", true, 32);
  auto region = fields.string("region", true);
  auto detail = fields.string("detail", true, 500);
  if (fields.failed()) return fields.error();
  if (recipient->empty()) errors.push_back({"delivery.address.recipient", "请填写收件人"});
  if (!valid_phone(*phone)) errors.push_back({"delivery.address.phone", "电话号码格式不正确"});
  if (detail->empty()) errors.push_back({"delivery.address.detail", "请填写详细地址"});
  return *delivery;
}

int json_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '[' || c == '{') deepest = std::max(deepest, ++depth);
    if (c == ']' || c == '}') --depth;
  }
  return deepest;
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool valid_phone(std::string_view phone) {
  if (phone.size() == 11 && phone[0] == '1' && phone[1] >= '3' && phone[1] <= '9' && all_digits(phone)) return true;
  // Landline: 0, two or three more area digits, an optional '-', then 7 or 8 digits.
  if (phone.empty() || phone[0] != '0') return false;
  for (std::size_t area = 3; area <= 4; ++area) {
    if (phone.size() <= area || !all_digits(phone.substr(0, area))) continue;
    std::string_view rest = phone.substr(area);
    if (!rest.empty() && rest.front() == '-') rest.remove_prefix(1);
    if ((rest.size() == 7 || rest.size() == 8) && all_digits(rest)) return true;
  }
  return false;
}

Checked<json> parse_json_body(std::string_view body) {
  if (body.empty()) return bad_request("the body is empty; a JSON object is expected");
  if (json_depth(body) > kMaxJsonDepth) return bad_request("the JSON is nested too deeply");
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return bad_request("the body is not valid JSON (UTF-8)");
  if (!parsed.is_object()) return bad_request("the body must be a JSON object");
  return parsed;
}

bool valid_idempotency_key(std::string_view key) {
  if (key.size() < 16 || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

Checked<VerifyRequest> validate_verify(const json& body) {
  Reader reader(body, "");
  const json* card = reader.object("card", true);
  auto face = reader.string("face_jpeg", false, 12u << 20);
  if (reader.failed()) return reader.error();
  Reader card_reader(*card, "card");
  VerifyRequest request;
  auto name = card_reader.string("name", true, 64);
  auto id_number = card_reader.string("id_number", true, 32);
  auto valid_until = card_reader.string("valid_until", true, 16);
  for (const char* optional : {"sex", "nation", "birth_date", "address", "authority", "valid_from"}) {
    card_reader.string(optional, false, 500);
  }
  if (card_reader.failed()) return card_reader.error();
  request.name = *name;
  request.id_number = *id_number;
  request.valid_until = *valid_until;
  if (face) {
    auto bytes = base64_decode(*face);
    if (!bytes) return bad_request("face_jpeg is not base64");
    request.face = std::move(*bytes);
  }
  return request;
}

std::vector<FieldError> validate_form(const json& schema, const json& form) {
  std::vector<FieldError> errors;
  if (!schema.is_array()) return errors;
  for (const json& field : schema) {
    if (!field.is_object() || !field.contains("name") || !field["name"].is_string()) continue;
    const std::string name = field["name"].get<std::string>();
    const std::string where = "form." + name;
    const auto found = form.find(name);
    std::string value;
    if (found != form.end() && found->is_string()) {
      value = found->get<std::string>();
    } else if (found != form.end() && found->is_number() && field.value("type", std::string()) == "number") {
      value = found->dump();
    } else if (found != form.end() && !found->is_null()) {
      errors.push_back({where, "格式不正确"});
      continue;
    }
    if (value.empty()) {
      if (field.value("required", false)) errors.push_back({where, "此项必须填写"});
      continue;
    }
    if (auto problem = check_field_value(field, value)) errors.push_back({where, *problem});
  }
  return errors;
}

Checked<CaseRequest> validate_case(const json& body, const json& item) {
  Reader reader(body, "");
  CaseRequest request;
  std::vector<FieldError> errors;
  auto item_code = reader.string("item_code", true, 64);
  auto token = reader.string("identity_token", false);
  const json* form = reader.object("form", false);
  const json* materials = reader.array("materials", false);
  const json* commitment = reader.object("commitment", false);
  const json* delivery = reader.object("delivery", false);
  auto local_receipt = reader.string("local_receipt", false, 64);
  auto submitted_at = reader.string("submitted_at", false, 40);
  if (reader.failed()) return reader.error();
  if (auto shape = check_applicant(reader, request, errors)) return *shape;
  request.item_code = *item_code;
  request.identity_token = token.value_or("");
  request.local_receipt = local_receipt.value_or("");
  request.submitted_at = submitted_at.value_or("");
  request.stored_body = body;
  if (!item.is_object()) {
    errors.push_back({"item_code", "没有这个事项"});
  } else if (form) {
    auto form_errors = validate_form(item.value("form", json::array()), *form);
    errors.insert(errors.end(), form_errors.begin(), form_errors.end());
  }
  if (materials) {
    json stored = json::array();
    for (std::size_t i = 0; i < materials->size(); ++i) {
      auto material = check_material((*materials)[i], i, errors);
      if (!material) return material.release_error();
      stored.push_back(material.release_value());
    }
    request.stored_body["materials"] = std::move(stored);
  }
  if (commitment) {
    auto stored = check_commitment(*commitment, errors);
    if (!stored) return stored.release_error();
    request.stored_body["commitment"] = stored.release_value();
  }
  auto checked_delivery = check_delivery(delivery, errors);
  if (!checked_delivery) return checked_delivery.release_error();
  request.delivery = checked_delivery.release_value();
  if (submitted_at && !valid_rfc3339(*submitted_at)) errors.push_back({"submitted_at", "时间格式不正确"});
  if (!errors.empty()) return validation_failed(std::move(errors));
  return request;
}

Checked<CaseQuery> validate_case_query(const json& body) {
  Reader reader(body, "");
  auto id_number = reader.string("id_number", true, 32);
  auto name = reader.string("name", true, 64);
  if (reader.failed()) return reader.error();
  if (!valid_resident_id(*id_number)) return validation_failed({{"id_number", "公民身份号码不正确"}});
  if (name->empty()) return validation_failed({{"name", "请填写姓名"}});
  return CaseQuery{*id_number, *name};
}

Checked<std::string> validate_token_body(const json& body) {
  Reader reader(body, "");
  auto token = reader.string("identity_token", true, 128);
  if (reader.failed()) return reader.error();
  return *token;
}

Checked<RatingRequest> validate_rating(const json& body, const json& reasons) {
  Reader reader(body, "");
  auto case_number = reader.string("case_number", false, 64);
  auto level = reader.integer("level", true);
  const json* chosen = reader.array("reasons", false);
  auto text = reader.string("text", false, kLongText);
  auto channel = reader.string("channel", false, 32);
  auto rated_at = reader.string("rated_at", false, 40);
  if (reader.failed()) return reader.error();
  std::vector<FieldError> errors;
  if (*level < 1 || *level > 5) errors.push_back({"level", "评价等级应为1到5"});
  std::size_t reason_count = 0;
  if (chosen) {
    for (const json& reason : *chosen) {
      if (!reason.is_string()) return bad_request("reasons must be an array of strings");
      const std::string code = reason.get<std::string>();
      const auto known = std::find_if(reasons.begin(), reasons.end(), [&](const json& entry) {
        return entry.is_object() && entry.value("code", std::string()) == code;
      });
      if (known == reasons.end()) {
        errors.push_back({"reasons", "有不认识的评价原因"});
        break;
      }
      const json levels = known->value("levels", json::array());
      if (levels.is_array() && !levels.empty() && std::find(levels.begin(), levels.end(), json(*level)) == levels.end()) {
        errors.push_back({"reasons", "所选原因与评价等级不符"});
        break;
      }
      ++reason_count;
    }
  }
  if (*level >= 1 && *level <= 2 && reason_count == 0 && errors.empty()) {
    errors.push_back({"reasons", "请至少选择一项不满意的原因"});
  }
  if (text && utf8_length(*text) > kMaxRatingText) errors.push_back({"text", "评价内容不能超过500字"});
  if (channel && channel->empty()) errors.push_back({"channel", "缺少评价渠道"});
  if (case_number && case_number->empty()) errors.push_back({"case_number", "办件编号不能为空"});
  if (rated_at && !valid_rfc3339(*rated_at)) errors.push_back({"rated_at", "时间格式不正确"});
  if (!errors.empty()) return validation_failed(std::move(errors));
  return RatingRequest{case_number, static_cast<int>(*level), channel.value_or("kiosk")};
}

Checked<PrintRequest> validate_print(const json& body) {
  Reader reader(body, "");
  auto kind = reader.string("kind", true, 32);
  auto licence_id = reader.string("licence_id", false, 64);
  auto case_number = reader.string("case_number", false, 64);
  auto copies = reader.integer("copies", false);
  auto printed_at = reader.string("printed_at", false, 40);
  if (reader.failed()) return reader.error();
  std::vector<FieldError> errors;
  if (*kind != "licence" && *kind != "receipt" && *kind != "queue_ticket") {
    errors.push_back({"kind", "打印种类应为 licence、receipt 或 queue_ticket"});
  }
  if (*kind == "licence" && (!licence_id || licence_id->empty())) errors.push_back({"licence_id", "缺少电子证照编号"});
  if (copies && (*copies < 1 || *copies > 20)) errors.push_back({"copies", "份数应为1到20"});
  if (printed_at && !valid_rfc3339(*printed_at)) errors.push_back({"printed_at", "时间格式不正确"});
  if (!errors.empty()) return validation_failed(std::move(errors));
  return PrintRequest{*kind, licence_id, case_number, static_cast<int>(copies.value_or(1))};
}

Checked<TicketRequest> validate_ticket(const json& body, const json& categories) {
  Reader reader(body, "");
  auto category = reader.string("category", true, 16);
  auto priority = reader.string("priority", false, 16);
  auto token = reader.string("identity_token", false, 128);
  if (reader.failed()) return reader.error();
  const auto known = std::find_if(categories.begin(), categories.end(), [&](const json& entry) {
    return entry.is_object() && entry.value("id", std::string()) == *category;
  });
  std::vector<FieldError> errors;
  if (known == categories.end()) {
    return validation_failed({{"category", "没有这个排队类别"}});
  }
  if (priority) {
    if (*priority != "elderly" && *priority != "disabled") {
      errors.push_back({"priority", "优先类别应为 elderly 或 disabled"});
    } else if (!known->value("priority", false)) {
      errors.push_back({"priority", "该类别不设优先号"});
    }
    if (!token || token->empty()) errors.push_back({"identity_token", "优先取号需要先核验身份"});
  }
  if (!errors.empty()) return validation_failed(std::move(errors));
  return TicketRequest{*category, known->value("name", std::string()), priority, token};
}

Checked<json> validate_heartbeat(const json& body) {
  Reader reader(body, "");
  auto terminal_time = reader.string("terminal_time", false, 40);
  reader.string("app_version", false, 64);
  reader.string("catalog_version", false, 64);
  reader.number("uptime_s", false);
  const json* devices = reader.object("devices", false);
  const json* outbox = reader.object("outbox", false);
  const json* audit = reader.object("audit", false);
  reader.boolean("staff_needed", false);
  if (reader.failed()) return reader.error();
  if (devices) {
    for (const auto& [name, device] : devices->items()) {
      Reader device_reader(device, "devices." + name);
      device_reader.string("state", false, 32);
      device_reader.string("detail", false, 500);
      if (device_reader.failed()) return device_reader.error();
    }
  }
  if (outbox) {
    Reader outbox_reader(*outbox, "outbox");
    outbox_reader.number("depth", false);
    outbox_reader.number("oldest_age_s", false);
    if (outbox_reader.failed()) return outbox_reader.error();
  }
  if (audit) {
    // The head of the terminal's audit chain: records so far and the last MAC (hex), kept so a
    // chain cut short on the terminal is noticed here.
    Reader audit_reader(*audit, "audit");
    const json* sequence = audit_reader.number("sequence", true);
    auto mac = audit_reader.string("mac", true, 64);
    if (audit_reader.failed()) return audit_reader.error();
    if (!sequence->is_number_integer() || sequence->get<std::int64_t>() < 0) {
      return validation_failed({{"audit.sequence", "必须是非负整数"}});
    }
    if (mac->find_first_not_of("0123456789abcdef") != std::string::npos) return validation_failed({{"audit.mac", "必须是十六进制"}});
  }
  if (terminal_time && !valid_rfc3339(*terminal_time)) return validation_failed({{"terminal_time", "时间格式不正确"}});
  return body;
}

}  // namespace platform_sim
