// Private key files: mode checks, reading and parsing a seal key, creating one durably.
#include "kiosk/crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "kiosk/core/secure_memory.h"

namespace kiosk::crypto {
namespace {

// Raw (32) or hex with CRLF (66) fit; anything larger is not a key file.
constexpr std::size_t kMaxKeyFileSize = 128;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  // Closes now and reports the result (close can report a failed delayed write).
  int close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Error errno_error(const std::filesystem::path& path, std::string_view what, int error_number) {
  const ErrorKind kind = error_number == ENOENT ? ErrorKind::not_found : ErrorKind::io;
  return Error::make(kind, path.string() + ": " + std::string(what) + ": " + std::strerror(error_number));
}

Status check_private_stat(const std::filesystem::path& path, const struct stat& info) {
  if (!S_ISREG(info.st_mode)) return Error::make(ErrorKind::io, path.string() + ": not a regular file");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Error::make(ErrorKind::io, path.string() + ": mode " + mode_text(info.st_mode) +
                                          " gives group/others access: must not be readable or writable by group "
                                          "or others; run chmod 600 " + path.string());
  }
  return {};
}

Status write_all(int fd, ByteView bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Error::make(ErrorKind::io, std::string("write: ") + std::strerror(errno));
    done += static_cast<std::size_t>(written);
  }
  return {};
}

// Reads up to kMaxKeyFileSize + 1 bytes, so an oversized file is noticed without reading it all.
Result<Bytes> read_limited(int fd, const std::filesystem::path& path) {
  Bytes contents(kMaxKeyFileSize + 1);
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t got = ::read(fd, contents.data() + done, contents.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const int error_number = errno;
      secure_clear(contents);
      return errno_error(path, "cannot read", error_number);
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  contents.resize(done);
  return contents;
}

Status sync_directory_of(const std::filesystem::path& path) {
  std::filesystem::path directory = path.parent_path();
  if (directory.empty()) directory = ".";
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return errno_error(directory, "cannot open the directory to sync it", errno);
  if (::fsync(fd.get()) != 0) return errno_error(directory, "cannot sync the directory", errno);
  return {};
}

// Gives a freshly created file mode 0600 (whatever the umask), its contents, and syncs it.
Status fill_new_file(FileDescriptor& fd, const std::filesystem::path& path, ByteView bytes) {
  if (::fchmod(fd.get(), 0600) != 0) return errno_error(path, "cannot set mode 0600", errno);
  if (auto written = write_all(fd.get(), bytes); !written.ok()) {
    return Error::make(ErrorKind::io, path.string() + ": " + written.error().message);
  }
  if (::fsync(fd.get()) != 0) return errno_error(path, "cannot sync", errno);
  if (fd.close() != 0) return errno_error(path, "cannot close", errno);
  return {};
}

// Creates `path` exclusively and writes `bytes` durably; removes a half-written file on failure.
Status write_new_private_file(const std::filesystem::path& path, ByteView bytes) {
  FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) {
      return Error::make(ErrorKind::io, path.string() + ": already exists; refusing to replace a key");
    }
    return errno_error(path, "cannot create", errno);
  }
  Status filled = fill_new_file(fd, path, bytes);
  if (!filled.ok()) ::unlink(path.c_str());
  return filled;
}

}  // namespace

Status check_private_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return errno_error(path, "cannot check", errno);
  return check_private_stat(path, info);
}

Result<SealKey> parse_seal_key(ByteView contents) {
  SealKey key;
  if (contents.size() == key.bytes.size()) {
    std::copy(contents.begin(), contents.end(), key.bytes.begin());
    return key;
  }
  std::string_view text(reinterpret_cast<const char*>(contents.data()), contents.size());
  if (text.ends_with("\r\n")) {
    text.remove_suffix(2);
  } else if (text.ends_with('\n')) {
    text.remove_suffix(1);
  }
  if (text.size() != key.bytes.size() * 2) {
    return Error::make(ErrorKind::parse, "seal key must be 32 raw bytes or 64 hex digits, found " +
                                             std::to_string(contents.size()) + " bytes");
  }
  auto decoded = from_hex(text);
  if (!decoded.ok()) return Error::make(ErrorKind::parse, "seal key: " + decoded.error().message);
  std::copy(decoded->begin(), decoded->end(), key.bytes.begin());
  secure_clear(decoded.value());
  return key;
}

Result<SealKey> load_seal_key(const std::filesystem::path& path) {
  // O_NONBLOCK: opening a FIFO must not hang; the mode check below refuses it anyway.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) return errno_error(path, "cannot open", errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return errno_error(path, "cannot check", errno);
  TRY_STATUS(check_private_stat(path, info));
  Bytes contents = TRY(read_limited(fd.get(), path));
  if (contents.size() > kMaxKeyFileSize) {
    secure_clear(contents);
    return Error::make(ErrorKind::parse, path.string() + ": larger than " + std::to_string(kMaxKeyFileSize) +
                                             " bytes; not a seal key");
  }
  auto key = parse_seal_key(contents);
  secure_clear(contents);
  if (!key.ok()) return Error::make(ErrorKind::parse, path.string() + ": " + key.error().message);
  return key;
}

Result<SealKey> create_seal_key(Crypto& crypto, const std::filesystem::path& path) {
  Bytes random = TRY(crypto.random_bytes(kSealKeySize));
  const Status written = write_new_private_file(path, random);
  if (!written.ok()) {
    secure_clear(random);
    return written.error();
  }
  TRY_STATUS(sync_directory_of(path));
  SealKey key;
  std::copy(random.begin(), random.end(), key.bytes.begin());
  secure_clear(random);
  return key;
}

Result<SealKey> load_or_create_seal_key(Crypto& crypto, const std::filesystem::path& path) {
  auto loaded = load_seal_key(path);
  if (loaded.ok() || loaded.error().kind != ErrorKind::not_found) return loaded;
  auto created = create_seal_key(crypto, path);
  if (created.ok()) return created;
  // Another process may have created it between our load and create: use theirs.
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) return load_seal_key(path);
  return created;
}

}  // namespace kiosk::crypto
