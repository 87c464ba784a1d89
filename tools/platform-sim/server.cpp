#include "tools/platform-sim/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "kiosk/core/log.h"

namespace platform_sim {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kPollSliceMs = 100;
constexpr int kHandshakeTimeoutMs = 10000;
constexpr int kWriteTimeoutMs = 30000;

kiosk::Error io_error(const std::string& what) {
  return kiosk::Error::make(kiosk::ErrorKind::io, what + ": " + std::strerror(errno));
}

std::string openssl_errors() {
  std::string text;
  while (const unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "no detail" : text;
}

// One accepted connection, TLS or plain, on a non-blocking socket. Every wait polls in slices of
// at most 100 ms and gives up when the deadline passes or the server stops.
class Connection {
 public:
  Connection(int fd, SSL* ssl, const std::atomic<bool>& stop) : fd_(fd), ssl_(ssl), stop_(stop) {
    if (ssl_) SSL_set_fd(ssl_, fd_);
  }
  ~Connection() {
    if (ssl_) SSL_free(ssl_);
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool handshake(Clock::time_point deadline) {
    for (;;) {
      ERR_clear_error();
      const int result = SSL_accept(ssl_);
      if (result == 1) return true;
      if (!wait_for(SSL_get_error(ssl_, result), deadline)) return false;
    }
  }

  bool resumed() const { return ssl_ && SSL_session_reused(ssl_) == 1; }

  // The verified client certificate's CN (empty when there is none).
  std::string peer_common_name() const {
    X509* certificate = SSL_get0_peer_certificate(ssl_);
    if (!certificate || SSL_get_verify_result(ssl_) != X509_V_OK) return {};
    X509_NAME* subject = X509_get_subject_name(certificate);
    const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (index < 0) return {};
    unsigned char* utf8 = nullptr;
    const int size = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
    if (size < 0) return {};
    std::string name(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return name;
  }

  // > 0 bytes read, 0 at an orderly end, -1 on error, timeout or stop.
  long read_some(char* data, std::size_t size, Clock::time_point deadline) {
    for (;;) {
      if (ssl_) {
        ERR_clear_error();
        const int result = SSL_read(ssl_, data, static_cast<int>(size));
        if (result > 0) return result;
        const int error = SSL_get_error(ssl_, result);
        if (error == SSL_ERROR_ZERO_RETURN) return 0;
        if (!wait_for(error, deadline)) return -1;
      } else {
        const ssize_t result = ::recv(fd_, data, size, 0);
        if (result >= 0) return result;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
        if (!wait(POLLIN, deadline)) return -1;
      }
    }
  }

  bool write_all(std::string_view bytes, Clock::time_point deadline) {
    while (!bytes.empty()) {
      if (ssl_) {
        ERR_clear_error();
        const int result = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20)));
        if (result > 0) {
          bytes.remove_prefix(static_cast<std::size_t>(result));
          continue;
        }
        if (!wait_for(SSL_get_error(ssl_, result), deadline)) return false;
      } else {
        const ssize_t result = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (result >= 0) {
          bytes.remove_prefix(static_cast<std::size_t>(result));
          continue;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
        if (!wait(POLLOUT, deadline)) return false;
      }
    }
    return true;
  }

  // An orderly end: TLS close_notify (best effort), then FIN.
  void finish() {
    if (ssl_) {
      ERR_clear_error();
      SSL_shutdown(ssl_);
    }
    ::shutdown(fd_, SHUT_WR);
  }

  // Just closes the socket: no close_notify, no answer (the "drop" fault).
  void drop() {
    ::close(fd_);
    fd_ = -1;
  }

  // An abortive close: RST instead of FIN, and no TLS close_notify (the "tls_reset" fault).
  void reset() {
    const linger abortive{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    drop();
  }

 private:
  bool wait_for(int ssl_error, Clock::time_point deadline) {
    if (ssl_error == SSL_ERROR_WANT_READ) return wait(POLLIN, deadline);
    if (ssl_error == SSL_ERROR_WANT_WRITE) return wait(POLLOUT, deadline);
    return false;
  }

  bool wait(short events, Clock::time_point deadline) {
    while (!stop_.load()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd entry{fd_, events, 0};
      const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, kPollSliceMs)));
      if (ready > 0) return true;
      if (ready < 0 && errno != EINTR) return false;
    }
    return false;
  }

  int fd_;
  SSL* ssl_;
  const std::atomic<bool>& stop_;
};

Clock::time_point after(int milliseconds) { return Clock::now() + std::chrono::milliseconds(milliseconds); }

kiosk::Result<int> open_listener(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    return kiosk::Error::make(kiosk::ErrorKind::invalid_argument, "not an IPv4 address: " + host);
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return io_error("socket");
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 64) != 0) {
    auto error = io_error(host + ":" + std::to_string(port));
    ::close(fd);
    return error;
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

kiosk::Result<SSL_CTX*> make_tls_context(const ServerConfig& config) {
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (!context) return kiosk::Error::make(kiosk::ErrorKind::io, "SSL_CTX_new: " + openssl_errors());
  const auto fail = [&](const std::string& what) {
    SSL_CTX_free(context);
    return kiosk::Error::make(kiosk::ErrorKind::io, what + ": " + openssl_errors());
  };
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(context, config.cert_file.c_str()) != 1) return fail(config.cert_file.string());
  if (SSL_CTX_use_PrivateKey_file(context, config.key_file.c_str(), SSL_FILETYPE_PEM) != 1) return fail(config.key_file.string());
  if (SSL_CTX_check_private_key(context) != 1) return fail("the server key does not match its certificate");
  if (SSL_CTX_load_verify_locations(context, config.ca_file.c_str(), nullptr) != 1) return fail(config.ca_file.string());
  STACK_OF(X509_NAME)* client_cas = SSL_load_client_CA_file(config.ca_file.c_str());
  if (!client_cas) return fail(config.ca_file.string());
  SSL_CTX_set_client_CA_list(context, client_cas);
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  // Resumption: a session id context is required once client certificates are verified.
  static const unsigned char kContext[] = "platform-sim";
  SSL_CTX_set_session_id_context(context, kContext, sizeof kContext - 1);
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_SERVER);
  return context;
}

// Sends the response, applying a stall or a reset fault halfway through the body.
bool send_response(Connection& connection, const Response& response, bool keep_alive, bool head_only,
                   const std::optional<FaultRule>& fault, const FaultTable& faults, const std::atomic<bool>& stop) {
  const std::string head = serialize_head(response, keep_alive, faults.now());
  const std::string_view body = head_only ? std::string_view() : std::string_view(response.body);
  const bool cut = fault && (fault->tls_reset || fault->stall_body_ms > 0);
  if (!cut) return connection.write_all(head + std::string(body), after(kWriteTimeoutMs));
  const std::size_t half = body.size() / 2;
  if (!connection.write_all(head + std::string(body.substr(0, half)), after(kWriteTimeoutMs))) return false;
  if (fault->tls_reset) {
    connection.reset();
    return false;
  }
  faults.wait(*fault, fault->stall_body_ms, stop);
  if (stop.load()) return false;
  return connection.write_all(body.substr(half), after(kWriteTimeoutMs));
}

}  // namespace

nlohmann::json ServerStats::to_json() const {
  return {{"tls_handshakes", tls_handshakes.load()}, {"tls_resumed", tls_resumed.load()}, {"tls_failed", tls_failed.load()},
          {"connections", connections.load()},       {"requests", requests.load()}};
}

Server::Server(const ServerConfig& config, PlatformApi& api, AdminApi& admin, FaultTable& faults, ServerStats& stats)
    : config_(config), api_(api), admin_(admin), faults_(faults), stats_(stats) {}

kiosk::Result<std::unique_ptr<Server>> Server::create(const ServerConfig& config, PlatformApi& api, AdminApi& admin,
                                                      FaultTable& faults, ServerStats& stats) {
  std::unique_ptr<Server> server(new Server(config, api, admin, faults, stats));
  auto context = make_tls_context(config);
  if (!context) return context.release_error();
  server->tls_ = context.value();
  TRY_STATUS(server->listen());
  return server;
}

Server::~Server() {
  stopping_.store(true);
  reap(true);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (admin_fd_ >= 0) ::close(admin_fd_);
  SSL_CTX_free(tls_);
}

kiosk::Status Server::listen() {
  listen_fd_ = TRY(open_listener(config_.host, config_.port));
  admin_fd_ = TRY(open_listener("127.0.0.1", config_.admin_port));
  port_ = bound_port(listen_fd_);
  admin_port_ = bound_port(admin_fd_);
  return kiosk::Ok{};
}

void Server::run() {
  while (!stopping_.load()) {
    pollfd entries[2] = {{listen_fd_, POLLIN, 0}, {admin_fd_, POLLIN, 0}};
    const int ready = ::poll(entries, 2, kPollSliceMs);
    reap(false);
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(entries[i].revents & POLLIN)) continue;
      const int fd = ::accept4(entries[i].fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) continue;
      if (static_cast<int>(workers_.size()) >= config_.max_connections) {
        ::close(fd);
        continue;
      }
      const int no_delay = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, sizeof no_delay);
      auto done = std::make_shared<std::atomic<bool>>(false);
      const bool admin = i == 1;
      workers_.push_back({std::thread([this, fd, admin, done] {
                            serve(fd, admin);
                            done->store(true);
                          }),
                          done});
    }
  }
  reap(true);
}

void Server::reap(bool all) {
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (all || it->done->load()) {
      if (it->thread.joinable()) it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
}

void Server::serve(int fd, bool admin) {
  Connection connection(fd, admin ? nullptr : SSL_new(tls_), stopping_);
  std::string terminal;
  if (!admin) {
    stats_.connections++;
    if (!connection.handshake(after(kHandshakeTimeoutMs))) {
      stats_.tls_failed++;
      return;
    }
    stats_.tls_handshakes++;
    if (connection.resumed()) stats_.tls_resumed++;
    terminal = connection.peer_common_name();
  }
  std::string buffer;
  char chunk[16384];
  while (!stopping_.load()) {
    // The head: wait up to the idle timeout for a new request, then the request timeout.
    std::optional<RequestHead> head;
    auto deadline = after(buffer.empty() ? config_.idle_timeout_ms : config_.request_timeout_ms);
    for (;;) {
      auto parsed = parse_request_head(buffer);
      if (!parsed) {
        send_response(connection, Response::error(parsed.error()), false, false, std::nullopt, faults_, stopping_);
        connection.finish();
        return;
      }
      if (parsed.value()) {
        head = std::move(*parsed.value());
        break;
      }
      const long got = connection.read_some(chunk, sizeof chunk, deadline);
      if (got <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(got));
      deadline = after(config_.request_timeout_ms);
    }
    Request request = std::move(head->request);
    buffer.erase(0, head->head_size);
    if (request.expect_continue && request.content_length > buffer.size()) {
      if (!connection.write_all("HTTP/1.1 100 Continue\r\n\r\n", after(kWriteTimeoutMs))) return;
    }
    deadline = after(config_.request_timeout_ms);
    while (buffer.size() < request.content_length) {
      const long got = connection.read_some(chunk, sizeof chunk, deadline);
      if (got <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(got));
    }
    request.body = buffer.substr(0, request.content_length);
    buffer.erase(0, request.content_length);

    std::optional<FaultRule> fault;
    Response response;
    if (admin) {
      response = admin_.handle(request);
    } else {
      stats_.requests++;
      fault = faults_.take(request.path);
      if (fault && fault->drop) {
        connection.drop();
        return;
      }
      response = api_.handle(request, RequestContext{terminal, fault, &faults_, &stopping_});
    }
    const bool keep_alive = request.keep_alive && !stopping_.load();
    if (!send_response(connection, response, keep_alive, request.method == "HEAD", fault, faults_, stopping_)) return;
    if (!keep_alive) {
      connection.finish();
      return;
    }
  }
}

}  // namespace platform_sim
