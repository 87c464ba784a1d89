#include "devices/escpos/printer_emulator.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kiosk::devices::escpos {

std::optional<std::uint8_t> status_answer(const EmulatorState& state, int n) {
  if (state.no_answer || n < 1 || n > 4) return std::nullopt;
  if (state.garbage_status) return std::uint8_t{0xFF};
  const bool error = state.cutter_error || state.unrecoverable_error || state.auto_recoverable_error;
  std::uint8_t byte = 0x12;  // the fixed bits 0xx1xx10
  switch (n) {
    case 1:
      if (state.offline || state.cover_open || state.paper_out || error) byte |= 0x08;
      break;
    case 2:
      if (state.cover_open) byte |= 0x04;
      if (state.paper_out) byte |= 0x20;
      if (error) byte |= 0x40;
      break;
    case 3:
      if (state.cutter_error) byte |= 0x08;
      if (state.unrecoverable_error) byte |= 0x20;
      if (state.auto_recoverable_error) byte |= 0x40;
      break;
    default:
      // The near-end sensor also reads "no paper" once the roll has run out.
      if (state.paper_near_end || state.paper_out) byte |= 0x0C;
      if (state.paper_out) byte |= 0x60;
      break;
  }
  return byte;
}

void EmulatedPrinter::set_state(const EmulatorState& state) {
  std::lock_guard lock(mutex_);
  state_ = state;
}

EmulatorState EmulatedPrinter::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::vector<std::uint8_t> EmulatedPrinter::receive(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> answers;
  {
    std::lock_guard lock(mutex_);
    for (std::uint8_t byte : bytes) {
      captured_.push_back(byte);
      const std::size_t size = captured_.size();
      if (size >= 3 && captured_[size - 3] == 0x10 && captured_[size - 2] == 0x04 && byte >= 1 && byte <= 4) {
        queries_.push_back(byte);
        if (auto answer = status_answer(state_, byte)) answers.push_back(*answer);
      }
    }
  }
  grew_.notify_all();
  return answers;
}

std::vector<std::uint8_t> EmulatedPrinter::captured() const {
  std::lock_guard lock(mutex_);
  return captured_;
}

std::size_t EmulatedPrinter::captured_size() const {
  std::lock_guard lock(mutex_);
  return captured_.size();
}

std::vector<int> EmulatedPrinter::status_queries() const {
  std::lock_guard lock(mutex_);
  return queries_;
}

void EmulatedPrinter::clear() {
  std::lock_guard lock(mutex_);
  captured_.clear();
  queries_.clear();
}

bool EmulatedPrinter::wait_for_captured(std::size_t size, hal::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return grew_.wait_for(lock, timeout, [&] { return captured_.size() >= size; });
}

// --- PtyPrinterEmulator ---

Result<std::unique_ptr<PtyPrinterEmulator>> PtyPrinterEmulator::create() {
  char pattern[] = "/tmp/escpos-emulator-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    return Error::make(ErrorKind::io, std::string("mkdtemp: ") + std::strerror(errno));
  }
  std::unique_ptr<PtyPrinterEmulator> emulator(new PtyPrinterEmulator(pattern));
  {
    std::lock_guard lock(emulator->mutex_);
    TRY_STATUS(emulator->open_pty());
  }
  emulator->thread_ = std::thread([raw = emulator.get()] { raw->run(); });
  return emulator;
}

PtyPrinterEmulator::PtyPrinterEmulator(std::filesystem::path directory)
    : directory_(std::move(directory)), link_(directory_ / "printer") {}

PtyPrinterEmulator::~PtyPrinterEmulator() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  close_master_locked();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

Status PtyPrinterEmulator::open_pty() {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    const int error = errno;
    if (master >= 0) ::close(master);
    return Error::make(ErrorKind::io, std::string("pty: ") + std::strerror(error));
  }
  const char* slave_name = ::ptsname(master);
  // The driver sets raw mode too, but bytes may arrive before it opens: no echo, no translation.
  const int slave = slave_name ? ::open(slave_name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
  termios settings{};
  if (slave >= 0 && ::tcgetattr(slave, &settings) == 0) {
    ::cfmakeraw(&settings);
    ::tcsetattr(slave, TCSANOW, &settings);
  }
  // The settings stay with the pty while the master is open; run() waits out the hang-up the
  // master reads while no slave is open.
  if (slave >= 0) ::close(slave);
  const std::filesystem::path temporary = directory_ / "printer.new";
  std::error_code error;
  std::filesystem::remove(temporary, error);
  std::filesystem::create_symlink(slave_name ? slave_name : "", temporary, error);
  if (!error) std::filesystem::rename(temporary, link_, error);
  if (error || slave < 0) {
    ::close(master);
    return Error::make(ErrorKind::io, "pty link: " + (error ? error.message() : std::string("cannot open slave")));
  }
  master_ = master;
  close_requested_ = false;
  return {};
}

void PtyPrinterEmulator::close_master_locked() {
  // The link goes first: a closed pty's number is soon handed to another process, and the driver
  // must find nothing behind the path, not someone else's terminal.
  std::error_code ignored;
  std::filesystem::remove(link_, ignored);
  if (master_ >= 0) ::close(master_);
  master_ = -1;
  closed_.notify_all();
}

void PtyPrinterEmulator::vanish() {
  std::unique_lock lock(mutex_);
  close_requested_ = true;
  closed_.wait(lock, [this] { return master_ < 0; });
}

void PtyPrinterEmulator::vanish_after(std::size_t captured_size) {
  std::lock_guard lock(mutex_);
  vanish_at_ = captured_size;
}

bool PtyPrinterEmulator::present() const {
  std::lock_guard lock(mutex_);
  return master_ >= 0;
}

void PtyPrinterEmulator::set_bytes_per_second(std::size_t rate) {
  std::lock_guard lock(mutex_);
  bytes_per_second_ = rate;
}

Status PtyPrinterEmulator::reappear() {
  std::lock_guard lock(mutex_);
  if (master_ >= 0) return {};
  vanish_at_ = 0;
  return open_pty();
}

void PtyPrinterEmulator::run() {
  std::vector<std::uint8_t> buffer(4096);
  while (!stopping_) {
    int master = -1;
    std::size_t limit = buffer.size();
    std::size_t rate = 0;
    {
      std::lock_guard lock(mutex_);
      const std::size_t captured = printer_.captured_size();
      if (close_requested_ || (vanish_at_ > 0 && captured >= vanish_at_)) close_master_locked();
      master = master_;
      if (vanish_at_ > 0 && captured < vanish_at_) limit = std::min(limit, vanish_at_ - captured);
      rate = bytes_per_second_;
      if (rate > 0) limit = std::min(limit, std::max<std::size_t>(rate / 100, 1));  // ~10 ms of data a read
    }
    if (master < 0) {
      std::this_thread::sleep_for(hal::milliseconds{5});
      continue;
    }
    pollfd entry{master, POLLIN, 0};
    if (::poll(&entry, 1, 10) <= 0 || (entry.revents & POLLIN) == 0) {
      // No slave open (between the driver's close and reopen) reads as a hang-up: wait for it.
      if ((entry.revents & POLLHUP) != 0) std::this_thread::sleep_for(hal::milliseconds{5});
      continue;
    }
    const ssize_t got = ::read(master, buffer.data(), limit);
    if (got <= 0) continue;
    const auto answers = printer_.receive(std::span(buffer.data(), static_cast<std::size_t>(got)));
    if (!answers.empty()) {
      // One byte each: a full pty buffer would only mean the driver stopped reading.
      [[maybe_unused]] const ssize_t written = ::write(master, answers.data(), answers.size());
    }
    if (rate > 0) std::this_thread::sleep_for(std::chrono::microseconds(static_cast<std::size_t>(got) * 1'000'000 / rate));
  }
}

}  // namespace kiosk::devices::escpos
