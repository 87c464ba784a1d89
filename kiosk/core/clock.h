#pragma once
// Time source for the app. The real kiosk uses the steady clock; the headless script driver uses
// a VirtualClock so `wait 30000` takes no real time and every run is repeatable.

#include <atomic>
#include <cstdint>

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

// Wall-clock times for people (format_time, rfc3339) are in the terminal's zone: time_zone.h.

}  // namespace kiosk
