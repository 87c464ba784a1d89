#pragma once
// Fault rules injected through the admin port (POST /admin/faults). A rule matches requests by
// path prefix and applies to `count` of them (-1: until DELETE /admin/faults). What each field
// does to a matched request on the platform port:
//   latency_ms     wait before answering (for idempotent POSTs after the key is claimed, so a
//                  concurrent duplicate meets idempotency_in_flight)
//   status         answer this error status instead (503 unavailable, 500 internal, 429 …) with
//                  Retry-After: retry_after_s when > 0; nothing is processed
//   drop           close the connection after reading the request, without an answer; nothing
//                  is processed
//   stall_body_ms  process, send the head and half the body, wait, then send the rest
//   tls_reset      process, send the head and half the body, then reset the TCP connection
//                  (RST, no TLS close_notify): the answer is lost after the work was done
// DELETE /admin/faults also ends the latency and stall waits in progress, so a test can hold a
// request for as long as it needs and then let it go, without racing a clock.

#include <atomic>
#include <cstdint>
#include <ctime>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"
#include "tools/platform-sim/api_error.h"

namespace platform_sim {

struct FaultRule {
  int latency_ms = 0;
  int status = 0;
  int retry_after_s = 0;
  bool drop = false;
  int stall_body_ms = 0;
  bool tls_reset = false;
  std::string path_prefix = "/api/v1/";
  int count = -1;
  std::uint64_t generation = 0;  // the table's generation when this rule was taken

  nlohmann::json to_json() const;
};

// Parses an admin request body into a rule; refuses unknown fields and out-of-range values.
kiosk::Result<FaultRule, ApiError> parse_fault_rule(const nlohmann::json& body);

class FaultTable {
 public:
  void add(FaultRule rule);
  // Removes every rule and wakes every wait() in progress.
  void clear();
  // The first rule matching `path`, used up by one; nullopt when none matches.
  std::optional<FaultRule> take(std::string_view path);
  nlohmann::json to_json() const;

  // Waits `milliseconds` for `rule`'s request; returns false early when `stop` is set or the
  // rules were cleared after the rule was taken. Checks `stop` at least every 50 ms.
  bool wait(const FaultRule& rule, int milliseconds, const std::atomic<bool>& stop) const;

  // A platform clock that is off (POST /admin/clock): the Date header the terminal reads its
  // clock skew from. Not cleared by clear(): it is a setting, not a fault rule.
  void set_clock_offset(std::int64_t seconds) { clock_offset_s_ = seconds; }
  std::time_t now() const { return std::time(nullptr) + static_cast<std::time_t>(clock_offset_s_.load()); }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cleared_;
  std::vector<FaultRule> rules_;
  std::uint64_t generation_ = 0;
  std::atomic<std::int64_t> clock_offset_s_{0};
};

}  // namespace platform_sim
