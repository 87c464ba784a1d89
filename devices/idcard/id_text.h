#pragma once
// The resident ID card's 256-byte text block (UCS-2 little-endian, space padded) and the
// read text+photo answer around it (DOMAIN.md "Resident ID card reader"):
//
//   name 30 | sex 2 | nation 4 | birth 16 | address 70 | ID number 36 | authority 30 |
//   valid from 16 | valid to 16 | reserved 36                      (bytes; 2 per character)
//
// Decoding checks every field (codes from the tables, dates as YYYYMMDD, the GB 11643 check digit)
// and fails with bad_data naming the field — never its content, which is personal data.

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "hal/card_reader.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::idcard {

inline constexpr std::size_t kTextBlockSize = 256;
inline constexpr std::size_t kPhotoSize = 1024;  // WLT-compressed; decoded only by a licensed library
using TextBlock = std::array<std::uint8_t, kTextBlockSize>;

// "汉" for 1 … "基诺" for 56, "其他" for 97, "外国血统中国籍人士" for 98 (GB/T 3304); nullptr otherwise.
const char* nation_name(int code);
// The inverse: 0 for a name not in the table.
int nation_code(const std::string& name);

// Text block → the card's fields as UTF-8 (photo left empty).
hal::DeviceResult<hal::IdentityCard> decode_text(std::span<const std::uint8_t> block);

// The data of a successful read text+photo answer (text length, photo length, text, photo) →
// the card, with the photo bytes passed through untouched.
hal::DeviceResult<hal::IdentityCard> decode_text_photo(std::span<const std::uint8_t> data);

// The emulator's side: fields → text block. Errors (invalid_argument) name the field: too long,
// a character outside UCS-2, a sex or nation not in the tables.
Result<TextBlock> encode_text(const hal::IdentityCard& card);
// Text block and photo → the data of a read text+photo answer.
std::vector<std::uint8_t> encode_text_photo(const TextBlock& text, std::span<const std::uint8_t> photo);

}  // namespace kiosk::devices::idcard
