// Decoding and encoding of the ID card's UCS-2 text block; the nation code table (GB/T 3304).
#include "devices/idcard/id_text.h"

#include <algorithm>
#include <string_view>

#include "kiosk/core/secure_memory.h"
#include "kiosk/core/text.h"

namespace kiosk::devices::idcard {
namespace {

// Field layout in bytes (two per UCS-2 character).
struct Field {
  const char* name;
  std::size_t offset;
  std::size_t size;
};
constexpr Field kName{"name", 0, 30};
constexpr Field kSex{"sex", 30, 2};
constexpr Field kNation{"nation", 32, 4};
constexpr Field kBirth{"birth_date", 36, 16};
constexpr Field kAddress{"address", 52, 70};
constexpr Field kIdNumber{"id_number", 122, 36};
constexpr Field kAuthority{"authority", 158, 30};
constexpr Field kValidFrom{"valid_from", 188, 16};
constexpr Field kValidUntil{"valid_until", 204, 16};
// 220…255 reserved.

constexpr const char* kNations[] = {
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
    "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"};
constexpr const char* kLongTerm = "长期";

hal::DeviceError bad_field(const Field& field, const std::string& what) {
  return hal::device_error(hal::DeviceErrorCode::bad_data, "ID card text: " + std::string(field.name) + ": " + what);
}

// One field as UTF-8 with the space padding trimmed. Code units below U+0020 (other than NUL
// padding some cards use), surrogates and non-characters are not text: the block is corrupt.
hal::DeviceResult<std::string> read_field(std::span<const std::uint8_t> block, const Field& field) {
  std::u32string characters;
  for (std::size_t at = field.offset; at < field.offset + field.size; at += 2) {
    const char32_t unit = char32_t(block[at]) | (char32_t(block[at + 1]) << 8);
    const bool surrogate = unit >= 0xD800 && unit <= 0xDFFF;
    if ((unit < 0x20 && unit != 0) || surrogate || unit == 0xFFFE || unit == 0xFFFF) {
      return bad_field(field, "not UCS-2 text");
    }
    characters.push_back(unit == 0 ? U' ' : unit);
  }
  while (!characters.empty() && characters.back() == U' ') characters.pop_back();
  std::string utf8 = text::encode_utf8(characters);
  secure_clear(characters.data(), characters.size() * sizeof(char32_t));
  return utf8;
}

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

bool valid_date(std::string_view date) {
  if (date.size() != 8 || !all_digits(date)) return false;
  const int month = (date[4] - '0') * 10 + (date[5] - '0');
  const int day = (date[6] - '0') * 10 + (date[7] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

hal::DeviceResult<std::string> read_required(std::span<const std::uint8_t> block, const Field& field) {
  auto value = read_field(block, field);
  if (value.ok() && value->empty()) return bad_field(field, "empty");
  return value;
}

hal::DeviceStatusResult decode_codes(std::span<const std::uint8_t> block, hal::IdentityCard& card) {
  auto sex = read_field(block, kSex);
  if (!sex.ok()) return sex.release_error();
  if (*sex == "1") card.sex = "男";
  else if (*sex == "2") card.sex = "女";
  else return bad_field(kSex, "unknown code");
  auto nation = read_field(block, kNation);
  if (!nation.ok()) return nation.release_error();
  const char* name = nullptr;
  if (nation->size() == 2 && all_digits(*nation)) name = nation_name(std::stoi(*nation));
  if (name == nullptr) return bad_field(kNation, "unknown code");
  card.nation = name;
  return {};
}

hal::DeviceStatusResult check_fields(const hal::IdentityCard& card) {
  if (!valid_date(card.birth_date)) return bad_field(kBirth, "expected YYYYMMDD");
  if (!valid_date(card.valid_from)) return bad_field(kValidFrom, "expected YYYYMMDD");
  if (card.valid_until != kLongTerm && !valid_date(card.valid_until)) {
    return bad_field(kValidUntil, "expected YYYYMMDD or 长期");
  }
  if (!hal::valid_id_number(card.id_number)) {
    return bad_field(kIdNumber, "not 18 characters with a valid GB 11643 check digit");
  }
  return {};
}

Result<void> write_field(TextBlock& block, const Field& field, const std::string& value) {
  const std::u32string characters = text::decode_utf8(value);
  if (!text::is_valid_utf8(value)) return Error::make(ErrorKind::invalid_argument, std::string(field.name) + ": not valid UTF-8");
  if (characters.size() * 2 > field.size) {
    return Error::make(ErrorKind::invalid_argument, std::string(field.name) + ": longer than " +
                                                        std::to_string(field.size / 2) + " characters");
  }
  std::size_t at = field.offset;
  for (char32_t c : characters) {
    if (c > 0xFFFF || (c >= 0xD800 && c <= 0xDFFF) || c < 0x20) {
      return Error::make(ErrorKind::invalid_argument, std::string(field.name) + ": a character outside UCS-2");
    }
    block[at++] = static_cast<std::uint8_t>(c & 0xFF);
    block[at++] = static_cast<std::uint8_t>(c >> 8);
  }
  return {};
}

}  // namespace

const char* nation_name(int code) {
  if (code >= 1 && code <= 56) return kNations[code - 1];
  if (code == 97) return "其他";
  if (code == 98) return "外国血统中国籍人士";
  return nullptr;
}

int nation_code(const std::string& name) {
  for (int code = 1; code <= 98; ++code) {
    const char* candidate = nation_name(code);
    if (candidate != nullptr && name == candidate) return code;
  }
  return 0;
}

hal::DeviceResult<hal::IdentityCard> decode_text(std::span<const std::uint8_t> block) {
  if (block.size() != kTextBlockSize) {
    return hal::device_error(hal::DeviceErrorCode::bad_data, "ID card text: " + std::to_string(block.size()) +
                                                                 " bytes (expected 256)");
  }
  hal::IdentityCard card;
  const std::pair<const Field*, std::string*> fields[] = {
      {&kName, &card.name},           {&kBirth, &card.birth_date},    {&kAddress, &card.address},
      {&kIdNumber, &card.id_number},  {&kAuthority, &card.authority}, {&kValidFrom, &card.valid_from},
      {&kValidUntil, &card.valid_until}};
  for (const auto& [field, out] : fields) {
    auto value = read_required(block, *field);
    if (!value.ok()) {
      card.wipe();
      return value.release_error();
    }
    *out = value.release_value();
  }
  hal::DeviceStatusResult checked = decode_codes(block, card);
  if (checked.ok()) checked = check_fields(card);
  if (!checked.ok()) {
    card.wipe();
    return checked.release_error();
  }
  return card;
}

hal::DeviceResult<hal::IdentityCard> decode_text_photo(std::span<const std::uint8_t> data) {
  if (data.size() < 4) {
    return hal::device_error(hal::DeviceErrorCode::bad_data, "read answer of " + std::to_string(data.size()) +
                                                                 " bytes has no text and photo lengths");
  }
  const std::size_t text_size = (std::size_t{data[0]} << 8) | data[1];
  const std::size_t photo_size = (std::size_t{data[2]} << 8) | data[3];
  if (text_size != kTextBlockSize || photo_size > kPhotoSize) {
    return hal::device_error(hal::DeviceErrorCode::bad_data, "read answer claims text " + std::to_string(text_size) +
                                                                 " and photo " + std::to_string(photo_size) +
                                                                 " bytes (expected 256 and at most 1024)");
  }
  if (data.size() != 4 + text_size + photo_size) {
    return hal::device_error(hal::DeviceErrorCode::bad_data, "read answer of " + std::to_string(data.size()) +
                                                                 " bytes does not match its lengths");
  }
  auto card = decode_text(data.subspan(4, text_size));
  if (!card.ok()) return card;
  const auto photo = data.subspan(4 + text_size, photo_size);
  card->photo.assign(photo.begin(), photo.end());
  return card;
}

Result<TextBlock> encode_text(const hal::IdentityCard& card) {
  TextBlock block{};
  for (std::size_t at = 0; at < block.size(); at += 2) {
    block[at] = 0x20;  // space padding
    block[at + 1] = 0x00;
  }
  std::string sex;
  if (card.sex == "男") sex = "1";
  else if (card.sex == "女") sex = "2";
  else return Error::make(ErrorKind::invalid_argument, "sex: expected 男 or 女");
  const int nation = nation_code(card.nation);
  if (nation == 0) return Error::make(ErrorKind::invalid_argument, "nation: not in the code table");
  const std::string nation_digits = {char('0' + nation / 10), char('0' + nation % 10)};
  const std::pair<const Field*, const std::string*> fields[] = {
      {&kName, &card.name},           {&kSex, &sex},                  {&kNation, &nation_digits},
      {&kBirth, &card.birth_date},    {&kAddress, &card.address},     {&kIdNumber, &card.id_number},
      {&kAuthority, &card.authority}, {&kValidFrom, &card.valid_from}, {&kValidUntil, &card.valid_until}};
  for (const auto& [field, value] : fields) {
    auto written = write_field(block, *field, *value);
    if (!written.ok()) return written.release_error();
  }
  return block;
}

std::vector<std::uint8_t> encode_text_photo(const TextBlock& text, std::span<const std::uint8_t> photo) {
  // Sized up front and filled in place (an initializer list then insert() trips GCC 12's
  // -Warray-bounds).
  std::vector<std::uint8_t> data(4 + text.size() + photo.size());
  data[0] = static_cast<std::uint8_t>(text.size() >> 8);
  data[1] = static_cast<std::uint8_t>(text.size() & 0xFF);
  data[2] = static_cast<std::uint8_t>(photo.size() >> 8);
  data[3] = static_cast<std::uint8_t>(photo.size() & 0xFF);
  std::copy(text.begin(), text.end(), data.begin() + 4);
  std::copy(photo.begin(), photo.end(), data.begin() + 4 + static_cast<std::ptrdiff_t>(text.size()));
  return data;
}

}  // namespace kiosk::devices::idcard
