#include "devices/sim/sim_card_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "devices/sim/identities.h"
#include "tests/devices/device_test_support.h"

namespace kiosk::devices {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using sim::SimCardReader;

hal::IdentityCard sample_card(const std::string& name = "zhangsan") {
  auto card = sim::load_sample_identity(KIOSK_TEST_ASSETS, name);
  EXPECT_TRUE(card.ok()) << card.error().message;
  return card.ok() ? card.release_value() : hal::IdentityCard{};
}

TEST(SimCardReader, StartsOnlineWithoutACard) {
  SimCardReader reader;
  EXPECT_EQ(reader.device_class(), hal::DeviceClass::card_reader);
  EXPECT_EQ(reader.driver(), "sim");
  EXPECT_EQ(reader.status().state, DeviceState::online);
  EXPECT_TRUE(reader.status().ready());
  EXPECT_FALSE(reader.status().card_present);
  EXPECT_TRUE(reader.capabilities().reads_photo);
  EXPECT_TRUE(reader.history().empty());
}

TEST(SimCardReader, PlacingACardEmitsStatusThenCardPlaced) {
  SimCardReader reader;
  EventRecorder recorder(reader);
  reader.place_card(sample_card());
  EXPECT_EQ(recorder.kinds(), (std::vector<Kind>{Kind::status_changed, Kind::card_placed}));
  for (const auto& event : recorder.events()) {
    EXPECT_EQ(event.device, hal::DeviceClass::card_reader);
    EXPECT_TRUE(event.status.card_present);
    EXPECT_EQ(event.status.state, DeviceState::online);
  }
  EXPECT_TRUE(reader.status().card_present);
  EXPECT_EQ(reader.history(), Strings{"card placed"});
}

TEST(SimCardReader, ReadsThePlacedCard) {
  SimCardReader reader;
  const hal::IdentityCard expected = sample_card("lisi");
  reader.place_card(expected);
  auto card = reader.read_card(hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->name, expected.name);
  EXPECT_EQ(card->id_number, expected.id_number);
  EXPECT_EQ(card->valid_until, expected.valid_until);
  // Reading does not take the card away.
  EXPECT_TRUE(reader.status().card_present);
  EXPECT_TRUE(reader.read_card(hal::CancelToken{}, kTimeout).ok());
  EXPECT_EQ(reader.history(), (Strings{"card placed", "read_card ok", "read_card ok"}));
}

TEST(SimCardReader, ReadWithoutACardFailsWithNoCard) {
  SimCardReader reader;
  auto card = reader.read_card(hal::CancelToken{}, kTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::no_card);
  EXPECT_EQ(reader.history(), Strings{"read_card no_card"});
}

TEST(SimCardReader, RemovingTheCardEmitsStatusThenCardRemoved) {
  SimCardReader reader;
  reader.place_card(sample_card());
  EventRecorder recorder(reader);
  reader.remove_card();
  EXPECT_EQ(recorder.kinds(), (std::vector<Kind>{Kind::status_changed, Kind::card_removed}));
  for (const auto& event : recorder.events()) EXPECT_FALSE(event.status.card_present);
  EXPECT_FALSE(reader.status().card_present);
  EXPECT_EQ(reader.read_card(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::no_card);
  EXPECT_EQ(reader.history(), (Strings{"card placed", "card removed", "read_card no_card"}));
}

TEST(SimCardReader, RemovingWhenEmptyDoesNothing) {
  SimCardReader reader;
  EventRecorder recorder(reader);
  reader.remove_card();
  EXPECT_TRUE(recorder.events().empty());
  EXPECT_TRUE(reader.history().empty());
}

TEST(SimCardReader, ReplacingACardKeepsItPresent) {
  SimCardReader reader;
  reader.place_card(sample_card("zhangsan"));
  EventRecorder recorder(reader);
  const hal::IdentityCard second = sample_card("lisi");
  reader.place_card(second);
  // The status did not change (a card is still present), so only card_placed is emitted.
  EXPECT_EQ(recorder.kinds(), std::vector<Kind>{Kind::card_placed});
  auto card = reader.read_card(hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(card.ok());
  EXPECT_EQ(card->id_number, second.id_number);
}

TEST(SimCardReader, UnpluggedIsOfflineAndFailsWithNoDevice) {
  SimCardReader reader;
  reader.place_card(sample_card());
  EventRecorder recorder(reader);
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::unplugged));
  const hal::DeviceStatus status = reader.status();
  EXPECT_EQ(status.state, DeviceState::offline);
  EXPECT_FALSE(status.card_present);  // an unplugged reader sees nothing
  EXPECT_NE(status.detail.find("unplugged"), std::string::npos) << status.detail;
  EXPECT_EQ(recorder.kinds(), std::vector<Kind>{Kind::status_changed});
  ASSERT_FALSE(recorder.events().empty());
  EXPECT_EQ(recorder.events().back().status, status);

  auto card = reader.read_card(hal::CancelToken{}, kTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::no_device);
  auto sam = reader.sam_id(kTimeout);
  ASSERT_FALSE(sam.ok());
  EXPECT_EQ(sam.error().code, DeviceErrorCode::no_device);
  EXPECT_EQ(reader.history(), (Strings{"card placed", "read_card no_device"}));
}

TEST(SimCardReader, UnpluggedReaderEmitsNoCardEvents) {
  SimCardReader reader;
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::unplugged));
  EventRecorder recorder(reader);
  reader.place_card(sample_card());
  reader.remove_card();
  EXPECT_TRUE(recorder.events().empty());
  reader.place_card(sample_card());
  EXPECT_FALSE(reader.status().card_present);
  // Plugged back in: the card on it is seen again.
  reader.set_faults({});
  EXPECT_EQ(reader.status().state, DeviceState::online);
  EXPECT_TRUE(reader.status().card_present);
  EXPECT_TRUE(reader.read_card(hal::CancelToken{}, kTimeout).ok());
  EXPECT_EQ(reader.history(), (Strings{"card placed", "card removed", "card placed", "read_card ok"}));
}

TEST(SimCardReader, HardwareErrorIsReportedAndFailsCalls) {
  SimCardReader reader;
  reader.place_card(sample_card());
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::hardware_error));
  EXPECT_EQ(reader.status().state, DeviceState::hardware_error);
  EXPECT_FALSE(reader.status().ready());
  EXPECT_NE(reader.status().detail.find("hardware"), std::string::npos);
  EXPECT_EQ(reader.read_card(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::hardware);
  EXPECT_EQ(reader.sam_id(kTimeout).error().code, DeviceErrorCode::hardware);
  EXPECT_EQ(reader.history().back(), "read_card hardware");
}

TEST(SimCardReader, GarbageAnswersFailWithBadData) {
  SimCardReader reader;
  reader.place_card(sample_card());
  EventRecorder recorder(reader);
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::garbage));
  // Garbage is only visible when talking to the device: the status stays online.
  EXPECT_EQ(reader.status().state, DeviceState::online);
  EXPECT_TRUE(recorder.events().empty());
  EXPECT_EQ(reader.read_card(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::bad_data);
  EXPECT_EQ(reader.sam_id(kTimeout).error().code, DeviceErrorCode::bad_data);
  EXPECT_EQ(reader.history().back(), "read_card bad_data");
}

TEST(SimCardReader, CardRemovedMidReadTakesTheCardAway) {
  SimCardReader reader;
  reader.place_card(sample_card());
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::card_removed_mid_read));
  EventRecorder recorder(reader);
  auto card = reader.read_card(hal::CancelToken{}, kTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::card_removed);
  EXPECT_EQ(recorder.kinds(), (std::vector<Kind>{Kind::status_changed, Kind::card_removed}));
  for (const auto& event : recorder.events()) EXPECT_FALSE(event.status.card_present);
  EXPECT_FALSE(reader.status().card_present);
  // The switch fires once; the next read finds no card.
  EXPECT_FALSE(reader.faults().card_removed_mid_read);
  EXPECT_EQ(reader.read_card(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::no_card);
  EXPECT_EQ(reader.history(), (Strings{"card placed", "read_card card_removed", "read_card no_card"}));
}

TEST(SimCardReader, CardRemovedMidReadWithoutACardIsNoCard) {
  SimCardReader reader;
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::card_removed_mid_read));
  EXPECT_EQ(reader.read_card(hal::CancelToken{}, kTimeout).error().code, DeviceErrorCode::no_card);
  EXPECT_TRUE(reader.faults().card_removed_mid_read);  // still armed for a read with a card
}

TEST(SimCardReader, CancelledTokenWinsOverEverything) {
  SimCardReader reader;
  reader.place_card(sample_card());
  hal::CancelToken cancel;
  const hal::CancelToken copy = cancel;  // copies share the flag
  copy.cancel();
  EXPECT_TRUE(cancel.cancelled());
  auto card = reader.read_card(cancel, kTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::cancelled);
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::unplugged));
  EXPECT_EQ(reader.read_card(cancel, kTimeout).error().code, DeviceErrorCode::cancelled);
  EXPECT_EQ(reader.history(), (Strings{"card placed", "read_card cancelled", "read_card cancelled"}));
  // A fresh token is not cancelled.
  reader.set_faults({});
  EXPECT_TRUE(reader.read_card(hal::CancelToken{}, kTimeout).ok());
}

TEST(SimCardReader, SamIdAndRefresh) {
  SimCardReader reader;
  auto sam = reader.sam_id(kTimeout);
  ASSERT_TRUE(sam.ok());
  EXPECT_FALSE(sam->empty());
  EXPECT_TRUE(reader.refresh(kTimeout).ok());
  EXPECT_EQ(reader.history(), (Strings{"sam_id", "refresh"}));
}

TEST(SimCardReader, SameFaultsTwiceEmitOnce) {
  SimCardReader reader;
  EventRecorder recorder(reader);
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::hardware_error));
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::hardware_error));
  EXPECT_EQ(recorder.kinds(), std::vector<Kind>{Kind::status_changed});
  reader.set_faults({});
  EXPECT_EQ(recorder.kinds(), (std::vector<Kind>{Kind::status_changed, Kind::status_changed}));
  EXPECT_EQ(recorder.events().back().status.state, DeviceState::online);
}

TEST(SimCardReader, DetachedListenerIsNotCalled) {
  SimCardReader reader;
  int calls = 0;
  reader.set_listener([&calls](const hal::DeviceEvent&) { ++calls; });
  reader.place_card(sample_card());
  EXPECT_EQ(calls, 2);
  reader.set_listener(nullptr);
  reader.remove_card();
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace kiosk::devices

namespace kiosk::devices {
namespace {

TEST(SimCardReader, PluggingBackInFindsTheCardLyingOnIt) {
  SimCardReader reader;
  reader.set_faults(faults<SimCardReader::Faults>(&SimCardReader::Faults::unplugged));
  reader.place_card(sample_card());
  EventRecorder recorder(reader);
  reader.set_faults({});
  EXPECT_TRUE(reader.status().card_present);
  EXPECT_EQ(recorder.kinds(), (std::vector<Kind>{Kind::status_changed, Kind::card_placed}));
}

}  // namespace
}  // namespace kiosk::devices
