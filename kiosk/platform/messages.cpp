#include "kiosk/platform/messages.h"

#include <nlohmann/json.hpp>

#include "kiosk/core/base64.h"
#include "kiosk/core/text.h"

namespace kiosk::platform {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxAnswer = 16u << 20;  // a licence PDF in base64 is the largest answer

Error parse_error(std::string_view what, std::string_view field, std::string_view problem) {
  return Error::make(ErrorKind::parse,
                     std::string(what) + ": " + std::string(field) + (field.empty() ? "" : ": ") + std::string(problem));
}

Result<json> parse_object(std::string_view text, std::string_view what) {
  if (text.size() > kMaxAnswer) return parse_error(what, "", "answer too large");
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) return parse_error(what, "", "not valid JSON");
  if (!value.is_object()) return parse_error(what, "", "expected an object");
  return value;
}

// Reads fields of one object, naming the field in every error.
class Fields {
 public:
  Fields(const json& object, std::string what) : object_(object), what_(std::move(what)) {}

  Status string(const char* name, std::string& out, bool required = false) const {
    if (!object_.contains(name) || object_[name].is_null()) {
      return required ? parse_error(what_, name, "missing") : Status{};
    }
    if (!object_[name].is_string()) return parse_error(what_, name, "expected a string");
    out = object_[name].get<std::string>();
    if (!text::is_valid_utf8(out)) return parse_error(what_, name, "not valid UTF-8");
    if (required && out.empty()) return parse_error(what_, name, "empty");
    return {};
  }
  Status integer(const char* name, int& out, int minimum, int maximum, bool required = false) const {
    if (!object_.contains(name) || object_[name].is_null()) {
      return required ? parse_error(what_, name, "missing") : Status{};
    }
    if (!object_[name].is_number_integer()) return parse_error(what_, name, "expected an integer");
    const auto value = object_[name].get<long long>();
    if (value < minimum || value > maximum) return parse_error(what_, name, "out of range");
    out = static_cast<int>(value);
    return {};
  }
  Status boolean(const char* name, bool& out, bool required = false) const {
    if (!object_.contains(name)) return required ? parse_error(what_, name, "missing") : Status{};
    if (!object_[name].is_boolean()) return parse_error(what_, name, "expected true or false");
    out = object_[name].get<bool>();
    return {};
  }
  Status strings(const char* name, std::vector<std::string>& out) const {
    if (!object_.contains(name)) return {};
    if (!object_[name].is_array()) return parse_error(what_, name, "expected an array");
    for (const auto& entry : object_[name]) {
      if (!entry.is_string()) return parse_error(what_, name, "expected strings");
      out.push_back(entry.get<std::string>());
      if (!text::is_valid_utf8(out.back())) return parse_error(what_, name, "not valid UTF-8");
    }
    return {};
  }
  Result<std::vector<Fields>> objects(const char* name, bool required = false) const {
    std::vector<Fields> out;
    if (!object_.contains(name)) {
      if (required) return parse_error(what_, name, "missing");
      return out;
    }
    if (!object_[name].is_array()) return parse_error(what_, name, "expected an array");
    const json& array = object_[name];
    for (std::size_t i = 0; i < array.size(); ++i) {
      const std::string path = what_ + "." + name + "[" + std::to_string(i) + "]";
      if (!array[i].is_object()) return parse_error(path, "", "expected an object");
      out.emplace_back(array[i], path);
    }
    return out;
  }
  const json& object() const { return object_; }
  const std::string& what() const { return what_; }

 private:
  const json& object_;
  std::string what_;
};

Result<CaseInfo> read_case(const Fields& fields) {
  CaseInfo info;
  TRY_STATUS(fields.string("case_number", info.case_number, true));
  TRY_STATUS(fields.string("local_receipt", info.local_receipt));
  TRY_STATUS(fields.string("item_code", info.item_code, true));
  TRY_STATUS(fields.string("item_name", info.item_name));
  TRY_STATUS(fields.string("status", info.status, true));
  TRY_STATUS(fields.string("submitted_at", info.submitted_at));
  TRY_STATUS(fields.string("promised_date", info.promised_date));
  for (const Fields& step : TRY(fields.objects("steps"))) {
    CaseStep out;
    TRY_STATUS(step.string("name", out.name, true));
    TRY_STATUS(step.string("state", out.state, true));
    if (out.state != "done" && out.state != "current" && out.state != "pending") {
      return parse_error(step.what(), "state", "expected done, current or pending");
    }
    TRY_STATUS(step.string("at", out.at));
    TRY_STATUS(step.string("note", out.note));
    info.steps.push_back(std::move(out));
  }
  TRY_STATUS(fields.strings("waiting_on_citizen", info.waiting_on_citizen));
  if (fields.object().contains("delivery")) {
    if (!fields.object()["delivery"].is_object()) return parse_error(fields.what(), "delivery", "expected an object");
    const Fields delivery(fields.object()["delivery"], fields.what() + ".delivery");
    TRY_STATUS(delivery.string("method", info.delivery_method));
    TRY_STATUS(delivery.string("tracking", info.tracking));
  }
  return info;
}

}  // namespace

Result<SubmitAnswer> parse_submit_answer(std::string_view text, std::string_view reference_field) {
  const json root = TRY(parse_object(text, "submit answer"));
  const Fields fields(root, "submit answer");
  SubmitAnswer answer;
  const std::string field(reference_field);
  TRY_STATUS(fields.string(field.c_str(), answer.reference, true));
  TRY_STATUS(fields.string("promised_date", answer.promised_date));
  TRY_STATUS(fields.integer("printed_total", answer.printed_total, 0, 1000000));
  if (root.contains("remaining") && !root["remaining"].is_null()) {
    int remaining = 0;
    TRY_STATUS(fields.integer("remaining", remaining, 0, 1000000));
    answer.remaining = remaining;
  }
  return answer;
}

Result<HeartbeatAnswer> parse_heartbeat_answer(std::string_view text) {
  const json root = TRY(parse_object(text, "heartbeat answer"));
  const Fields fields(root, "heartbeat answer");
  HeartbeatAnswer answer;
  TRY_STATUS(fields.string("server_time", answer.server_time));
  TRY_STATUS(fields.integer("heartbeat_s", answer.heartbeat_s, 10, 86400));
  TRY_STATUS(fields.integer("catalog_poll_s", answer.catalog_poll_s, 60, 7 * 86400));
  return answer;
}

Result<VerifyAnswer> parse_verify_answer(std::string_view text) {
  const json root = TRY(parse_object(text, "verify answer"));
  const Fields fields(root, "verify answer");
  VerifyAnswer answer;
  TRY_STATUS(fields.boolean("verified", answer.verified, true));
  if (root.contains("score")) {
    if (!root["score"].is_number()) return parse_error("verify answer", "score", "expected a number");
    answer.score = root["score"].get<double>();
    if (!(answer.score >= 0 && answer.score <= 1)) return parse_error("verify answer", "score", "out of range");
  }
  TRY_STATUS(fields.string("token", answer.token, answer.verified));
  TRY_STATUS(fields.integer("expires_in_s", answer.expires_in_s, 0, 86400));
  TRY_STATUS(fields.string("reason", answer.reason, !answer.verified));
  return answer;
}

Result<CaseInfo> parse_case(std::string_view text) {
  const json root = TRY(parse_object(text, "case"));
  return read_case(Fields(root, "case"));
}

Result<std::vector<CaseInfo>> parse_case_list(std::string_view text) {
  const json root = TRY(parse_object(text, "case list"));
  std::vector<CaseInfo> out;
  for (const Fields& entry : TRY(Fields(root, "case list").objects("cases", true))) out.push_back(TRY(read_case(entry)));
  return out;
}

Result<Ticket> parse_ticket(std::string_view text) {
  const json root = TRY(parse_object(text, "ticket"));
  const Fields fields(root, "ticket");
  Ticket ticket;
  TRY_STATUS(fields.string("ticket", ticket.ticket, true));
  TRY_STATUS(fields.string("category_name", ticket.category_name));
  TRY_STATUS(fields.integer("waiting", ticket.waiting, 0, 100000));
  TRY_STATUS(fields.integer("estimated_wait_min", ticket.estimated_wait_min, 0, 100000));
  TRY_STATUS(fields.string("issued_at", ticket.issued_at));
  TRY_STATUS(fields.string("hall", ticket.hall));
  return ticket;
}

Result<std::vector<Licence>> parse_licence_list(std::string_view text) {
  const json root = TRY(parse_object(text, "licence list"));
  std::vector<Licence> out;
  for (const Fields& entry : TRY(Fields(root, "licence list").objects("licences", true))) {
    Licence licence;
    TRY_STATUS(entry.string("id", licence.id, true));
    TRY_STATUS(entry.string("type", licence.type, true));
    TRY_STATUS(entry.string("name", licence.name));
    TRY_STATUS(entry.string("issuer", licence.issuer));
    TRY_STATUS(entry.string("number_masked", licence.number_masked));
    TRY_STATUS(entry.string("issued_at", licence.issued_at));
    TRY_STATUS(entry.string("valid_until", licence.valid_until));
    TRY_STATUS(entry.integer("print_limit", licence.print_limit, 0, 1000));
    TRY_STATUS(entry.integer("printed", licence.printed, 0, 1000000));
    out.push_back(std::move(licence));
  }
  return out;
}

Result<LicenceDocument> parse_licence_document(std::string_view text) {
  const json root = TRY(parse_object(text, "licence document"));
  const Fields fields(root, "licence document");
  LicenceDocument document;
  std::string pdf;
  std::string signature;
  TRY_STATUS(fields.string("pdf", pdf, true));
  TRY_STATUS(fields.string("signature", signature, true));
  TRY_STATUS(fields.string("issuer_key_id", document.issuer_key_id, true));
  TRY_STATUS(fields.string("watermark", document.watermark));
  auto decoded_pdf = base64_decode(pdf);
  if (!decoded_pdf) return parse_error("licence document", "pdf", decoded_pdf.error().message);
  auto decoded_signature = base64_decode(signature);
  if (!decoded_signature) return parse_error("licence document", "signature", decoded_signature.error().message);
  document.pdf = decoded_pdf.release_value();
  document.signature = decoded_signature.release_value();
  if (document.pdf.size() < 5 || std::string_view(reinterpret_cast<const char*>(document.pdf.data()), 5) != "%PDF-") {
    return parse_error("licence document", "pdf", "not a PDF");
  }
  return document;
}

Result<std::vector<Issuer>> parse_issuers(std::string_view text) {
  const json root = TRY(parse_object(text, "issuers"));
  std::vector<Issuer> out;
  for (const Fields& entry : TRY(Fields(root, "issuers").objects("issuers", true))) {
    Issuer issuer;
    TRY_STATUS(entry.string("key_id", issuer.key_id, true));
    TRY_STATUS(entry.string("name", issuer.name));
    TRY_STATUS(entry.string("public_key_pem", issuer.public_key_pem, true));
    if (issuer.public_key_pem.find("-----BEGIN PUBLIC KEY-----") == std::string::npos) {
      return parse_error(entry.what(), "public_key_pem", "not a PEM public key");
    }
    out.push_back(std::move(issuer));
  }
  return out;
}

std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  return base64::encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  auto decoded = base64::decode(text);
  if (!decoded) return decoded.release_error();
  return std::vector<std::uint8_t>(decoded.value().begin(), decoded.value().end());
}

bool valid_idempotency_key(std::string_view key) {
  if (key.size() < 16 || key.size() > 64) return false;
  for (const char c : key) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace kiosk::platform
