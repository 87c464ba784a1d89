// The control socket (control_server.h): listening, the peer check, one thread per connection.
#include "kiosk/ops/control_server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kiosk/core/log.h"

namespace kiosk::ops {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

std::string errno_text(int error) { return std::strerror(error); }

// getgrnam_r / getpwuid_r / getgrouplist want a buffer of unknown size: grow it on ERANGE.
std::optional<gid_t> group_id(const std::string& name) {
  std::vector<char> buffer(1024);
  for (;;) {
    group entry{};
    group* found = nullptr;
    const int error = getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
    if (error == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 4);
      continue;
    }
    if (error != 0 || found == nullptr) return std::nullopt;
    return entry.gr_gid;
  }
}

bool user_in_group(uid_t uid, gid_t wanted) {
  std::vector<char> buffer(1024);
  passwd entry{};
  passwd* found = nullptr;
  for (;;) {
    const int error = getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found);
    if (error == ERANGE && buffer.size() < (1u << 20)) {
      buffer.resize(buffer.size() * 4);
      continue;
    }
    if (error != 0 || found == nullptr) return false;
    break;
  }
  if (entry.pw_gid == wanted) return true;
  int count = 32;
  std::vector<gid_t> groups(static_cast<std::size_t>(count));
  while (getgrouplist(entry.pw_name, entry.pw_gid, groups.data(), &count) == -1) {
    if (count <= static_cast<int>(groups.size())) return false;  // cannot happen; do not loop on it
    groups.resize(static_cast<std::size_t>(count));
  }
  groups.resize(static_cast<std::size_t>(count));
  return std::find(groups.begin(), groups.end(), wanted) != groups.end();
}

sockaddr_un address_of(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.native().size());
  return address;
}

// Sends `text` before `deadline` unless the stop pipe fires. Best effort: the peer may be gone.
bool send_all(int fd, int stop_fd, const std::string& text, Clock::time_point deadline) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t wrote = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (wrote > 0) {
      sent += static_cast<std::size_t>(wrote);
      continue;
    }
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd fds[2] = {{fd, POLLOUT, 0}, {stop_fd, POLLIN, 0}};
    if (::poll(fds, stop_fd >= 0 ? 2 : 1, static_cast<int>(left)) < 0 && errno != EINTR) return false;
    if (stop_fd >= 0 && (fds[1].revents & POLLIN)) return false;
  }
  return true;
}

}  // namespace

bool peer_allowed(uid_t uid, gid_t gid, uid_t own_uid, const std::string& admin_group) {
  if (uid == 0 || uid == own_uid) return true;
  if (admin_group.empty()) return false;
  const auto wanted = group_id(admin_group);
  if (!wanted) return false;
  if (gid == *wanted) return true;
  return user_in_group(uid, *wanted);
}

Result<std::unique_ptr<ControlServer>> ControlServer::start(const std::filesystem::path& path, const std::string& admin_group,
                                                           Operations& operations, ControlServerOptions options) {
  if (path.empty() || path.native().size() >= sizeof(sockaddr_un{}.sun_path)) {
    return Error::make(ErrorKind::invalid_argument,
                       "control socket path must be 1-" + std::to_string(sizeof(sockaddr_un{}.sun_path) - 1) + " bytes: " + path.string());
  }
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  struct stat folder_stat {};
  if (::stat(folder.c_str(), &folder_stat) != 0 || !S_ISDIR(folder_stat.st_mode)) {
    return Error::make(ErrorKind::not_found, "control socket folder " + folder.string() + " does not exist");
  }
  const sockaddr_un address = address_of(path);
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0) {
    if (!S_ISSOCK(existing.st_mode)) {
      return Error::make(ErrorKind::invalid_argument, path.string() + " exists and is not a socket (left as it is)");
    }
    // A socket file: stale after a crash, or a kiosk that is still running.
    const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0) {
      const bool live = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
      ::close(probe);
      if (live) return Error::make(ErrorKind::busy, "another process is answering on " + path.string());
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Error::make(ErrorKind::io, "cannot remove the stale socket " + path.string() + ": " + errno_text(errno));
    }
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Error::make(ErrorKind::io, "socket(AF_UNIX): " + errno_text(errno));
  auto fail = [&](ErrorKind kind, const std::string& what) -> Error {
    const int error = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return Error::make(kind, what + " " + path.string() + ": " + errno_text(error));
  };
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    return Error::make(error == EACCES ? ErrorKind::permission : ErrorKind::io,
                       "cannot bind " + path.string() + ": " + errno_text(error));
  }
  // Mode and group before listen(): until then every connect is refused, so there is no moment
  // when the socket is open to everyone (and no process-wide umask to change under other threads).
  if (::chmod(path.c_str(), 0660) != 0) return fail(ErrorKind::io, "cannot chmod");
  if (const auto gid = group_id(admin_group)) {
    if (::chown(path.c_str(), static_cast<uid_t>(-1), *gid) != 0) return fail(ErrorKind::permission, "cannot give the admin group");
  } else if (!admin_group.empty()) {
    log::info("ops", "control socket: no group " + admin_group + " on this system; only root and the kiosk's user may connect");
  }
  if (::listen(fd, 16) != 0) return fail(ErrorKind::io, "cannot listen on");
  int stop_pipe[2];
  if (::pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return fail(ErrorKind::io, "pipe for");
  std::unique_ptr<ControlServer> server(
      new ControlServer(path, admin_group, operations, std::move(options), fd, stop_pipe[0], stop_pipe[1]));
  server->thread_ = std::thread([raw = server.get()] { raw->run(); });
  log::info("ops", "control socket listening on " + path.string());
  return server;
}

ControlServer::ControlServer(std::filesystem::path path, std::string admin_group, Operations& operations,
                             ControlServerOptions options, int listen_fd, int stop_read, int stop_write)
    : path_(std::move(path)),
      admin_group_(std::move(admin_group)),
      operations_(operations),
      options_(std::move(options)),
      listen_fd_(listen_fd),
      stop_read_(stop_read),
      stop_write_(stop_write) {
  if (options_.max_connections < 1) options_.max_connections = 1;
}

ControlServer::~ControlServer() { stop(); }

void ControlServer::stop() {
  if (stopped_.exchange(true)) return;
  cancel_.cancel();
  const char byte = 'x';
  // The pipe is never drained: every poll on it (listener and connections) sees it from now on.
  (void)!::write(stop_write_, &byte, 1);
  if (thread_.joinable()) thread_.join();
  reap(true);
  struct stat ours {};
  if (::fstat(listen_fd_, &ours) == 0) {
    // Remove the socket file only if it is still ours (a newer kiosk may have replaced it).
    struct stat now {};
    if (::lstat(path_.c_str(), &now) == 0 && S_ISSOCK(now.st_mode)) ::unlink(path_.c_str());
  }
  ::close(listen_fd_);
  ::close(stop_read_);
  ::close(stop_write_);
}

void ControlServer::reap(bool all) {
  std::list<Connection> finished;
  {
    std::lock_guard lock(connections_mutex_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      auto next = std::next(it);
      if (all || it->done.load()) finished.splice(finished.end(), connections_, it);
      it = next;
    }
  }
  for (auto& connection : finished) {
    if (connection.thread.joinable()) connection.thread.join();
  }
}

void ControlServer::run() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_read_, POLLIN, 0}};
    const int ready = ::poll(fds, 2, 1000);
    if (ready < 0 && errno != EINTR) {
      log::error("ops", "control socket: poll: " + errno_text(errno));
      return;
    }
    if (fds[1].revents & POLLIN) return;
    reap(false);
    if (!(fds[0].revents & POLLIN)) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;  // EAGAIN, a peer that went away, EMFILE: try again at the next turn
    ucred peer{};
    socklen_t length = sizeof peer;
    const auto deadline = Clock::now() + options_.write_timeout;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 ||
        !peer_allowed(peer.uid, peer.gid, ::geteuid(), admin_group_)) {
      refused_.fetch_add(1);
      log::warning("ops", "control socket: refused uid " + std::to_string(peer.uid) + " (not root, not the kiosk's user, not in " +
                              (admin_group_.empty() ? std::string("an admin group") : admin_group_) + ")");
      send_all(fd, -1,
               error_answer_line(Error::make(ErrorKind::permission, "permission denied: run as root or as a member of " +
                                                                        (admin_group_.empty() ? std::string("the admin group") : admin_group_))),
               Clock::now() + std::chrono::milliseconds(100));
      ::close(fd);
      continue;
    }
    std::lock_guard lock(connections_mutex_);
    if (static_cast<int>(connections_.size()) >= options_.max_connections) {
      send_all(fd, -1, error_answer_line(Error::make(ErrorKind::busy, "the kiosk is serving other requests; try again shortly")),
               std::min(deadline, Clock::now() + std::chrono::milliseconds(100)));
      ::close(fd);
      continue;
    }
    Connection& connection = connections_.emplace_back();
    connection.thread = std::thread([this, fd, uid = peer.uid, &connection] {
      serve(fd, uid);
      connection.done.store(true);
    });
  }
}

void ControlServer::serve(int fd, uid_t uid) {
  std::string buffer;
  std::optional<std::string> line;
  bool too_long = false;
  bool timed_out = false;
  const auto deadline = Clock::now() + options_.read_timeout;
  while (!line) {
    const auto newline = buffer.find('\n');
    if (newline != std::string::npos) {
      line = buffer.substr(0, newline);
      break;
    }
    if (buffer.size() > kMaxControlRequestBytes + 1) {  // +1: a line may end in "\r\n"
      too_long = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_read_, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
    if (fds[1].revents & POLLIN) {
      ::close(fd);
      return;
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char chunk[4096];
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got > 0) {
      buffer.append(chunk, static_cast<std::size_t>(got));
    } else if (got == 0) {
      if (!buffer.empty()) line = buffer;  // the client half-closed without a newline
      break;
    } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
      break;
    }
  }
  std::string answer;
  if (too_long) {
    answer = error_answer_line(Error::make(ErrorKind::parse, "request longer than " + std::to_string(kMaxControlRequestBytes) + " bytes"));
  } else if (timed_out) {
    answer = error_answer_line(Error::make(ErrorKind::timeout, "no complete request line within " +
                                                                   std::to_string(options_.read_timeout.count()) + " ms"));
  } else if (line) {
    auto request = parse_control_request(*line);
    if (!request.ok()) {
      answer = error_answer_line(request.error());
    } else {
      auto result = execute(*request, uid);
      answer = result.ok() ? ok_answer_line(*result) : error_answer_line(result.error());
    }
  }
  if (!answer.empty()) {
    send_all(fd, stop_read_, answer, Clock::now() + options_.write_timeout);
    served_.fetch_add(1);
  }
  ::close(fd);
}

Result<json> ControlServer::execute(const ControlRequest& request, uid_t uid) {
  Result<json> result = json();
  try {
    switch (request.command) {
      case ControlCommand::status: result = json(operations_.status()); break;
      case ControlCommand::devices: result = json(operations_.devices()); break;
      case ControlCommand::selftest: {
        auto report = operations_.selftest(request.device, request.force, cancel_);
        if (report.ok()) result = json(*report);
        else result = report.release_error();
        break;
      }
      case ControlCommand::network: result = json(operations_.check_network(cancel_)); break;
      case ControlCommand::outbox: result = json(operations_.outbox()); break;
      case ControlCommand::outbox_retry: {
        auto retried = operations_.retry_outbox();
        if (retried.ok()) result = json(operations_.outbox());
        else result = retried.release_error();
        break;
      }
      case ControlCommand::logs: result = json{{"lines", operations_.log_lines(request.limit)}}; break;
      case ControlCommand::bundle: {
        const auto dir = request.dir.empty() ? options_.bundle_dir : request.dir;
        auto written = operations_.write_bundle(dir, "kioskctl uid " + std::to_string(uid));
        if (written.ok()) result = json{{"path", written->string()}};
        else result = written.release_error();
        break;
      }
      case ControlCommand::audit_verify: result = operations_.verify_audit(); break;
      case ControlCommand::sim:
        if (!options_.sim) {
          result = Error::make(ErrorKind::unsupported,
                               "sim commands work only on a kiosk in demo mode (config demo.panel, simulated devices)");
        } else {
          result = options_.sim(request.sim_action, request.sim_arguments);
        }
        break;
    }
  } catch (const std::exception& error) {
    // Operations must not throw; if it does, this connection fails and the socket lives on.
    log::error("ops", std::string("control socket: ") + command_name(request.command) + " threw: " + error.what());
    result = Error::make(ErrorKind::io, std::string("internal error in ") + command_name(request.command));
  }
  if (command_is_audited(request.command)) {
    json detail = {{"uid", static_cast<std::int64_t>(uid)}, {"ok", result.ok()}};
    if (request.command == ControlCommand::selftest) {
      detail["device"] = hal::to_string(request.device);
      detail["force"] = request.force;
    }
    if (request.command == ControlCommand::sim) detail["action"] = request.sim_action;
    if (!result.ok()) detail["error"] = error_kind_name(result.error().kind);
    auto audited = operations_.audit(audit_event_name(request.command), detail);
    if (!audited.ok()) {
      log::error("ops", "control socket: " + audit_event_name(request.command) + " not in the audit trail: " + audited.error().message);
    }
  }
  return result;
}

}  // namespace kiosk::ops
