// The serial transport: a tty in raw 8N1 at a configurable speed, read with poll() in short slices
// so cancellation is seen within kCancelSlice. A USB-serial adapter pulled out (or a pty whose
// master closed) shows as POLLHUP / EIO / end of file: no_device.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "devices/idcard/transport.h"
#include "kiosk/core/secure_memory.h"

namespace kiosk::devices::idcard {
namespace {

using Clock = std::chrono::steady_clock;

speed_t speed_for(int baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    default: return B0;
  }
}

std::string errno_text(int error) { return std::strerror(error); }

bool is_gone(int error) { return error == EIO || error == ENXIO || error == ENODEV || error == EBADF; }

class SerialTransport final : public Transport {
 public:
  SerialTransport(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~SerialTransport() override { ::close(fd_); }
  SerialTransport(const SerialTransport&) = delete;
  SerialTransport& operator=(const SerialTransport&) = delete;

  std::string name() const override { return "serial " + path_; }

  // Flushes the tty's input queue, then reads away (the fd is non-blocking) whatever slipped in
  // meanwhile, bounded so a chattering line cannot hold us here.
  void discard_input() override {
    ::tcflush(fd_, TCIFLUSH);
    std::array<std::uint8_t, 512> scratch{};
    for (int round = 0; round < 16; ++round) {
      const ssize_t count = ::read(fd_, scratch.data(), scratch.size());
      if (count <= 0) break;  // empty (EAGAIN), or gone: the next read reports that
      secure_clear(scratch.data(), static_cast<std::size_t>(count));
    }
  }

  hal::DeviceStatusResult write(std::span<const std::uint8_t> bytes, milliseconds timeout,
                                const hal::CancelToken& cancel) override {
    const auto deadline = Clock::now() + timeout;
    std::size_t written = 0;
    while (written < bytes.size()) {
      auto ready = wait(POLLOUT, deadline, cancel, "write");
      if (!ready.ok()) return ready.release_error();
      const ssize_t count = ::write(fd_, bytes.data() + written, bytes.size() - written);
      if (count < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return failure(errno, "write");
      }
      written += static_cast<std::size_t>(count);
    }
    return {};
  }

  hal::DeviceResult<std::size_t> read(std::span<std::uint8_t> buffer, milliseconds timeout,
                                      const hal::CancelToken& cancel) override {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      auto ready = wait(POLLIN, deadline, cancel, "read");
      if (!ready.ok()) return ready.release_error();
      const ssize_t count = ::read(fd_, buffer.data(), buffer.size());
      if (count > 0) return static_cast<std::size_t>(count);
      if (count == 0) return hal::device_error(hal::DeviceErrorCode::no_device, name() + ": end of file (unplugged)");
      if (errno == EINTR || errno == EAGAIN) continue;
      return failure(errno, "read");
    }
  }

 private:
  hal::DeviceError failure(int error, const char* what) const {
    const auto code = is_gone(error) ? hal::DeviceErrorCode::no_device : hal::DeviceErrorCode::io;
    return hal::device_error(code, name() + ": " + what + ": " + errno_text(error));
  }

  // poll() in slices of kCancelSlice until `events` is ready, the deadline passes or the caller
  // cancels. A hang-up is the device going away.
  hal::DeviceStatusResult wait(short events, Clock::time_point deadline, const hal::CancelToken& cancel,
                               const char* what) const {
    while (true) {
      if (cancel.cancelled()) return hal::device_error(hal::DeviceErrorCode::cancelled, name() + ": " + what + " cancelled");
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return hal::device_error(hal::DeviceErrorCode::timeout, name() + ": " + what + " timed out");
      pollfd entry{fd_, events, 0};
      const int slice = static_cast<int>(std::min(left, kCancelSlice).count());
      const int ready = ::poll(&entry, 1, std::max(slice, 1));
      if (ready < 0) {
        if (errno == EINTR) continue;
        return failure(errno, "poll");
      }
      if (ready == 0) continue;
      if (entry.revents & events) return {};  // data first: a hang-up after the last bytes still delivers them
      if (entry.revents & (POLLHUP | POLLERR | POLLNVAL)) {
        return hal::device_error(hal::DeviceErrorCode::no_device, name() + ": hang-up (unplugged)");
      }
    }
  }

  int fd_;
  std::string path_;
};

}  // namespace

bool supported_baud(int baud) { return speed_for(baud) != B0; }

hal::DeviceResult<std::unique_ptr<Transport>> open_serial(const SerialOptions& options) {
  const speed_t speed = speed_for(options.baud);
  if (speed == B0) {
    return hal::device_error(hal::DeviceErrorCode::unsupported, "serial " + options.path + ": unsupported baud " +
                                                                    std::to_string(options.baud));
  }
  const int fd = ::open(options.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const auto code = (error == ENOENT || is_gone(error)) ? hal::DeviceErrorCode::no_device : hal::DeviceErrorCode::io;
    return hal::device_error(code, "serial " + options.path + ": open: " + errno_text(error));
  }
  termios settings{};
  if (::tcgetattr(fd, &settings) != 0) {
    const int error = errno;
    ::close(fd);
    return hal::device_error(hal::DeviceErrorCode::io, "serial " + options.path + ": not a tty: " + errno_text(error));
  }
  ::cfmakeraw(&settings);  // 8 data bits, no parity, no echo, no translation
  settings.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | CRTSCTS | PARENB);
  settings.c_cflag |= CLOCAL | CREAD | CS8;
  settings.c_cc[VMIN] = 0;
  settings.c_cc[VTIME] = 0;
  ::cfsetispeed(&settings, speed);
  ::cfsetospeed(&settings, speed);
  if (::tcsetattr(fd, TCSANOW, &settings) != 0) {
    const int error = errno;
    ::close(fd);
    return hal::device_error(hal::DeviceErrorCode::io, "serial " + options.path + ": tcsetattr: " + errno_text(error));
  }
  ::tcflush(fd, TCIOFLUSH);
  return std::unique_ptr<Transport>(std::make_unique<SerialTransport>(fd, options.path));
}

}  // namespace kiosk::devices::idcard
