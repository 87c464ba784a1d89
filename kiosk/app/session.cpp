#include "kiosk/app/session.h"

#include "kiosk/apply/application.h"
#include "kiosk/core/secure_memory.h"

namespace kiosk {

Session::Session() = default;
Session::~Session() { wipe(); }

void Session::wipe() {
  if (identity) identity->wipe();
  identity.reset();
  secure_clear(search_query);
  secure_clear(identity_token);
  identity_expires_at = 0;
  if (application) application->wipe();
  application.reset();
  rated.clear();
  active = false;
  started_at = 0;
}

}  // namespace kiosk
