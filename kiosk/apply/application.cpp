// A citizen's application: prefill, the checks before submitting, the case body (application.h).
#include "kiosk/apply/application.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <utility>

#include "kiosk/core/base64.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/core/text.h"

namespace kiosk::apply {
namespace {

using catalog::CheckLevel;
using catalog::FieldCheck;
using catalog::FieldType;
using catalog::FormField;
using nlohmann::json;

constexpr std::string_view kCardPrefix = "card.";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// YYYYMMDD (card and OCR dates) as YYYY-MM-DD; empty when `compact` is not 8 digits.
std::string dashed_date(std::string_view compact) {
  if (compact.size() != 8 || !std::all_of(compact.begin(), compact.end(), is_digit)) return {};
  std::string date(compact.substr(0, 4));
  date.append("-").append(compact.substr(4, 2)).append("-").append(compact.substr(6, 2));
  return date;
}

// The option of an enum field the citizen would pick for `text`: by label ("男"), else by value.
std::optional<std::string> option_for(const FormField& field, std::string_view text) {
  for (const auto& option : field.options) {
    if (option.label == text) return option.value;
  }
  for (const auto& option : field.options) {
    if (option.value == text) return option.value;
  }
  return std::nullopt;
}

// The value a field prefilled from `card` starts with; empty when the card lacks it.
std::string card_value(const FormField& field, const hal::IdentityCard& card) {
  if (field.prefill == "card.name") return card.name;
  if (field.prefill == "card.id_number") return card.id_number;
  if (field.prefill == "card.address") return card.address;
  if (field.prefill == "card.birth_date") return dashed_date(card.birth_date);
  if (field.prefill == "card.sex") {
    if (field.type == FieldType::enumeration) return option_for(field, card.sex).value_or(std::string());
    return card.sex;
  }
  return {};
}

// The OCR key that feeds `field`, if `values` has a non-empty one: the field's own name, its prefill
// source without "card.", or "uscc" for a credit code field.
const std::pair<const std::string, std::string>* ocr_entry_for(const FormField& field,
                                                               const std::map<std::string, std::string>& values) {
  std::vector<std::string> keys = {field.name};
  if (field.prefill.starts_with(kCardPrefix)) keys.push_back(field.prefill.substr(kCardPrefix.size()));
  if (field.type == FieldType::uscc) keys.emplace_back("uscc");
  for (const auto& key : keys) {
    const auto found = values.find(key);
    if (found != values.end() && !is_blank(found->second)) return &*found;
  }
  return nullptr;
}

// What an OCR value becomes in `field`; nothing when it cannot be a value of it (no such option).
std::optional<std::string> ocr_value_for(const FormField& field, const std::string& value) {
  if (field.type == FieldType::enumeration) return option_for(field, value);
  if (field.type == FieldType::date || field.prefill == "card.birth_date") {
    std::string date = dashed_date(value);
    if (!date.empty()) return date;
  }
  return value;
}

// A reference, not a copy: copies of personal data would be freed without being wiped.
const std::string& value_of(const Application& application, const std::string& name) {
  static const std::string kEmpty;
  const auto found = application.form.find(name);
  return found == application.form.end() ? kEmpty : found->second;
}

bool provided(const catalog::Material& material, const MaterialChoice* choice) {
  if (!material.provided_by.empty()) return true;  // identification read the card / took the photo
  if (choice == nullptr) return false;
  switch (choice->source) {
    case MaterialSource::none:
      return false;
    case MaterialSource::capture:
      return std::any_of(choice->pages.begin(), choice->pages.end(), [](const auto& page) { return !page.empty(); });
    case MaterialSource::licence:
      return !choice->licence_id.empty();
    case MaterialSource::commitment:
      return material.commitment_allowed;
  }
  return false;
}

const MaterialChoice* choice_at(const Application& application, std::size_t index) {
  return index < application.materials.size() ? &application.materials[index] : nullptr;
}

// JSON strings must be UTF-8 or dump() throws: repair what is not (it would fail validation anyway).
std::string readable(std::string_view text) {
  if (text::is_valid_utf8(text)) return std::string(text);
  return text::encode_utf8(text::decode_utf8(text));
}

std::string base64_of(const std::vector<std::uint8_t>& bytes) {
  return base64::encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

FieldCheck check_address_part(FieldType type, int max_length, const std::string& value) {
  FormField field;
  field.type = type;
  field.required = true;
  field.max_length = max_length;
  if (is_blank(value)) return catalog::validate_field(field, "");
  return catalog::validate_field(field, value);
}

}  // namespace

const char* to_string(MaterialSource source) {
  switch (source) {
    case MaterialSource::none: return "none";
    case MaterialSource::capture: return "capture";
    case MaterialSource::licence: return "licence";
    case MaterialSource::commitment: return "commitment";
  }
  return "none";
}

void Application::wipe() {
  for (auto& entry : form) secure_clear(entry.second);
  for (auto& choice : materials) {
    for (auto& page : choice.pages) secure_clear(page);
    secure_clear(choice.licence_id);
    secure_clear(choice.licence_name);
  }
  if (commitment) {
    secure_clear(commitment->png);
    secure_clear(commitment->signed_at);
  }
  for (std::string* text : {&address.recipient, &address.phone, &address.region, &address.detail, &item_code,
                            &submitted_at, &local_receipt, &case_number, &promised_date}) {
    secure_clear(*text);
  }
  // Everything is overwritten; now free the buffers too.
  *this = Application{};
}

Application start_application(const catalog::Item& item, const hal::IdentityCard* card) {
  Application application;
  application.item_code = item.code;
  application.materials.resize(item.materials.size());
  for (const auto& field : item.form) {
    application.form[field.name] = card != nullptr ? card_value(field, *card) : std::string();
  }
  return application;
}

void set_field(Application& application, const std::string& name, std::string value) {
  std::string& slot = application.form[name];
  secure_clear(slot);
  slot = std::move(value);
  application.from_ocr.erase(name);
  application.to_confirm.erase(name);
}

bool needs_commitment(const Application& application) {
  return std::any_of(application.materials.begin(), application.materials.end(),
                     [](const MaterialChoice& choice) { return choice.source == MaterialSource::commitment; });
}

std::vector<std::string> missing_materials(const catalog::Item& item, const Application& application) {
  std::vector<std::string> missing;
  for (std::size_t i = 0; i < item.materials.size(); ++i) {
    const auto& material = item.materials[i];
    if (material.required && !provided(material, choice_at(application, i))) missing.push_back(material.name);
  }
  return missing;
}

std::vector<FieldProblem> form_problems(const catalog::Item& item, const Application& application) {
  std::vector<FieldProblem> problems;
  for (const auto& field : item.form) {
    FieldCheck check = catalog::validate_field(field, value_of(application, field.name));
    if (!check.ok()) problems.push_back({field.name, std::move(check)});
    if (application.to_confirm.contains(field.name) && !application.confirmed.contains(field.name)) {
      problems.push_back({field.name, FieldCheck{CheckLevel::error, "请核对此项（由扫描识别填写）",
                                                 "Please check this value (filled in from the scan)"}});
    }
  }
  return problems;
}

std::vector<std::string> address_problems(const Application& application) {
  std::vector<std::string> problems;
  if (application.delivery != DeliveryMethod::post) return problems;
  const Address& address = application.address;
  // The lengths are the platform's (tools/platform-sim refuses longer ones as a malformed body).
  if (!check_address_part(FieldType::text, 64, address.recipient).ok()) problems.emplace_back("recipient");
  if (!check_address_part(FieldType::phone, 0, address.phone).ok()) problems.emplace_back("phone");
  if (!check_address_part(FieldType::text, 200, address.region).ok()) problems.emplace_back("region");
  if (!check_address_part(FieldType::text, 500, address.detail).ok()) problems.emplace_back("detail");
  return problems;
}

bool ready_to_submit(const catalog::Item& item, const Application& application) {
  if (application.item_code != item.code) return false;
  if (!missing_materials(item, application).empty()) return false;
  const auto problems = form_problems(item, application);
  if (std::any_of(problems.begin(), problems.end(), [](const FieldProblem& problem) { return problem.check.blocks(); })) {
    return false;
  }
  if (needs_commitment(application) && (!application.commitment || application.commitment->png.empty())) return false;
  return address_problems(application).empty();
}

json case_body(const catalog::Item& item, const Application& application, const hal::IdentityCard& card,
               const std::string& identity_token) {
  json body = json::object();
  body["item_code"] = readable(item.code);
  if (!identity_token.empty()) body["identity_token"] = readable(identity_token);

  json applicant = {{"name", readable(card.name)}, {"id_number", readable(card.id_number)}};
  for (const auto& field : item.form) {
    if (field.type != FieldType::phone) continue;
    const std::string& phone = value_of(application, field.name);
    if (phone.empty()) continue;
    applicant["phone"] = readable(phone);
    break;
  }
  body["applicant"] = std::move(applicant);

  json form = json::object();
  for (const auto& field : item.form) {
    const std::string& value = value_of(application, field.name);
    if (!value.empty()) form[field.name] = readable(value);
  }
  body["form"] = std::move(form);

  json materials = json::array();
  for (std::size_t i = 0; i < item.materials.size(); ++i) {
    const auto& material = item.materials[i];
    const MaterialChoice* choice = choice_at(application, i);
    // What identification provided travels as the identity token, not as a material.
    if (!material.provided_by.empty() || !provided(material, choice)) continue;
    const std::string name = readable(material.name);
    switch (choice->source) {
      case MaterialSource::capture: {
        std::vector<const std::vector<std::uint8_t>*> pages;
        for (const auto& page : choice->pages) {
          if (!page.empty()) pages.push_back(&page);
        }
        for (std::size_t page = 0; page < pages.size(); ++page) {
          json entry = {{"name", name}, {"source", "capture"}, {"content_type", "image/jpeg"}, {"data", base64_of(*pages[page])}};
          if (pages.size() > 1) {
            entry["page"] = page + 1;
            entry["pages"] = pages.size();
          }
          materials.push_back(std::move(entry));
        }
        break;
      }
      case MaterialSource::licence:
        materials.push_back({{"name", name}, {"source", "licence"}, {"licence_id", readable(choice->licence_id)}});
        break;
      case MaterialSource::commitment:
        materials.push_back({{"name", name}, {"source", "commitment"}});
        break;
      case MaterialSource::none:
        break;
    }
  }
  body["materials"] = std::move(materials);

  // A signature without a commitment material (the citizen signed, then photographed the paper
  // after all) replaces nothing; the platform also refuses a commitment without its text.
  if (needs_commitment(application) && application.commitment && !application.commitment->png.empty()) {
    json commitment = {{"text", readable(item.commitment_text)}, {"signature_png", base64_of(application.commitment->png)}};
    if (!application.commitment->signed_at.empty()) commitment["signed_at"] = readable(application.commitment->signed_at);
    body["commitment"] = std::move(commitment);
  }

  if (application.delivery == DeliveryMethod::post) {
    const Address& address = application.address;
    body["delivery"] = {{"method", "post"},
                        {"address",
                         {{"recipient", readable(address.recipient)},
                          {"phone", readable(address.phone)},
                          {"region", readable(address.region)},
                          {"detail", readable(address.detail)}}}};
  } else {
    body["delivery"] = {{"method", "pickup"}};
  }
  if (!application.submitted_at.empty()) body["submitted_at"] = readable(application.submitted_at);
  return body;
}

std::vector<std::string> apply_ocr_fields(const catalog::Item& item, Application& application,
                                          const std::map<std::string, std::string>& values,
                                          const std::set<std::string>& doubtful) {
  std::vector<std::string> filled;
  for (const auto& field : item.form) {
    const auto* entry = ocr_entry_for(field, values);
    if (entry == nullptr) continue;
    // What the citizen typed, or what came from the card chip, beats a reading of paper.
    if (!is_blank(value_of(application, field.name)) && !application.from_ocr.contains(field.name)) continue;
    auto value = ocr_value_for(field, entry->second);
    if (!value) continue;
    std::string& slot = application.form[field.name];
    secure_clear(slot);
    slot = std::move(*value);
    application.from_ocr.insert(field.name);
    application.confirmed.erase(field.name);  // a new value needs a new look
    if (doubtful.contains(entry->first)) {
      application.to_confirm.insert(field.name);
    } else {
      application.to_confirm.erase(field.name);
    }
    filled.push_back(field.name);
  }
  return filled;
}

}  // namespace kiosk::apply
