#include "devices/sim/identities.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kiosk/core/text.h"

namespace kiosk::devices::sim {
namespace {

Error field_error(const std::string& field, const std::string& what) {
  return Error::make(ErrorKind::parse, "identity: " + field + ": " + what);
}

bool valid_date(const std::string& date) {
  if (date.size() != 8) return false;
  for (char c : date) {
    if (c < '0' || c > '9') return false;
  }
  const int month = std::stoi(date.substr(4, 2));
  const int day = std::stoi(date.substr(6, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::io, path.string() + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

Result<hal::IdentityCard> parse_identity(std::string_view json_text, const std::filesystem::path& base_dir) {
  const auto root = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Error::make(ErrorKind::parse, "identity: not valid JSON");
  if (!root.is_object()) return Error::make(ErrorKind::parse, "identity: the top level must be an object");
  hal::IdentityCard card;
  const std::pair<const char*, std::string*> fields[] = {
      {"name", &card.name},           {"sex", &card.sex},
      {"nation", &card.nation},       {"birth_date", &card.birth_date},
      {"address", &card.address},     {"id_number", &card.id_number},
      {"authority", &card.authority}, {"valid_from", &card.valid_from},
      {"valid_until", &card.valid_until},
  };
  for (const auto& [field, out] : fields) {
    if (!root.contains(field)) return field_error(field, "missing");
    if (!root[field].is_string()) return field_error(field, "expected a string");
    *out = root[field].get<std::string>();
    if (!text::is_valid_utf8(*out)) return field_error(field, "not valid UTF-8");
    if (out->empty()) return field_error(field, "must not be empty");
  }
  if (!hal::valid_id_number(card.id_number)) return field_error("id_number", "not 18 characters with a valid check digit");
  if (!valid_date(card.birth_date)) return field_error("birth_date", "expected YYYYMMDD");
  if (card.id_number.substr(6, 8) != card.birth_date) return field_error("birth_date", "does not match the ID number");
  if (card.sex != "男" && card.sex != "女") return field_error("sex", "expected 男 or 女");
  const bool odd = (card.id_number[16] - '0') % 2 == 1;  // GB 11643: the 17th digit is odd for men
  if (odd != (card.sex == "男")) return field_error("sex", "does not match the ID number");
  if (!valid_date(card.valid_from)) return field_error("valid_from", "expected YYYYMMDD");
  if (card.valid_until != "长期" && !valid_date(card.valid_until)) return field_error("valid_until", "expected YYYYMMDD or 长期");
  if (card.valid_until != "长期" && card.valid_until <= card.valid_from) return field_error("valid_until", "before valid_from");
  if (root.contains("photo")) {
    if (!root["photo"].is_string()) return field_error("photo", "expected a file path");
    const std::filesystem::path photo_path = base_dir / root["photo"].get<std::string>();
    auto photo = read_file(photo_path);
    if (!photo.ok()) return field_error("photo", photo.error().message);
    card.photo.assign(photo->begin(), photo->end());
  }
  return card;
}

Result<hal::IdentityCard> load_identity(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text.ok()) return Error::make(ErrorKind::not_found, "identity " + text.error().message);
  auto card = parse_identity(*text, path.parent_path());
  if (!card.ok()) return Error::make(ErrorKind::parse, path.string() + ": " + card.error().message);
  return card;
}

Result<hal::IdentityCard> load_sample_identity(const std::filesystem::path& assets_dir, const std::string& name) {
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) {
      return Error::make(ErrorKind::invalid_argument, "bad sample identity name \"" + name + "\"");
    }
  }
  return load_identity(assets_dir / "identities" / (name + ".json"));
}

}  // namespace kiosk::devices::sim
