// The ID card text block (DOMAIN.md "Resident ID card reader": UCS-2LE, space padded, field
// sizes 30/2/4/16/70/36/30/16/16/36) and the check digit (DOMAIN.md "Check digits", GB 11643).
#include "devices/idcard/id_text.h"

#include <gtest/gtest.h>

#include "devices/sim/identities.h"

namespace kiosk::devices::idcard {
namespace {

using hal::DeviceErrorCode;

hal::IdentityCard sample(const std::string& name) {
  auto card = sim::load_sample_identity(KIOSK_TEST_ASSETS, name);
  EXPECT_TRUE(card.ok()) << card.error().message;
  return card.ok() ? card.release_value() : hal::IdentityCard{};
}

// Builds a block by hand from the spec's byte offsets (independent of the encoder).
class Block {
 public:
  Block() {
    for (std::size_t at = 0; at < bytes_.size(); at += 2) bytes_[at] = 0x20, bytes_[at + 1] = 0x00;
  }
  Block& put(std::size_t offset, std::u16string_view text) {
    for (char16_t c : text) {
      bytes_[offset++] = static_cast<std::uint8_t>(c & 0xFF);
      bytes_[offset++] = static_cast<std::uint8_t>(c >> 8);
    }
    return *this;
  }
  static Block valid() {
    Block block;
    block.put(0, u"张三").put(30, u"1").put(32, u"01").put(36, u"19580315").put(52, u"四川省泸州市江阳区蓝田路88号")
        .put(122, u"510502195803150137").put(158, u"泸州市公安局江阳区分局").put(188, u"20150620").put(204, u"长期");
    return block;
  }
  std::span<const std::uint8_t> span() const { return bytes_; }
  std::array<std::uint8_t, 256>& bytes() { return bytes_; }

 private:
  std::array<std::uint8_t, 256> bytes_{};
};

void expect_bad_field(const hal::DeviceResult<hal::IdentityCard>& result, const std::string& field) {
  ASSERT_FALSE(result.ok()) << field;
  EXPECT_EQ(result.error().code, DeviceErrorCode::bad_data);
  EXPECT_NE(result.error().message.find(field), std::string::npos) << result.error().message;
}

TEST(IdText, DecodesEveryFieldOfAHandBuiltBlock) {
  auto card = decode_text(Block::valid().span());
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->name, "张三");
  EXPECT_EQ(card->sex, "男");
  EXPECT_EQ(card->nation, "汉");
  EXPECT_EQ(card->birth_date, "19580315");
  EXPECT_EQ(card->address, "四川省泸州市江阳区蓝田路88号");
  EXPECT_EQ(card->id_number, "510502195803150137");
  EXPECT_EQ(card->authority, "泸州市公安局江阳区分局");
  EXPECT_EQ(card->valid_from, "20150620");
  EXPECT_EQ(card->valid_until, "长期");
  EXPECT_TRUE(card->photo.empty());
}

TEST(IdText, FemaleDatedValidityAndXCheckDigit) {
  Block block = Block::valid();
  block.put(30, u"2").put(32, u"07").put(122, u"11010519491231002X").put(36, u"19491231").put(204, u"20300101");
  auto card = decode_text(block.span());
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->sex, "女");
  EXPECT_EQ(card->nation, "彝");
  EXPECT_EQ(card->id_number, "11010519491231002X");
  EXPECT_EQ(card->valid_until, "20300101");
}

TEST(IdText, TrimsOnlyTrailingPaddingAndTakesNulPadding) {
  Block block = Block::valid();
  block.put(0, u"JOHN SMITH");
  auto card = decode_text(block.span());
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->name, "JOHN SMITH");
  for (std::size_t at = 4; at < 30; ++at) block.bytes()[at] = 0;  // 张三 then NULs
  block.put(0, u"张三");
  card = decode_text(block.span());
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->name, "张三");
}

TEST(IdText, EverySampleIdentityRoundTripsThroughTheEncoder) {
  for (const char* name : {"zhangsan", "lisi", "wangfang-expired", "ahe-yi"}) {
    const hal::IdentityCard expected = sample(name);
    auto block = encode_text(expected);
    ASSERT_TRUE(block.ok()) << name << ": " << block.error().message;
    auto card = decode_text(*block);
    ASSERT_TRUE(card.ok()) << name << ": " << card.error().message;
    EXPECT_EQ(card->name, expected.name);
    EXPECT_EQ(card->sex, expected.sex);
    EXPECT_EQ(card->nation, expected.nation);
    EXPECT_EQ(card->birth_date, expected.birth_date);
    EXPECT_EQ(card->address, expected.address);
    EXPECT_EQ(card->id_number, expected.id_number);
    EXPECT_EQ(card->authority, expected.authority);
    EXPECT_EQ(card->valid_from, expected.valid_from);
    EXPECT_EQ(card->valid_until, expected.valid_until);
  }
}

TEST(IdText, EncoderPutsFieldsAtTheSpecOffsets) {
  auto block = encode_text(sample("zhangsan"));
  ASSERT_TRUE(block.ok());
  const auto& bytes = *block;
  EXPECT_EQ(bytes[0], 0x20);  // 张 U+5F20, little-endian
  EXPECT_EQ(bytes[1], 0x5F);
  EXPECT_EQ(bytes[4], 0x20);  // padding
  EXPECT_EQ(bytes[5], 0x00);
  EXPECT_EQ(bytes[30], '1');  // sex
  EXPECT_EQ(bytes[32], '0');  // nation 01
  EXPECT_EQ(bytes[34], '1');
  EXPECT_EQ(bytes[36], '1');  // birth 1958…
  EXPECT_EQ(bytes[122], '5');  // ID number 5105…
  EXPECT_EQ(bytes[156], '7');  // … its 18th character
  EXPECT_EQ(bytes[204], 0x7F);  // 长 U+957F
  EXPECT_EQ(bytes[205], 0x95);
  EXPECT_EQ(bytes[206], 0x1F);  // 期 U+671F
  EXPECT_EQ(bytes[207], 0x67);
  for (std::size_t at = 220; at < 256; at += 2) EXPECT_EQ(bytes[at], 0x20) << at;  // reserved, padded
}

TEST(IdText, UnknownNationCodesAreBadData) {
  for (std::u16string_view code : {u"00", u"57", u"96", u"99", u"ab", u"1 "}) {
    Block block = Block::valid();
    block.put(32, code);
    expect_bad_field(decode_text(block.span()), "nation");
  }
}

TEST(IdText, NationTableCoversTheGbCodes) {
  EXPECT_STREQ(nation_name(1), "汉");
  EXPECT_STREQ(nation_name(7), "彝");
  EXPECT_STREQ(nation_name(56), "基诺");
  EXPECT_STREQ(nation_name(97), "其他");
  EXPECT_STREQ(nation_name(98), "外国血统中国籍人士");
  for (int code : {0, 57, 96, 99, -1}) EXPECT_EQ(nation_name(code), nullptr) << code;
  for (int code = 1; code <= 56; ++code) EXPECT_EQ(nation_code(nation_name(code)), code);
  EXPECT_EQ(nation_code("火星"), 0);
}

TEST(IdText, UnknownSexCodesAreBadData) {
  for (std::u16string_view code : {u"0", u"9", u"M", u" "}) {
    Block block = Block::valid();
    block.put(30, code);
    expect_bad_field(decode_text(block.span()), "sex");
  }
}

TEST(IdText, InvalidCheckDigitIsBadDataWithoutTheNumberInTheMessage) {
  Block block = Block::valid();
  block.put(122, u"510502195803150138");
  auto card = decode_text(block.span());
  expect_bad_field(card, "id_number");
  EXPECT_NE(card.error().message.find("check digit"), std::string::npos);
  EXPECT_EQ(card.error().message.find("5105"), std::string::npos) << "personal data in: " << card.error().message;
  block.put(122, u"51050219580315013");  // 17 characters
  expect_bad_field(decode_text(block.span()), "id_number");
}

TEST(IdText, MalformedDatesAndEmptyFieldsAreBadData) {
  Block block = Block::valid();
  block.put(36, u"1958-3-1");
  expect_bad_field(decode_text(block.span()), "birth_date");
  block = Block::valid();
  block.put(204, u"长期期");
  expect_bad_field(decode_text(block.span()), "valid_until");
  block = Block::valid();
  block.put(188, u"20151320");
  expect_bad_field(decode_text(block.span()), "valid_from");
  block = Block::valid();
  block.put(0, u"               ");
  expect_bad_field(decode_text(block.span()), "name");
}

TEST(IdText, NonUcs2GarbageIsBadData) {
  Block block = Block::valid();
  block.bytes()[2] = 0x00, block.bytes()[3] = 0xD8;  // a lone surrogate
  expect_bad_field(decode_text(block.span()), "name");
  block = Block::valid();
  block.bytes()[52] = 0x07, block.bytes()[53] = 0x00;  // a control character
  expect_bad_field(decode_text(block.span()), "address");
  std::array<std::uint8_t, 256> ones;
  ones.fill(0xFF);
  EXPECT_EQ(decode_text(ones).error().code, DeviceErrorCode::bad_data);
  std::uint32_t state = 99;
  for (int round = 0; round < 200; ++round) {
    std::array<std::uint8_t, 256> noise;
    for (auto& byte : noise) byte = static_cast<std::uint8_t>((state = state * 1664525u + 1013904223u) >> 24);
    EXPECT_FALSE(decode_text(noise).ok()) << round;
  }
  EXPECT_FALSE(decode_text(std::span(Block::valid().span()).first(255)).ok());
}

TEST(IdText, ReadAnswerDataPassesThePhotoThroughUntouched) {
  auto text = encode_text(sample("lisi"));
  ASSERT_TRUE(text.ok());
  std::vector<std::uint8_t> photo(kPhotoSize);
  for (std::size_t i = 0; i < photo.size(); ++i) photo[i] = static_cast<std::uint8_t>(i * 31 + 7);
  const auto data = encode_text_photo(*text, photo);
  ASSERT_EQ(data.size(), 4u + 256u + 1024u);
  EXPECT_EQ(data[0], 0x01);  // text length 0x0100
  EXPECT_EQ(data[1], 0x00);
  EXPECT_EQ(data[2], 0x04);  // photo length 0x0400
  EXPECT_EQ(data[3], 0x00);
  auto card = decode_text_photo(data);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->photo, photo);
  EXPECT_EQ(card->name, "李思");
}

TEST(IdText, ReadAnswerDataWithWrongLengthsIsBadData) {
  auto text = encode_text(sample("lisi"));
  ASSERT_TRUE(text.ok());
  const std::vector<std::uint8_t> photo(kPhotoSize, 0x5A);
  auto data = encode_text_photo(*text, photo);
  EXPECT_EQ(decode_text_photo(std::span(data).first(3)).error().code, DeviceErrorCode::bad_data);  // no lengths
  EXPECT_FALSE(decode_text_photo(std::span(data).first(data.size() - 1)).ok());  // truncated photo
  auto oversized = data;
  oversized.push_back(0);
  EXPECT_FALSE(decode_text_photo(oversized).ok());
  auto claims = data;
  claims[2] = 0x08;  // a 2048-byte photo: more than a card holds
  EXPECT_FALSE(decode_text_photo(claims).ok());
  claims = data;
  claims[1] = 0x01;  // text 257 bytes
  EXPECT_FALSE(decode_text_photo(claims).ok());
}

TEST(IdText, EncoderRejectsWhatACardCannotHold) {
  hal::IdentityCard card = sample("zhangsan");
  card.name = "一二三四五六七八九十一二三四五六";  // 16 characters, 15 fit
  EXPECT_NE(encode_text(card).error().message.find("name"), std::string::npos);
  card = sample("zhangsan");
  card.sex = "未知";
  EXPECT_NE(encode_text(card).error().message.find("sex"), std::string::npos);
  card = sample("zhangsan");
  card.nation = "火星";
  EXPECT_NE(encode_text(card).error().message.find("nation"), std::string::npos);
  card = sample("zhangsan");
  card.name = "张\U0001F600";  // outside the BMP: no UCS-2 form
  EXPECT_NE(encode_text(card).error().message.find("UCS-2"), std::string::npos);
}

}  // namespace
}  // namespace kiosk::devices::idcard
