// The notify protocol against a real datagram socket standing in for systemd's NOTIFY_SOCKET.
#include "kiosk/core/sd_notify.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>

namespace kiosk {
namespace {

class NotifySocket {
 public:
  NotifySocket() {
    path_ = (std::filesystem::temp_directory_path() / ("notify-" + std::to_string(::getpid()) + ".sock")).string();
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }
  ~NotifySocket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }
  // The next datagram, or "" after 500 ms.
  std::string receive() {
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, 500) <= 0) return "";
    char buffer[512];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : "";
  }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST(SdNotify, ReadyStatusAndStoppingReachTheSocket) {
  NotifySocket systemd;
  SdNotifier notifier(systemd.path(), std::nullopt);
  ASSERT_TRUE(notifier.ready().ok());
  EXPECT_EQ(systemd.receive(), "READY=1");
  ASSERT_TRUE(notifier.status("attract screen").ok());
  EXPECT_EQ(systemd.receive(), "STATUS=attract screen");
  ASSERT_TRUE(notifier.stopping().ok());
  EXPECT_EQ(systemd.receive(), "STOPPING=1");
}

TEST(SdNotify, WatchdogPingsAtHalfTheIntervalOnlyWhenTheLoopTurns) {
  NotifySocket systemd;
  SdNotifier notifier(systemd.path(), 10000);
  EXPECT_EQ(notifier.tick(0), 5000);
  EXPECT_EQ(systemd.receive(), "WATCHDOG=1");
  EXPECT_EQ(notifier.tick(3000), 5000);  // too early: no ping
  EXPECT_EQ(systemd.receive(), "");
  EXPECT_EQ(notifier.tick(5000), 10000);
  EXPECT_EQ(systemd.receive(), "WATCHDOG=1");
  // A loop that stops turning sends nothing: systemd's WatchdogSec then restarts the kiosk.
  EXPECT_EQ(systemd.receive(), "");
}

TEST(SdNotify, OutsideSystemdEverythingIsANoOp) {
  SdNotifier notifier("", std::nullopt);
  EXPECT_FALSE(notifier.enabled());
  EXPECT_TRUE(notifier.ready().ok());
  EXPECT_FALSE(notifier.tick(0).has_value());
}

TEST(SdNotify, ReadsTheEnvironmentAndRefusesABadSocket) {
  ::setenv("NOTIFY_SOCKET", "/nonexistent/notify.sock", 1);
  ::setenv("WATCHDOG_USEC", "20000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  SdNotifier notifier = SdNotifier::from_environment();
  EXPECT_TRUE(notifier.enabled());
  EXPECT_EQ(notifier.watchdog_interval(), 20000);
  EXPECT_FALSE(notifier.ready().ok());
  ::setenv("WATCHDOG_PID", "1", 1);  // another process's watchdog
  EXPECT_FALSE(SdNotifier::from_environment().watchdog_interval().has_value());
  ::unsetenv("NOTIFY_SOCKET");
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}

}  // namespace
}  // namespace kiosk
