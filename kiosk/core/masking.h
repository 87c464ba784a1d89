#pragma once
// One masking rule for personal data on every screen, receipt and spoken prompt: enough for the
// citizen to recognise their own, not enough for the person behind them in the hall to copy. The
// only place a value shows in full is the form field the citizen is typing into.
//
//   ID number     510502195803150137   → 5105**********0137   (first 4, last 4)
//   name          张三 / 欧阳娜娜        → 张* / 欧***           (first character)
//   phone         13800000000          → 138****0000          (first 3, last 4)
//   bank account  6228480000000000000  → 6228***********0000  (first 4, last 4)
//
// A value too short to keep both ends (a number half typed) is masked whole. Masking counts code
// points, so Chinese text is never cut inside a character. Logs use log::redact() instead, which
// removes numbers altogether.

#include <cstddef>
#include <string>
#include <string_view>

namespace kiosk::masking {

enum class PersonalKind { none, id_number, name, phone, bank_account };

std::string id_number(std::string_view value);
std::string name(std::string_view value);
std::string phone(std::string_view value);
std::string bank_account(std::string_view value);
// By kind; PersonalKind::none returns the value as it is.
std::string mask(PersonalKind kind, std::string_view value);
// The first `front` and last `back` code points kept, every other one a '*'; all '*' when the
// value has no more than front + back code points. (Licence numbers in lists: 4 and 4.)
std::string keep_ends(std::string_view value, std::size_t front, std::size_t back);

// `text` with every occurrence of `value` (two code points or more) masked as `kind`: a licence
// titled after its holder ("营业执照（昭觉县阿依农家乐）" → "营业执照（昭觉县阿*农家乐）").
std::string mask_within(std::string_view text, std::string_view value, PersonalKind kind);

// What a form field holds, from the catalog's description of it (kiosk/catalog/catalog.h): its
// type's JSON spelling ("id_number", "phone" …), its key, its label and its card prefill.
PersonalKind personal_kind_of_field(std::string_view type, std::string_view key, std::string_view label,
                                    std::string_view prefill);

}  // namespace kiosk::masking
