#include "kiosk/core/result.h"

namespace kiosk {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return "invalid argument";
    case ErrorKind::parse: return "parse error";
    case ErrorKind::not_found: return "not found";
    case ErrorKind::io: return "i/o error";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::device: return "device error";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::busy: return "busy";
    case ErrorKind::permission: return "permission denied";
  }
  return "unknown";
}

}  // namespace kiosk
