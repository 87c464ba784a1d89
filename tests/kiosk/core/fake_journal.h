#pragma once
// A fake journald for tests: an AF_UNIX datagram socket bound in a temporary folder, whose
// datagrams are parsed with the native protocol's field grammar. Point the log at it with
// log::configure(log::Sink{log::Sink::Kind::journal, journal.path()}).

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kiosk::log::test_support {

namespace fs = std::filesystem;

inline fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "log-test-XXXXXX").string();
  const char* made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  return pattern;
}

// journald's native protocol, parsed the way journald does: "NAME=value\n" or "NAME\n" + le64
// length + value + "\n". Empty map when the datagram is malformed.
inline std::multimap<std::string, std::string> parse_native(const std::string& datagram) {
  std::multimap<std::string, std::string> fields;
  std::size_t at = 0;
  while (at < datagram.size()) {
    const std::size_t newline = datagram.find('\n', at);
    if (newline == std::string::npos) return {};
    const std::string line = datagram.substr(at, newline - at);
    const std::size_t equals = line.find('=');
    if (equals != std::string::npos) {
      fields.emplace(line.substr(0, equals), line.substr(equals + 1));
      at = newline + 1;
      continue;
    }
    if (datagram.size() < newline + 1 + 8) return {};
    std::uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(datagram[newline + 1 + i]);
    const std::size_t value_at = newline + 1 + 8;
    if (datagram.size() < value_at + length + 1 || datagram[value_at + length] != '\n') return {};
    fields.emplace(line, datagram.substr(value_at, length));
    at = value_at + length + 1;
  }
  return fields;
}

class FakeJournal {
 public:
  FakeJournal() : dir_(make_temp_dir()), path_((dir_ / "journal.sock").string()) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  }
  ~FakeJournal() {
    ::close(fd_);
    fs::remove_all(dir_);
  }
  const std::string& path() const { return path_; }
  // The next datagram, or "" after 500 ms.
  std::string receive() {
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, 500) <= 0) return "";
    std::string buffer(65536, '\0');
    const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), 0);
    return got > 0 ? buffer.substr(0, static_cast<std::size_t>(got)) : "";
  }

 private:
  fs::path dir_;
  std::string path_;
  int fd_ = -1;
};

// Every datagram that arrives within `wait_ms` of the previous one (the first within 500 ms),
// parsed.
inline std::vector<std::multimap<std::string, std::string>> receive_all(FakeJournal& journal) {
  std::vector<std::multimap<std::string, std::string>> records;
  for (std::string datagram = journal.receive(); !datagram.empty(); datagram = journal.receive()) {
    records.push_back(parse_native(datagram));
  }
  return records;
}

}  // namespace kiosk::log::test_support
