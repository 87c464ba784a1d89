#include "kiosk/core/masking.h"

#include "kiosk/core/text.h"

namespace kiosk::masking {

std::string keep_ends(std::string_view value, std::size_t front, std::size_t back) {
  std::u32string characters = text::decode_utf8(value);
  const bool whole = characters.size() <= front + back;
  for (std::size_t i = 0; i < characters.size(); ++i) {
    if (whole || (i >= front && i + back < characters.size())) characters[i] = U'*';
  }
  return text::encode_utf8(characters);
}

std::string id_number(std::string_view value) { return keep_ends(value, 4, 4); }

// The first character (usually the surname); a one-character name shows nothing.
std::string name(std::string_view value) { return keep_ends(value, 1, 0); }

std::string phone(std::string_view value) { return keep_ends(value, 3, 4); }

std::string bank_account(std::string_view value) { return keep_ends(value, 4, 4); }

std::string mask(PersonalKind kind, std::string_view value) {
  switch (kind) {
    case PersonalKind::id_number: return id_number(value);
    case PersonalKind::name: return name(value);
    case PersonalKind::phone: return phone(value);
    case PersonalKind::bank_account: return bank_account(value);
    case PersonalKind::none: break;
  }
  return std::string(value);
}

std::string mask_within(std::string_view text, std::string_view value, PersonalKind kind) {
  std::string out(text);
  if (text::decode_utf8(value).size() < 2) return out;
  const std::string masked = mask(kind, value);
  for (std::size_t at = 0; (at = out.find(value, at)) != std::string::npos; at += masked.size()) out.replace(at, value.size(), masked);
  return out;
}

PersonalKind personal_kind_of_field(std::string_view type, std::string_view key, std::string_view label,
                                    std::string_view prefill) {
  if (type == "id_number") return PersonalKind::id_number;
  if (type == "phone") return PersonalKind::phone;
  if (key.find("account") != std::string_view::npos || label.find("卡号") != std::string_view::npos ||
      label.find("账号") != std::string_view::npos) {
    return PersonalKind::bank_account;
  }
  if (prefill == "card.name" || label.find("姓名") != std::string_view::npos) return PersonalKind::name;
  return PersonalKind::none;
}

}  // namespace kiosk::masking
