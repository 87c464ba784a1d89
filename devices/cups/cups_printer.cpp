// The certificate / A4 printer through CUPS: Create-Job → Send-Document (application/pdf) →
// Get-Job-Attributes until the job ends, with a status thread reading the queue every second.

#include "devices/cups/cups_printer.h"

#include <algorithm>

namespace kiosk::devices::cups {
namespace {

using hal::DeviceErrorCode;

constexpr int kMaxCopies = 99;
constexpr std::size_t kWriteChunk = 64 * 1024;
constexpr hal::milliseconds kJobPollFirst{25};       // a short job is seen done soon …
constexpr hal::milliseconds kJobPollInterval{200};    // … a long one is asked about 5 times a second
constexpr hal::milliseconds kCancelCheck{50};         // the longest sleep between cancel checks
constexpr hal::milliseconds kCancelJobTimeout{2000};  // for cancelling a job we gave up on

bool failed(ipp_status_t status) { return status > IPP_STATUS_OK_CONFLICTING; }

// A destination naming the queue by its URI on our connection's server, so libcups sends every
// request there and never looks up its default server (cupsCopyDestInfo compares the connection
// with the default server and then prefers "device-uri": both point at the queue).
class Destination {
 public:
  Destination(const std::string& queue, const std::string& uri) {
    count_ = cupsAddDest(queue.c_str(), nullptr, 0, &dests_);
    dest_ = cupsGetDest(queue.c_str(), nullptr, count_, dests_);
    dest_->num_options = cupsAddOption("printer-uri-supported", uri.c_str(), dest_->num_options, &dest_->options);
    dest_->num_options = cupsAddOption("device-uri", uri.c_str(), dest_->num_options, &dest_->options);
  }
  ~Destination() { cupsFreeDests(count_, dests_); }
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;
  cups_dest_t* get() const { return dest_; }

 private:
  cups_dest_t* dests_ = nullptr;
  cups_dest_t* dest_ = nullptr;
  int count_ = 0;
};

struct DestinationInfo {
  cups_dinfo_t* info = nullptr;
  ~DestinationInfo() { cupsFreeDestInfo(info); }
};

struct Options {
  cups_option_t* options = nullptr;
  int count = 0;
  ~Options() { cupsFreeOptions(count, options); }
};

// An IPP or HTTP step that failed: why, unless our own limits ended it.
hal::DeviceError step_error(const CupsConnection& connection, const std::string& what) {
  if (connection.limits().expired()) return connection.limits().error(what, connection.server());
  const ipp_status_t status = cupsLastError();
  const std::string why = std::string(ippErrorString(status)) + ": " + cupsLastErrorString();
  if (status == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS || status == IPP_STATUS_ERROR_PRINTER_IS_DEACTIVATED) {
    return hal::device_error(DeviceErrorCode::offline, what + " refused (" + why + ")");
  }
  if (status == IPP_STATUS_ERROR_NOT_FOUND) return hal::device_error(DeviceErrorCode::no_device, what + " (" + why + ")");
  // No IPP error recorded: the HTTP side failed (a write to a closed connection).
  if (!failed(status) || status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL) {
    return hal::device_error(DeviceErrorCode::offline, what + ": lost CUPS at " + connection.server().text() + " (" +
                                                           why + ")");
  }
  return hal::device_error(DeviceErrorCode::io, what + " failed (" + why + ")");
}

// Sleeps up to `duration`, waking every 50 ms to see whether the limits ended.
void sleep_within(const WaitLimits& limits, hal::milliseconds duration) {
  const auto until = std::min(Clock::now() + duration, limits.deadline);
  while (!limits.expired() && Clock::now() < until) {
    std::this_thread::sleep_for(std::min<Clock::duration>(kCancelCheck, until - Clock::now()));
  }
}

hal::DeviceError with_context(hal::DeviceError error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

Error option_error(const std::string& option, const std::string& what) {
  return Error::make(ErrorKind::parse, "devices.document_printer." + option + ": " + what);
}

}  // namespace

Result<CupsPrinterOptions> parse_options(const nlohmann::json& options) {
  CupsPrinterOptions parsed;
  if (!options.contains("printer") || !options["printer"].is_string() ||
      !valid_queue_name(options["printer"].get<std::string>())) {
    return option_error("printer", "expected a CUPS queue name");
  }
  parsed.queue = options["printer"].get<std::string>();
  if (options.contains("server")) {
    if (!options["server"].is_string()) return option_error("server", "expected \"host:port\" or a socket path");
    parsed.server = options["server"].get<std::string>();
    auto address = parse_server_address(parsed.server);
    if (!address.ok()) return option_error("server", address.error().message);
  }
  if (options.contains("job_timeout_s")) {
    const auto& seconds = options["job_timeout_s"];
    if (!seconds.is_number_integer() || seconds.get<long long>() < 1 || seconds.get<long long>() > 3600) {
      return option_error("job_timeout_s", "expected whole seconds 1–3600");
    }
    parsed.job_timeout = std::chrono::seconds(seconds.get<long long>());
  }
  return parsed;
}

Result<std::unique_ptr<CupsPrinter>> CupsPrinter::create(const CupsPrinterOptions& options) {
  if (!valid_queue_name(options.queue)) return Error::make(ErrorKind::invalid_argument, "not a CUPS queue name");
  auto server = parse_server_address(options.server);
  if (!server.ok()) return server.release_error();
  return std::unique_ptr<CupsPrinter>(new CupsPrinter(options, server.release_value()));
}

Result<std::unique_ptr<hal::Device>> create_document_printer(const nlohmann::json& options) {
  auto parsed = parse_options(options);
  if (!parsed.ok()) return parsed.release_error();
  auto printer = CupsPrinter::create(parsed.value());
  if (!printer.ok()) return printer.release_error();
  return std::unique_ptr<hal::Device>(printer.release_value());
}

CupsPrinter::CupsPrinter(const CupsPrinterOptions& options, ServerAddress server)
    : hal::DocumentPrinter("cups"), options_(options), server_(std::move(server)) {
  set_status({hal::DeviceState::offline, hal::Supply::unknown, false, false,
              "cups queue \"" + options_.queue + "\": not asked yet"});
  status_thread_ = std::thread([this] { run_status_thread(); });
}

CupsPrinter::~CupsPrinter() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  status_thread_.join();
}

void CupsPrinter::run_status_thread() {
  std::unique_ptr<CupsConnection> connection;
  while (!stopping_) {
    (void)poll_status(connection, WaitLimits{Clock::now() + options_.status_timeout, hal::CancelToken{}, &stopping_});
    std::unique_lock lock(wake_mutex_);
    wake_.wait_for(lock, options_.status_interval, [this] { return stopping_.load(); });
  }
}

hal::DeviceStatusResult CupsPrinter::poll_status(std::unique_ptr<CupsConnection>& connection,
                                                 const WaitLimits& limits) {
  refuse_password_prompts();
  if (!connection) {
    auto opened = CupsConnection::open(server_, limits);
    if (!opened.ok()) {
      if (!stopping_) set_unreachable(opened.error());
      return opened.release_error();
    }
    connection = opened.release_value();
  }
  connection->set_limits(limits);
  auto printer = connection->printer(options_.queue);
  if (!printer.ok()) {
    connection.reset();  // after a failed request the connection's state is unknown
    if (!stopping_) set_unreachable(printer.error());
    return printer.release_error();
  }
  set_status(status_from_printer(printer.value(), options_.queue));
  return {};
}

void CupsPrinter::set_unreachable(const hal::DeviceError& error) {
  hal::DeviceStatus status;
  status.state = error.code == DeviceErrorCode::no_device ? hal::DeviceState::no_device : hal::DeviceState::offline;
  status.detail = error.code == DeviceErrorCode::no_device
                      ? "cups queue \"" + options_.queue + "\" not found on CUPS at " + server_.text()
                      : error.message;
  set_status(status);
}

hal::DeviceStatusResult CupsPrinter::refresh(hal::milliseconds timeout) {
  std::unique_ptr<CupsConnection> connection;
  return poll_status(connection, WaitLimits{Clock::now() + timeout, hal::CancelToken{}, nullptr});
}

hal::DeviceResult<std::string> CupsPrinter::print(const hal::PrintDocument& document, const hal::CancelToken& cancel,
                                                  hal::milliseconds timeout) {
  if (!looks_like_pdf(document.pdf)) {
    return hal::device_error(DeviceErrorCode::bad_data, "document is not a PDF (no \"%PDF-\" at its start)");
  }
  if (document.copies < 1 || document.copies > kMaxCopies) {
    return hal::device_error(DeviceErrorCode::bad_data, "copies " + std::to_string(document.copies) + " not in 1–99");
  }
  refuse_password_prompts();
  const auto limit = std::min<hal::milliseconds>(timeout, options_.job_timeout);
  auto connection = CupsConnection::open(server_, WaitLimits{Clock::now() + limit, cancel, nullptr});
  if (!connection.ok()) {
    if (connection.error().code == DeviceErrorCode::offline) set_unreachable(connection.error());
    return with_context(connection.release_error(), "print on \"" + options_.queue + "\"");
  }
  // A printer that cannot print gets no job: nothing is left queued to come out later.
  auto printer = connection.value()->printer(options_.queue);
  if (!printer.ok()) {
    if (printer.error().code == DeviceErrorCode::no_device || printer.error().code == DeviceErrorCode::offline) {
      set_unreachable(printer.error());
    }
    return with_context(printer.release_error(), "print on \"" + options_.queue + "\"");
  }
  const hal::DeviceStatus status = status_from_printer(printer.value(), options_.queue);
  set_status(status);
  if (auto blocked = printing_blocked(status)) return *blocked;

  int job_id = 0;
  auto submitted = submit(*connection.value(), document, job_id);
  if (!submitted.ok()) {
    if (job_id > 0) cancel_job(job_id);
    return submitted.release_error();
  }
  return follow(*connection.value(), job_id);
}

hal::DeviceResult<std::string> CupsPrinter::submit(CupsConnection& connection, const hal::PrintDocument& document,
                                                   int& job_id) {
  http_t* http = connection.http();
  Destination destination(options_.queue, connection.printer_uri(options_.queue));
  DestinationInfo info{cupsCopyDestInfo(http, destination.get())};
  if (!info.info) return step_error(connection, "reading queue \"" + options_.queue + "\"");

  Options options;
  if (document.copies > 1) {
    options.count = cupsAddOption("copies", std::to_string(document.copies).c_str(), options.count, &options.options);
  }
  const std::string title = safe_job_title(document.title);
  if (failed(cupsCreateDestJob(http, destination.get(), info.info, &job_id, title.c_str(), options.count,
                               options.options))) {
    job_id = 0;
    return step_error(connection, "creating a job on \"" + options_.queue + "\"");
  }
  const std::string name = options_.queue + "-" + std::to_string(job_id);
  if (cupsStartDestDocument(http, destination.get(), info.info, job_id, title.c_str(), CUPS_FORMAT_PDF, 0, nullptr, 1) !=
      HTTP_STATUS_CONTINUE) {
    return step_error(connection, "sending job " + name);
  }
  for (std::size_t offset = 0; offset < document.pdf.size(); offset += kWriteChunk) {
    const std::size_t length = std::min(kWriteChunk, document.pdf.size() - offset);
    if (connection.limits().expired() ||
        cupsWriteRequestData(http, reinterpret_cast<const char*>(document.pdf.data() + offset), length) !=
            HTTP_STATUS_CONTINUE) {
      return step_error(connection, "sending job " + name);
    }
  }
  if (failed(cupsFinishDestDocument(http, destination.get(), info.info))) {
    return step_error(connection, "sending job " + name);
  }
  return name;
}

hal::DeviceResult<std::string> CupsPrinter::follow(CupsConnection& connection, int job_id) {
  const std::string name = options_.queue + "-" + std::to_string(job_id);
  const WaitLimits& limits = connection.limits();
  std::string last_seen = "no answer yet";
  hal::milliseconds poll_interval = kJobPollFirst;
  // Ends the job in CUPS too when we give up on it, so it never prints after we said it failed.
  auto give_up = [&](hal::DeviceError error) {
    cancel_job(job_id);
    return error;
  };
  while (true) {
    if (limits.cancel.cancelled()) {
      return give_up(hal::device_error(DeviceErrorCode::cancelled, "job " + name + " cancelled (" + last_seen + ")"));
    }
    if (limits.expired()) {
      return give_up(hal::device_error(DeviceErrorCode::timeout, "job " + name + " did not finish in time (" +
                                                                     last_seen + "); cancelled"));
    }
    auto job = connection.job(options_.queue, job_id);
    if (!job.ok()) return lost_job(connection, job_id, job.release_error());
    auto printer = connection.printer(options_.queue);
    if (!printer.ok()) return lost_job(connection, job_id, printer.release_error());
    const hal::DeviceStatus status = status_from_printer(printer.value(), options_.queue);
    set_status(status);
    if (job->state == JobState::completed) return name;
    if (job_finished(job->state)) return job_failure(name, job.value(), printer.value(), options_.queue);
    last_seen = std::string("last seen ") + to_string(job->state) + ", printer " + hal::describe(status);
    // A stopped queue or a stopped job does not go on by itself: say why now, not at the timeout.
    if (printer->state == PrinterState::stopped || job->state == JobState::processing_stopped) {
      auto blocked = printing_blocked(status);
      hal::DeviceError error = blocked ? *blocked : job_failure(name, job.value(), printer.value(), options_.queue);
      return give_up(with_context(error, "job " + name + " cancelled, not printed"));
    }
    sleep_within(limits, poll_interval);
    poll_interval = std::min(poll_interval * 2, kJobPollInterval);
  }
}

hal::DeviceError CupsPrinter::lost_job(CupsConnection& connection, int job_id, hal::DeviceError error) {
  const std::string name = options_.queue + "-" + std::to_string(job_id);
  switch (error.code) {
    case DeviceErrorCode::cancelled:
    case DeviceErrorCode::timeout:
      cancel_job(job_id);
      return error;
    case DeviceErrorCode::no_device: {
      // The job went away: with its whole queue (lpadmin -x), or by an administrator's hand.
      auto printer = connection.printer(options_.queue);
      if (!printer.ok() && printer.error().code == DeviceErrorCode::no_device) {
        set_unreachable(printer.error());
        return hal::device_error(DeviceErrorCode::no_device, "queue \"" + options_.queue +
                                                                 "\" vanished from CUPS while job " + name +
                                                                 " was printing (" + printer.error().message + ")");
      }
      return hal::device_error(DeviceErrorCode::hardware,
                               "job " + name + " vanished from CUPS (removed by an administrator?): " + error.message);
    }
    case DeviceErrorCode::offline:
      set_unreachable(error);
      return with_context(error, "following job " + name + " (it may still print)");
    default: return with_context(error, "following job " + name);
  }
}

void CupsPrinter::cancel_job(int job_id) {
  const WaitLimits limits{Clock::now() + kCancelJobTimeout, hal::CancelToken{}, nullptr};
  auto connection = CupsConnection::open(server_, limits);
  if (!connection.ok()) return;  // CUPS is gone; nothing prints without it
  Destination destination(options_.queue, connection.value()->printer_uri(options_.queue));
  (void)cupsCancelDestJob(connection.value()->http(), destination.get(), job_id);
}

}  // namespace kiosk::devices::cups
