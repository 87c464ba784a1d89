#pragma once
// The libcups side of the CUPS driver: a private connection to cupsd whose every wait honours a
// deadline and a cancel token, the few IPP requests the driver sends, and the reading of their
// answers into cups_status.h snapshots.
//
// Each thread uses its own CupsConnection: libcups' default connection (CUPS_HTTP_DEFAULT) is
// per-thread state and is never used here.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include <cups/cups.h>

#include "devices/cups/cups_status.h"
#include "hal/device.h"

namespace kiosk::devices::cups {

using Clock = std::chrono::steady_clock;

// Where cupsd is: "host:port", "host" (port 631), "/path/to/socket", or "" for the system default
// (cupsServer() and ippPort(): CUPS_SERVER, client.conf, the local socket).
struct ServerAddress {
  std::string host;  // or a socket path starting with '/'
  int port = 631;
  std::string text() const;  // "127.0.0.1:631" or the socket path, for messages
};
// Errors name what is wrong: `expected "host:port"`.
Result<ServerAddress> parse_server_address(const std::string& server);

// When a wait must end: at `deadline`, when `cancel` is cancelled, or when `stop` is set.
struct WaitLimits {
  Clock::time_point deadline;
  hal::CancelToken cancel;
  const std::atomic<bool>* stop = nullptr;

  bool expired() const;
  // The error for a call that ended because of these limits, or because the server went away.
  hal::DeviceError error(const std::string& what, const ServerAddress& server) const;
};

class CupsConnection {
 public:
  // Connects within `limits` (re-checked every 100 ms). Errors: offline (nothing answers),
  // timeout, cancelled.
  static hal::DeviceResult<std::unique_ptr<CupsConnection>> open(const ServerAddress& server, const WaitLimits& limits);
  ~CupsConnection();
  CupsConnection(const CupsConnection&) = delete;
  CupsConnection& operator=(const CupsConnection&) = delete;

  http_t* http() const { return http_; }
  const ServerAddress& server() const { return server_; }
  // Every later wait on this connection ends by these limits.
  void set_limits(const WaitLimits& limits) { limits_ = limits; }
  const WaitLimits& limits() const { return limits_; }
  // "ipp://localhost:631/printers/<queue>": cupsd reads only the path.
  std::string printer_uri(const std::string& queue) const;

  // Get-Printer-Attributes. Errors: no_device (no such queue), offline, timeout, cancelled, bad_data.
  hal::DeviceResult<PrinterSnapshot> printer(const std::string& queue);
  // Get-Job-Attributes. Errors: no_device (no such job), offline, timeout, cancelled, bad_data.
  hal::DeviceResult<JobSnapshot> job(const std::string& queue, int job_id);

 private:
  CupsConnection(http_t* http, ServerAddress server, const WaitLimits& limits);
  hal::DeviceResult<ipp_t*> request(ipp_t* request, const std::string& what);
  static int on_wait(http_t* http, void* context);

  http_t* http_;
  ServerAddress server_;
  WaitLimits limits_;
};

// Reading answers. Missing or mistyped attributes give bad_data; lists and texts are bounded.
hal::DeviceResult<PrinterSnapshot> printer_snapshot(ipp_t* response);
hal::DeviceResult<JobSnapshot> job_snapshot(ipp_t* response);

// libcups must never ask for a password on a terminal (its default reads the tty): the calling
// thread gets a callback that declines.
void refuse_password_prompts();

}  // namespace kiosk::devices::cups
