#pragma once
// When to try again after a failed platform request: exponential backoff with jitter, never
// sooner than the platform's Retry-After. Pure, so tests pin it down with a seeded generator.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>

#include "kiosk/core/clock.h"

namespace kiosk::platform {

struct BackoffPolicy {
  Milliseconds initial = 1000;
  Milliseconds maximum = 5 * 60 * 1000;
  double multiplier = 2.0;
};

// The delay before attempt `attempt + 1` (attempt counts failures so far, from 1): a random point
// in [d/2, d] where d = initial × multiplier^(attempt-1) capped at maximum ("equal jitter": spreads
// a fleet's retries after an outage without ever retrying at once), raised to `retry_after`.
template <typename Random>
Milliseconds backoff_delay(const BackoffPolicy& policy, int attempt, std::optional<Milliseconds> retry_after,
                           Random& random) {
  double ceiling = static_cast<double>(policy.initial);
  for (int i = 1; i < attempt && ceiling < static_cast<double>(policy.maximum); ++i) ceiling *= policy.multiplier;
  const auto top = static_cast<Milliseconds>(std::min(ceiling, static_cast<double>(policy.maximum)));
  std::uniform_int_distribution<Milliseconds> spread(top / 2, std::max<Milliseconds>(top / 2, top));
  const Milliseconds delay = spread(random);
  return std::max(delay, retry_after.value_or(0));
}

}  // namespace kiosk::platform
