// The emulated reader on a pseudo-terminal: the real serial driver opens the slave like a tty.
// Unplug closes the master (the driver's reads hang up with EIO) and removes the link; plug opens
// a fresh pty and re-points the link, as a USB-serial reader replugged under a udev symlink would.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "devices/idcard/emulator.h"

namespace kiosk::devices::idcard {
namespace {

Error os_error(const std::string& what) { return Error::make(ErrorKind::io, what + ": " + std::strerror(errno)); }

}  // namespace

PtyEmulator::PtyEmulator(std::filesystem::path link) : link_(std::move(link)) {}

Result<std::unique_ptr<PtyEmulator>> PtyEmulator::create(const std::filesystem::path& link) {
  std::unique_ptr<PtyEmulator> emulator(new PtyEmulator(link));
  {
    std::lock_guard lock(emulator->pty_mutex_);
    auto opened = emulator->open_pty();
    if (!opened.ok()) return opened.release_error();
  }
  emulator->thread_ = std::thread([raw = emulator.get()] { raw->serve(); });
  return emulator;
}

PtyEmulator::~PtyEmulator() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(pty_mutex_);
  close_pty();
}

std::string PtyEmulator::slave_path() const {
  std::lock_guard lock(pty_mutex_);
  return slave_path_;
}

std::string PtyEmulator::device_path() const { return link_.empty() ? slave_path() : link_.string(); }

bool PtyEmulator::plugged() const {
  std::lock_guard lock(pty_mutex_);
  return master_ >= 0;
}

void PtyEmulator::unplug() {
  std::lock_guard lock(pty_mutex_);
  close_pty();
}

Status PtyEmulator::plug() {
  std::lock_guard lock(pty_mutex_);
  if (master_ >= 0) return {};
  return open_pty();
}

// With pty_mutex_ held.
Status PtyEmulator::open_pty() {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return os_error("posix_openpt");
  char name[128];
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname_r(master, name, sizeof name) != 0) {
    auto error = os_error("pty setup");
    ::close(master);
    return error;
  }
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) {
    auto error = os_error(std::string("open ") + name);
    ::close(master);
    return error;
  }
  termios settings{};
  ::tcgetattr(slave, &settings);
  ::cfmakeraw(&settings);  // no echo, no translation: bytes pass as a UART would carry them
  ::tcsetattr(slave, TCSANOW, &settings);
  ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
  if (!link_.empty()) {
    // Atomic re-point: a driver opening the link sees the old pty or the new one, never nothing.
    const std::string temporary = link_.string() + ".new";
    ::unlink(temporary.c_str());
    if (::symlink(name, temporary.c_str()) != 0 || ::rename(temporary.c_str(), link_.c_str()) != 0) {
      auto error = os_error("link " + link_.string());
      ::close(slave);
      ::close(master);
      return error;
    }
  }
  master_ = master;
  slave_ = slave;
  slave_path_ = name;
  return {};
}

// With pty_mutex_ held. The link goes first: a closed pty's number may be reused by anyone.
void PtyEmulator::close_pty() {
  if (master_ < 0) return;
  if (!link_.empty()) ::unlink(link_.c_str());
  ::close(master_);
  ::close(slave_);
  master_ = slave_ = -1;
}

void PtyEmulator::serve() {
  std::array<std::uint8_t, 4096> buffer{};
  while (!stopping_) {
    ssize_t count = 0;
    {
      std::lock_guard lock(pty_mutex_);
      if (master_ >= 0) {
        pollfd entry{master_, POLLIN, 0};
        if (::poll(&entry, 1, 20) > 0 && (entry.revents & POLLIN)) count = ::read(master_, buffer.data(), buffer.size());
      }
    }
    if (count <= 0) {
      if (!plugged()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    for (const auto& output : emulator_.receive(std::span(buffer).first(static_cast<std::size_t>(count)))) {
      if (stopping_) return;
      if (output.delay_before.count() > 0) std::this_thread::sleep_for(output.delay_before);
      write_out(output);
    }
  }
}

void PtyEmulator::write_out(const EmulatorOutput& output) {
  std::lock_guard lock(pty_mutex_);
  std::size_t written = 0;
  while (master_ >= 0 && written < output.bytes.size()) {
    const ssize_t count = ::write(master_, output.bytes.data() + written, output.bytes.size() - written);
    if (count > 0) {
      written += static_cast<std::size_t>(count);
      continue;
    }
    if (count < 0 && errno == EINTR) continue;
    if (count < 0 && errno == EAGAIN) {
      pollfd entry{master_, POLLOUT, 0};
      if (::poll(&entry, 1, 100) > 0) continue;
    }
    return;  // nobody is reading: drop the rest, as a UART would
  }
}

}  // namespace kiosk::devices::idcard
