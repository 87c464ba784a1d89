// The shared helpers of hal/ (hal/device.cpp): ID number check digit, card validity, status text,
// cancel token, enum names, wiping personal data.
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "hal/card_reader.h"
#include "hal/devices.h"
#include "hal/image.h"

namespace kiosk::hal {
namespace {

// GB 11643-1999's worked example.
constexpr const char* kExample = "11010519491231002X";

TEST(HalIdNumber, TheStandardsExampleIsValid) {
  EXPECT_TRUE(valid_id_number(kExample));
  EXPECT_TRUE(valid_id_number("11010519491231002x"));  // lower-case x as typed by people
}

TEST(HalIdNumber, EverySingleWrongDigitIsCaught) {
  // Each weight is non-zero modulo 11 and a digit changes by less than 11, so any one wrong digit
  // changes the check character.
  const std::string example = kExample;
  for (std::size_t position = 0; position < 17; ++position) {
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == example[position]) continue;
      std::string changed = example;
      changed[position] = digit;
      EXPECT_FALSE(valid_id_number(changed)) << changed;
    }
  }
}

TEST(HalIdNumber, WrongCheckCharacterIsInvalid) {
  std::string changed = kExample;
  for (const char check : std::string("0123456789")) {
    changed[17] = check;
    EXPECT_FALSE(valid_id_number(changed)) << changed;
  }
}

TEST(HalIdNumber, MalformedNumbersAreInvalid) {
  EXPECT_FALSE(valid_id_number(""));
  EXPECT_FALSE(valid_id_number("11010519491231002"));    // 17 characters
  EXPECT_FALSE(valid_id_number("11010519491231002X0"));  // 19 characters
  EXPECT_FALSE(valid_id_number("110105194912310X2X"));   // X in the body
  EXPECT_FALSE(valid_id_number("11010519491231002Y"));
  EXPECT_FALSE(valid_id_number("110105 9491231002X"));
  EXPECT_FALSE(valid_id_number("110105194912310020"));
  EXPECT_TRUE(valid_id_number("510502195803150137"));  // a sample identity
}

TEST(HalIdentityCard, LongTermCardsNeverExpire) {
  IdentityCard card;
  card.valid_until = "长期";
  EXPECT_FALSE(card.expired("20260101"));
  EXPECT_FALSE(card.expired("99991231"));
  EXPECT_FALSE(card.expired("garbage"));
}

TEST(HalIdentityCard, ExpiresAfterItsLastDay) {
  IdentityCard card;
  card.valid_until = "20240722";
  EXPECT_FALSE(card.expired("20240721"));
  EXPECT_FALSE(card.expired("20240722"));  // valid through the date printed on it
  EXPECT_TRUE(card.expired("20240723"));
  EXPECT_TRUE(card.expired("20250101"));
}

TEST(HalIdentityCard, UnreadableValidityCountsAsExpired) {
  IdentityCard card;
  EXPECT_TRUE(card.expired("20240101"));  // empty valid_until
  card.valid_until = "2040-01-01";
  EXPECT_TRUE(card.expired("20240101"));
  card.valid_until = "20400101";
  EXPECT_TRUE(card.expired("2024-01-01"));  // malformed today
  EXPECT_TRUE(card.expired(""));
}

TEST(HalIdentityCard, WipeEmptiesEveryField) {
  IdentityCard card{"张三", "男", "汉", "19580315", "四川省泸州市", "510502195803150137", "泸州市公安局", "20150620",
                    "长期", {1, 2, 3}};
  card.wipe();
  for (const std::string* field : {&card.name, &card.sex, &card.nation, &card.birth_date, &card.address,
                                   &card.id_number, &card.authority, &card.valid_from, &card.valid_until}) {
    EXPECT_TRUE(field->empty());
  }
  EXPECT_TRUE(card.photo.empty());
}

TEST(HalDescribe, StatesAndExtras) {
  DeviceStatus status;
  EXPECT_EQ(describe(status), "no_device");
  status.state = DeviceState::online;
  EXPECT_EQ(describe(status), "online");
  status.paper = Supply::ok;
  EXPECT_EQ(describe(status), "online");  // ok paper is not news
  status.card_present = true;
  EXPECT_EQ(describe(status), "online (card present)");
  status = DeviceStatus{DeviceState::user_error, Supply::out, true, false, "DLE EOT 4: 0x72"};
  EXPECT_EQ(describe(status), "user_error (paper out, cover open): DLE EOT 4: 0x72");
  status = DeviceStatus{DeviceState::online, Supply::near_end, false, false, ""};
  EXPECT_EQ(describe(status), "online (paper near_end)");
  status = DeviceStatus{DeviceState::hardware_error, Supply::unknown, false, false, "cutter jam"};
  EXPECT_EQ(describe(status), "hardware_error: cutter jam");
}

TEST(HalDescribe, ReadyOnlyWhenOnline) {
  DeviceStatus status;
  for (DeviceState state : {DeviceState::offline, DeviceState::no_device, DeviceState::hardware_error,
                            DeviceState::user_error, DeviceState::busy}) {
    status.state = state;
    EXPECT_FALSE(status.ready()) << to_string(state);
  }
  status.state = DeviceState::online;
  EXPECT_TRUE(status.ready());
}

TEST(HalNames, EveryEnumValueHasItsOwnName) {
  std::set<std::string> classes;
  for (DeviceClass device : kAllDeviceClasses) classes.insert(to_string(device));
  EXPECT_EQ(classes.size(), kDeviceClassCount);
  EXPECT_EQ(classes.count("unknown"), 0u);
  EXPECT_STREQ(to_string(DeviceClass::receipt_printer), "receipt_printer");

  std::set<std::string> states;
  for (DeviceState state : {DeviceState::online, DeviceState::offline, DeviceState::no_device,
                            DeviceState::hardware_error, DeviceState::user_error, DeviceState::busy}) {
    states.insert(to_string(state));
  }
  EXPECT_EQ(states.size(), 6u);
  EXPECT_EQ(states.count("unknown"), 0u);

  std::set<std::string> codes;
  for (DeviceErrorCode code :
       {DeviceErrorCode::timeout, DeviceErrorCode::cancelled, DeviceErrorCode::no_device, DeviceErrorCode::offline,
        DeviceErrorCode::hardware, DeviceErrorCode::paper_out, DeviceErrorCode::cover_open, DeviceErrorCode::no_card,
        DeviceErrorCode::card_removed, DeviceErrorCode::bad_data, DeviceErrorCode::busy, DeviceErrorCode::unsupported,
        DeviceErrorCode::io}) {
    codes.insert(to_string(code));
  }
  EXPECT_EQ(codes.size(), 13u);
  EXPECT_EQ(codes.count("unknown"), 0u);
  EXPECT_STREQ(to_string(Supply::near_end), "near_end");
}

TEST(HalCancelToken, CopiesShareTheFlagAcrossThreads) {
  CancelToken token;
  const CancelToken copy = token;
  EXPECT_FALSE(copy.cancelled());
  std::thread canceller([token] { token.cancel(); });
  canceller.join();
  EXPECT_TRUE(copy.cancelled());
  EXPECT_TRUE(token.cancelled());
  EXPECT_FALSE(CancelToken{}.cancelled());  // a new token has its own flag
}

TEST(HalDeviceError, CarriesCodeAndMessage) {
  const DeviceError error = device_error(DeviceErrorCode::paper_out, "no paper");
  EXPECT_EQ(error.code, DeviceErrorCode::paper_out);
  EXPECT_EQ(error.message, "no paper");
}

TEST(HalImage, Validity) {
  Image image;
  EXPECT_FALSE(image.valid());
  image.width = 2;
  image.height = 2;
  image.format = PixelFormat::rgb24;
  image.pixels.assign(12, 0);
  EXPECT_TRUE(image.valid());
  image.format = PixelFormat::gray8;
  EXPECT_FALSE(image.valid());
  image.pixels.resize(4);
  EXPECT_TRUE(image.valid());
}

TEST(HalRasterPage, ValidityAndBits) {
  RasterPage page;
  EXPECT_FALSE(page.valid());
  page.width_dots = 16;
  page.height = 1;
  page.bits = {0x80, 0x01};
  ASSERT_TRUE(page.valid());
  EXPECT_TRUE(page.black(0, 0));
  EXPECT_FALSE(page.black(1, 0));
  EXPECT_TRUE(page.black(15, 0));
  page.width_dots = 12;  // not a multiple of 8
  EXPECT_FALSE(page.valid());
}

}  // namespace
}  // namespace kiosk::hal
