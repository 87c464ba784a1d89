#include "kiosk/core/clock.h"

#include <chrono>

namespace kiosk {

Milliseconds SteadyClock::now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace kiosk
