#include "devices/escpos/escpos_printer.h"

#include <algorithm>

#include "kiosk/core/log.h"

namespace kiosk::devices::escpos {
namespace {

constexpr const char* kModule = "escpos";

bool means_vanished(hal::DeviceErrorCode code) {
  return code == hal::DeviceErrorCode::offline || code == hal::DeviceErrorCode::io ||
         code == hal::DeviceErrorCode::no_device;
}

}  // namespace

EscposPrinter::EscposPrinter(std::string driver, TransportOpener opener, EscposOptions options)
    : hal::ReceiptPrinter(std::move(driver)), opener_(std::move(opener)), options_(options) {
  set_offline("not opened yet");
  poller_ = std::thread([this] { poll_loop(); });
}

EscposPrinter::~EscposPrinter() {
  {
    std::lock_guard lock(poll_mutex_);
    stopping_ = true;
  }
  stop_token_.cancel();
  poll_wake_.notify_all();
  poller_.join();
  std::lock_guard io(io_mutex_);
  transport_.reset();
}

hal::ReceiptPrinterCapabilities EscposPrinter::capabilities() const {
  return hal::ReceiptPrinterCapabilities{options_.width_dots, 203, true};
}

void EscposPrinter::set_offline(const std::string& detail) {
  hal::DeviceStatus status;
  status.state = hal::DeviceState::offline;
  status.paper = hal::Supply::unknown;
  status.detail = detail;
  set_status(status);
}

hal::DeviceStatusResult EscposPrinter::open_locked() {
  if (transport_) return {};
  auto opened = opener_();
  if (!opened.ok()) {
    set_offline(opened.error().message);
    return opened.release_error();
  }
  transport_ = opened.release_value();
  log::info(kModule, "opened " + transport_->description());
  return {};
}

hal::DeviceError EscposPrinter::failed_locked(hal::DeviceError error) {
  if (error.code == hal::DeviceErrorCode::cancelled) return error;
  if (means_vanished(error.code) && transport_) {
    log::warning(kModule, "printer vanished: " + error.message);
    transport_.reset();
    {
      std::lock_guard lock(poll_mutex_);
      wake_ = true;
    }
    poll_wake_.notify_all();
  }
  set_offline(error.message);
  return error;
}

hal::DeviceResult<std::optional<PrinterStatus>> EscposPrinter::query_locked(const hal::CancelToken& cancel,
                                                                           Deadline deadline) {
  if (!transport_->can_read()) return std::optional<PrinterStatus>{};
  PrinterStatus status;
  for (StatusQuery query : kAllStatusQueries) {
    const int n = static_cast<int>(query);
    const Deadline answer_by = std::min(deadline, SteadyClock::now() + options_.status_timeout);
    transport_->discard_input();
    TRY_STATUS(transport_->write(encode_status_query(query), cancel, answer_by));
    auto answer = transport_->read(1, cancel, answer_by);
    if (!answer.ok()) {
      hal::DeviceError error = answer.release_error();
      if (error.code == hal::DeviceErrorCode::timeout) {
        error.message = transport_->description() + ": no answer to DLE EOT " + std::to_string(n) + " within " +
                        std::to_string(options_.status_timeout.count()) + " ms";
      }
      return error;
    }
    TRY_STATUS(apply_status_byte(query, answer->front(), status));
  }
  return std::optional<PrinterStatus>(status);
}

hal::DeviceResult<std::optional<PrinterStatus>> EscposPrinter::checked_query_locked(const hal::CancelToken& cancel,
                                                                                   Deadline deadline) {
  auto status = query_locked(cancel, deadline);
  if (!status.ok()) {
    hal::DeviceError error = status.release_error();
    if (error.code == hal::DeviceErrorCode::timeout) {
      // A silent printer keeps its port: it may be switched off, and answers when switched on.
      // It is offline, unless it was the caller's deadline that ran out.
      set_offline(error.message);
      if (SteadyClock::now() < deadline) error.code = hal::DeviceErrorCode::offline;
      return error;
    }
    return failed_locked(std::move(error));
  }
  return status;
}

hal::DeviceStatusResult EscposPrinter::refresh_locked(const hal::CancelToken& cancel, Deadline deadline) {
  TRY_STATUS(open_locked());
  const std::optional<PrinterStatus> answers = TRY(checked_query_locked(cancel, deadline));
  if (!answers) {
    hal::DeviceStatus status;
    status.state = hal::DeviceState::online;
    status.paper = hal::Supply::unknown;
    status.detail = "status not readable: " + transport_->description();
    set_status(status);
    return {};
  }
  set_status(to_device_status(*answers));
  return {};
}

hal::DeviceStatusResult EscposPrinter::send_locked(const hal::ReceiptJob& job, const hal::CancelToken& cancel,
                                                   Deadline deadline) {
  hal::ReceiptJob safe{job.page, job.cut};
  escape_realtime_sequences(safe.page);
  const std::vector<Bytes> chunks = encode_job(safe, options_.band_rows);
  // A command cut short leaves the printer waiting for the rest of its data and eating the next
  // job as image bytes, so a chunk is never abandoned half-way: cancel is looked at between bands
  // (each about 0.1 s of printing, see kBandRows), only the deadline stops a write.
  const hal::CancelToken whole_chunk;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    if (cancel.cancelled()) {
      // Cut off what was printed, so the next receipt does not hang from half of this one.
      if (i > 1) (void)transport_->write(encode_cut(), whole_chunk, std::min(deadline, SteadyClock::now() + kIoSlice));
      return hal::device_error(hal::DeviceErrorCode::cancelled,
                               "print cancelled after " + std::to_string(i > 0 ? i - 1 : 0) + " bands");
    }
    TRY_STATUS(transport_->write(chunks[i], whole_chunk, deadline));
  }
  return {};
}

hal::DeviceStatusResult EscposPrinter::print_locked(const hal::ReceiptJob& job, const hal::CancelToken& cancel,
                                                    Deadline deadline) {
  if (cancel.cancelled()) return hal::device_error(hal::DeviceErrorCode::cancelled, "print cancelled");
  TRY_STATUS(open_locked());
  const std::optional<PrinterStatus> before = TRY(checked_query_locked(cancel, deadline));
  if (before) {
    set_status(to_device_status(*before));
    if (auto refusal = job_refusal(*before)) return *refusal;
  }
  const hal::DeviceStatus idle = status();
  hal::DeviceStatus printing = idle;
  printing.state = hal::DeviceState::busy;
  printing.detail = "printing on " + transport_->description();
  set_status(printing);

  auto sent = send_locked(job, cancel, deadline);
  if (!sent.ok()) {
    hal::DeviceError error = sent.release_error();
    if (error.code == hal::DeviceErrorCode::cancelled) {
      set_status(idle);  // the poll thread asks the printer again within poll_interval
      return error;
    }
    if (error.code == hal::DeviceErrorCode::timeout) error.message += " (printer not taking data)";
    return failed_locked(std::move(error));
  }

  const std::optional<PrinterStatus> after = TRY(checked_query_locked(cancel, deadline));
  if (!after) {
    hal::DeviceStatus unknown;
    unknown.state = hal::DeviceState::online;
    unknown.paper = hal::Supply::unknown;
    unknown.detail = "status not readable: " + transport_->description();
    set_status(unknown);
    return {};
  }
  set_status(to_device_status(*after));
  if (auto refusal = job_refusal(*after)) {
    refusal->message = "after the job: " + refusal->message;
    return *refusal;
  }
  return {};
}

hal::DeviceStatusResult EscposPrinter::print(const hal::ReceiptJob& job, const hal::CancelToken& cancel,
                                             hal::milliseconds timeout) {
  if (!job.page.valid()) {
    return hal::device_error(hal::DeviceErrorCode::unsupported, "raster page size does not match its width");
  }
  if (job.page.width_dots > options_.width_dots) {
    return hal::device_error(hal::DeviceErrorCode::unsupported, "page of " + std::to_string(job.page.width_dots) +
                                                                    " dots is wider than the paper (" +
                                                                    std::to_string(options_.width_dots) + ")");
  }
  if (job_running_.exchange(true)) return hal::device_error(hal::DeviceErrorCode::busy, "another receipt is printing");
  struct Finished {
    std::atomic<bool>& running;
    ~Finished() { running = false; }
  } finished{job_running_};
  const Deadline deadline = SteadyClock::now() + timeout;
  std::unique_lock io(io_mutex_, std::defer_lock);
  if (!io.try_lock_until(deadline)) {
    return hal::device_error(hal::DeviceErrorCode::timeout, "status poll still running at the deadline");
  }
  return print_locked(job, cancel, deadline);
}

hal::DeviceStatusResult EscposPrinter::refresh(hal::milliseconds timeout) {
  if (job_running_) return {};
  const Deadline deadline = SteadyClock::now() + timeout;
  std::unique_lock io(io_mutex_, std::defer_lock);
  if (!io.try_lock_until(deadline)) return hal::device_error(hal::DeviceErrorCode::timeout, "printer busy");
  return refresh_locked(hal::CancelToken{}, deadline);
}

bool EscposPrinter::wait_for_next_poll(hal::milliseconds delay) {
  std::unique_lock lock(poll_mutex_);
  poll_wake_.wait_for(lock, delay, [this] { return stopping_ || wake_; });
  wake_ = false;
  return !stopping_;
}

void EscposPrinter::poll_loop() {
  hal::milliseconds backoff = options_.first_backoff;
  hal::milliseconds delay{0};
  while (wait_for_next_poll(delay)) {
    // A job (or refresh) holds the port: look again shortly, since a job that lost the printer
    // needs the reopening to start as soon as it returns.
    delay = options_.first_backoff;
    if (job_running_) continue;
    std::unique_lock io(io_mutex_, std::try_to_lock);
    if (!io.owns_lock()) continue;
    delay = options_.poll_interval;
    (void)refresh_locked(stop_token_, SteadyClock::now() + 4 * options_.status_timeout);
    if (transport_) {
      backoff = options_.first_backoff;
    } else {
      // Closed (vanished or never there): try again soon, then less often.
      delay = backoff;
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
}

}  // namespace kiosk::devices::escpos
