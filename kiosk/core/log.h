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
#include <initializer_list>
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

// A record of a documented kind (docs/operations.md "Log events"), so `journalctl MESSAGE_ID=…`
// finds every one: journald gets MESSAGE_ID and the extra fields beside MESSAGE; stderr and the
// ring of recent records get the message text alone, the same line as write(). Field names are
// journald's (upper case, digits, '_', not starting with '_'); values are redacted like messages.
struct Field {
  std::string_view name;   // "KIOSK_DEVICE"
  std::string_view value;  // "card_reader"
};
void event(Level level, std::string_view module, std::string_view message_id, std::string_view message,
           std::initializer_list<Field> fields = {});

// The MESSAGE_IDs (128-bit, 32 lower-case hex digits, fixed for ever: technicians' filters and
// alert rules use them). One per kind of event; the table in docs/operations.md says when each is
// logged, its fields and what a technician does.
namespace message_id {
inline constexpr std::string_view kDeviceOnline = "aa3673381253499fb0d1af46afd5c572";
inline constexpr std::string_view kDeviceOffline = "398b0fc8bf2f4145aa39d5b05c8bb019";
inline constexpr std::string_view kDeviceFault = "3a6fc93a7f774699a926970afac5fca9";
inline constexpr std::string_view kDeviceRecovered = "574935fdb63646289f5d1c2a50d49e25";
inline constexpr std::string_view kDeviceMissingAtStart = "d40d5a06f6174fb497f05ec8d283ec20";
inline constexpr std::string_view kPlatformConfigFault = "45edca1973e6482d8c405e8784bfb8d1";
}  // namespace message_id

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
