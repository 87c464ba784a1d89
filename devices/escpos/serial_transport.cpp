#include "devices/escpos/serial_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiosk::devices::escpos {
namespace {

std::string errno_text(int error) { return std::strerror(error); }

speed_t speed_of(int baud) {
  switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    default: return B0;
  }
}

// errno values that mean the device is gone rather than that something else failed.
bool vanished(int error) { return error == EIO || error == ENXIO || error == ENODEV || error == EPIPE; }

class FileTransport final : public Transport {
 public:
  FileTransport(int fd, std::string name, bool capture) : fd_(fd), name_(std::move(name)), capture_(capture) {}
  ~FileTransport() override { ::close(fd_); }
  FileTransport(const FileTransport&) = delete;
  FileTransport& operator=(const FileTransport&) = delete;

  std::string description() const override { return capture_ ? "capture file " + name_ : name_; }
  bool can_read() const override { return !capture_; }

  hal::DeviceStatusResult write(std::span<const std::uint8_t> bytes, const hal::CancelToken& cancel,
                                Deadline deadline) override {
    std::size_t done = 0;
    while (done < bytes.size()) {
      TRY_STATUS(wait(POLLOUT, cancel, deadline, "write"));
      const ssize_t written = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (written < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return failure(errno, "write");
      }
      done += static_cast<std::size_t>(written);
    }
    return {};
  }

  hal::DeviceResult<Bytes> read(std::size_t max, const hal::CancelToken& cancel, Deadline deadline) override {
    if (capture_) return hal::device_error(hal::DeviceErrorCode::unsupported, name_ + ": a capture file cannot be read");
    Bytes buffer(max);
    while (true) {
      TRY_STATUS(wait(POLLIN, cancel, deadline, "read"));
      const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
      if (got > 0) {
        buffer.resize(static_cast<std::size_t>(got));
        return buffer;
      }
      if (got == 0) return hal::device_error(hal::DeviceErrorCode::offline, name_ + ": end of file (printer gone)");
      if (errno != EAGAIN && errno != EINTR) return failure(errno, "read");
    }
  }

  void discard_input() override {
    if (capture_) return;
    if (::isatty(fd_)) {
      ::tcflush(fd_, TCIFLUSH);
      return;
    }
    std::uint8_t scratch[64];
    while (::read(fd_, scratch, sizeof scratch) > 0) {
    }
  }

 private:
  // Waits until the fd is ready for `events`, in slices of at most kIoSlice, so cancel and the
  // deadline are seen; a hang-up or error on the fd means the printer vanished.
  hal::DeviceStatusResult wait(short events, const hal::CancelToken& cancel, Deadline deadline, const char* what) {
    while (true) {
      if (cancel.cancelled()) return hal::device_error(hal::DeviceErrorCode::cancelled, name_ + ": " + what + " cancelled");
      const auto slice = next_slice(deadline);
      pollfd entry{fd_, events, 0};
      const int ready = ::poll(&entry, 1, static_cast<int>(slice.count()));
      if (ready < 0 && errno != EINTR) return failure(errno, "poll");
      if (ready > 0) {
        if ((entry.revents & events) != 0) return {};
        if ((entry.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
          return hal::device_error(hal::DeviceErrorCode::offline, name_ + ": hang-up (printer vanished)");
        }
      }
      if (slice.count() == 0 || SteadyClock::now() >= deadline) {
        return hal::device_error(hal::DeviceErrorCode::timeout, name_ + ": " + what + " timed out");
      }
    }
  }

  hal::DeviceError failure(int error, const char* what) const {
    return hal::device_error(vanished(error) ? hal::DeviceErrorCode::offline : hal::DeviceErrorCode::io,
                             name_ + ": " + what + ": " + errno_text(error));
  }

  int fd_;
  std::string name_;
  bool capture_;
};

hal::DeviceStatusResult configure_tty(int fd, const SerialOptions& options) {
  termios settings{};
  if (::tcgetattr(fd, &settings) != 0) {
    return hal::device_error(hal::DeviceErrorCode::io, options.path.string() + ": tcgetattr: " + errno_text(errno));
  }
  ::cfmakeraw(&settings);  // 8 data bits, no parity, no echo, no translation of bytes
  settings.c_cflag |= CLOCAL | CREAD;
  settings.c_cflag &= ~static_cast<tcflag_t>(CSTOPB);
  if (options.hardware_flow_control) {
    settings.c_cflag |= CRTSCTS;
  } else {
    settings.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  }
  settings.c_cc[VMIN] = 0;
  settings.c_cc[VTIME] = 0;
  ::cfsetispeed(&settings, speed_of(options.baud));
  ::cfsetospeed(&settings, speed_of(options.baud));
  if (::tcsetattr(fd, TCSANOW, &settings) != 0) {
    return hal::device_error(hal::DeviceErrorCode::io, options.path.string() + ": tcsetattr: " + errno_text(errno));
  }
  ::tcflush(fd, TCIOFLUSH);
  return {};
}

}  // namespace

bool is_supported_baud(int baud) { return speed_of(baud) != B0; }

hal::DeviceResult<std::unique_ptr<Transport>> open_serial_transport(const SerialOptions& options) {
  const std::string name = options.path.string();
  if (!is_supported_baud(options.baud)) {
    return hal::device_error(hal::DeviceErrorCode::unsupported, name + ": unsupported baud rate " + std::to_string(options.baud));
  }
  struct stat info {};
  if (::stat(options.path.c_str(), &info) != 0) {
    const int error = errno;
    return hal::device_error(error == ENOENT ? hal::DeviceErrorCode::offline : hal::DeviceErrorCode::io,
                             name + ": " + errno_text(error));
  }
  if (S_ISREG(info.st_mode)) {
    const int fd = ::open(options.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return hal::device_error(hal::DeviceErrorCode::io, name + ": " + errno_text(errno));
    return std::unique_ptr<Transport>(std::make_unique<FileTransport>(fd, name, true));
  }
  const int fd = ::open(options.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return hal::device_error(vanished(error) || error == ENOENT ? hal::DeviceErrorCode::offline : hal::DeviceErrorCode::io,
                             name + ": " + errno_text(error));
  }
  auto transport = std::make_unique<FileTransport>(fd, name, false);
  if (::isatty(fd)) TRY_STATUS(configure_tty(fd, options));
  return std::unique_ptr<Transport>(std::move(transport));
}

}  // namespace kiosk::devices::escpos
