// The network and platform check (network_check.h): getaddrinfo on a helper thread, a
// non-blocking connect, an OpenSSL client handshake and one HTTP/1.1 request, every wait in
// 50 ms slices so that cancel and the step's deadline hold.
#include "kiosk/ops/network_check.h"
#include "kiosk/core/tls_fault.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace kiosk::ops {

namespace {

using Steady = std::chrono::steady_clock;
constexpr auto kSlice = std::chrono::milliseconds(50);

std::int64_t ms_since(Steady::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start).count();
}

struct Target {
  std::string host;  // without brackets
  std::string port;
  std::string base_path;  // "" or "/prefix" (no trailing slash)
  bool host_is_ip = false;
};

std::optional<Target> parse_url(const std::string& url) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Target target;
  target.base_path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!target.base_path.empty() && target.base_path.back() == '/') target.base_path.pop_back();
  if (authority.find('@') != std::string::npos) return std::nullopt;
  target.port = "443";
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    target.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      target.port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    target.host = authority.substr(0, colon);
    if (colon != std::string::npos) target.port = authority.substr(colon + 1);
  }
  if (target.host.empty() || target.port.empty() || target.port.size() > 5 ||
      !std::all_of(target.port.begin(), target.port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  unsigned char buffer[sizeof(in6_addr)];
  target.host_is_ip = inet_pton(AF_INET, target.host.c_str(), buffer) == 1 || inet_pton(AF_INET6, target.host.c_str(), buffer) == 1;
  return target;
}

// A step's outcome, appended to the report.
class Steps {
 public:
  explicit Steps(NetworkReport& report) : report_(report) {}
  void start() { started_ = Steady::now(); }
  bool pass(const char* name, std::string detail) { return add(name, true, std::move(detail)); }
  bool fail(const char* name, std::string detail) { return add(name, false, std::move(detail)); }

 private:
  bool add(const char* name, bool ok, std::string detail) {
    report_.steps.push_back(NetworkStep{name, ok, std::move(detail), ms_since(started_)});
    return ok;
  }
  NetworkReport& report_;
  Steady::time_point started_ = Steady::now();
};

// --- dns ----------------------------------------------------------------------------------------

struct DnsJob {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  bool abandoned = false;  // the waiter gave up: the helper frees the answer
  int code = 0;
  addrinfo* answer = nullptr;
};

struct AddrinfoDeleter {
  void operator()(addrinfo* info) const { if (info) freeaddrinfo(info); }
};
using Addresses = std::unique_ptr<addrinfo, AddrinfoDeleter>;

// nullopt and `problem` set when it failed.
Addresses resolve(const Target& target, std::chrono::milliseconds timeout, const CancelToken& cancel, std::string& problem) {
  auto job = std::make_shared<DnsJob>();
  // Detached: getaddrinfo cannot be interrupted; the thread ends when the resolver gives up.
  std::thread([job, host = target.host, port = target.port] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* answer = nullptr;
    const int code = getaddrinfo(host.c_str(), port.c_str(), &hints, &answer);
    std::lock_guard lock(job->mutex);
    if (job->abandoned) {
      if (answer) freeaddrinfo(answer);
      return;
    }
    job->code = code;
    job->answer = answer;
    job->done = true;
    job->done_changed.notify_all();
  }).detach();
  const auto deadline = Steady::now() + timeout;
  std::unique_lock lock(job->mutex);
  while (!job->done) {
    if (cancel.cancelled()) {
      job->abandoned = true;
      problem = "cancelled";
      return nullptr;
    }
    if (Steady::now() >= deadline) {
      job->abandoned = true;
      problem = "DNS: no answer for " + target.host + " within " + std::to_string(timeout.count()) +
                " ms (is a DNS server configured and reachable?)";
      return nullptr;
    }
    job->done_changed.wait_for(lock, kSlice);
  }
  if (job->code != 0) {
    switch (job->code) {
      case EAI_NONAME:
#ifdef EAI_NODATA
      case EAI_NODATA:
#endif
        problem = "DNS: " + target.host + " does not resolve (a wrong platform URL, or the DNS server does not know it)";
        break;
      case EAI_AGAIN: problem = "DNS: the DNS server did not answer for " + target.host + " (try again; check the network)"; break;
      default: problem = "DNS: cannot resolve " + target.host + ": " + gai_strerror(job->code); break;
    }
    return nullptr;
  }
  return Addresses(job->answer);
}

std::string address_text(const sockaddr* address) {
  char host[NI_MAXHOST] = "?";
  char port[NI_MAXSERV] = "?";
  getnameinfo(address, address->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in), host, sizeof host, port,
              sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
  return address->sa_family == AF_INET6 ? "[" + std::string(host) + "]:" + port : std::string(host) + ":" + port;
}

// --- tcp ----------------------------------------------------------------------------------------

// A connected non-blocking socket, or -1 with `problem` set.
int connect_any(const addrinfo* addresses, std::chrono::milliseconds timeout, const CancelToken& cancel, std::string& problem,
                std::string& connected_to) {
  const auto deadline = Steady::now() + timeout;
  for (const addrinfo* one = addresses; one != nullptr; one = one->ai_next) {
    const std::string where = address_text(one->ai_addr);
    const int fd = ::socket(one->ai_family, one->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, one->ai_protocol);
    if (fd < 0) {
      problem = "TCP: cannot open a socket: " + std::string(std::strerror(errno));
      continue;
    }
    int error = 0;
    if (::connect(fd, one->ai_addr, one->ai_addrlen) != 0) {
      error = errno;
      if (error == EINPROGRESS) {
        error = ETIMEDOUT;
        while (!cancel.cancelled() && Steady::now() < deadline) {
          pollfd wait{fd, POLLOUT, 0};
          if (::poll(&wait, 1, static_cast<int>(kSlice.count())) > 0) {
            socklen_t length = sizeof error;
            if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
            break;
          }
        }
      }
    }
    if (error == 0) {
      connected_to = where;
      return fd;
    }
    ::close(fd);
    if (cancel.cancelled()) {
      problem = "cancelled";
      return -1;
    }
    switch (error) {
      case ECONNREFUSED: problem = "TCP: nothing listens on " + where + " (connection refused: the platform is down or the port is wrong)"; break;
      case ETIMEDOUT: problem = "TCP: no answer from " + where + " within " + std::to_string(timeout.count()) + " ms (a firewall, or the platform is down)"; break;
      case ENETUNREACH:
      case EHOSTUNREACH: problem = "TCP: no route to " + where + " (check the network cable, gateway and VPN)"; break;
      default: problem = "TCP: cannot connect to " + where + ": " + std::strerror(error); break;
    }
    if (Steady::now() >= deadline) break;
  }
  return -1;
}

// --- tls ----------------------------------------------------------------------------------------

struct SslDeleter {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
  void operator()(SSL* ssl) const { SSL_free(ssl); }
  void operator()(X509* certificate) const { X509_free(certificate); }
};

std::string openssl_error() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "no detail";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// Waits until `ssl`'s socket is ready for what the last call wanted; false on deadline or cancel.
bool wait_for(SSL* ssl, int result, Steady::time_point deadline, const CancelToken& cancel) {
  const int reason = SSL_get_error(ssl, result);
  if (reason != SSL_ERROR_WANT_READ && reason != SSL_ERROR_WANT_WRITE) return false;
  while (!cancel.cancelled() && Steady::now() < deadline) {
    pollfd wait{SSL_get_fd(ssl), static_cast<short>(reason == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    if (::poll(&wait, 1, static_cast<int>(kSlice.count())) != 0) return true;
  }
  return false;
}

// What the server's alert says about us, from the error queue (alerts are reasons 1000 + code).
std::optional<std::string> received_alert() {
  const unsigned long code = ERR_peek_last_error();
  const int reason = ERR_GET_REASON(code);
  if (ERR_GET_LIB(code) != ERR_LIB_SSL || reason < SSL_AD_REASON_OFFSET) return std::nullopt;
  return std::string(SSL_alert_desc_string_long(reason - SSL_AD_REASON_OFFSET));
}

// The same words the platform channel logs (kiosk/core/tls_fault.h), with the field to fix and
// OpenSSL's reason.
std::string verify_problem(long result) {
  const tls::ConfigFault fault = tls::server_certificate_refused(result, X509_verify_cert_error_string(result));
  return "TLS: " + fault.problem + " [" + fault.field + ": " + fault.reason + "]";
}

// Whole days from now until `time` (negative when past).
std::optional<int> days_until(const ASN1_TIME* time) {
  int days = 0, seconds = 0;
  if (time == nullptr || ASN1_TIME_diff(&days, &seconds, nullptr, time) != 1) return std::nullopt;
  if (days < 0 || (days == 0 && seconds < 0)) return days < 0 ? days : -1;
  return days;
}

std::string date_of(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return "?";
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

std::optional<std::string> spki_pin(X509* certificate) {
  EVP_PKEY* key = X509_get0_pubkey(certificate);
  if (key == nullptr) return std::nullopt;
  const int length = i2d_PUBKEY(key, nullptr);
  if (length <= 0) return std::nullopt;
  std::vector<unsigned char> der(static_cast<std::size_t>(length));
  unsigned char* out = der.data();
  i2d_PUBKEY(key, &out);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(der.data(), der.size(), digest, &digest_length, EVP_sha256(), nullptr) != 1) return std::nullopt;
  unsigned char base64[64];
  const int written = EVP_EncodeBlock(base64, digest, static_cast<int>(digest_length));
  return "sha256//" + std::string(reinterpret_cast<char*>(base64), static_cast<std::size_t>(written));
}

bool pin_matches(const std::string& pins, const std::string& actual) {
  std::size_t start = 0;
  while (start <= pins.size()) {
    const auto end = std::min(pins.find(';', start), pins.size());
    std::string one = pins.substr(start, end - start);
    one.erase(std::remove_if(one.begin(), one.end(), [](unsigned char c) { return std::isspace(c); }), one.end());
    if (one == actual) return true;
    start = end + 1;
  }
  return false;
}

// --- http ---------------------------------------------------------------------------------------

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

// The platform's plain reading of a refused request.
std::string platform_problem(int status, const std::string& body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  std::string code;
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
    code = parsed["error"].value("code", "");
  }
  const std::string http = "HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code);
  if (code == "terminal_unknown") return "platform: it does not know this terminal (" + http + "): register its certificate";
  if (code == "terminal_revoked") return "platform: this terminal is revoked (" + http + "): ask the platform's operators";
  if (status >= 500) return "platform: it has a problem of its own (" + http + "); try again later";
  return "platform: it refused the check request (" + http + ")";
}

}  // namespace

NetworkCheckSettings network_check_settings(const PlatformConfig& platform) {
  NetworkCheckSettings settings;
  settings.url = platform.url;
  settings.ca_file = platform.ca_file;
  settings.cert_file = platform.cert_file;
  settings.key_file = platform.key_file;
  settings.pinned_public_key = platform.pinned_public_key;
  settings.connect_timeout = std::chrono::milliseconds(platform.connect_timeout_ms);
  settings.dns_timeout = std::chrono::milliseconds(platform.connect_timeout_ms);
  settings.tls_timeout = std::chrono::milliseconds(platform.connect_timeout_ms * 2);
  settings.request_timeout = std::chrono::milliseconds(std::min(platform.request_timeout_ms, 30000));
  return settings;
}

Result<HttpHead> parse_http_head(std::string_view text) {
  const auto end = text.find("\r\n\r\n");
  if (end == std::string_view::npos) return Error::make(ErrorKind::parse, "HTTP head incomplete");
  HttpHead head;
  head.size = end + 4;
  std::string_view rest = text.substr(0, end + 2);
  const auto line_end = rest.find("\r\n");
  const std::string_view status_line = rest.substr(0, line_end);
  // "HTTP/1.1 200 OK": version, space, three digits, then a space or the end.
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || !std::isdigit(static_cast<unsigned char>(status_line[7])) ||
      status_line[8] != ' ' || !std::all_of(status_line.begin() + 9, status_line.begin() + 12, [](unsigned char c) { return std::isdigit(c); }) ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    return Error::make(ErrorKind::parse, "not an HTTP/1.x status line");
  }
  head.status = (status_line[9] - '0') * 100 + (status_line[10] - '0') * 10 + (status_line[11] - '0');
  if (head.status < 100) return Error::make(ErrorKind::parse, "HTTP status below 100");
  rest.remove_prefix(line_end + 2);
  while (!rest.empty()) {
    const auto next = rest.find("\r\n");
    const std::string_view line = rest.substr(0, next);
    rest.remove_prefix(next + 2);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Error::make(ErrorKind::parse, "malformed HTTP header line");
    const std::string name = lower(std::string(line.substr(0, colon)));
    if (name.find_first_of(" \t") != std::string::npos) return Error::make(ErrorKind::parse, "space in an HTTP header name");
    head.headers[name] = trim(line.substr(colon + 1));
  }
  return head;
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": exactly 29 characters.
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") return std::nullopt;
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto number = [&](std::size_t at, std::size_t digits) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto day = number(5, 2), year = number(12, 4), hour = number(17, 2), minute = number(20, 2), second = number(23, 2);
  if (!day || !year || !hour || !minute || !second || text[7] != ' ' || text[11] != ' ' || text[16] != ' ' || text[19] != ':' ||
      text[22] != ':') {
    return std::nullopt;
  }
  int month = -1;
  for (int i = 0; i < 12; ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = i;
  }
  if (month < 0 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60 || *year < 1970) return std::nullopt;
  std::tm parts{};
  parts.tm_year = *year - 1900;
  parts.tm_mon = month;
  parts.tm_mday = *day;
  parts.tm_hour = *hour;
  parts.tm_min = *minute;
  parts.tm_sec = *second;
  return static_cast<std::int64_t>(timegm(&parts));
}

NetworkReport check_network(const NetworkCheckSettings& settings, CancelToken cancel) {
  NetworkReport report;
  Steps steps(report);
  // Records the failing step and ends the check.
  auto stop = [&](const char* name, std::string detail) {
    steps.fail(name, std::move(detail));
    return report;
  };
  const auto target = parse_url(settings.url);
  if (!target) {
    steps.fail("dns", "the platform URL is not https://host[:port][/path]: " + (settings.url.empty() ? "(none configured)" : settings.url));
    return report;
  }

  // dns
  std::string problem;
  Addresses addresses = resolve(*target, settings.dns_timeout, cancel, problem);
  if (!addresses) return stop("dns", problem);
  std::string resolved;
  for (const addrinfo* one = addresses.get(); one != nullptr; one = one->ai_next) {
    const std::string where = address_text(one->ai_addr);
    const std::string host = where.substr(0, where.rfind(':'));
    if (resolved.find(host) == std::string::npos) resolved += (resolved.empty() ? "" : ", ") + host;
  }
  steps.pass("dns", target->host + " is " + resolved);

  // tcp
  steps.start();
  std::string connected_to;
  const int fd = connect_any(addresses.get(), settings.connect_timeout, cancel, problem, connected_to);
  if (fd < 0) return stop("tcp", problem);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  steps.pass("tcp", "connected to " + connected_to);

  // tls
  steps.start();
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, SslDeleter> context(SSL_CTX_new(TLS_client_method()));
  if (!context) return stop("tls", "TLS: OpenSSL could not start: " + openssl_error());
  SSL_CTX_set_min_proto_version(context.get(), TLS1_2_VERSION);
  if (SSL_CTX_load_verify_locations(context.get(), settings.ca_file.c_str(), nullptr) != 1) {
    return stop("tls", "TLS: cannot read the platform CA file " + settings.ca_file.string() + ": " + openssl_error());
  }
  if (SSL_CTX_use_certificate_chain_file(context.get(), settings.cert_file.c_str()) != 1) {
    return stop("tls", "TLS: cannot read this terminal's certificate " + settings.cert_file.string() + ": " + openssl_error());
  }
  if (SSL_CTX_use_PrivateKey_file(context.get(), settings.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(context.get()) != 1) {
    return stop("tls", "TLS: cannot use this terminal's key " + settings.key_file.string() +
                                 " (missing, unreadable, or not the certificate's key): " + openssl_error());
  }
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(context.get()));
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) return stop("tls", "TLS: OpenSSL could not start: " + openssl_error());
  X509_VERIFY_PARAM* verify = SSL_get0_param(ssl.get());
  if (target->host_is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(verify, target->host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl.get(), target->host.c_str());
    SSL_set1_host(ssl.get(), target->host.c_str());
  }
  const auto tls_deadline = Steady::now() + settings.tls_timeout;
  for (;;) {
    const int result = SSL_connect(ssl.get());
    if (result == 1) break;
    if (wait_for(ssl.get(), result, tls_deadline, cancel)) continue;
    if (cancel.cancelled()) return stop("tls", "cancelled");
    const int reason = SSL_get_error(ssl.get(), result);
    if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) {
      return stop("tls", "TLS: no handshake within " + std::to_string(settings.tls_timeout.count()) +
                                   " ms (is this really the platform's port?)");
    }
    const long verified = SSL_get_verify_result(ssl.get());
    if (verified != X509_V_OK) return stop("tls", verify_problem(verified));
    if (const auto alert = received_alert()) {
      ERR_clear_error();
      return stop("tls", "TLS: the platform refused the handshake (" + *alert +
                                   "): it may not accept this terminal's certificate");
    }
    return stop("tls", "TLS: the handshake failed: " + openssl_error());
  }
  std::unique_ptr<X509, SslDeleter> server_certificate(SSL_get1_peer_certificate(ssl.get()));
  if (!settings.pinned_public_key.empty()) {
    const auto actual = server_certificate ? spki_pin(server_certificate.get()) : std::nullopt;
    if (!actual || !pin_matches(settings.pinned_public_key, *actual)) {
      return stop("tls", "TLS: the server's key is not the pinned one (platform.pinned_public_key): a new platform key, or "
                                   "someone in between");
    }
  }
  steps.pass("tls", std::string("handshake ") + SSL_get_version(ssl.get()) + " (" + SSL_get_cipher_name(ssl.get()) + ")" +
                        (settings.pinned_public_key.empty() ? "" : ", pinned key matches"));

  // certificate
  steps.start();
  std::unique_ptr<X509, SslDeleter> own;
  if (FILE* file = std::fopen(settings.cert_file.c_str(), "r")) {
    own.reset(PEM_read_X509(file, nullptr, nullptr, nullptr));
    std::fclose(file);
  }
  if (!own) return stop("certificate", "cannot read this terminal's certificate " + settings.cert_file.string());
  const auto own_days = days_until(X509_get0_notAfter(own.get()));
  const auto own_not_before = days_until(X509_get0_notBefore(own.get()));
  // No std::optional here: GCC 12 -O2 warns (falsely) "may be used uninitialized" on it.
  int server_days_value = 0;
  bool server_days_known = false;
  if (server_certificate) {
    if (auto days = days_until(X509_get0_notAfter(server_certificate.get()))) {
      server_days_value = *days;
      server_days_known = true;
    }
  }
  report.certificate_days_left = own_days;
  if (!own_days || *own_days < 0) {
    return stop("certificate", "this terminal's certificate expired on " + date_of(X509_get0_notAfter(own.get())) +
                                         ": the platform refuses it; install a new one");
  }
  if (own_not_before && *own_not_before >= 0 && X509_cmp_current_time(X509_get0_notBefore(own.get())) > 0) {
    return stop("certificate", "this terminal's certificate is valid only from " + date_of(X509_get0_notBefore(own.get())) +
                                         " (is the clock behind?)");
  }
  std::string detail = "this terminal's expires in " + std::to_string(*own_days) + " days (" + date_of(X509_get0_notAfter(own.get())) + ")";
  if (server_days_known) detail += "; the platform's in " + std::to_string(server_days_value) + " days";
  const bool soon = *own_days < settings.certificate_warning_days || (server_days_known && server_days_value < settings.certificate_warning_days);
  steps.pass("certificate", (soon ? "WARNING: renew soon — " : "") + detail);

  // clock and platform: one HTTP/1.1 request on this connection.
  steps.start();
  const std::string path = target->base_path + settings.probe_path;
  const bool default_port = target->port == "443";
  const std::string host_header = (target->host.find(':') != std::string::npos ? "[" + target->host + "]" : target->host) +
                                  (default_port ? "" : ":" + target->port);
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host_header +
                              "\r\nUser-Agent: kiosk-network-check\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
  const auto request_deadline = Steady::now() + settings.request_timeout;
  const auto sent_at = std::chrono::system_clock::now();
  auto exchange_failed = [&](const std::string& what) {
    if (cancel.cancelled()) return stop("platform", "cancelled");
    if (const auto alert = received_alert()) {
      ERR_clear_error();
      return stop("platform", "the platform closed the connection (" + *alert +
                                        "): it does not accept this terminal's certificate");
    }
    return stop("platform", what);
  };
  std::size_t written = 0;
  while (written < request.size()) {
    const int result = SSL_write(ssl.get(), request.data() + written, static_cast<int>(request.size() - written));
    if (result > 0) {
      written += static_cast<std::size_t>(result);
      continue;
    }
    if (!wait_for(ssl.get(), result, request_deadline, cancel)) return exchange_failed("platform: the request could not be sent: " + openssl_error());
  }
  std::string response;
  std::optional<HttpHead> head;
  constexpr std::size_t kMaxResponse = 256 * 1024;
  for (;;) {
    if (!head) {
      auto parsed = parse_http_head(response);
      if (parsed.ok()) head = parsed.release_value();
      else if (response.find("\r\n\r\n") != std::string::npos) return stop("platform", "platform: the answer is not HTTP");
    }
    if (head) {
      const auto length = head->headers.find("content-length");
      if (length != head->headers.end() && response.size() - head->size >= std::strtoull(length->second.c_str(), nullptr, 10)) break;
    }
    if (response.size() > kMaxResponse) break;
    char buffer[16384];
    const int result = SSL_read(ssl.get(), buffer, sizeof buffer);
    if (result > 0) {
      response.append(buffer, static_cast<std::size_t>(result));
      continue;
    }
    const int reason = SSL_get_error(ssl.get(), result);
    if (reason == SSL_ERROR_ZERO_RETURN || (head && reason == SSL_ERROR_SYSCALL)) break;  // closed after the answer
    if (wait_for(ssl.get(), result, request_deadline, cancel)) continue;
    if (cancel.cancelled()) return stop("platform", "cancelled");
    if (reason == SSL_ERROR_WANT_READ) {
      return stop("platform", "platform: no answer within " + std::to_string(settings.request_timeout.count()) + " ms");
    }
    if (head) break;
    return exchange_failed("platform: the connection ended before an answer: " + openssl_error());
  }
  if (!head) return stop("platform", "platform: the connection ended before an answer");
  const auto received_at = std::chrono::system_clock::now();
  const std::int64_t exchange_ms = ms_since(request_deadline - settings.request_timeout);

  const auto date = head->headers.find("date");
  const auto server_time = date == head->headers.end() ? std::nullopt : parse_http_date(date->second);
  if (!server_time) return stop("clock", "the platform's answer carries no readable Date header");
  const auto midpoint = sent_at + (received_at - sent_at) / 2;
  const std::int64_t ours = std::chrono::duration_cast<std::chrono::seconds>(midpoint.time_since_epoch()).count();
  const std::int64_t skew = *server_time - ours;
  report.clock_skew_s = skew;
  const std::string direction = skew > 0 ? "behind" : "ahead of";
  if (std::abs(skew) > settings.max_clock_skew_s) {
    return stop("clock", "this terminal's clock is " + std::to_string(std::abs(skew)) + " s " + direction +
                                   " the platform's (over " + std::to_string(settings.max_clock_skew_s) +
                                   " s: certificates and case times go wrong); check the time server (NTP)");
  }
  steps.pass("clock", skew == 0 ? "in step with the platform's" : "within " + std::to_string(std::abs(skew)) + " s of the platform's");

  steps.start();
  if (head->status < 200 || head->status > 299) {
    return stop("platform", platform_problem(head->status, response.substr(std::min(head->size, response.size()))));
  }
  report.steps.push_back(NetworkStep{"platform", true, "HTTP " + std::to_string(head->status) + " for GET " + path, exchange_ms});
  report.ok = true;
  return report;
}

}  // namespace kiosk::ops
