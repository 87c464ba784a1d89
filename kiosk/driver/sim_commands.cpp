// Script commands that drive the simulated devices (card, fault). Written against devices/sim.
#include "kiosk/driver/script.h"

namespace kiosk::driver {

Status ScriptRunner::card(const Command&) {
  return Error::make(ErrorKind::unsupported, "card: the simulated card reader is not built yet");
}

Status ScriptRunner::fault(const Command&) {
  return Error::make(ErrorKind::unsupported, "fault: simulated devices are not built yet");
}

}  // namespace kiosk::driver
