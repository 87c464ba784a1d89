#pragma once
// The ESC/POS receipt printer driver (hal::ReceiptPrinter) over any transport: serial, capture
// file or USB. A job is: real-time status (DLE EOT 1–4) → refuse on paper end, cover open or a
// hardware fault → ESC @, the page as GS v 0 bands with cancel and deadline checks between bands →
// cut → status again (paper that ran out during the job is an error; near end is reported).
//
// Threads: print() and refresh() may be called from any worker thread, one job at a time (a second
// print while one runs gets busy). A poll thread asks the status every poll_interval while idle,
// so a change (paper out, cover opened, unplugged, plugged back) reaches the listener within
// poll_interval + status_timeout; after the printer vanished it reopens the transport with
// backoff (first_backoff doubling up to max_backoff). The destructor stops it and closes the port.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "devices/escpos/escpos_encoder.h"
#include "devices/escpos/escpos_status.h"
#include "devices/escpos/transport.h"
#include "hal/receipt_printer.h"

namespace kiosk::devices::escpos {

struct EscposOptions {
  int width_dots = 576;                     // 80 mm paper at 203 dpi; 384 for 58 mm
  int band_rows = kBandRows;
  hal::milliseconds status_timeout{500};    // per DLE EOT answer (printers answer in milliseconds)
  hal::milliseconds poll_interval{1000};
  hal::milliseconds first_backoff{100};
  hal::milliseconds max_backoff{1000};      // keeps "plugged back in" visible within 2 s
};

class EscposPrinter final : public hal::ReceiptPrinter {
 public:
  // `driver` names it in diagnostics ("escpos-serial"). The transport is opened by the poll thread
  // right away; until then and while it cannot be opened the status is offline.
  EscposPrinter(std::string driver, TransportOpener opener, EscposOptions options = {});
  ~EscposPrinter() override;

  hal::ReceiptPrinterCapabilities capabilities() const override;
  // Errors: unsupported (invalid or too wide page), busy, paper_out, cover_open, hardware, offline
  // (vanished, not answering, auto-recoverable error), bad_data (a status byte failing its mask),
  // timeout, cancelled. A cancelled job that had started printing is cut where it stopped.
  hal::DeviceStatusResult print(const hal::ReceiptJob& job, const hal::CancelToken& cancel,
                                hal::milliseconds timeout) override;
  // Opens the transport if needed and asks the status now. While a job runs, returns at once (the
  // job keeps the status current).
  hal::DeviceStatusResult refresh(hal::milliseconds timeout) override;

 private:
  // The *_locked functions run with io_mutex_ held.
  hal::DeviceStatusResult open_locked();
  // nullopt when the transport cannot read status (capture file, one-way printer).
  hal::DeviceResult<std::optional<PrinterStatus>> query_locked(const hal::CancelToken& cancel, Deadline deadline);
  hal::DeviceResult<std::optional<PrinterStatus>> checked_query_locked(const hal::CancelToken& cancel, Deadline deadline);
  hal::DeviceStatusResult refresh_locked(const hal::CancelToken& cancel, Deadline deadline);
  hal::DeviceStatusResult send_locked(const hal::ReceiptJob& job, const hal::CancelToken& cancel, Deadline deadline);
  hal::DeviceStatusResult print_locked(const hal::ReceiptJob& job, const hal::CancelToken& cancel, Deadline deadline);
  // Records a failed exchange: a vanished printer is closed (and reopened by the poll thread),
  // anything else leaves the port open; the status says offline with the cause.
  hal::DeviceError failed_locked(hal::DeviceError error);
  void set_offline(const std::string& detail);
  void poll_loop();
  bool wait_for_next_poll(hal::milliseconds delay);

  const TransportOpener opener_;
  const EscposOptions options_;

  std::timed_mutex io_mutex_;
  std::unique_ptr<Transport> transport_;  // null while closed
  std::atomic<bool> job_running_{false};

  std::mutex poll_mutex_;
  std::condition_variable poll_wake_;
  bool stopping_ = false;
  bool wake_ = false;            // a job closed the transport: start reopening now
  hal::CancelToken stop_token_;  // cancels the poll thread's I/O when stopping
  std::thread poller_;
};

}  // namespace kiosk::devices::escpos
