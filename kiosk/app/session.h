#pragma once
// The citizen's session: everything personal lives here and nowhere else, so ending the session
// (finish, cancel, inactivity) wipes it in one place.

#include <optional>
#include <string>

#include "hal/card_reader.h"
#include "kiosk/core/clock.h"

namespace kiosk {

struct Session {
  bool active = false;
  Milliseconds started_at = 0;
  std::optional<hal::IdentityCard> identity;  // from the card reader, until the session ends
  std::string search_query;

  void begin(Milliseconds now) {
    wipe();
    active = true;
    started_at = now;
  }
  void wipe();
};

}  // namespace kiosk
