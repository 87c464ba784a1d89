#pragma once
// Structured logging. Under systemd (JOURNAL_STREAM names our stderr) each record goes to journald
// as one datagram of its native protocol (MESSAGE, PRIORITY, SYSLOG_IDENTIFIER=kiosk,
// KIOSK_MODULE); otherwise one line per record on stderr ("warning main: …"). Never pass personal
// data (ID fields, names, addresses, face images) to these functions: log ids and kinds only.
// redact() masks ID and phone numbers in every message anyway, as a safety net.
//
// Logging is the one process-wide facility (every module logs, and threading a logger through
// every call would buy nothing): its state — the sink, the ring buffer of recent records, the
// dropped-line counter — lives in log.cpp behind a mutex. Writing never blocks on a slow reader
// and never throws: a full or hung journald, or a stderr on a full disk or a closed pipe, drops
// the line and counts it (dropped_lines(), for the metric kiosk_log_lines_dropped_total).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::log {

enum class Level { debug, info, warning, error };

void set_min_level(Level level);
void write(Level level, std::string_view module, std::string_view message);

inline void debug(std::string_view module, std::string_view message) { write(Level::debug, module, message); }
inline void info(std::string_view module, std::string_view message) { write(Level::info, module, message); }
inline void warning(std::string_view module, std::string_view message) { write(Level::warning, module, message); }
inline void error(std::string_view module, std::string_view message) { write(Level::error, module, message); }

// Where records go. Until configure() is called the sink is chosen once, at the first record, from
// the environment: the journal at /run/systemd/journal/socket when $JOURNAL_STREAM matches stderr's
// device and inode (as sd-journal documents), stderr otherwise.
struct Sink {
  enum class Kind { automatic, stderr_only, journal };
  Kind kind = Kind::automatic;
  // For Kind::journal, and for Kind::automatic when it finds journald: the journald socket (tests
  // bind their own). A socket that is not there or
  // refuses us sends the record to stderr instead.
  std::string journal_socket = "/run/systemd/journal/socket";
};
void configure(const Sink& sink);

// Masks 18-character resident ID numbers (17 digits + digit or X), 15-digit old ID numbers,
// mainland mobile numbers (1[3-9] + 9 digits, also written 3-4-4 with spaces or hyphens), ID
// numbers written 6-8-4, and any other run of 9 or more digits, each as "[redacted]". Everything
// else is kept. Applied to every message before any sink.
std::string redact(std::string_view text);

// The newest records (at most `limit`, and at most the 500 kept), oldest first, each one line:
// "2026-12-04T21:17:22Z warning main: message" (UTC, message redacted, control characters escaped).
// For technician mode and `kioskctl logs`. Thread-safe.
inline constexpr std::size_t kRecentCapacity = 500;
std::vector<std::string> recent_lines(std::size_t limit = kRecentCapacity);

// Records that no sink took (journald full or hung, stderr failing) since the process started.
std::uint64_t dropped_lines();

}  // namespace kiosk::log
