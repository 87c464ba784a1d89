// The technician PIN: PBKDF2 against RFC 7914's published vectors, hashes that verify and refuse,
// malformed hashes, and the lockout guard across restarts, storms of wrong PINs and a tampered
// state file.
#include "kiosk/ops/technician_pin.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "kiosk/crypto/crypto.h"

namespace kiosk::ops {
namespace {

class TechnicianPinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/pin-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::unique_ptr<crypto::Crypto> crypto_ = crypto::make_crypto();
  std::filesystem::path directory_;
};

TEST_F(TechnicianPinTest, Pbkdf2MatchesRfc7914Vectors) {
  // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1 (first 32 bytes of dkLen 64).
  const auto one = pbkdf2_sha256(*crypto_, "passwd", crypto::as_bytes("salt"), 1);
  EXPECT_EQ(crypto::to_hex(one), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  // P="Password", S="NaCl", c=80000.
  const auto many = pbkdf2_sha256(*crypto_, "Password", crypto::as_bytes("NaCl"), 80000);
  EXPECT_EQ(crypto::to_hex(many), "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56");
}

TEST_F(TechnicianPinTest, HashVerifiesOnlyTheSamePin) {
  auto hash = hash_pin(*crypto_, "20261204", 1000);
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("pbkdf2-sha256$1000$", 0), 0u);
  EXPECT_TRUE(*pin_matches(*crypto_, "20261204", *hash));
  EXPECT_FALSE(*pin_matches(*crypto_, "20261205", *hash));
  EXPECT_FALSE(*pin_matches(*crypto_, "", *hash));
  auto again = hash_pin(*crypto_, "20261204", 1000);
  EXPECT_NE(*hash, *again) << "every hash has its own salt";
}

TEST_F(TechnicianPinTest, RefusesWeakPins) {
  EXPECT_FALSE(hash_pin(*crypto_, "12345", 10).ok());
  EXPECT_FALSE(hash_pin(*crypto_, "12345a", 10).ok());
  EXPECT_FALSE(hash_pin(*crypto_, "1234567890123", 10).ok());
}

TEST_F(TechnicianPinTest, MalformedHashesAreParseErrors) {
  for (const char* bad : {"", "1234", "pbkdf2-sha256$", "pbkdf2-sha256$x$00$00", "pbkdf2-sha256$0$00$" ,
                          "pbkdf2-sha256$10$$0000000000000000000000000000000000000000000000000000000000000000",
                          "pbkdf2-sha256$10$zz$0000000000000000000000000000000000000000000000000000000000000000",
                          "pbkdf2-sha256$10$00$0011", "pbkdf2-sha256$99999999999$00$00", "md5$1$00$00",
                          "pbkdf2-sha256$10$00$0000000000000000000000000000000000000000000000000000000000000000$extra"}) {
    auto matched = pin_matches(*crypto_, "123456", bad);
    ASSERT_FALSE(matched.ok()) << bad;
    EXPECT_EQ(matched.error().kind, ErrorKind::parse) << bad;
  }
}

TEST_F(TechnicianPinTest, WrongPinStormLocksAndTheLockSurvivesARestart) {
  const auto file = directory_ / "pin-guard.json";
  const std::int64_t t0 = 1'800'000'000'000;
  {
    PinGuard guard(file, 5, 15);
    EXPECT_FALSE(guard.locked_until(t0));
    for (int i = 1; i <= 4; ++i) EXPECT_EQ(guard.record_failure(t0 + i), 5 - i);
    EXPECT_FALSE(guard.locked_until(t0 + 5));
    EXPECT_EQ(guard.record_failure(t0 + 5), 0);
    ASSERT_TRUE(guard.locked_until(t0 + 6));
    EXPECT_EQ(*guard.locked_until(t0 + 6), t0 + 5 + 15 * 60'000);
    // A storm while locked keeps it locked and does not push it past one period.
    for (int i = 0; i < 1000; ++i) guard.record_failure(t0 + 10);
    EXPECT_TRUE(guard.locked_until(t0 + 60'000));
  }
  PinGuard restarted(file, 5, 15);
  EXPECT_TRUE(restarted.locked_until(t0 + 60'000)) << "a restart must not reopen the door";
  EXPECT_FALSE(restarted.locked_until(t0 + 16 * 60'000));
  EXPECT_EQ(restarted.record_failure(t0 + 16 * 60'000), 4) << "after the lockout a fresh series begins";
  restarted.record_success();
  EXPECT_EQ(restarted.failures(), 0);
}

TEST_F(TechnicianPinTest, AnUnreadableStateFileLocksForOnePeriod) {
  const auto file = directory_ / "pin-guard.json";
  std::ofstream(file) << "{not json";
  const std::int64_t t0 = 1'800'000'000'000;
  PinGuard guard(file, 5, 10);
  ASSERT_TRUE(guard.locked_until(t0));
  EXPECT_EQ(*guard.locked_until(t0), t0 + 10 * 60'000);
  EXPECT_FALSE(guard.locked_until(t0 + 10 * 60'000 + 1));
}

TEST_F(TechnicianPinTest, AClockSetBackCannotStretchTheLockout) {
  const auto file = directory_ / "pin-guard.json";
  std::ofstream(file) << R"({"failures": 5, "locked_until_ms": 9999999999999})";
  const std::int64_t t0 = 1'800'000'000'000;
  PinGuard guard(file, 5, 15);
  ASSERT_TRUE(guard.locked_until(t0));
  EXPECT_LE(*guard.locked_until(t0), t0 + 15 * 60'000);
}

}  // namespace
}  // namespace kiosk::ops
