// Private key files: the mode check that keeps the platform channel from starting with a
// world-readable key, the seal key's two file forms, and durable exclusive creation.
#include "kiosk/crypto/key_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace kiosk::crypto {
namespace {

constexpr std::string_view kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class KeyFile : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kiosk-key-file-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path write(const std::string& name, std::string_view contents, mode_t mode) {
    const auto path = directory_ / name;
    std::ofstream(path, std::ios::binary).write(contents.data(), static_cast<std::streamsize>(contents.size()));
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }

  static std::string raw_key() {
    std::string raw;
    for (int i = 0; i < 32; ++i) raw.push_back(static_cast<char>(i));
    return raw;
  }

  static mode_t mode_of(const std::filesystem::path& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0);
    return info.st_mode & 07777;
  }

  std::filesystem::path directory_;
  std::unique_ptr<Crypto> crypto_ = make_crypto();
};

void expect_error(const Result<SealKey>& key, ErrorKind kind, std::string_view mentions) {
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind, kind) << key.error().message;
  EXPECT_NE(key.error().message.find(mentions), std::string::npos) << key.error().message;
}

TEST_F(KeyFile, WorldReadableKeyIsRefusedWithPathModeAndRemedy) {
  const auto path = write("seal.key", raw_key(), 0644);
  auto key = load_seal_key(path);
  expect_error(key, ErrorKind::io, "mode 0644");
  EXPECT_NE(key.error().message.find("chmod 600 " + path.string()), std::string::npos) << key.error().message;
  EXPECT_FALSE(check_private_file(path).ok());
}

TEST_F(KeyFile, AnyGroupOrOtherPermissionIsRefused) {
  for (mode_t mode : {0640, 0604, 0620, 0602, 0610, 0601, 0660}) {
    const auto path = write("seal.key", raw_key(), mode);
    auto status = check_private_file(path);
    ASSERT_FALSE(status.ok()) << std::oct << mode;
    EXPECT_EQ(status.error().kind, ErrorKind::io);
    expect_error(load_seal_key(path), ErrorKind::io, "gives group/others access");
  }
}

TEST_F(KeyFile, OwnerOnlyKeyIsAccepted) {
  for (mode_t mode : {0600, 0400}) {
    const auto path = write("seal.key", raw_key(), mode);
    EXPECT_TRUE(check_private_file(path).ok());
    auto key = load_seal_key(path);
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(to_hex(key->bytes), kKeyHex);
  }
}

TEST_F(KeyFile, HexFormIsAcceptedWithOrWithoutNewline) {
  for (const std::string& contents : {std::string(kKeyHex), std::string(kKeyHex) + "\n", std::string(kKeyHex) + "\r\n"}) {
    std::string upper = contents;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& form : {contents, upper}) {
      const auto path = write("seal.key", form, 0600);
      auto key = load_seal_key(path);
      ASSERT_TRUE(key.ok()) << key.error().message;
      EXPECT_EQ(to_hex(key->bytes), kKeyHex);
    }
  }
}

TEST_F(KeyFile, WrongLengthsAndNonHexAreRefusedWithoutQuotingTheKey) {
  const std::string hex_key(kKeyHex);
  const std::pair<std::string, std::string> cases[] = {
      {"", "found 0 bytes"},
      {raw_key().substr(0, 31), "found 31 bytes"},
      {raw_key() + "x", "found 33 bytes"},
      {hex_key.substr(0, 62), "found 62 bytes"},
      {hex_key + "\n\n", "found 66 bytes"},
      {hex_key.substr(0, 63) + "g", "not a hex digit at offset 63"},
      {std::string(4096, 'a'), "larger than 128 bytes"},
  };
  for (const auto& [contents, mentions] : cases) {
    const auto path = write("seal.key", contents, 0600);
    auto key = load_seal_key(path);
    expect_error(key, ErrorKind::parse, mentions);
    EXPECT_NE(key.error().message.find(path.string()), std::string::npos);
    EXPECT_EQ(key.error().message.find(hex_key.substr(0, 16)), std::string::npos) << key.error().message;
  }
}

TEST_F(KeyFile, ParseSealKeyTakesBothForms) {
  auto raw = parse_seal_key(as_bytes(raw_key()));
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(to_hex(raw->bytes), kKeyHex);
  auto hex = parse_seal_key(as_bytes(std::string(kKeyHex) + "\n"));
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(hex->bytes, raw->bytes);
}

TEST_F(KeyFile, SymlinkToAWorldReadableFileIsRefused) {
  const auto target = write("target.key", raw_key(), 0644);
  const auto link = directory_ / "seal.key";
  std::filesystem::create_symlink(target, link);
  expect_error(load_seal_key(link), ErrorKind::io, "mode 0644");
  EXPECT_FALSE(check_private_file(link).ok());
}

TEST_F(KeyFile, NotARegularFileIsRefused) {
  expect_error(load_seal_key(directory_), ErrorKind::io, "not a regular file");
  const auto fifo = directory_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // Opening a FIFO for reading would block without a writer; the loader must not.
  expect_error(load_seal_key(fifo), ErrorKind::io, "not a regular file");
  EXPECT_FALSE(check_private_file("/dev/null").ok());
}

TEST_F(KeyFile, MissingFileIsNotFound) {
  expect_error(load_seal_key(directory_ / "absent.key"), ErrorKind::not_found, "absent.key");
  auto status = check_private_file(directory_ / "absent.key");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::not_found);
}

TEST_F(KeyFile, CreateWritesAnOwnerOnlyKeyThatLoadsBack) {
  const auto path = directory_ / "seal.key";
  auto created = create_seal_key(*crypto_, path);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(std::filesystem::file_size(path), 32u);
  auto loaded = load_seal_key(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->bytes, created->bytes);
  EXPECT_NE(to_hex(created->bytes), std::string(64, '0'));
}

TEST_F(KeyFile, CreateIgnoresAPermissiveUmask) {
  const mode_t previous = ::umask(0);
  auto created = create_seal_key(*crypto_, directory_ / "seal.key");
  ::umask(previous);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(mode_of(directory_ / "seal.key"), 0600u);
}

TEST_F(KeyFile, CreatingTwiceIsRefusedAndKeepsTheFirstKey) {
  const auto path = directory_ / "seal.key";
  auto first = create_seal_key(*crypto_, path);
  ASSERT_TRUE(first.ok());
  expect_error(create_seal_key(*crypto_, path), ErrorKind::io, "already exists");
  auto loaded = load_seal_key(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->bytes, first->bytes);
}

TEST_F(KeyFile, CreateDoesNotFollowASymlink) {
  const auto target = directory_ / "elsewhere.key";
  const auto link = directory_ / "seal.key";
  std::filesystem::create_symlink(target, link);
  expect_error(create_seal_key(*crypto_, link), ErrorKind::io, "already exists");
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST_F(KeyFile, CreateInAMissingDirectoryFails) {
  expect_error(create_seal_key(*crypto_, directory_ / "no-such-dir" / "seal.key"), ErrorKind::not_found, "cannot create");
}

TEST_F(KeyFile, LoadOrCreateCreatesOnceThenLoads) {
  const auto path = directory_ / "seal.key";
  auto first = load_or_create_seal_key(*crypto_, path);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = load_or_create_seal_key(*crypto_, path);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->bytes, first->bytes);
}

TEST_F(KeyFile, LoadOrCreateNeverReplacesABadKey) {
  const auto path = write("seal.key", raw_key(), 0644);
  expect_error(load_or_create_seal_key(*crypto_, path), ErrorKind::io, "mode 0644");
  const auto short_key = write("short.key", "abc", 0600);
  expect_error(load_or_create_seal_key(*crypto_, short_key), ErrorKind::parse, "found 3 bytes");
  std::ifstream in(short_key);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "abc");
}

}  // namespace
}  // namespace kiosk::crypto
