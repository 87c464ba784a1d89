// The outbox's promises: a row is on disk and sealed when enqueue() returns, rows come out in
// order, delivery purges the payload, a full disk refuses cleanly and keeps what was there.

#include "kiosk/outbox/outbox.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

namespace kiosk::outbox {
namespace {

namespace fs = std::filesystem;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("outbox-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    key_.bytes.fill(0x42);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Outbox> open(std::int64_t max_pages = 0, crypto::SealKey key = {}) {
    OutboxOptions options;
    options.path = dir_ / "outbox.db";
    options.key = key.bytes[0] == 0 ? key_ : key;
    options.receipt_prefix = "L0001";
    options.max_pages = max_pages;
    auto outbox = Outbox::open(options, *crypto_);
    EXPECT_TRUE(outbox.ok()) << (outbox.ok() ? "" : outbox.error().message);
    return outbox.ok() ? outbox.release_value() : nullptr;
  }

  static std::string case_body(const std::string& id_number) {
    return nlohmann::json{{"item_code", "510502000000-QR-0001"},
                          {"applicant", {{"name", "张三"}, {"id_number", id_number}}}}
        .dump();
  }

  std::string file_bytes() const {
    std::string all;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(dir_ / ("outbox.db" + std::string(suffix)), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  fs::path dir_;
  crypto::SealKey key_;
  std::unique_ptr<crypto::Crypto> crypto_ = crypto::make_crypto();
};

TEST_F(OutboxTest, EnqueueGivesAReceiptAndTheBodyComesBackWithIt) {
  auto outbox = open();
  auto entry = outbox->enqueue(Kind::case_submission, "key-0000000000000001", case_body("11010519491231002X"), 1000);
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  EXPECT_EQ(entry.value().local_receipt, "L0001-000001");
  EXPECT_EQ(entry.value().state, State::pending);

  auto next = outbox->take_next();
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next.value().has_value());
  const auto body = nlohmann::json::parse(next.value()->payload);
  EXPECT_EQ(body["local_receipt"], "L0001-000001");
  EXPECT_EQ(body["applicant"]["id_number"], "11010519491231002X");
  EXPECT_EQ(next.value()->idempotency_key, "key-0000000000000001");
}

TEST_F(OutboxTest, RatingsKeepTheirBodyAsIs) {
  auto outbox = open();
  ASSERT_TRUE(outbox->enqueue(Kind::rating, "rating-key-000000001", R"({"level":1,"reasons":["slow"]})", 5).ok());
  auto next = outbox->take_next();
  ASSERT_TRUE(next.ok() && next.value());
  EXPECT_EQ(nlohmann::json::parse(next.value()->payload), nlohmann::json::parse(R"({"level":1,"reasons":["slow"]})"));
}

TEST_F(OutboxTest, RowsSurviveReopeningAndComeOutInOrder) {
  {
    auto outbox = open();
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(outbox->enqueue(Kind::case_submission, "ordered-key-00000" + std::to_string(i), case_body("1"), i).ok());
    }
  }
  auto outbox = open();
  auto first = outbox->take_next();
  ASSERT_TRUE(first.ok() && first.value());
  EXPECT_EQ(first.value()->idempotency_key, "ordered-key-000000");
  // A retry keeps the row at the head: order is strict.
  ASSERT_TRUE(outbox->mark_retry(first.value()->id, "network", 99999).ok());
  auto again = outbox->take_next();
  ASSERT_TRUE(again.ok() && again.value());
  EXPECT_EQ(again.value()->id, first.value()->id);
  EXPECT_EQ(again.value()->attempts, 1);
  EXPECT_EQ(again.value()->next_attempt_at, 99999);
  EXPECT_EQ(again.value()->last_error, "network");

  ASSERT_TRUE(outbox->mark_delivered(first.value()->id, "SC1", 10).ok());
  auto second = outbox->take_next();
  ASSERT_TRUE(second.ok() && second.value());
  EXPECT_EQ(second.value()->idempotency_key, "ordered-key-000001");
  ASSERT_TRUE(outbox->mark_dead(second.value()->id, "422 validation_failed").ok());
  auto third = outbox->take_next();
  ASSERT_TRUE(third.ok() && third.value());
  EXPECT_EQ(third.value()->idempotency_key, "ordered-key-000002");

  auto stats = outbox->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats.value().pending, 1);
  EXPECT_EQ(stats.value().delivered, 1);
  EXPECT_EQ(stats.value().dead, 1);
  EXPECT_EQ(stats.value().oldest_pending_created_at, 2);
}

TEST_F(OutboxTest, PayloadsAreSealedAtRestAndPurgedOnDelivery) {
  auto outbox = open();
  auto entry = outbox->enqueue(Kind::case_submission, "sealed-key-00000001", case_body("51050219580315013X"), 1);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(file_bytes().find("51050219580315013X"), std::string::npos) << "the ID number is on disk in clear";
  EXPECT_EQ(file_bytes().find("张三"), std::string::npos);

  ASSERT_TRUE(outbox->mark_delivered(entry.value().id, "SC20261125000001", 2).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "outbox.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT payload IS NULL, reference FROM outbox", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), 1) << "payload kept after delivery";
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 1)), "SC20261125000001");
  sqlite3_finalize(statement);
  sqlite3_close(db);

  auto found = outbox->find_by_receipt(entry.value().local_receipt);
  ASSERT_TRUE(found.ok() && found.value());
  EXPECT_EQ(found.value()->state, State::delivered);
  EXPECT_EQ(found.value()->reference, "SC20261125000001");
}

TEST_F(OutboxTest, ARowSealedUnderAnotherKeyDoesNotOpen) {
  {
    auto outbox = open();
    ASSERT_TRUE(outbox->enqueue(Kind::case_submission, "other-key-000000001", case_body("1"), 1).ok());
  }
  crypto::SealKey other;
  other.bytes.fill(0x17);
  auto outbox = open(0, other);
  auto next = outbox->take_next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().kind, OutboxErrorKind::crypto);
}

TEST_F(OutboxTest, APayloadMovedToAnotherRowDoesNotOpen) {
  auto outbox = open();
  ASSERT_TRUE(outbox->enqueue(Kind::case_submission, "first-key-000000001", case_body("1"), 1).ok());
  ASSERT_TRUE(outbox->enqueue(Kind::case_submission, "second-key-00000001", case_body("2"), 2).ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "outbox.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE outbox SET payload = (SELECT payload FROM outbox WHERE id = 2) WHERE id = 1",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto next = outbox->take_next();
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().kind, OutboxErrorKind::crypto);
  // The damaged row is set aside; the one behind it goes on.
  auto after = outbox->take_next();
  ASSERT_TRUE(after.ok() && after.value());
  EXPECT_EQ(after.value()->idempotency_key, "second-key-00000001");
  EXPECT_EQ(outbox->stats().value().dead, 1);
}

TEST_F(OutboxTest, AFullDiskRefusesTheNewRowAndKeepsTheOldOnes) {
  auto outbox = open(/*max_pages=*/40);
  ASSERT_TRUE(outbox->enqueue(Kind::case_submission, "before-full-0000001", case_body("1"), 1).ok());
  const std::string big = nlohmann::json{{"material", std::string(400000, 'x')}}.dump();
  auto refused = outbox->enqueue(Kind::case_submission, "too-big-00000000001", big, 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, OutboxErrorKind::disk_full) << refused.error().message;

  auto stats = outbox->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats.value().pending, 1);
  auto ok = outbox->integrity_ok();
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok.value());
  // Small rows still fit after the refusal: the transaction was rolled back, not half-written.
  EXPECT_TRUE(outbox->enqueue(Kind::rating, "after-full-00000001", R"({"level":5})", 3).ok());
}

TEST_F(OutboxTest, BadInputIsRefusedWithoutARow) {
  auto outbox = open();
  EXPECT_EQ(outbox->enqueue(Kind::rating, "short", R"({"level":5})", 1).error().kind, OutboxErrorKind::invalid);
  EXPECT_EQ(outbox->enqueue(Kind::rating, "long-enough-key-0001", "not json", 1).error().kind, OutboxErrorKind::invalid);
  EXPECT_EQ(outbox->enqueue(Kind::rating, "long-enough-key-0001", "[1,2]", 1).error().kind, OutboxErrorKind::invalid);
  ASSERT_TRUE(outbox->enqueue(Kind::rating, "long-enough-key-0001", R"({"level":5})", 1).ok());
  // The same key twice is a programming error: the second row is refused, not stored.
  EXPECT_EQ(outbox->enqueue(Kind::rating, "long-enough-key-0001", R"({"level":4})", 2).error().kind,
            OutboxErrorKind::invalid);
  EXPECT_EQ(outbox->stats().value().pending, 1);
  EXPECT_EQ(outbox->mark_delivered(999, "x", 1).error().kind, OutboxErrorKind::not_found);
}

TEST_F(OutboxTest, AFileThatIsNotADatabaseIsRefused) {
  {
    std::ofstream out(dir_ / "outbox.db", std::ios::binary);
    out << std::string(8192, 'g');
  }
  OutboxOptions options;
  options.path = dir_ / "outbox.db";
  options.key = key_;
  auto outbox = Outbox::open(options, *crypto_);
  ASSERT_FALSE(outbox.ok());
  EXPECT_EQ(outbox.error().kind, OutboxErrorKind::corrupt) << outbox.error().message;
}

TEST_F(OutboxTest, ConcurrentEnqueuesGetDistinctReceipts) {
  auto outbox = open();
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> receipts;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto entry = outbox->enqueue(Kind::rating, "thread-" + std::to_string(t) + "-key-" + std::to_string(1000 + i),
                                     R"({"level":3})", i);
        ASSERT_TRUE(entry.ok());
        std::lock_guard lock(mutex);
        receipts.insert(entry.value().local_receipt);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(receipts.size(), 100u);
  EXPECT_EQ(outbox->stats().value().pending, 100);
}

TEST(IdempotencyKey, IsFreshAndInTheContractsAlphabet) {
  auto crypto = crypto::make_crypto();
  auto a = new_idempotency_key(*crypto);
  auto b = new_idempotency_key(*crypto);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.value(), b.value());
  EXPECT_EQ(a.value().size(), 32u);
  EXPECT_EQ(a.value().find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace kiosk::outbox
