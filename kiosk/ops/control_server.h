#pragma once
// The control socket kioskctl talks to (protocol: kiosk/ops/control_protocol.h). An AF_UNIX stream
// socket, mode 0660, group ops.admin_group when that group exists. Only root, the kiosk's own user
// and members of the admin group (primary or supplementary, from the user database) are served;
// anyone else gets one error line and the connection is closed — the refusal is counted and
// logged with the uid (a system account number, not personal data).
//
// Threads: one listening thread (poll on the socket and a stop pipe) accepts and checks the peer;
// each allowed connection is served on its own thread, at most `max_connections` at once (the
// next gets a "busy" answer), so a slow or silent client holds only its own slot until its read
// timeout. Long commands (selftest, network, bundle) run on that thread with a CancelToken that
// stop() cancels. stop() and the destructor return once the threads have ended: promptly, as long
// as Operations honours its cancel tokens.
//
// `sim` drives the simulated devices of a kiosk in demo mode (ControlServerOptions::sim) and is
// refused anywhere else.
//
// Every command except status, devices, outbox and logs is written to the audit trail through
// Operations::audit("kioskctl_<command>", {"uid", "ok", …}) after it ran. A failing audit trail
// (a full disk) does not block the command: diagnostics are most needed exactly then; the failure
// is logged.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <sys/types.h>

#include "kiosk/core/cancel.h"
#include "kiosk/core/result.h"
#include "kiosk/ops/control_protocol.h"
#include "kiosk/ops/operations.h"

namespace kiosk::ops {

struct ControlServerOptions {
  std::filesystem::path bundle_dir = "/tmp";  // a bundle request without "dir" (config ops.bundle_dir)
  std::chrono::milliseconds read_timeout{5000};  // for the whole request line
  std::chrono::milliseconds write_timeout{5000};
  int max_connections = 4;                     // served at once
  // Demo mode only (config demo.panel with simulated devices): runs one `sim` request (action,
  // arguments) on the connection's thread. Empty: every sim request is refused (unsupported).
  std::function<Result<nlohmann::json>(const std::string& action, const std::vector<std::string>& arguments)> sim;
};

// Whether a peer with these credentials may use the socket: uid 0, `own_uid`, or a member of
// `admin_group` (its primary group `gid`, or listed in the group database for the user).
bool peer_allowed(uid_t uid, gid_t gid, uid_t own_uid, const std::string& admin_group);

class ControlServer {
 public:
  // Listens at `path` (its folder must exist; a stale socket there is replaced, but a live one —
  // another kiosk answering — is `busy`, and a file that is not a socket is never removed).
  static Result<std::unique_ptr<ControlServer>> start(const std::filesystem::path& path, const std::string& admin_group,
                                                      Operations& operations, ControlServerOptions options = {});
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Stops listening, cancels running commands, waits for the threads and removes the socket file.
  void stop();

  const std::filesystem::path& path() const { return path_; }
  std::int64_t refused() const { return refused_.load(); }   // peers turned away by the uid check
  std::int64_t served() const { return served_.load(); }     // requests answered (ok or error)

 private:
  struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  ControlServer(std::filesystem::path path, std::string admin_group, Operations& operations, ControlServerOptions options,
                int listen_fd, int stop_read, int stop_write);
  void run();
  void serve(int fd, uid_t uid);
  void reap(bool all);
  Result<nlohmann::json> execute(const ControlRequest& request, uid_t uid);

  std::filesystem::path path_;
  std::string admin_group_;
  Operations& operations_;
  ControlServerOptions options_;
  int listen_fd_ = -1;
  int stop_read_ = -1;
  int stop_write_ = -1;
  CancelToken cancel_;
  std::atomic<bool> stopped_{false};
  std::atomic<std::int64_t> refused_{0};
  std::atomic<std::int64_t> served_{0};
  std::mutex connections_mutex_;
  std::list<Connection> connections_;
  std::thread thread_;
};

}  // namespace kiosk::ops
