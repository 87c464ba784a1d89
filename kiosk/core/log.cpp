// Logging: redaction, the journald native protocol, stderr lines, the ring of recent records.
// All state is process-wide (see log.h) and guarded by g_mutex; nothing here blocks on a reader.
#include "kiosk/core/log.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>

namespace kiosk::log {
namespace {

// Longest message sent to a sink: a datagram must fit journald's and the kernel's limits, and a
// log line that long is a bug (a dumped document) rather than information.
constexpr std::size_t kMaxMessage = 16 * 1024;
// Longest message kept in the ring: 500 records stay well under a megabyte.
constexpr std::size_t kMaxRecentMessage = 1024;
constexpr std::string_view kRedacted = "[redacted]";
constexpr std::size_t kMaxFieldValue = 1024;  // structured fields are names and states, not text

std::atomic<Level> g_min_level{Level::info};  // process-wide filter, set once by main()
std::atomic<std::uint64_t> g_dropped{0};

std::mutex g_mutex;  // guards everything below
Sink g_sink;         // as configured; Kind::automatic until the first record resolves it
bool g_resolved = false;
int g_journal_fd = -1;
std::array<std::string, kRecentCapacity> g_recent;
std::size_t g_recent_next = 0;   // where the next record goes
std::size_t g_recent_count = 0;  // how many slots hold records

const char* level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "?";
}

// syslog(3) priorities, which journald's PRIORITY= field carries.
int syslog_priority(Level level) {
  switch (level) {
    case Level::debug: return 7;
    case Level::info: return 6;
    case Level::warning: return 4;
    case Level::error: return 3;
  }
  return 6;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// One line: control characters (a newline in a message would forge a second record) as escapes.
void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      out += hex;
    } else {
      out += c;
    }
  }
}

// The length of the maximal digit run starting at `at`.
std::size_t digit_run(std::string_view text, std::size_t at) {
  std::size_t end = at;
  while (end < text.size() && is_digit(text[end])) ++end;
  return end - at;
}

bool is_separator(std::string_view text, std::size_t at) {
  return at < text.size() && (text[at] == ' ' || text[at] == '-');
}

// Numbers written in groups: a mobile number 3-4-4 ("138 1234 5678") or an ID number 6-8-4
// ("510502-19900101-123X"). `at` starts a maximal digit run of `first` digits. Returns the length
// of the whole number, or 0.
std::size_t grouped_number(std::string_view text, std::size_t at, std::size_t first) {
  auto group = [&](std::size_t position, std::size_t want, bool x_may_end) -> std::size_t {
    if (!is_separator(text, position)) return 0;
    ++position;
    const std::size_t run = digit_run(text, position);
    if (run == want) return 1 + run;
    if (x_may_end && run == want - 1 && position + run < text.size() &&
        (text[position + run] == 'X' || text[position + run] == 'x')) {
      return 1 + want;
    }
    return 0;
  };
  if (first == 3 && text[at] == '1' && text[at + 1] >= '3' && text[at + 1] <= '9') {
    if (const std::size_t second = group(at + 3, 4, false)) {
      if (const std::size_t third = group(at + 3 + second, 4, false)) return 3 + second + third;
    }
  }
  if (first == 6) {
    if (const std::size_t second = group(at + 6, 8, false)) {
      if (const std::size_t third = group(at + 6 + second, 4, true)) return 6 + second + third;
    }
  }
  return 0;
}

// The sink for this process when nobody configured one: journald when our stderr is the stream
// systemd connected to it ($JOURNAL_STREAM = "<st_dev>:<st_ino>" of that stream), else stderr.
Sink resolve_automatic(Sink sink) {
  sink.kind = Sink::Kind::stderr_only;
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return sink;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return sink;
  struct stat status {};
  if (::fstat(STDERR_FILENO, &status) != 0) return sink;
  if (static_cast<unsigned long long>(status.st_dev) == device &&
      static_cast<unsigned long long>(status.st_ino) == inode) {
    sink.kind = Sink::Kind::journal;
  }
  return sink;
}

// Writes the whole line to fd 2, or gives up at the first failure (never retries in a loop: a
// full disk stays full). SIGPIPE is held back meanwhile so a stderr pipe whose reader died costs a
// line, not the process; a SIGPIPE this write raised is taken back out of the pending set.
bool write_stderr(std::string_view line) {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  sigset_t pending;
  sigpending(&pending);
  const bool pipe_was_pending = sigismember(&pending, SIGPIPE) == 1;

  bool written = true;
  int error = 0;
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    error = n < 0 ? errno : EIO;
    written = false;
    break;
  }
  if (!written && error == EPIPE && !pipe_was_pending) {
    const timespec no_wait{};
    sigtimedwait(&pipe_set, nullptr, &no_wait);
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return written;
}

// journald's native protocol: "FIELD=value\n", or for a value holding a newline the binary form
// "FIELD\n" + 64-bit little-endian length + value + "\n".
void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  if (value.find('\n') == std::string_view::npos) {
    out += '=';
    out += value;
  } else {
    out += '\n';
    std::uint64_t length = value.size();
    for (int i = 0; i < 8; ++i) {
      out += static_cast<char>(length & 0xff);
      length >>= 8;
    }
    out += value;
  }
  out += '\n';
}

// journald drops a datagram with a malformed field name; ours are constants, but a wrong one must
// cost that field, not the record.
bool valid_field_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '_' || (name.front() >= '0' && name.front() <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

enum class JournalResult { sent, full, unreachable };

JournalResult send_journal(const std::string& socket_path, const std::string& datagram) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof address.sun_path) return JournalResult::unreachable;
  std::memcpy(address.sun_path, socket_path.data(), socket_path.size());
  if (g_journal_fd < 0) {
    g_journal_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (g_journal_fd < 0) return JournalResult::unreachable;
  }
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path.size() + 1);
  for (;;) {
    // MSG_DONTWAIT: a journald that does not read must never hold up the caller (the UI thread).
    const ssize_t sent = ::sendto(g_journal_fd, datagram.data(), datagram.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&address), length);
    if (sent >= 0) return JournalResult::sent;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EMSGSIZE) {
      return JournalResult::full;
    }
    return JournalResult::unreachable;  // ENOENT, ECONNREFUSED, EACCES …: not there for us
  }
}

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

void set_min_level(Level level) { g_min_level = level; }

void configure(const Sink& sink) {
  std::lock_guard lock(g_mutex);
  g_sink = sink;
  g_resolved = sink.kind != Sink::Kind::automatic;
}

std::string redact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    if (!is_digit(text[at])) {
      out += text[at++];
      continue;
    }
    const std::size_t run = digit_run(text, at);
    if (const std::size_t grouped = grouped_number(text, at, run)) {
      out += kRedacted;
      at += grouped;
      continue;
    }
    if (run >= 9) {
      std::size_t end = at + run;
      // A resident ID number's check character may be X: it goes with the number.
      if (run == 17 && end < text.size() && (text[end] == 'X' || text[end] == 'x')) ++end;
      out += kRedacted;
      at = end;
      continue;
    }
    out.append(text.substr(at, run));
    at += run;
  }
  return out;
}

void write(Level level, std::string_view module, std::string_view message) { event(level, module, {}, message, {}); }

void event(Level level, std::string_view module, std::string_view message_id, std::string_view message,
           std::initializer_list<Field> fields) {
  if (level < g_min_level.load()) return;
  // Everything below runs on the redacted text only.
  std::string clean = redact(cut_utf8(message, kMaxMessage));
  if (message.size() > kMaxMessage) clean += " [truncated]";

  std::string stored = utc_timestamp();
  stored += ' ';
  stored += level_name(level);
  stored += ' ';
  append_escaped(stored, module);
  stored += ": ";
  append_escaped(stored, cut_utf8(clean, kMaxRecentMessage));

  std::lock_guard lock(g_mutex);
  g_recent[g_recent_next] = std::move(stored);
  g_recent_next = (g_recent_next + 1) % kRecentCapacity;
  if (g_recent_count < kRecentCapacity) ++g_recent_count;

  if (!g_resolved) {
    g_sink = resolve_automatic(g_sink);
    g_resolved = true;
  }
  if (g_sink.kind == Sink::Kind::journal) {
    std::string datagram;
    datagram.reserve(clean.size() + module.size() + 80);
    append_field(datagram, "MESSAGE", clean);
    append_field(datagram, "PRIORITY", std::to_string(syslog_priority(level)));
    append_field(datagram, "SYSLOG_IDENTIFIER", "kiosk");
    append_field(datagram, "KIOSK_MODULE", module);
    if (!message_id.empty()) append_field(datagram, "MESSAGE_ID", message_id);
    for (const Field& field : fields) {
      if (valid_field_name(field.name)) append_field(datagram, field.name, redact(cut_utf8(field.value, kMaxFieldValue)));
    }
    switch (send_journal(g_sink.journal_socket, datagram)) {
      case JournalResult::sent: return;
      case JournalResult::full: ++g_dropped; return;
      case JournalResult::unreachable: break;  // to stderr below
    }
  }
  std::string line = level_name(level);
  line += ' ';
  append_escaped(line, module);
  line += ": ";
  append_escaped(line, clean);
  line += '\n';
  if (!write_stderr(line)) ++g_dropped;
}

std::vector<std::string> recent_lines(std::size_t limit) {
  std::lock_guard lock(g_mutex);
  const std::size_t count = std::min(limit, g_recent_count);
  std::vector<std::string> lines;
  lines.reserve(count);
  // The oldest of the newest `count`: `count` slots back from the next free one.
  std::size_t index = (g_recent_next + kRecentCapacity - count) % kRecentCapacity;
  for (std::size_t i = 0; i < count; ++i) {
    lines.push_back(g_recent[index]);
    index = (index + 1) % kRecentCapacity;
  }
  return lines;
}

std::uint64_t dropped_lines() { return g_dropped.load(); }

}  // namespace kiosk::log
