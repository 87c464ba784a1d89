// The audit trail: every change to a record, a removed or reordered record, and a chain rewritten
// without the key are found; a good chain survives reopening.
#include "kiosk/ops/audit_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

namespace kiosk::ops {
namespace {

namespace fs = std::filesystem;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("audit-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".log");
    fs::remove(path_);
    key_.bytes.fill(0x5c);
  }
  void TearDown() override { fs::remove(path_); }

  void write_three() {
    auto log = AuditLog::open(path_, key_, *crypto_);
    ASSERT_TRUE(log.ok()) << log.error().message;
    ASSERT_TRUE(log.value()->append("technician_entry", {{"result", "ok"}}, "2026-11-25T10:00:00+08:00").ok());
    ASSERT_TRUE(log.value()->append("config_change", {{"field", "platform.url"}}, "2026-11-25T10:01:00+08:00").ok());
    ASSERT_TRUE(log.value()->append("licence_print", {{"licence", "LIC-1"}, {"copies", 1}}, "2026-11-25T10:02:00+08:00").ok());
  }
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  void rewrite(const std::vector<std::string>& out) const {
    std::ofstream file(path_, std::ios::trunc);
    for (const auto& line : out) file << line << "\n";
  }
  AuditReport verify(const crypto::SealKey& key) const {
    auto report = verify_audit_log(path_, key, *crypto_);
    EXPECT_TRUE(report.ok());
    return report.value();
  }

  fs::path path_;
  crypto::SealKey key_;
  std::unique_ptr<crypto::Crypto> crypto_ = crypto::make_crypto();
};

TEST_F(AuditLogTest, AGoodChainVerifiesAndSurvivesReopening) {
  write_three();
  struct stat info {};
  ASSERT_EQ(::stat(path_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const AuditReport report = verify(key_);
  EXPECT_TRUE(report.intact);
  EXPECT_EQ(report.records, 3);
  auto reopened = AuditLog::open(path_, key_, *crypto_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened.value()->head().sequence, 3);
  auto fourth = reopened.value()->append("certificate_change", {{"days_left", 364}}, "2026-11-25T11:00:00+08:00");
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(fourth.value().sequence, 4);
  EXPECT_EQ(verify(key_).records, 4);
}

TEST_F(AuditLogTest, AnEditedRecordIsFound) {
  write_three();
  auto edited = lines();
  const auto at = edited[1].find("platform.url");
  ASSERT_NE(at, std::string::npos);
  edited[1].replace(at, 12, "platform.key");
  rewrite(edited);
  const AuditReport report = verify(key_);
  EXPECT_FALSE(report.intact);
  EXPECT_EQ(report.first_bad_line, 2);
  EXPECT_NE(report.problem.find("changed"), std::string::npos) << report.problem;
  // The kiosk will not append to a broken trail.
  EXPECT_FALSE(AuditLog::open(path_, key_, *crypto_).ok());
}

TEST_F(AuditLogTest, ADeletedOrMovedRecordIsFound) {
  write_three();
  auto deleted = lines();
  deleted.erase(deleted.begin() + 1);
  rewrite(deleted);
  EXPECT_EQ(verify(key_).first_bad_line, 2);

  fs::remove(path_);
  write_three();
  auto swapped = lines();
  std::swap(swapped[0], swapped[1]);
  rewrite(swapped);
  EXPECT_EQ(verify(key_).first_bad_line, 1);
}

TEST_F(AuditLogTest, AChainRewrittenWithoutTheKeyIsFound) {
  write_three();
  crypto::SealKey other;
  other.bytes.fill(0x11);
  EXPECT_FALSE(verify(other).intact);
  EXPECT_EQ(verify(other).first_bad_line, 1);
}

TEST_F(AuditLogTest, GarbageLinesAreFoundNotCrashedOn) {
  write_three();
  auto broken = lines();
  broken.push_back("{\"seq\": 4, \"event\": 7}");
  rewrite(broken);
  EXPECT_EQ(verify(key_).first_bad_line, 4);
  broken.back() = "not json at all";
  rewrite(broken);
  EXPECT_EQ(verify(key_).first_bad_line, 4);
  // A missing file is an empty, intact trail.
  fs::remove(path_);
  EXPECT_TRUE(verify(key_).intact);
  EXPECT_EQ(verify(key_).records, 0);
}

}  // namespace
}  // namespace kiosk::ops
