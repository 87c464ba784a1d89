#include "kiosk/core/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace kiosk {

SdNotifier SdNotifier::from_environment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  std::optional<Milliseconds> interval;
  if (const char* usec = std::getenv("WATCHDOG_USEC")) {
    const char* pid = std::getenv("WATCHDOG_PID");
    const bool for_us = pid == nullptr || std::strtol(pid, nullptr, 10) == static_cast<long>(::getpid());
    const long long value = std::strtoll(usec, nullptr, 10);
    if (for_us && value > 0) interval = value / 1000;
  }
  return SdNotifier(socket ? socket : "", interval);
}

SdNotifier::SdNotifier(std::string socket_path, std::optional<Milliseconds> watchdog_interval)
    : socket_path_(std::move(socket_path)), watchdog_interval_(watchdog_interval) {}

Status SdNotifier::send(std::string_view message) const {
  if (socket_path_.empty()) return {};
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof address.sun_path) {
    return Error::make(ErrorKind::invalid_argument, "NOTIFY_SOCKET path too long");
  }
  std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // abstract namespace
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error::make(ErrorKind::io, std::string("sd_notify: socket: ") + std::strerror(errno));
  const ssize_t sent = ::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address), length);
  const int error = errno;
  ::close(fd);
  if (sent < 0) return Error::make(ErrorKind::io, "sd_notify: " + socket_path_ + ": " + std::strerror(error));
  return {};
}

std::optional<Milliseconds> SdNotifier::tick(Milliseconds now) {
  if (!watchdog_interval_ || !enabled()) return std::nullopt;
  const Milliseconds half = *watchdog_interval_ / 2;
  if (!last_ping_ || now - *last_ping_ >= half) {
    if (send("WATCHDOG=1")) last_ping_ = now;
  }
  return (last_ping_ ? *last_ping_ : now) + half;
}

}  // namespace kiosk
