#include "kiosk/app/session.h"

#include "kiosk/core/secure_memory.h"

namespace kiosk {

void Session::wipe() {
  if (identity) identity->wipe();
  identity.reset();
  secure_clear(search_query);
  active = false;
  started_at = 0;
}

}  // namespace kiosk
