// End to end: the real SamReader on the real serial transport, talking to the emulated reader on a
// pseudo-terminal (devices/idcard/emulator.h) in this process. Events, reads, faults, timeouts,
// cancellation, unplug and replug.
#include "devices/idcard/sam_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <thread>

#include "devices/idcard/emulator.h"
#include "devices/sim/identities.h"
#include "tests/devices/device_test_support.h"

namespace kiosk::devices::idcard {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kStatusLimit{2000};  // every device reports status changes within 2 s
constexpr milliseconds kReadTimeout{3000};

hal::IdentityCard sample(const std::string& name) {
  auto card = sim::load_sample_identity(KIOSK_TEST_ASSETS, name);
  EXPECT_TRUE(card.ok()) << card.error().message;
  return card.ok() ? card.release_value() : hal::IdentityCard{};
}

// Polls `condition` every 5 ms; returns how long it took, or nothing if `limit` passed.
std::optional<milliseconds> wait_until(const std::function<bool()>& condition, milliseconds limit = kStatusLimit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (condition()) return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    std::this_thread::sleep_for(milliseconds(5));
  }
  return condition() ? std::optional(limit) : std::nullopt;
}

class SamReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/idcard-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    directory_ = pattern;
    auto pty = PtyEmulator::create(directory_ / "reader");
    ASSERT_TRUE(pty.ok()) << pty.error().message;
    pty_ = pty.release_value();
    start_reader(kMinPollInterval);
  }
  // A (new) reader on the emulator, waited for until online; the card stays where it is.
  void start_reader(milliseconds poll_interval) {
    recorder_.reset();
    reader_.reset();
    SamReaderOptions options;
    options.poll_interval = poll_interval;
    const SerialOptions serial{pty_->device_path(), 115200};
    reader_ = std::make_unique<SamReader>("sam-serial", [serial] { return open_serial(serial); }, options);
    recorder_ = std::make_unique<EventRecorder>(*reader_);
    ASSERT_TRUE(wait_until([&] { return reader_->status().state == DeviceState::online; }))
        << hal::describe(reader_->status());
    recorder_->clear();
  }
  void TearDown() override {
    recorder_.reset();
    reader_.reset();
    pty_.reset();
    std::filesystem::remove_all(directory_);
  }

  SamEmulator& emulator() { return pty_->emulator(); }
  bool saw(Kind kind) const {
    for (Kind seen : recorder_->kinds()) {
      if (seen == kind) return true;
    }
    return false;
  }
  void place(const hal::IdentityCard& card) {
    ASSERT_TRUE(emulator().place(card).ok());
    ASSERT_TRUE(wait_until([&] { return saw(Kind::card_placed); })) << "no card_placed";
    recorder_->clear();
  }

  std::filesystem::path directory_;
  std::unique_ptr<PtyEmulator> pty_;
  std::unique_ptr<SamReader> reader_;
  std::unique_ptr<EventRecorder> recorder_;
};

TEST_F(SamReaderTest, ComesOnlineAndReadsTheSamId) {
  EXPECT_EQ(reader_->driver(), "sam-serial");
  EXPECT_FALSE(reader_->status().card_present);
  EXPECT_TRUE(reader_->capabilities().reads_photo);
  EXPECT_FALSE(reader_->capabilities().reads_fingerprint);
  auto id = reader_->sam_id(kReadTimeout);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, "05.01-20260101-0012345678-0000000042");
  EXPECT_TRUE(reader_->refresh(kReadTimeout).ok());
  EXPECT_GE(emulator().count(kSamStatus), 2);  // the open's check and refresh()
}

TEST_F(SamReaderTest, PlaceReadRemove) {
  const hal::IdentityCard expected = sample("ahe-yi");
  ASSERT_TRUE(emulator().place(expected).ok());
  ASSERT_TRUE(wait_until([&] { return saw(Kind::card_placed); }));
  EXPECT_EQ(recorder_->kinds(), (std::vector<Kind>{Kind::status_changed, Kind::card_placed}));
  EXPECT_TRUE(reader_->status().card_present);

  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->name, expected.name);
  EXPECT_EQ(card->sex, expected.sex);
  EXPECT_EQ(card->nation, expected.nation);
  EXPECT_EQ(card->birth_date, expected.birth_date);
  EXPECT_EQ(card->address, expected.address);
  EXPECT_EQ(card->id_number, expected.id_number);
  EXPECT_EQ(card->authority, expected.authority);
  EXPECT_EQ(card->valid_from, expected.valid_from);
  EXPECT_EQ(card->valid_until, expected.valid_until);
  // The WLT blob byte for byte, including the preamble the emulator hides inside it.
  EXPECT_EQ(card->photo, SamEmulator::photo_for(expected));
  EXPECT_EQ(card->photo.size(), 1024u);
  EXPECT_EQ(reader_->retries(), 0);

  recorder_->clear();
  emulator().remove();
  ASSERT_TRUE(wait_until([&] { return saw(Kind::card_removed); })) << "no card_removed";
  EXPECT_FALSE(reader_->status().card_present);
  auto none = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, DeviceErrorCode::no_card);
}

TEST_F(SamReaderTest, LongTermValidityReadsAsChangqi) {
  place(sample("zhangsan"));
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->valid_until, "长期");
}

TEST_F(SamReaderTest, CardPulledMidReadIsCardRemoved) {
  place(sample("lisi"));
  emulator().inject(Fault::pull);
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::card_removed) << card.error().message;
  EXPECT_NE(card.error().message.find("stopped after"), std::string::npos) << card.error().message;
  ASSERT_TRUE(wait_until([&] { return saw(Kind::card_removed); }));
  EXPECT_FALSE(reader_->status().card_present);
}

TEST_F(SamReaderTest, ChecksumErrorIsRetriedOnce) {
  place(sample("lisi"));
  emulator().inject(Fault::checksum, FaultTarget::next_read);
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->name, "李思");
  EXPECT_EQ(reader_->retries(), 1);
  EXPECT_EQ(emulator().count(kReadTextPhoto), 2);
}

TEST_F(SamReaderTest, TwoChecksumErrorsInARowAreBadData) {
  place(sample("lisi"));
  emulator().inject(Fault::checksum, FaultTarget::next_read);
  emulator().inject(Fault::checksum, FaultTarget::next_read);
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::bad_data);
  EXPECT_NE(card.error().message.find("XOR"), std::string::npos) << card.error().message;
  // The next read is fine again.
  EXPECT_TRUE(reader_->read_card(hal::CancelToken{}, kReadTimeout).ok());
}

TEST_F(SamReaderTest, GarbageSplitAndReplayedAnswersStillRead) {
  const hal::IdentityCard expected = sample("wangfang-expired");
  place(expected);
  for (Fault fault : {Fault::garbage, Fault::split, Fault::duplicate}) {
    emulator().inject(fault, FaultTarget::next_read);
    auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
    ASSERT_TRUE(card.ok()) << to_string(fault) << ": " << card.error().message;
    EXPECT_EQ(card->id_number, expected.id_number) << to_string(fault);
    EXPECT_EQ(card->photo, SamEmulator::photo_for(expected)) << to_string(fault);
    // A replayed read answer must not be taken as the answer to the next command.
    auto id = reader_->sam_id(kReadTimeout);
    ASSERT_TRUE(id.ok()) << to_string(fault) << ": " << id.error().message;
  }
  EXPECT_EQ(reader_->retries(), 0);
}

TEST_F(SamReaderTest, LateReplayedAnswerIsDroppedNotTakenForTheNextCommand) {
  // The emulator holds the copy back until the next command, so the stale answer always arrives
  // after the driver flushed its input and sent that command: only the answer's shape tells. A
  // reader that polls once a minute keeps the polling thread's finds out of the sequence.
  const hal::IdentityCard expected = sample("lisi");
  ASSERT_TRUE(emulator().place(expected).ok());
  start_reader(milliseconds(60000));
  ASSERT_TRUE(reader_->status().card_present);

  // The read's 1284-byte answer, replayed in front of the SAM id answer.
  emulator().inject(Fault::late_duplicate, FaultTarget::next_read);
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->id_number, expected.id_number);
  auto id = reader_->sam_id(kReadTimeout);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, emulator().sam_id());
  EXPECT_EQ(reader_->stray_answers(), 1);

  // A SAM id answer (SW3 90, 16 bytes) replayed in front of the next read's find card answer.
  emulator().inject(Fault::late_duplicate);
  ASSERT_TRUE(reader_->sam_id(kReadTimeout).ok());
  card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_TRUE(card.ok()) << card.error().message;
  EXPECT_EQ(card->id_number, expected.id_number);
  EXPECT_EQ(reader_->stray_answers(), 2);

  // Each command was sent once: a dropped stray answer is neither a retry nor a resend.
  EXPECT_EQ(reader_->retries(), 0);
  EXPECT_EQ(emulator().count(kReadSamId), 2);
  EXPECT_EQ(emulator().count(kReadTextPhoto), 2);
  const auto history = emulator().history();
  EXPECT_EQ(std::count(history.begin(), history.end(), "late answer replayed"), 2);
}

TEST_F(SamReaderTest, NoAnswerTimesOutWithinTheDeadline) {
  place(sample("lisi"));
  emulator().inject(Fault::no_answer, FaultTarget::next_read);
  const milliseconds timeout{500};
  const auto start = Clock::now();
  auto card = reader_->read_card(hal::CancelToken{}, timeout);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::timeout) << card.error().message;
  EXPECT_NE(card.error().message.find("read text+photo (30 01)"), std::string::npos) << card.error().message;
  EXPECT_LE(took, timeout + milliseconds(150));
  EXPECT_EQ(reader_->status().state, DeviceState::online);  // one lost answer is not an unplug
}

TEST_F(SamReaderTest, CancelEndsAReadWithin100Ms) {
  place(sample("lisi"));
  emulator().inject(Fault::no_answer, FaultTarget::next_read);
  hal::CancelToken cancel;
  auto pending = std::async(std::launch::async, [&] { return reader_->read_card(cancel, milliseconds(10000)); });
  ASSERT_TRUE(wait_until([&] { return emulator().count(kReadTextPhoto) == 1; }));  // the read is waiting
  const auto start = Clock::now();
  cancel.cancel();
  auto card = pending.get();
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::cancelled) << card.error().message;
  EXPECT_LE(took, milliseconds(100));
}

TEST_F(SamReaderTest, UnknownCardTypeIsUnsupported) {
  place(sample("lisi"));
  emulator().inject(Fault::unknown_card);
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::unsupported);
  EXPECT_NE(card.error().message.find("unknown card type"), std::string::npos) << card.error().message;
}

TEST_F(SamReaderTest, InvalidCheckDigitFromTheCardIsBadData) {
  hal::IdentityCard forged = sample("lisi");
  forged.id_number[17] = forged.id_number[17] == '7' ? '8' : '7';
  place(forged);
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::bad_data);
  EXPECT_NE(card.error().message.find("check digit"), std::string::npos) << card.error().message;
  EXPECT_EQ(card.error().message.find(forged.id_number.substr(0, 6)), std::string::npos) << "personal data leaked";
}

TEST_F(SamReaderTest, SamSelfTestFailureIsAHardwareErrorUntilItClears) {
  emulator().inject(Fault::sam_fail);
  ASSERT_TRUE(wait_until([&] { return reader_->status().state == DeviceState::hardware_error; }))
      << hal::describe(reader_->status());
  EXPECT_NE(reader_->status().detail.find("self-test"), std::string::npos) << reader_->status().detail;
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::hardware);
  emulator().clear_faults();
  EXPECT_TRUE(wait_until([&] { return reader_->status().state == DeviceState::online; }));
}

TEST_F(SamReaderTest, UnplugGoesOfflineAndReplugComesBackWithin2Seconds) {
  place(sample("zhangsan"));
  pty_->unplug();
  auto offline = wait_until([&] { return reader_->status().state == DeviceState::offline; });
  ASSERT_TRUE(offline) << hal::describe(reader_->status());
  EXPECT_EQ(recorder_->kinds(), std::vector<Kind>{Kind::status_changed});  // like the sim: no card event
  EXPECT_FALSE(reader_->status().card_present);
  EXPECT_FALSE(reader_->status().detail.empty());
  auto card = reader_->read_card(hal::CancelToken{}, kReadTimeout);
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.error().code, DeviceErrorCode::offline);

  // Away long enough for the reopen backoff to reach its ceiling (200+400+800 ms), the worst case.
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(recorder_->kinds(), std::vector<Kind>{Kind::status_changed});  // retries change nothing
  recorder_->clear();
  ASSERT_TRUE(pty_->plug().ok());
  auto online = wait_until([&] { return reader_->status().state == DeviceState::online; });
  ASSERT_TRUE(online) << hal::describe(reader_->status());
  // The card still on the reader is seen again, and reads.
  ASSERT_TRUE(wait_until([&] { return saw(Kind::card_placed); }));
  EXPECT_TRUE(reader_->read_card(hal::CancelToken{}, kReadTimeout).ok());
  std::printf("unplug seen after %lld ms, replug after %lld ms\n", static_cast<long long>(offline->count()),
              static_cast<long long>(online->count()));
}

}  // namespace
}  // namespace kiosk::devices::idcard
