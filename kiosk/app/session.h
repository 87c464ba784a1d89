#pragma once
// The citizen's session: everything personal lives here and nowhere else, so ending the session
// (finish, cancel, inactivity) wipes it in one place.

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "hal/card_reader.h"
#include "kiosk/core/clock.h"

namespace kiosk {

namespace apply {
struct Application;
}

struct Session {
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  bool active = false;
  Milliseconds started_at = 0;
  std::optional<hal::IdentityCard> identity;  // from the card reader, until the session ends
  std::string search_query;
  // After the platform verified card and face (POST /identity/verify): the token that stands for
  // the citizen in later calls, and when it stops being valid (app clock, ms).
  std::string identity_token;
  Milliseconds identity_expires_at = 0;
  // The application being filled in (journey 1); null when none.
  std::unique_ptr<apply::Application> application;
  // 好差评 given in this session (screens/rating_screen.cpp): the case numbers (or local receipt
  // numbers) rated, "" for the hall's service. One rating each; the platform enforces it per case.
  std::set<std::string> rated;

  bool verified(Milliseconds now) const { return !identity_token.empty() && now < identity_expires_at; }

  void begin(Milliseconds now) {
    wipe();
    active = true;
    started_at = now;
  }
  void wipe();
};

}  // namespace kiosk
