// The SAM reader driver: the polling thread (card events, status, reopen with backoff) and the
// command exchanges behind read_card(), sam_id() and refresh().
#include "devices/idcard/sam_reader.h"

#include <algorithm>
#include <array>

#include "devices/idcard/id_text.h"
#include "kiosk/core/secure_memory.h"

namespace kiosk::devices::idcard {
namespace {

using hal::DeviceErrorCode;

constexpr milliseconds kReadSlice{100};  // longest single transport wait; the stop flag is seen after it

hal::DeviceError status_error(Command command, std::uint8_t status) {
  return hal::device_error(sw3_error_code(status), describe(command) + ": " + describe_sw3(status));
}

hal::DeviceError with_context(Command command, const hal::DeviceError& error) {
  return hal::device_error(error.code, describe(command) + ": " + error.message);
}

}  // namespace

struct SamReader::ExchangeFailure {
  hal::DeviceError error;
  bool corrupt = false;    // a frame arrived but was wrong: worth one retry
  bool truncated = false;  // the answer started and stopped half-way
};

struct SamReader::Observation {
  enum class State { unchanged, online, offline, hardware_error };
  State state = State::unchanged;
  bool card_present = false;
  std::string detail;
};

SamReader::SamReader(std::string driver, Opener open, SamReaderOptions options)
    : hal::CardReader(std::move(driver)), open_(std::move(open)), options_(options) {
  hal::DeviceStatus status;
  status.state = hal::DeviceState::offline;
  status.detail = "opening the reader";
  set_status(status);
  thread_ = std::thread([this] { poll_loop(); });
}

SamReader::~SamReader() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  stop_.cancel();
  wake_.notify_all();
  thread_.join();
}

int SamReader::retries() const { return retries_.load(); }

int SamReader::stray_answers() const { return stray_answers_.load(); }

// ---- the polling thread ----

void SamReader::poll_loop() {
  milliseconds backoff = options_.reopen_first;
  while (!stop_.cancelled()) {
    apply(connected_ ? poll_once() : open_and_check());
    milliseconds wait = options_.poll_interval;
    if (connected_) {
      backoff = options_.reopen_first;
    } else {
      wait = backoff;
      backoff = std::min(backoff * 2, options_.reopen_max);
    }
    if (!wait_for_poll(wait)) return;
  }
}

bool SamReader::wait_for_poll(milliseconds interval) {
  std::unique_lock lock(wake_mutex_);
  wake_.wait_for(lock, interval, [this] { return stopping_ || poll_now_; });
  poll_now_ = false;
  return !stopping_;
}

void SamReader::request_poll() {
  {
    std::lock_guard lock(wake_mutex_);
    poll_now_ = true;
  }
  wake_.notify_all();
}

SamReader::Observation SamReader::open_and_check() {
  auto lock = lock_io(Clock::time_point::max(), stop_);
  if (!lock.ok()) return {};
  transport_.reset();
  auto opened = open_();
  if (!opened.ok()) return {Observation::State::offline, false, opened.error().message};
  transport_ = opened.release_value();
  parser_.reset();
  failures_ = 0;
  auto status = exchange(kSamStatus, options_.command_timeout, Clock::time_point::max(), stop_);
  if (!status.ok()) {
    const std::string detail = status.error().message;
    transport_.reset();
    return {Observation::State::offline, false, detail};
  }
  if (status->status != sw3::kOk) {
    return {Observation::State::hardware_error, false, describe(kSamStatus) + ": " + describe_sw3(status->status)};
  }
  return find_locked();
}

SamReader::Observation SamReader::poll_once() {
  std::unique_lock lock(io_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return {};  // a read is under way; it tells the card's fate by request_poll()
  if (!transport_) return {Observation::State::offline, false, last_error_};
  return find_locked();
}

// One "find card" with the I/O lock held: the card's presence, or trouble with the module.
SamReader::Observation SamReader::find_locked() {
  auto found = exchange(kFindCard, options_.command_timeout, Clock::time_point::max(), stop_);
  if (!found.ok()) {
    if (found.error().code == DeviceErrorCode::cancelled) return {};
    if (!transport_) return {Observation::State::offline, false, found.error().message};
    if (++failures_ < options_.failures_before_offline) return {};
    transport_.reset();
    return {Observation::State::offline, false, "not answering: " + found.error().message};
  }
  failures_ = 0;
  switch (found->status) {
    case sw3::kFindOk: return {Observation::State::online, true, ""};
    case sw3::kNoCard: return {Observation::State::online, false, ""};
    default:
      if (sw3_is_module_fault(found->status)) {
        return {Observation::State::hardware_error, false, describe(kFindCard) + ": " + describe_sw3(found->status)};
      }
      return {};  // a status a find should not give: judge on the next poll
  }
}

// Turns what the thread saw into the status and card events. Only the polling thread calls this,
// so the events keep their order.
void SamReader::apply(const Observation& observation) {
  using State = Observation::State;
  if (observation.state == State::unchanged) return;
  hal::DeviceStatus status;
  status.detail = observation.detail;
  switch (observation.state) {
    case State::online: status.state = hal::DeviceState::online; break;
    case State::hardware_error: status.state = hal::DeviceState::hardware_error; break;
    default: status.state = hal::DeviceState::offline; break;
  }
  if (status.state == hal::DeviceState::offline) {
    // The first cause stays: each retry's errno would otherwise be a new status change.
    if (offline_reported_) status.detail = this->status().detail;
    offline_reported_ = true;
  } else {
    offline_reported_ = false;
  }
  const bool was_present = card_present_;
  status.card_present = status.state == hal::DeviceState::online && observation.card_present;
  card_present_ = status.card_present;
  connected_ = status.state != hal::DeviceState::offline;
  set_status(status);
  if (status.state == hal::DeviceState::online && card_present_ != was_present) {
    emit(card_present_ ? hal::DeviceEvent::Kind::card_placed : hal::DeviceEvent::Kind::card_removed);
  }
}

// ---- calls from the app ----

hal::DeviceResult<std::unique_lock<std::timed_mutex>> SamReader::lock_io(Clock::time_point deadline,
                                                                        const hal::CancelToken& cancel) {
  std::unique_lock lock(io_mutex_, std::defer_lock);
  while (!lock.try_lock_for(kCancelSlice)) {
    if (cancel.cancelled()) return hal::device_error(DeviceErrorCode::cancelled, "cancelled while the reader was busy");
    if (Clock::now() >= deadline) return hal::device_error(DeviceErrorCode::timeout, "the reader stayed busy past the deadline");
  }
  return lock;
}

hal::DeviceResult<hal::IdentityCard> SamReader::read_card(const hal::CancelToken& cancel, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto lock = lock_io(deadline, cancel);
  if (!lock.ok()) return lock.release_error();
  if (!transport_) {
    return hal::device_error(DeviceErrorCode::offline, "card reader offline: " + status().detail);
  }
  auto card = read_locked(deadline, cancel);
  const bool closed = !transport_;
  lock->unlock();
  // The polling thread owns the status and the events: have it look now.
  if (!card.ok() && (card.error().code == DeviceErrorCode::card_removed || closed)) request_poll();
  return card;
}

hal::DeviceResult<hal::IdentityCard> SamReader::read_locked(Clock::time_point deadline, const hal::CancelToken& cancel) {
  auto found = exchange(kFindCard, options_.command_timeout, deadline, cancel);
  if (!found.ok()) return found.release_error();
  if (found->status == sw3::kNoCard) return hal::device_error(DeviceErrorCode::no_card, "no card on the reader (" + describe_sw3(found->status) + ")");
  if (found->status != sw3::kFindOk) return status_error(kFindCard, found->status);

  bool truncated = false;
  auto selected = exchange(kSelectCard, options_.command_timeout, deadline, cancel, &truncated);
  if (!selected.ok()) return truncated ? after_failed_read(selected.release_error(), deadline, cancel) : selected.release_error();
  if (selected->status != sw3::kOk) return after_failed_read(status_error(kSelectCard, selected->status), deadline, cancel);

  auto read = exchange(kReadTextPhoto, options_.read_timeout, deadline, cancel, &truncated);
  if (!read.ok()) return truncated ? after_failed_read(read.release_error(), deadline, cancel) : read.release_error();
  if (read->status == sw3::kUnknownCard) {
    return hal::device_error(DeviceErrorCode::unsupported,
                             "not a resident ID card: " + describe(kReadTextPhoto) + ": " + describe_sw3(read->status));
  }
  if (read->status != sw3::kOk) return after_failed_read(status_error(kReadTextPhoto, read->status), deadline, cancel);
  auto card = decode_text_photo(read->data);
  secure_clear(read->data.data(), read->data.size());
  parser_.reset();
  return card;
}

// A select or read that failed half-way: if a find now says there is no card, it was pulled away.
hal::DeviceError SamReader::after_failed_read(hal::DeviceError error, Clock::time_point deadline,
                                              const hal::CancelToken& cancel) {
  if (!transport_ || cancel.cancelled() || Clock::now() >= deadline) return error;
  auto probe = exchange(kFindCard, options_.command_timeout, deadline, cancel);
  if (probe.ok() && probe->status == sw3::kNoCard) {
    return hal::device_error(DeviceErrorCode::card_removed, "card taken away during the read (" + error.message + ")");
  }
  return error;
}

hal::DeviceResult<std::string> SamReader::sam_id(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto lock = lock_io(deadline, hal::CancelToken{});
  if (!lock.ok()) return lock.release_error();
  if (!transport_) return hal::device_error(DeviceErrorCode::offline, "card reader offline: " + status().detail);
  auto answer = exchange(kReadSamId, options_.command_timeout, deadline, hal::CancelToken{});
  if (!answer.ok()) return answer.release_error();
  if (answer->status != sw3::kOk) return status_error(kReadSamId, answer->status);
  auto id = decode_sam_id(answer->data);
  if (!id.ok()) return hal::device_error(DeviceErrorCode::bad_data, describe(kReadSamId) + ": " + id.error().message);
  return id.release_value();
}

hal::DeviceStatusResult SamReader::refresh(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto lock = lock_io(deadline, hal::CancelToken{});
  if (!lock.ok()) return lock.release_error();
  request_poll();
  if (!transport_) return hal::device_error(DeviceErrorCode::offline, "card reader offline: " + status().detail);
  auto answer = exchange(kSamStatus, options_.command_timeout, deadline, hal::CancelToken{});
  if (!answer.ok()) return answer.release_error();
  if (answer->status != sw3::kOk) return status_error(kSamStatus, answer->status);
  return {};
}

// ---- one command and its answer ----

hal::DeviceResult<Answer> SamReader::exchange(Command command, milliseconds limit, Clock::time_point deadline,
                                              const hal::CancelToken& cancel, bool* truncated) {
  const auto now = Clock::now();
  const auto until = deadline - now < limit ? deadline : now + limit;
  for (int attempt = 0;; ++attempt) {
    if (!transport_) return hal::device_error(DeviceErrorCode::offline, describe(command) + ": reader not connected");
    auto result = exchange_once(command, until, cancel);
    const bool may_retry = attempt == 0 && Clock::now() < until;
    if (result.ok()) {
      // SW3 10: the reader got our command garbled on the way; say it again.
      if (result->status == sw3::kChecksumError && may_retry) {
        ++retries_;
        continue;
      }
      return result.release_value();
    }
    ExchangeFailure failure = result.release_error();
    if (failure.corrupt && may_retry) {
      ++retries_;
      continue;
    }
    if (truncated != nullptr) *truncated = failure.truncated;
    if (failure.error.code == DeviceErrorCode::no_device || failure.error.code == DeviceErrorCode::io) {
      last_error_ = failure.error.message;
      transport_.reset();
    }
    return failure.error;
  }
}

Result<Answer, SamReader::ExchangeFailure> SamReader::exchange_once(Command command, Clock::time_point until,
                                                                    const hal::CancelToken& cancel) {
  const std::string where = " (" + transport_->name() + ")";
  transport_->discard_input();  // a late or replayed answer to an earlier command is not this one's
  parser_.reset();
  const auto now = Clock::now();
  auto written = transport_->write(encode_command(command), std::chrono::duration_cast<milliseconds>(until - now), cancel);
  if (!written.ok()) return ExchangeFailure{with_context(command, written.error())};

  std::array<std::uint8_t, 512> buffer{};
  auto last_bytes = Clock::now();
  int strays = 0;
  while (true) {
    if (auto frame = parser_.next()) {
      if (!frame->ok()) {
        return ExchangeFailure{hal::device_error(DeviceErrorCode::bad_data, describe(command) + ": " + frame->error().message + where), true};
      }
      auto answer = decode_answer(frame->value());
      secure_clear(frame->value().data(), frame->value().size());
      if (!answer.ok()) {
        return ExchangeFailure{hal::device_error(DeviceErrorCode::bad_data, describe(command) + ": " + answer.error().message + where), true};
      }
      if (!answer_fits(command, *answer)) {
        // A late or replayed answer to an earlier command, arrived after the flush: drop it and
        // keep waiting for this command's own answer.
        secure_clear(answer->data.data(), answer->data.size());
        ++stray_answers_;
        ++strays;
        continue;
      }
      return answer.release_value();
    }
    if (stop_.cancelled()) return ExchangeFailure{hal::device_error(DeviceErrorCode::cancelled, describe(command) + ": reader closing")};
    const auto current = Clock::now();
    const bool mid_frame = parser_.in_frame();
    if (mid_frame && (current - last_bytes >= options_.stall_timeout || current >= until)) {
      const std::string progress = std::to_string(parser_.frame_bytes_received()) + " of " +
                                   (parser_.frame_bytes_expected() ? std::to_string(parser_.frame_bytes_expected()) : "?");
      parser_.reset();
      return ExchangeFailure{hal::device_error(DeviceErrorCode::bad_data, describe(command) + ": the answer stopped after " +
                                                                               progress + " bytes" + where),
                             false, true};
    }
    if (current >= until) {
      const std::string dropped = strays > 0 ? " (" + std::to_string(strays) + " stray answers dropped)" : "";
      return ExchangeFailure{hal::device_error(DeviceErrorCode::timeout,
                                               describe(command) + ": no answer before the deadline" + dropped + where)};
    }
    auto wait = std::chrono::duration_cast<milliseconds>(until - current);
    if (mid_frame) wait = std::min(wait, std::chrono::duration_cast<milliseconds>(options_.stall_timeout - (current - last_bytes)));
    wait = std::clamp(wait, milliseconds{1}, kReadSlice);
    auto count = transport_->read(buffer, wait, cancel);
    if (!count.ok()) {
      if (count.error().code == DeviceErrorCode::timeout) continue;
      return ExchangeFailure{with_context(command, count.error())};
    }
    last_bytes = Clock::now();
    parser_.feed(std::span(buffer).first(*count));
    secure_clear(buffer.data(), *count);
  }
}

}  // namespace kiosk::devices::idcard
