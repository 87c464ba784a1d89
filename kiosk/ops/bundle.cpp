// The diagnostics bundle's helpers (bundle.h): ustar (POSIX.1-2001 pax "ustar" header format,
// IEEE Std 1003.1 "pax" — ustar Interchange Format), config redaction, the file name.
#include "kiosk/ops/bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <ctime>
#include <set>

namespace kiosk::ops {

using nlohmann::json;

namespace {

constexpr std::size_t kBlock = 512;

Error io_error(const std::string& what, const std::filesystem::path& path, int error) {
  return Error::make(ErrorKind::io, what + " " + path.string() + ": " + std::strerror(error));
}

// `value` in octal, zero-padded to width-1 digits and NUL-terminated (ustar numeric fields).
bool put_octal(char* field, std::size_t width, std::uint64_t value) {
  std::string digits(width - 1, '0');
  for (std::size_t i = width - 1; i-- > 0;) {
    digits[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  if (value != 0) return false;  // does not fit
  std::memcpy(field, digits.data(), width - 1);
  field[width - 1] = '\0';
  return true;
}

Status check_name(const std::string& name) {
  if (name.empty() || name.size() > 100) return Error::make(ErrorKind::invalid_argument, "tar entry name must be 1-100 bytes");
  if (name.front() == '/' || name.back() == '/') {
    return Error::make(ErrorKind::invalid_argument, "tar entry name must be a relative file path: " + name);
  }
  if (name.find('\0') != std::string::npos) return Error::make(ErrorKind::invalid_argument, "tar entry name holds a NUL");
  std::size_t start = 0;
  for (;;) {
    const auto slash = name.find('/', start);
    const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") {
      return Error::make(ErrorKind::invalid_argument, "tar entry name has an empty, . or .. part: " + name);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return {};
}

std::array<char, kBlock> header_of(const TarEntry& entry) {
  std::array<char, kBlock> header{};
  std::memcpy(header.data(), entry.name.data(), entry.name.size());  // name[100]
  put_octal(header.data() + 100, 8, 0640);                           // mode
  put_octal(header.data() + 108, 8, 0);                              // uid
  put_octal(header.data() + 116, 8, 0);                              // gid
  put_octal(header.data() + 124, 12, entry.data.size());             // size
  put_octal(header.data() + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(0, entry.mtime)));
  header[156] = '0';                                                 // typeflag: regular file
  std::memcpy(header.data() + 257, "ustar", 6);                      // magic "ustar\0"
  std::memcpy(header.data() + 263, "00", 2);                         // version
  // chksum: the header's bytes summed as unsigned, with the chksum field itself as 8 spaces;
  // written as six octal digits, NUL, space.
  std::memset(header.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (char c : header) sum += static_cast<unsigned char>(c);
  put_octal(header.data() + 148, 7, sum);
  header[155] = ' ';
  return header;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t wrote = ::write(fd, data, size);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      if (wrote == 0) errno = EIO;
      return false;
    }
    data += wrote;
    size -= static_cast<std::size_t>(wrote);
  }
  return true;
}

bool redacted_name(const std::string& key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* path_suffix : {"_file", "_dir", "_path"}) {
    const std::string suffix(path_suffix);
    if (lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0) return false;
  }
  for (const char* secret : {"key", "secret", "password", "passwd", "token", "credential"}) {
    if (lower.find(secret) != std::string::npos) return true;
  }
  // "pin" only as a word: pin_hash, pins, pinned — not pinyin or shipping.
  std::size_t start = 0;
  while (start <= lower.size()) {
    std::size_t end = start;
    while (end < lower.size() && std::isalnum(static_cast<unsigned char>(lower[end]))) ++end;
    const std::string word = lower.substr(start, end - start);
    if (word == "pin" || word == "pins" || word == "pinned") return true;
    start = end + 1;
  }
  return false;
}

// "https://user:secret@host/…" → "https://[redacted]@host/…".
std::string without_userinfo(const std::string& text) {
  const auto scheme = text.find("://");
  if (scheme == std::string::npos) return text;
  const auto authority_end = text.find_first_of("/?#", scheme + 3);
  const auto at = text.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
  if (at == std::string::npos || at < scheme + 3) return text;
  return text.substr(0, scheme + 3) + "[redacted]" + text.substr(at);
}

json redact(const json& value) {
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [key, member] : value.items()) out[key] = redacted_name(key) ? json("[redacted]") : redact(member);
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& member : value) out.push_back(redact(member));
    return out;
  }
  if (value.is_string()) return without_userinfo(value.get<std::string>());
  return value;
}

}  // namespace

Status write_tar(const std::filesystem::path& file, const std::vector<TarEntry>& entries) {
  std::set<std::string> names;
  for (const auto& entry : entries) {
    TRY_STATUS(check_name(entry.name));
    if (!names.insert(entry.name).second) return Error::make(ErrorKind::invalid_argument, "tar entry twice: " + entry.name);
    if (entry.data.size() >= (std::uint64_t{1} << 33)) return Error::make(ErrorKind::invalid_argument, "tar entry over 8 GiB: " + entry.name);
  }
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::string temporary = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return Error::make(error == ENOENT ? ErrorKind::not_found : ErrorKind::io,
                       "cannot create a file in " + folder.string() + ": " + std::strerror(error));
  }
  auto fail = [&](const std::string& what) -> Error {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    return io_error(what, file, error);
  };
  if (::fchmod(fd, 0640) != 0) return fail("cannot set the mode of");
  static const std::array<char, kBlock> zeros{};
  for (const auto& entry : entries) {
    const auto header = header_of(entry);
    if (!write_all(fd, header.data(), header.size())) return fail("cannot write");
    if (!write_all(fd, entry.data.data(), entry.data.size())) return fail("cannot write");
    const std::size_t padding = (kBlock - entry.data.size() % kBlock) % kBlock;
    if (!write_all(fd, zeros.data(), padding)) return fail("cannot write");
  }
  // The end of the archive: two zero blocks.
  if (!write_all(fd, zeros.data(), kBlock) || !write_all(fd, zeros.data(), kBlock)) return fail("cannot write");
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return io_error("cannot close", file, error);
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return io_error("cannot rename into", file, error);
  }
  // The rename itself survives a power cut (or a stick pulled right after) only once the folder is synced.
  const int directory = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
  return {};
}

json redacted_config(const json& config) {
  json out = redact(config);
  // Named explicitly too, so that a later change of the name rules cannot let these through.
  if (out.contains("technician") && out["technician"].is_object() && out["technician"].contains("pin_hash")) {
    out["technician"]["pin_hash"] = "[redacted]";
  }
  if (out.contains("platform") && out["platform"].is_object() && out["platform"].contains("pinned_public_key")) {
    out["platform"]["pinned_public_key"] = "[redacted]";
  }
  return out;
}

std::string bundle_file_name(const std::string& terminal_id, std::int64_t unix_time) {
  std::string terminal = terminal_id.empty() ? "unknown" : terminal_id.substr(0, 64);
  for (char& c : terminal) {
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!safe) c = '_';
  }
  if (terminal.front() == '.') terminal.front() = '_';  // not a hidden file
  const std::time_t time = static_cast<std::time_t>(unix_time);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return "kiosk-diag-" + terminal + "-" + stamp + ".tar";
}

}  // namespace kiosk::ops
