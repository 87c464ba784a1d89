#include "devices/sim/identities.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kiosk::devices {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kIdentities = fs::path(KIOSK_TEST_ASSETS) / "identities";

json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// GB 11643 check character, computed here independently of hal::valid_id_number.
char check_character(const std::string& first17) {
  const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * weights[i];
  return "10X98765432"[sum % 11];
}

// 510502 + birth date + sequence (odd third digit for men) + check character.
std::string id_number(const std::string& birth_date, const std::string& sequence) {
  const std::string first17 = "510502" + birth_date + sequence;
  return first17 + check_character(first17);
}

json valid_identity() {
  return json{{"name", "测试"},
              {"sex", "男"},
              {"nation", "汉"},
              {"birth_date", "19800101"},
              {"address", "四川省泸州市江阳区测试路1号"},
              {"id_number", id_number("19800101", "001")},
              {"authority", "泸州市公安局江阳区分局"},
              {"valid_from", "20200101"},
              {"valid_until", "20400101"}};
}

TEST(Identity, EverySampleLoadsWithTheFieldsOfItsFile) {
  int samples = 0;
  for (const auto& entry : fs::directory_iterator(kIdentities)) {
    if (entry.path().extension() != ".json") continue;
    ++samples;
    SCOPED_TRACE(entry.path().string());
    auto card = sim::load_identity(entry.path());
    ASSERT_TRUE(card.ok()) << card.error().message;
    const json source = read_json(entry.path());
    EXPECT_EQ(card->name, source["name"].get<std::string>());
    EXPECT_EQ(card->sex, source["sex"].get<std::string>());
    EXPECT_EQ(card->nation, source["nation"].get<std::string>());
    EXPECT_EQ(card->birth_date, source["birth_date"].get<std::string>());
    EXPECT_EQ(card->address, source["address"].get<std::string>());
    EXPECT_EQ(card->id_number, source["id_number"].get<std::string>());
    EXPECT_EQ(card->authority, source["authority"].get<std::string>());
    EXPECT_EQ(card->valid_from, source["valid_from"].get<std::string>());
    EXPECT_EQ(card->valid_until, source["valid_until"].get<std::string>());
    EXPECT_TRUE(hal::valid_id_number(card->id_number));
    EXPECT_EQ(card->id_number.back(), check_character(card->id_number.substr(0, 17)));
    // The sample by name is the same file.
    auto by_name = sim::load_sample_identity(KIOSK_TEST_ASSETS, entry.path().stem().string());
    ASSERT_TRUE(by_name.ok()) << by_name.error().message;
    EXPECT_EQ(by_name->id_number, card->id_number);
  }
  EXPECT_GE(samples, 4);
}

TEST(Identity, SamplesCoverLongTermAndExpiredCards) {
  auto zhangsan = sim::load_sample_identity(KIOSK_TEST_ASSETS, "zhangsan");
  ASSERT_TRUE(zhangsan.ok()) << zhangsan.error().message;
  EXPECT_EQ(zhangsan->valid_until, "长期");
  EXPECT_FALSE(zhangsan->expired("20991231"));
  auto expired = sim::load_sample_identity(KIOSK_TEST_ASSETS, "wangfang-expired");
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_TRUE(expired->expired("20260101"));
  EXPECT_FALSE(expired->expired(expired->valid_until));  // valid through its last day
}

TEST(Identity, ParsesAValidIdentity) {
  auto card = sim::parse_identity(valid_identity().dump());
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->name, "测试");
  EXPECT_EQ(card->id_number, valid_identity()["id_number"].get<std::string>());
  EXPECT_TRUE(card->photo.empty());
}

TEST(Identity, LowerCaseXCheckCharacterIsAccepted) {
  // 11010519491231002X is the standard's worked example.
  json identity = valid_identity();
  identity["id_number"] = "11010519491231002x";
  identity["birth_date"] = "19491231";
  identity["sex"] = "女";
  auto card = sim::parse_identity(identity.dump());
  ASSERT_TRUE(card.ok()) << card.error().message;
}

TEST(Identity, ReadsThePhotoRelativeToTheBaseDirectory) {
  const fs::path dir = fs::path(testing::TempDir()) / "identities_test_photo";
  fs::create_directories(dir);
  const std::string bytes("WLT\0\x01\x02\xFF", 7);
  {
    std::ofstream out(dir / "photo.wlt", std::ios::binary);
    out << bytes;
  }
  json identity = valid_identity();
  identity["photo"] = "photo.wlt";
  auto card = sim::parse_identity(identity.dump(), dir);
  fs::remove_all(dir);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(std::string(card->photo.begin(), card->photo.end()), bytes);
}

TEST(Identity, MissingPhotoFileIsAnError) {
  json identity = valid_identity();
  identity["photo"] = "no-such-photo.wlt";
  auto card = sim::parse_identity(identity.dump(), "/nonexistent");
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().message.rfind("identity: photo: ", 0), 0u) << card.error().message;
  EXPECT_NE(card.error().message.find("no-such-photo.wlt"), std::string::npos) << card.error().message;
}

TEST(Identity, LoadErrors) {
  auto missing = sim::load_identity("/nonexistent/person.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_NE(missing.error().message.find("/nonexistent/person.json"), std::string::npos);

  for (const char* name : {"../config/demo", "zhang san", "a/b", "", "."}) {
    auto bad = sim::load_sample_identity(KIOSK_TEST_ASSETS, name);
    ASSERT_FALSE(bad.ok()) << name;
    if (std::string(name).empty()) continue;  // an empty name is simply not found
    EXPECT_EQ(bad.error().kind, ErrorKind::invalid_argument) << name;
  }
  auto unknown = sim::load_sample_identity(KIOSK_TEST_ASSETS, "nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::not_found);
}

TEST(Identity, ParseErrorInAFileNamesTheFile) {
  const fs::path path = fs::path(testing::TempDir()) / "identities_test_bad.json";
  json identity = valid_identity();
  identity["sex"] = "X";
  {
    std::ofstream out(path, std::ios::binary);
    out << identity.dump();
  }
  auto card = sim::load_identity(path);
  fs::remove(path);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().kind, ErrorKind::parse);
  EXPECT_NE(card.error().message.find(path.string()), std::string::npos) << card.error().message;
  EXPECT_NE(card.error().message.find("identity: sex: "), std::string::npos) << card.error().message;
}

TEST(Identity, RejectsText) {
  for (const char* text : {"", "not json", "{", "[]", "\"张三\"", "42"}) {
    auto card = sim::parse_identity(text);
    ASSERT_FALSE(card.ok()) << text;
    EXPECT_EQ(card.error().kind, ErrorKind::parse);
    EXPECT_EQ(card.error().message.rfind("identity: ", 0), 0u) << card.error().message;
  }
}

class IdentityRequiredField : public testing::TestWithParam<const char*> {};

TEST_P(IdentityRequiredField, MissingWrongTypeOrEmpty) {
  const std::string field = GetParam();
  json identity = valid_identity();
  identity.erase(field);
  auto missing = sim::parse_identity(identity.dump());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "identity: " + field + ": missing");

  identity[field] = 19800101;
  auto number = sim::parse_identity(identity.dump());
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().message, "identity: " + field + ": expected a string");

  identity[field] = "";
  auto empty = sim::parse_identity(identity.dump());
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "identity: " + field + ": must not be empty");
}

INSTANTIATE_TEST_SUITE_P(Fields, IdentityRequiredField,
                         testing::Values("name", "sex", "nation", "birth_date", "address", "id_number", "authority",
                                         "valid_from", "valid_until"));

struct BadIdentity {
  const char* name;
  json changes;
  const char* message;
};

void PrintTo(const BadIdentity& bad, std::ostream* out) { *out << bad.name; }

class IdentityRejects : public testing::TestWithParam<BadIdentity> {};

TEST_P(IdentityRejects, NamesTheField) {
  json identity = valid_identity();
  identity.update(GetParam().changes);
  auto card = sim::parse_identity(identity.dump());
  ASSERT_FALSE(card.ok()) << identity.dump();
  EXPECT_EQ(card.error().kind, ErrorKind::parse);
  EXPECT_EQ(card.error().message, GetParam().message);
}

std::string with_wrong_check(std::string number) {
  number.back() = number.back() == '0' ? '1' : '0';
  return number;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IdentityRejects,
    testing::Values(
        BadIdentity{"bad_check_digit", json{{"id_number", with_wrong_check(id_number("19800101", "001"))}},
                    "identity: id_number: not 18 characters with a valid check digit"},
        BadIdentity{"seventeen_characters", json{{"id_number", id_number("19800101", "001").substr(0, 17)}},
                    "identity: id_number: not 18 characters with a valid check digit"},
        BadIdentity{"letter_in_body", json{{"id_number", "51050219800101A01X"}},
                    "identity: id_number: not 18 characters with a valid check digit"},
        BadIdentity{"birth_date_not_in_number", json{{"birth_date", "19800102"}},
                    "identity: birth_date: does not match the ID number"},
        BadIdentity{"birth_date_format",
                    json{{"birth_date", "1980-1-1"}, {"id_number", id_number("19800101", "001")}},
                    "identity: birth_date: expected YYYYMMDD"},
        BadIdentity{"birth_month_13", json{{"birth_date", "19801301"}, {"id_number", id_number("19801301", "001")}},
                    "identity: birth_date: expected YYYYMMDD"},
        BadIdentity{"sex_word", json{{"sex", "male"}}, "identity: sex: expected 男 or 女"},
        BadIdentity{"sex_does_not_match", json{{"sex", "女"}}, "identity: sex: does not match the ID number"},
        BadIdentity{"man_with_even_digit", json{{"id_number", id_number("19800101", "002")}},
                    "identity: sex: does not match the ID number"},
        BadIdentity{"valid_from_format", json{{"valid_from", "2020/01/01"}}, "identity: valid_from: expected YYYYMMDD"},
        BadIdentity{"valid_until_word", json{{"valid_until", "forever"}},
                    "identity: valid_until: expected YYYYMMDD or 长期"},
        BadIdentity{"valid_until_before_from", json{{"valid_until", "20100101"}},
                    "identity: valid_until: before valid_from"},
        BadIdentity{"valid_until_equals_from", json{{"valid_until", "20200101"}},
                    "identity: valid_until: before valid_from"},
        BadIdentity{"photo_number", json{{"photo", 5}}, "identity: photo: expected a file path"}),
    [](const testing::TestParamInfo<BadIdentity>& parameter) { return std::string(parameter.param.name); });

TEST(Identity, WomanWithEvenDigitIsAccepted) {
  json identity = valid_identity();
  identity["sex"] = "女";
  identity["id_number"] = id_number("19800101", "002");
  auto card = sim::parse_identity(identity.dump());
  EXPECT_TRUE(card.ok()) << card.error().message;
}

TEST(Identity, LongTermValidityIsAccepted) {
  json identity = valid_identity();
  identity["valid_until"] = "长期";
  auto card = sim::parse_identity(identity.dump());
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_FALSE(card->expired("20991231"));
}

}  // namespace
}  // namespace kiosk::devices
