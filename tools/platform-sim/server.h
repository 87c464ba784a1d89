#pragma once
// The simulator's listeners: the platform port speaks HTTP/1.1 over TLS ≥ 1.2 with mandatory
// client certificates from the platform CA (OpenSSL, server-side session cache and tickets, so
// clients resume sessions); the admin port speaks plain HTTP on 127.0.0.1 only. One thread per
// connection, keep-alive, Content-Length bodies, the contract's size limits. Socket-level faults
// (drop, stall, TLS reset) are applied here; every wait is a poll of at most 100 ms that also
// watches the stop flag, so stop() ends every connection promptly.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"
#include "tools/platform-sim/admin_api.h"
#include "tools/platform-sim/faults.h"
#include "tools/platform-sim/platform_api.h"

typedef struct ssl_ctx_st SSL_CTX;

namespace platform_sim {

struct ServerConfig {
  std::string host = "127.0.0.1";  // the platform port's address; the admin port is always loopback
  int port = 0;                     // 0: any free port
  int admin_port = 0;
  std::filesystem::path ca_file, cert_file, key_file;
  int idle_timeout_ms = 30000;     // a kept-alive connection with no new request is closed
  int request_timeout_ms = 30000;  // to receive one whole request once it started
  int max_connections = 128;
};

// Counters for GET /admin/stats (the client's benchmark counts handshakes per 100 requests).
struct ServerStats {
  std::atomic<std::int64_t> tls_handshakes{0};  // completed, full or resumed
  std::atomic<std::int64_t> tls_resumed{0};     // of those, resumed sessions
  std::atomic<std::int64_t> tls_failed{0};      // refused or broken handshakes
  std::atomic<std::int64_t> connections{0};     // accepted on the platform port
  std::atomic<std::int64_t> requests{0};        // answered (or dropped) on the platform port

  nlohmann::json to_json() const;
};

class Server {
 public:
  static kiosk::Result<std::unique_ptr<Server>> create(const ServerConfig& config, PlatformApi& api, AdminApi& admin,
                                                       FaultTable& faults, ServerStats& stats);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  int admin_port() const { return admin_port_; }

  // Accepts and serves until stop(); returns after every connection thread has ended.
  void run();
  // Thread-safe and async-signal-safe enough for a signal-waiting thread: sets a flag.
  void stop() { stopping_.store(true); }

 private:
  Server(const ServerConfig& config, PlatformApi& api, AdminApi& admin, FaultTable& faults, ServerStats& stats);
  kiosk::Status listen();
  void serve(int fd, bool admin);

  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void reap(bool all);

  ServerConfig config_;
  PlatformApi& api_;
  AdminApi& admin_;
  FaultTable& faults_;
  ServerStats& stats_;
  SSL_CTX* tls_ = nullptr;
  int listen_fd_ = -1, admin_fd_ = -1;
  int port_ = 0, admin_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::list<Worker> workers_;
};

}  // namespace platform_sim
