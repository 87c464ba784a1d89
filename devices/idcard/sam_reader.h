#pragma once
// The real resident ID card reader: a SAM module (GA 467) behind a serial port or USB bulk pipe.
//
// A polling thread asks "find card" every poll_interval (readers allow no faster than ~300 ms) and
// emits card_placed / card_removed and status changes; it alone changes the status, so events come
// in order. When the transport fails (unplug: EIO, hang-up, no device) or the module stops
// answering, the reader goes offline and the thread reopens the transport with backoff
// (reopen_first doubling up to reopen_max), so an unplug and a replug are both reported within 2 s.
//
// read_card() runs on the caller's thread: find, select, read text+photo, each with its timeout,
// the cancel token checked every kCancelSlice. A corrupted answer (XOR, length, garbage) is retried
// once; an answer that stops half-way or a failed select/read is followed by a find, and if the
// card is gone the call fails with card_removed.
//
// Every exchange first discards input already waiting. An answer that still cannot be this
// command's (answer_fits: a late or replayed answer to an earlier command, say a text+photo
// answer while the SAM id is awaited) is dropped, counted in stray_answers(), and the wait for
// the right answer goes on until the command's deadline; it is not a retry and nothing is resent.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "devices/idcard/sam_frame.h"
#include "devices/idcard/transport.h"
#include "hal/card_reader.h"

namespace kiosk::devices::idcard {

struct SamReaderOptions {
  milliseconds poll_interval{500};    // ≥ kMinPollInterval
  milliseconds command_timeout{500};  // find, select, SAM status, SAM id
  milliseconds read_timeout{2500};    // read text+photo (a read takes about a second)
  milliseconds stall_timeout{300};    // silence in the middle of an answer: it stopped
  milliseconds reopen_first{200};     // backoff between reopen attempts, doubling …
  milliseconds reopen_max{1000};      // … up to this (keeps replug detection within 2 s)
  int failures_before_offline = 2;    // polls in a row without a usable answer
};
inline constexpr milliseconds kMinPollInterval{300};

class SamReader final : public hal::CardReader {
 public:
  using Opener = std::function<hal::DeviceResult<std::unique_ptr<Transport>>()>;

  // Starts the polling thread, which opens the transport with `open`. `driver` is the registry
  // name ("sam-serial"). The status is offline until the first open and SAM check succeed.
  SamReader(std::string driver, Opener open, SamReaderOptions options = {});
  ~SamReader() override;  // stops the thread within kCancelSlice plus one reopen
  SamReader(const SamReader&) = delete;
  SamReader& operator=(const SamReader&) = delete;

  hal::CardReaderCapabilities capabilities() const override { return {true, false}; }
  hal::DeviceResult<hal::IdentityCard> read_card(const hal::CancelToken& cancel, milliseconds timeout) override;
  hal::DeviceResult<std::string> sam_id(milliseconds timeout) override;
  // Asks the module for its status (SAM status, 11 FF) and has the polling thread look again now.
  hal::DeviceStatusResult refresh(milliseconds timeout) override;

  // How many corrupted answers were retried, for diagnostics and tests.
  int retries() const;
  // How many answers were dropped because they could not be the answer to the command just sent
  // (a late or replayed answer to an earlier one), for diagnostics and tests.
  int stray_answers() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct ExchangeFailure;
  struct Observation;

  void poll_loop();
  Observation open_and_check();
  Observation poll_once();
  Observation find_locked();
  void apply(const Observation& observation);
  void request_poll();
  bool wait_for_poll(milliseconds interval);

  hal::DeviceResult<std::unique_lock<std::timed_mutex>> lock_io(Clock::time_point deadline,
                                                                const hal::CancelToken& cancel);
  hal::DeviceResult<hal::IdentityCard> read_locked(Clock::time_point deadline, const hal::CancelToken& cancel);
  hal::DeviceError after_failed_read(hal::DeviceError error, Clock::time_point deadline, const hal::CancelToken& cancel);
  hal::DeviceResult<Answer> exchange(Command command, milliseconds limit, Clock::time_point deadline,
                                     const hal::CancelToken& cancel, bool* truncated = nullptr);
  Result<Answer, ExchangeFailure> exchange_once(Command command, Clock::time_point deadline,
                                                const hal::CancelToken& cancel);

  const Opener open_;
  const SamReaderOptions options_;
  const hal::CancelToken stop_;

  // The transport and its parser: held by whoever talks to the module.
  std::timed_mutex io_mutex_;
  std::unique_ptr<Transport> transport_;
  FrameParser parser_;
  std::string last_error_;  // why the transport was closed
  std::atomic<int> retries_{0};
  std::atomic<int> stray_answers_{0};

  // The polling thread's view, changed only by it.
  bool connected_ = false;
  bool card_present_ = false;
  bool offline_reported_ = false;
  int failures_ = 0;

  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool poll_now_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kiosk::devices::idcard
