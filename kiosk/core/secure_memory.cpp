#include "kiosk/core/secure_memory.h"

#include <malloc.h>

#include <string.h>

namespace kiosk {

void secure_clear(void* data, std::size_t size) {
  if (data != nullptr && size > 0) explicit_bzero(data, size);
}

void secure_clear(std::string& text) {
  // Wipe the whole capacity: shrinking strings leave old bytes behind the terminator.
  secure_clear(text.data(), text.capacity());
  text.clear();
}

void secure_clear(std::vector<unsigned char>& bytes) {
  secure_clear(bytes.data(), bytes.capacity());
  bytes.clear();
}

bool scrub_freed_memory() {
#ifdef M_PERTURB
  // Freed blocks are filled with this byte, new ones with its complement (never with old data).
  return mallopt(M_PERTURB, 0x5A) == 1;
#else
  return false;
#endif
}

}  // namespace kiosk
