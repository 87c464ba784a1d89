// Logging against real sinks: a fake journald (an AF_UNIX datagram socket bound in a temp dir,
// read with the native protocol's field grammar), stderr redirected to a file, /dev/full and a
// pipe nobody reads, and the redaction every record goes through.
#include "kiosk/core/log.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/kiosk/core/fake_journal.h"

namespace kiosk::log {
namespace {

namespace fs = std::filesystem;
using test_support::FakeJournal;
using test_support::make_temp_dir;
using test_support::parse_native;

// Points fd 2 somewhere else for the lifetime of the object, and back.
class StderrTo {
 public:
  explicit StderrTo(int fd) : saved_(::dup(STDERR_FILENO)) { ::dup2(fd, STDERR_FILENO); }
  ~StderrTo() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }

 private:
  int saved_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class Log : public ::testing::Test {
 protected:
  void TearDown() override {
    configure(Sink{});
    set_min_level(Level::info);
  }
};

TEST(Redact, MasksIdAndPhoneNumbersAndLongDigitRuns) {
  EXPECT_EQ(redact("card 51050219900101123X read"), "card [redacted] read");
  EXPECT_EQ(redact("card 51050219900101123x read"), "card [redacted] read");
  EXPECT_EQ(redact("id=510502199001011234;"), "id=[redacted];");
  EXPECT_EQ(redact("old 510502900101123 card"), "old [redacted] card");  // 15 digits
  EXPECT_EQ(redact("tel 13812345678."), "tel [redacted].");
  EXPECT_EQ(redact("tel +8613812345678"), "tel +[redacted]");
  EXPECT_EQ(redact("tel 138 1234 5678 ok"), "tel [redacted] ok");
  EXPECT_EQ(redact("tel 159-1234-5678"), "tel [redacted]");
  EXPECT_EQ(redact("id 510502-19900101-123X"), "id [redacted]");
  EXPECT_EQ(redact("id 510502 19900101 1234 end"), "id [redacted] end");
  EXPECT_EQ(redact("account 123456789"), "account [redacted]");
  EXPECT_EQ(redact("两个号码13912345678和510502199001011234。"), "两个号码[redacted]和[redacted]。");
}

TEST(Redact, KeepsEverythingElse) {
  for (const std::string_view kept :
       {"", "outbox depth 12345678, retry in 1000 ms", "2026-12-04T21:17:22Z", "terminal LZ-JY-0042",
        "tel 12812345678 is no mobile but 11 digits", "版本 1.2.3 (20261204)", "x 138 1234 567", "510502-1990",
        "http 503 after 30000 ms"}) {
    if (std::string(kept).find("12812345678") != std::string::npos) {
      // Any 9-digit run goes, mobile or not.
      EXPECT_EQ(redact(kept), "tel [redacted] is no mobile but 11 digits");
      continue;
    }
    EXPECT_EQ(redact(kept), kept);
  }
}

TEST_F(Log, JournalGetsNativeFieldsWithPrioritiesAndRedactedMessages) {
  FakeJournal journal;
  configure(Sink{Sink::Kind::journal, journal.path()});
  set_min_level(Level::debug);
  const std::pair<Level, std::string> cases[] = {
      {Level::debug, "7"}, {Level::info, "6"}, {Level::warning, "4"}, {Level::error, "3"}};
  for (const auto& [level, priority] : cases) {
    write(level, "card", "read 510502199001011234 done");
    const auto fields = parse_native(journal.receive());
    ASSERT_EQ(fields.count("MESSAGE"), 1u);
    EXPECT_EQ(fields.find("MESSAGE")->second, "read [redacted] done");
    EXPECT_EQ(fields.find("PRIORITY")->second, priority);
    EXPECT_EQ(fields.find("SYSLOG_IDENTIFIER")->second, "kiosk");
    EXPECT_EQ(fields.find("KIOSK_MODULE")->second, "card");
  }
}

TEST_F(Log, MultiLineMessagesUseTheBinaryFieldForm) {
  FakeJournal journal;
  configure(Sink{Sink::Kind::journal, journal.path()});
  warning("ops", "first line\nsecond line 13812345678\nPRIORITY=0");
  const std::string datagram = journal.receive();
  // The binary form: the name alone on its line, then the length.
  EXPECT_NE(datagram.find("MESSAGE\n"), std::string::npos);
  const auto fields = parse_native(datagram);
  ASSERT_EQ(fields.count("MESSAGE"), 1u);
  EXPECT_EQ(fields.find("MESSAGE")->second, "first line\nsecond line [redacted]\nPRIORITY=0");
  // The message's last line did not become a field of its own.
  ASSERT_EQ(fields.count("PRIORITY"), 1u);
  EXPECT_EQ(fields.find("PRIORITY")->second, "4");
}

TEST_F(Log, MissingJournalSocketFallsBackToStderr) {
  const fs::path dir = make_temp_dir();
  configure(Sink{Sink::Kind::journal, (dir / "not-there.sock").string()});
  const fs::path captured = dir / "stderr.txt";
  const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  const std::uint64_t dropped_before = dropped_lines();
  {
    StderrTo redirect(fd);
    warning("platform", "no answer for 510502199001011234\nsecond line");
  }
  ::close(fd);
  EXPECT_EQ(read_file(captured), "warning platform: no answer for [redacted]\\nsecond line\n");
  EXPECT_EQ(dropped_lines(), dropped_before);
  fs::remove_all(dir);
}

TEST_F(Log, EventsCarryTheirMessageIdAndFieldsToTheJournal) {
  FakeJournal journal;
  configure(Sink{Sink::Kind::journal, journal.path()});
  event(Level::warning, "devices", message_id::kDeviceOffline, "card_reader offline: no answer",
        {{"KIOSK_DEVICE", "card_reader"}, {"KIOSK_STATE", "offline"}, {"bad name", "dropped"}, {"KIOSK_NOTE", "id 510502199001011234"}});
  const auto fields = parse_native(journal.receive());
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.find("MESSAGE")->second, "card_reader offline: no answer");
  EXPECT_EQ(fields.find("MESSAGE_ID")->second, "398b0fc8bf2f4145aa39d5b05c8bb019");
  EXPECT_EQ(fields.find("KIOSK_DEVICE")->second, "card_reader");
  EXPECT_EQ(fields.find("KIOSK_STATE")->second, "offline");
  EXPECT_EQ(fields.find("KIOSK_NOTE")->second, "id [redacted]");  // fields are redacted too
  EXPECT_EQ(fields.count("bad name"), 0u);                         // an invalid name costs the field only
  EXPECT_EQ(fields.find("PRIORITY")->second, "4");
  // A plain record has no MESSAGE_ID.
  info("devices", "plain");
  EXPECT_EQ(parse_native(journal.receive()).count("MESSAGE_ID"), 0u);
}

TEST_F(Log, EventsOnStderrAreTheSameLineAsAPlainRecord) {
  const fs::path dir = make_temp_dir();
  configure(Sink{Sink::Kind::stderr_only});
  const fs::path captured = dir / "stderr.txt";
  const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  {
    StderrTo redirect(fd);
    event(Level::error, "devices", message_id::kDeviceFault, "receipt_printer fault: user_error (paper out)",
          {{"KIOSK_DEVICE", "receipt_printer"}});
  }
  ::close(fd);
  EXPECT_EQ(read_file(captured), "error devices: receipt_printer fault: user_error (paper out)\n");
  ASSERT_FALSE(recent_lines(1).empty());
  EXPECT_NE(recent_lines(1).back().find("error devices: receipt_printer fault: user_error (paper out)"), std::string::npos);
  fs::remove_all(dir);
}

// Every MESSAGE_ID is 32 lower-case hex digits and no two are the same.
TEST(LogMessageIds, AreDistinct128BitIds) {
  const std::vector<std::string_view> ids = {message_id::kDeviceOnline, message_id::kDeviceOffline, message_id::kDeviceFault,
                                             message_id::kDeviceRecovered, message_id::kDeviceMissingAtStart,
                                             message_id::kPlatformConfigFault};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_TRUE(std::regex_match(std::string(ids[i]), std::regex("[0-9a-f]{32}"))) << ids[i];
    for (std::size_t j = i + 1; j < ids.size(); ++j) EXPECT_NE(ids[i], ids[j]);
  }
}

TEST_F(Log, AutomaticSinkUsesTheJournalOnlyWhenJournalStreamIsOurStderr) {
  FakeJournal journal;
  const fs::path dir = make_temp_dir();
  const fs::path captured = dir / "stderr.txt";
  const int fd = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  struct stat status {};
  ASSERT_EQ(::fstat(fd, &status), 0);
  {
    StderrTo redirect(fd);
    // Another stream: stderr.
    ::setenv("JOURNAL_STREAM", "1:2", 1);
    configure(Sink{Sink::Kind::automatic, journal.path()});
    info("main", "to stderr");
    // Our stderr: journald.
    const std::string ours = std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
    ::setenv("JOURNAL_STREAM", ours.c_str(), 1);
    configure(Sink{Sink::Kind::automatic, journal.path()});
    info("main", "to the journal");
    ::unsetenv("JOURNAL_STREAM");
  }
  ::close(fd);
  EXPECT_EQ(read_file(captured), "info main: to stderr\n");
  const auto fields = parse_native(journal.receive());
  ASSERT_EQ(fields.count("MESSAGE"), 1u);
  EXPECT_EQ(fields.find("MESSAGE")->second, "to the journal");
  fs::remove_all(dir);
}

// "A full disk for logs": stderr on /dev/full fails every write with ENOSPC.
TEST_F(Log, StderrOnAFullDiskCountsDroppedLinesAndCarriesOn) {
  configure(Sink{Sink::Kind::stderr_only});
  const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(full, 0);
  const std::uint64_t before = dropped_lines();
  {
    StderrTo redirect(full);
    for (int i = 0; i < 100; ++i) error("ops", "disk full " + std::to_string(i));
  }
  ::close(full);
  EXPECT_EQ(dropped_lines() - before, 100u);
  // The records still reached the ring for technicians.
  const auto recent = recent_lines(1);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_NE(recent[0].find("error ops: disk full 99"), std::string::npos);
}

// A stderr pipe whose reader is gone: EPIPE, and SIGPIPE must not kill the kiosk.
TEST_F(Log, StderrOnABrokenPipeCountsDroppedLinesWithoutDying) {
  configure(Sink{Sink::Kind::stderr_only});
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  ::close(pipe_fds[0]);
  const std::uint64_t before = dropped_lines();
  {
    StderrTo redirect(pipe_fds[1]);
    for (int i = 0; i < 10; ++i) error("ops", "reader gone");
  }
  ::close(pipe_fds[1]);
  EXPECT_EQ(dropped_lines() - before, 10u);
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0) << "a SIGPIPE was left pending";
}

TEST_F(Log, AJournalThatNeverReadsNeverBlocksAndDropsAreCounted) {
  FakeJournal journal;  // bound, never read until the end
  configure(Sink{Sink::Kind::journal, journal.path()});
  const std::uint64_t before = dropped_lines();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10000; ++i) info("ui", "frame " + std::to_string(i));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(2));
  // The socket's queue holds a few hundred datagrams at most: the rest were dropped, not queued.
  EXPECT_GT(dropped_lines() - before, 5000u);
  EXPECT_FALSE(journal.receive().empty());  // the first ones did arrive
}

TEST_F(Log, RingKeepsTheLastRecordsInOrder) {
  configure(Sink{Sink::Kind::stderr_only});
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(null, 0);
  {
    StderrTo redirect(null);
    for (int i = 0; i < 600; ++i) info("ring", "record " + std::to_string(i));
    debug("ring", "below the level: not kept");
    warning("ring", "tel 13812345678\nnext");
  }
  ::close(null);
  const auto all = recent_lines(10000);
  ASSERT_EQ(all.size(), kRecentCapacity);
  EXPECT_NE(all.front().find("info ring: record 101"), std::string::npos) << all.front();
  EXPECT_NE(all[all.size() - 2].find("info ring: record 599"), std::string::npos);
  for (std::size_t i = 1; i + 1 < all.size(); ++i) {
    EXPECT_NE(all[i].find("record " + std::to_string(101 + i)), std::string::npos) << all[i];
  }
  const std::regex format(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z warning ring: tel \[redacted\]\\nnext)");
  EXPECT_TRUE(std::regex_match(all.back(), format)) << all.back();
  const auto last_three = recent_lines(3);
  ASSERT_EQ(last_three.size(), 3u);
  EXPECT_NE(last_three[0].find("record 598"), std::string::npos);
  EXPECT_NE(last_three[1].find("record 599"), std::string::npos);
  EXPECT_EQ(last_three[2], all.back());
  EXPECT_TRUE(recent_lines(0).empty());
}

}  // namespace
}  // namespace kiosk::log
