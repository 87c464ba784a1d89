#pragma once
// The certificate / A4 printer through CUPS ("cups" in the registry): prints PDFs on one queue
// and follows each job to completed, aborted or canceled; a status thread reads the queue's
// printer-state and printer-state-reasons every second, so a change shows within 2 s.
//
// Every call talks to cupsd over its own connection (never libcups' per-thread default), with a
// deadline and the caller's cancel token checked at least every 100 ms.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "devices/cups/cups_ipp.h"
#include "hal/document_printer.h"

namespace kiosk::devices::cups {

struct CupsPrinterOptions {
  std::string queue;                              // the CUPS queue ("printer" in the config)
  std::string server;                             // "host:port", a socket path, or "" for the default
  std::chrono::seconds job_timeout{120};          // the longest a print may take, whatever the caller asks
  hal::milliseconds status_interval{1000};        // how often the status thread asks
  hal::milliseconds status_timeout{2000};         // how long one status question may take
};

// The registry's options object: {"printer": "licence", "server": "127.0.0.1:631",
// "job_timeout_s": 120}. Errors name the option: `devices.document_printer.printer: …`.
Result<CupsPrinterOptions> parse_options(const nlohmann::json& options);

class CupsPrinter final : public hal::DocumentPrinter {
 public:
  // Checks the options and starts the status thread; CUPS need not be running yet (the status
  // says offline until it answers).
  static Result<std::unique_ptr<CupsPrinter>> create(const CupsPrinterOptions& options);
  ~CupsPrinter() override;  // stops the status thread within ~100 ms

  hal::DocumentPrinterCapabilities capabilities() const override { return {}; }

  // Any thread; blocks until the job ends, for at most min(timeout, job_timeout). Refuses a
  // document that is not a PDF (bad_data) before talking to CUPS, and a printer that is not
  // ready (paper_out, cover_open, hardware, offline, no_device) before creating a job. A job the
  // call gives up on (cancel, timeout, the printer stopping) is cancelled in CUPS too, so it
  // never prints later. Returns the CUPS job id ("licence-42").
  hal::DeviceResult<std::string> print(const hal::PrintDocument& document, const hal::CancelToken& cancel,
                                       hal::milliseconds timeout) override;
  // Any thread; asks CUPS now (at most `timeout`) and updates status().
  hal::DeviceStatusResult refresh(hal::milliseconds timeout) override;

  const std::string& queue() const { return options_.queue; }

 private:
  CupsPrinter(const CupsPrinterOptions& options, ServerAddress server);
  void run_status_thread();
  // One status question on `connection` (opened or reopened as needed); updates status().
  hal::DeviceStatusResult poll_status(std::unique_ptr<CupsConnection>& connection, const WaitLimits& limits);
  void set_unreachable(const hal::DeviceError& error);

  hal::DeviceResult<std::string> submit(CupsConnection& connection, const hal::PrintDocument& document, int& job_id);
  hal::DeviceResult<std::string> follow(CupsConnection& connection, int job_id);
  // Why a print ends when a question about its job fails (job or queue gone, CUPS gone).
  hal::DeviceError lost_job(CupsConnection& connection, int job_id, hal::DeviceError error);
  void cancel_job(int job_id);

  const CupsPrinterOptions options_;
  const ServerAddress server_;
  std::atomic<bool> stopping_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::thread status_thread_;
};

// The registry's create function.
Result<std::unique_ptr<hal::Device>> create_document_printer(const nlohmann::json& options);

}  // namespace kiosk::devices::cups
