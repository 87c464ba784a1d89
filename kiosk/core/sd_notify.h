#pragma once
// systemd's notify protocol without libsystemd: datagrams to $NOTIFY_SOCKET ("READY=1",
// "WATCHDOG=1", "STATUS=…", "STOPPING=1"). The window loop pings the watchdog only when it really
// turns, so a hung loop stops the pings and systemd (WatchdogSec=) restarts the kiosk.

#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/clock.h"
#include "kiosk/core/result.h"

namespace kiosk {

class SdNotifier {
 public:
  // From the environment ($NOTIFY_SOCKET, $WATCHDOG_USEC, $WATCHDOG_PID). Not under systemd: every
  // call does nothing and succeeds.
  static SdNotifier from_environment();
  // For tests: an explicit socket path ("@name" is abstract) and watchdog interval.
  SdNotifier(std::string socket_path, std::optional<Milliseconds> watchdog_interval);

  bool enabled() const { return !socket_path_.empty(); }
  Status ready() const { return send("READY=1"); }
  Status stopping() const { return send("STOPPING=1"); }
  Status status(std::string_view text) const { return send("STATUS=" + std::string(text)); }
  Status send(std::string_view message) const;

  // The watchdog: ping when half the interval has passed since the last ping. Call from the main
  // loop only. Returns when the loop must turn next at the latest (nullopt: no watchdog).
  std::optional<Milliseconds> tick(Milliseconds now);
  std::optional<Milliseconds> watchdog_interval() const { return watchdog_interval_; }

 private:
  std::string socket_path_;
  std::optional<Milliseconds> watchdog_interval_;
  std::optional<Milliseconds> last_ping_;
};

}  // namespace kiosk
