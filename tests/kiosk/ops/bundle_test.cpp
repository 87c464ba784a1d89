// The diagnostics bundle's helpers: archives written by write_tar are listed and extracted by the
// system's GNU tar; failures (missing folder, a file-size limit, a full and a read-only filesystem
// — real tmpfs mounts in a private mount namespace) leave no file behind; the config redaction;
// the file name.
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "kiosk/ops/bundle.h"

namespace kiosk::ops {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += "\n(exit " + std::to_string(status) + ")";
  return out;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir)) found.push_back(entry.path().filename());
  return found;
}

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/bundle-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(BundleTest, SystemTarListsAndExtractsWhatWasWritten) {
  std::string binary(1000, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  const std::vector<TarEntry> entries = {
      {"status.json", R"({"terminal_id":"510502-HALL-0001"})", 1'795'000'000},
      {"logs/kiosk.log", "line one\nline two\n", 1'795'000'100},
      {"exactly-one-block", std::string(512, 'b'), 1'795'000'200},
      {"empty", "", 1'795'000'300},
      {"metrics.prom", binary, 1'795'000'400},
      {std::string(100, 'n'), "longest name", 1'795'000'500},
  };
  const fs::path tar_file = dir_ / "bundle.tar";
  auto written = write_tar(tar_file, entries);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(fs::file_size(tar_file) % 512, 0u);
  EXPECT_EQ(fs::status(tar_file).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  EXPECT_EQ(files_in(dir_).size(), 1u) << "no temporary left";

  const std::string listing = run("TZ=UTC tar --full-time -tvf '" + tar_file.string() + "'");
  EXPECT_EQ(listing.find("exit"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rw-r----- 0/0              34 2026-11-18 11:06:40 status.json"), std::string::npos) << listing;
  EXPECT_NE(listing.find("logs/kiosk.log"), std::string::npos) << listing;
  const fs::path out = dir_ / "out";
  fs::create_directory(out);
  const std::string extracted = run("tar --format=ustar -xf '" + tar_file.string() + "' -C '" + out.string() + "'");
  EXPECT_TRUE(extracted.empty()) << extracted;
  for (const auto& entry : entries) {
    EXPECT_EQ(read_file(out / entry.name), entry.data) << entry.name;
    struct stat info {};
    ASSERT_EQ(::stat((out / entry.name).c_str(), &info), 0) << entry.name;
    EXPECT_EQ(info.st_mtime, entry.mtime) << entry.name;
  }
  // Strict ustar readers agree (GNU tar checks the checksum; --format=posix reads ustar too).
  EXPECT_EQ(run("tar --format=posix -tf '" + tar_file.string() + "' | wc -l"), "6\n");
}

TEST_F(BundleTest, AnEmptyArchiveIsTwoZeroBlocks) {
  ASSERT_TRUE(write_tar(dir_ / "empty.tar", {}).ok());
  EXPECT_EQ(read_file(dir_ / "empty.tar"), std::string(1024, '\0'));
  EXPECT_EQ(run("tar -tf '" + (dir_ / "empty.tar").string() + "'"), "");
}

TEST_F(BundleTest, RefusesBadNamesBeforeWritingAnything) {
  for (const std::string& name : {std::string(""), std::string(101, 'x'), std::string("/etc/passwd"), std::string("../up"),
                                  std::string("logs/../../up"), std::string("logs//x"), std::string("dir/"),
                                  std::string("a\0b", 3)}) {
    auto written = write_tar(dir_ / "bad.tar", {{"ok.txt", "x", 0}, {name, "x", 0}});
    ASSERT_FALSE(written.ok()) << name;
    EXPECT_EQ(written.error().kind, ErrorKind::invalid_argument);
  }
  auto twice = write_tar(dir_ / "bad.tar", {{"a.txt", "1", 0}, {"a.txt", "2", 0}});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
  EXPECT_TRUE(files_in(dir_).empty());
}

TEST_F(BundleTest, AMissingFolderIsNotFound) {
  auto written = write_tar(dir_ / "no-stick" / "bundle.tar", {{"a.txt", "1", 0}});
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().kind, ErrorKind::not_found);
  EXPECT_NE(written.error().message.find("no-stick"), std::string::npos);
  EXPECT_TRUE(files_in(dir_).empty());
}

// A write that fails half way (the process's file-size limit: EFBIG) leaves no partial archive,
// and an older bundle of the same name stays as it was.
TEST_F(BundleTest, AWriteFailingHalfWayLeavesNothing) {
  std::ofstream(dir_ / "bundle.tar") << "the previous bundle";
  const pid_t child = ::fork();
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto written = write_tar(dir_ / "bundle.tar", {{"small", "x", 0}, {"big", std::string(256 * 1024, 'b'), 0}});
    ::_exit(written.ok() ? 10 : written.error().kind == ErrorKind::io ? 0 : 11);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: it claimed success, 11: wrong error kind";
  EXPECT_EQ(files_in(dir_), std::vector<fs::path>{"bundle.tar"});
  EXPECT_EQ(read_file(dir_ / "bundle.tar"), "the previous bundle");
}

// A full stick (ENOSPC) and a read-only one (EROFS): real tmpfs mounts in a private mount
// namespace of a child process, so nothing outside the test sees them. Exit codes say what failed.
int in_private_mount(const fs::path& mount_point, const char* options, unsigned long flags, bool big) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::unshare(CLONE_NEWNS) != 0) ::_exit(77);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(77);
    if (::mount("tmpfs", mount_point.c_str(), "tmpfs", flags, options) != 0) ::_exit(77);
    auto written = write_tar(mount_point / "bundle.tar",
                             {{"status.json", "{}", 0}, {"big", std::string(big ? 512 * 1024 : 10, 'b'), 0}});
    if (written.ok()) ::_exit(10);
    std::size_t left = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(mount_point)) ++left;
    ::_exit(left == 0 ? 0 : 12);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(BundleTest, AFullOrReadOnlyStickLeavesNothing) {
  const fs::path stick = dir_ / "stick";
  fs::create_directory(stick);
  const int full = in_private_mount(stick, "size=64k", 0, true);
  if (full == 77) GTEST_SKIP() << "this machine does not let the test mount a tmpfs (needs root and CAP_SYS_ADMIN)";
  EXPECT_EQ(full, 0) << "10: claimed success on a full filesystem, 12: left a file";
  EXPECT_EQ(in_private_mount(stick, "size=1m", MS_RDONLY, false), 0) << "read-only";
  EXPECT_TRUE(files_in(stick).empty());
}

TEST(RedactedConfigTest, TakesOutSecretsAndKeepsPaths) {
  const json config = {
      {"terminal_id", "510502-HALL-0001"},
      {"technician", {{"pin_hash", "pbkdf2-sha256$100000$00$11"}, {"max_tries", 5}}},
      {"platform",
       {{"url", "https://user:hunter2@platform.example:8443/base"},
        {"key_file", "/etc/kiosk/terminal.key"},
        {"seal_key_file", "/var/lib/kiosk/seal.key"},
        {"pinned_public_key", "sha256//AAAA"},
        {"api_token", "t0ken"},
        {"proxy", {{"password", "p"}, {"Secret", {{"nested", 1}}}}}}},
      {"ops", {{"audit_key_file", "/var/lib/kiosk/audit.key"}, {"admin_group", "kiosk-admin"}}},
      {"ime", {{"pinyin_dictionary", "/usr/share/dict"}, {"shipping", true}}},
      {"devices", {{"card_reader", {{"driver", "serial"}, {"sam_key", "00112233"}}}}},
      {"list", json::array({{{"credentials", "x"}}, "https://a:b@h/"})},
  };
  const json out = redacted_config(config);
  EXPECT_EQ(out["technician"]["pin_hash"], "[redacted]");
  EXPECT_EQ(out["technician"]["max_tries"], 5);
  EXPECT_EQ(out["platform"]["pinned_public_key"], "[redacted]");
  EXPECT_EQ(out["platform"]["api_token"], "[redacted]");
  EXPECT_EQ(out["platform"]["proxy"]["password"], "[redacted]");
  EXPECT_EQ(out["platform"]["proxy"]["Secret"], "[redacted]");
  EXPECT_EQ(out["devices"]["card_reader"]["sam_key"], "[redacted]");
  EXPECT_EQ(out["devices"]["card_reader"]["driver"], "serial");
  EXPECT_EQ(out["list"][0]["credentials"], "[redacted]");
  EXPECT_EQ(out["list"][1], "https://[redacted]@h/");
  EXPECT_EQ(out["platform"]["url"], "https://[redacted]@platform.example:8443/base");
  EXPECT_EQ(out["platform"]["key_file"], "/etc/kiosk/terminal.key");
  EXPECT_EQ(out["platform"]["seal_key_file"], "/var/lib/kiosk/seal.key");
  EXPECT_EQ(out["ops"]["audit_key_file"], "/var/lib/kiosk/audit.key");
  EXPECT_EQ(out["ime"]["pinyin_dictionary"], "/usr/share/dict");
  EXPECT_EQ(out["ime"]["shipping"], true);
  EXPECT_EQ(out["terminal_id"], "510502-HALL-0001");
  const std::string text = out.dump();
  for (const char* secret : {"hunter2", "pbkdf2", "AAAA", "t0ken", "00112233"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

TEST(RedactedConfigTest, TheShippedConfigKeepsNoSecret) {
  // The packaged config with a PIN hash and a pinned key filled in, as a field terminal has it.
  std::ifstream in(fs::path(KIOSK_TEST_ASSETS).parent_path() / "packaging" / "config.json");
  json config = json::parse(in, nullptr, false);
  ASSERT_TRUE(config.is_object());
  config["technician"]["pin_hash"] = "pbkdf2-sha256$100000$aa$bb";
  config["platform"]["pinned_public_key"] = "sha256//secretpin=";
  const std::string text = redacted_config(config).dump();
  EXPECT_EQ(text.find("pbkdf2"), std::string::npos);
  EXPECT_EQ(text.find("secretpin"), std::string::npos);
}

TEST(BundleFileNameTest, UtcTimeAndASafeTerminalId) {
  EXPECT_EQ(bundle_file_name("510502-HALL-0001", 1'795'500'000), "kiosk-diag-510502-HALL-0001-20261124T060000Z.tar");
  EXPECT_EQ(bundle_file_name("../a b/c:d", 0), "kiosk-diag-_._a_b_c_d-19700101T000000Z.tar");
  EXPECT_EQ(bundle_file_name("", 0), "kiosk-diag-unknown-19700101T000000Z.tar");
}

}  // namespace
}  // namespace kiosk::ops
