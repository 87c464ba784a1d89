// The libcups side of the CUPS driver: private connections with deadlines, IPP requests, and the
// reading of their answers.

#include "devices/cups/cups_ipp.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace kiosk::devices::cups {
namespace {

using hal::DeviceErrorCode;

constexpr int kConnectSliceMs = 100;  // the cancel token is checked between connect attempts

long long remaining_ms(const WaitLimits& limits) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - Clock::now()).count();
}

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 1 || port > 65535) return std::nullopt;
  return port;
}

// One attribute's keywords, bounded in number and length.
std::vector<std::string> keywords(ipp_t* response, const char* name) {
  std::vector<std::string> values;
  ipp_attribute_t* attribute = ippFindAttribute(response, name, IPP_TAG_KEYWORD);
  const int count = attribute ? ippGetCount(attribute) : 0;
  for (int i = 0; i < count && values.size() < kMaxReasons; ++i) {
    if (const char* value = ippGetString(attribute, i, nullptr)) values.push_back(bounded_text(value, kMaxReasonLength));
  }
  return values;
}

std::string text_value(ipp_t* response, const char* name) {
  ipp_attribute_t* attribute = ippFindAttribute(response, name, IPP_TAG_TEXT);
  const char* value = attribute ? ippGetString(attribute, 0, nullptr) : nullptr;
  return value ? bounded_text(value, kMaxMessageLength) : std::string();
}

// An enum attribute within [low, high], or why not.
hal::DeviceResult<int> enum_value(ipp_t* response, const char* name, int low, int high) {
  ipp_attribute_t* attribute = ippFindAttribute(response, name, IPP_TAG_ENUM);
  if (!attribute || ippGetCount(attribute) < 1) {
    return hal::device_error(DeviceErrorCode::bad_data, std::string("CUPS answer without ") + name);
  }
  const int value = ippGetInteger(attribute, 0);
  if (value < low || value > high) {
    return hal::device_error(DeviceErrorCode::bad_data,
                             std::string("CUPS answer with ") + name + " " + std::to_string(value) + " (expected " +
                                 std::to_string(low) + "–" + std::to_string(high) + ")");
  }
  return value;
}

const char* password_refused(const char*, http_t*, const char*, const char*, void*) { return nullptr; }

}  // namespace

std::string ServerAddress::text() const { return host.starts_with('/') ? host : host + ":" + std::to_string(port); }

Result<ServerAddress> parse_server_address(const std::string& server) {
  ServerAddress address;
  if (server.empty()) {
    address.host = cupsServer();
    address.port = ippPort();
    return address;
  }
  if (server.starts_with('/')) {
    address.host = server;
    return address;
  }
  const auto colon = server.rfind(':');
  const bool bracketed = server.starts_with('[');  // "[::1]:631"
  if (colon == std::string::npos || (bracketed && colon < server.find(']'))) {
    address.host = server;
  } else {
    const auto port = parse_port(std::string_view(server).substr(colon + 1));
    if (!port) return Error::make(ErrorKind::parse, "expected \"host:port\" with a port 1–65535, got \"" + server + "\"");
    address.host = server.substr(0, colon);
    address.port = *port;
  }
  if (bracketed && address.host.size() > 2 && address.host.ends_with(']')) {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  if (address.host.empty()) return Error::make(ErrorKind::parse, "expected \"host:port\", got \"" + server + "\"");
  return address;
}

bool WaitLimits::expired() const {
  return cancel.cancelled() || (stop && stop->load()) || Clock::now() >= deadline;
}

hal::DeviceError WaitLimits::error(const std::string& what, const ServerAddress& server) const {
  if (cancel.cancelled()) return hal::device_error(DeviceErrorCode::cancelled, what + ": cancelled");
  if (stop && stop->load()) return hal::device_error(DeviceErrorCode::cancelled, what + ": driver stopping");
  if (Clock::now() >= deadline) {
    return hal::device_error(DeviceErrorCode::timeout, what + ": no answer from CUPS at " + server.text() + " in time");
  }
  return hal::device_error(DeviceErrorCode::offline,
                           what + ": lost CUPS at " + server.text() + " (" + cupsLastErrorString() + ")");
}

void refuse_password_prompts() { cupsSetPasswordCB2(password_refused, nullptr); }

CupsConnection::CupsConnection(http_t* http, ServerAddress server, const WaitLimits& limits)
    : http_(http), server_(std::move(server)), limits_(limits) {
  // libcups calls on_wait after every 100 ms of waiting; returning 0 ends the wait.
  httpSetTimeout(http_, 0.1, &CupsConnection::on_wait, this);
}

CupsConnection::~CupsConnection() { httpClose(http_); }

int CupsConnection::on_wait(http_t*, void* context) {
  return static_cast<CupsConnection*>(context)->limits_.expired() ? 0 : 1;
}

hal::DeviceResult<std::unique_ptr<CupsConnection>> CupsConnection::open(const ServerAddress& server,
                                                                        const WaitLimits& limits) {
  // Short attempts, so cancellation is seen within 100 ms even when the host drops packets.
  while (!limits.expired()) {
    const int slice = static_cast<int>(std::min<long long>(kConnectSliceMs, std::max<long long>(remaining_ms(limits), 1)));
    const auto attempt_start = Clock::now();
    http_t* http = httpConnect2(server.host.c_str(), server.port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED,
                                1, slice, nullptr);
    if (http) return std::unique_ptr<CupsConnection>(new CupsConnection(http, server, limits));
    // An attempt that failed before its time was up was refused (no cupsd, no socket, no route,
    // unknown host): nothing to wait for. libcups' own error text says "timed out" for a refused
    // connection too, so it is not quoted.
    if (Clock::now() - attempt_start < std::chrono::milliseconds(slice * 3 / 4)) {
      return hal::device_error(DeviceErrorCode::offline,
                               "nothing answers at " + server.text() + " (connection refused or host unreachable; is cupsd running?)");
    }
  }
  return limits.error("connecting", server);
}

std::string CupsConnection::printer_uri(const std::string& queue) const {
  char uri[1024];
  httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof(uri), "ipp", nullptr, "localhost", server_.port, "/printers/%s",
                   queue.c_str());
  return uri;
}

hal::DeviceResult<ipp_t*> CupsConnection::request(ipp_t* request, const std::string& what) {
  refuse_password_prompts();
  ipp_t* response = cupsDoRequest(http_, request, "/");  // frees the request
  if (!response) return limits_.error(what, server_);
  const ipp_status_t status = cupsLastError();
  if (status <= IPP_STATUS_OK_CONFLICTING) return response;
  ippDelete(response);
  const std::string why = std::string(ippErrorString(status)) + ": " + cupsLastErrorString();
  if (status == IPP_STATUS_ERROR_NOT_FOUND) return hal::device_error(DeviceErrorCode::no_device, what + ": " + why);
  return hal::device_error(DeviceErrorCode::io, what + ": CUPS refused (" + why + ")");
}

hal::DeviceResult<PrinterSnapshot> CupsConnection::printer(const std::string& queue) {
  static const char* const kAttributes[] = {"printer-state", "printer-state-reasons", "printer-state-message",
                                            "printer-is-accepting-jobs"};
  ipp_t* request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, printer_uri(queue).c_str());
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                static_cast<int>(std::size(kAttributes)), nullptr, kAttributes);
  auto response = this->request(request, "queue \"" + queue + "\" status");
  if (!response.ok()) return response.release_error();
  auto snapshot = printer_snapshot(response.value());
  ippDelete(response.value());
  return snapshot;
}

hal::DeviceResult<JobSnapshot> CupsConnection::job(const std::string& queue, int job_id) {
  static const char* const kAttributes[] = {"job-state", "job-state-reasons", "job-printer-state-message",
                                            "job-state-message"};
  ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, printer_uri(queue).c_str());
  ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                static_cast<int>(std::size(kAttributes)), nullptr, kAttributes);
  auto response = this->request(request, "job " + queue + "-" + std::to_string(job_id) + " status");
  if (!response.ok()) return response.release_error();
  auto snapshot = job_snapshot(response.value());
  ippDelete(response.value());
  return snapshot;
}

hal::DeviceResult<PrinterSnapshot> printer_snapshot(ipp_t* response) {
  if (!response) return hal::device_error(DeviceErrorCode::bad_data, "no CUPS answer");
  auto state = enum_value(response, "printer-state", 3, 5);
  if (!state.ok()) return state.release_error();
  PrinterSnapshot snapshot;
  snapshot.state = static_cast<PrinterState>(state.value());
  if (ipp_attribute_t* accepting = ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN)) {
    snapshot.accepting_jobs = ippGetBoolean(accepting, 0) != 0;
  }
  snapshot.reasons = keywords(response, "printer-state-reasons");
  snapshot.message = text_value(response, "printer-state-message");
  return snapshot;
}

hal::DeviceResult<JobSnapshot> job_snapshot(ipp_t* response) {
  if (!response) return hal::device_error(DeviceErrorCode::bad_data, "no CUPS answer");
  auto state = enum_value(response, "job-state", 3, 9);
  if (!state.ok()) return state.release_error();
  JobSnapshot snapshot;
  snapshot.state = static_cast<JobState>(state.value());
  snapshot.reasons = keywords(response, "job-state-reasons");
  snapshot.message = text_value(response, "job-printer-state-message");
  if (snapshot.message.empty()) snapshot.message = text_value(response, "job-state-message");
  return snapshot;
}

}  // namespace kiosk::devices::cups
