#pragma once
// Time source for the app. The real kiosk uses the steady clock; the headless script driver uses
// a VirtualClock so `wait 30000` takes no real time and every run is repeatable.

#include <atomic>
#include <cstdint>
#include <string>

namespace kiosk {

using Milliseconds = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic milliseconds since an arbitrary start. Thread-safe.
  virtual Milliseconds now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  Milliseconds now() const override;
};

class VirtualClock final : public Clock {
 public:
  Milliseconds now() const override { return now_.load(); }
  void advance(Milliseconds delta) { now_ += delta; }

 private:
  std::atomic<Milliseconds> now_{0};
};

// A wall-clock time (Unix seconds) through strftime, in UTC or the terminal's local zone:
// format_time(t, "%Y-%m-%d %H:%M:%S", TimeZone::local). "" when the format yields nothing.
enum class TimeZone { utc, local };
std::string format_time(std::int64_t unix_s, const char* strftime_format, TimeZone zone)
    __attribute__((format(strftime, 2, 0)));

}  // namespace kiosk
