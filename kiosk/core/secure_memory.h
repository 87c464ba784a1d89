#pragma once
// Wiping of personal data: the compiler may not elide these stores (explicit_bzero).

#include <string>
#include <vector>

namespace kiosk {

void secure_clear(std::string& text);
void secure_clear(std::vector<unsigned char>& bytes);
void secure_clear(void* data, std::size_t size);

// From now on the allocator overwrites every block it frees (glibc's M_PERTURB), so the copies of
// personal data that pass through strings, widgets and JSON bodies — far more than a session's
// own buffers, which secure_clear wipes — do not linger in freed memory after a session. Large
// blocks go back to the kernel on free, which clears them before any reuse. Returns false when the
// allocator does not support it. main() calls it first thing.
bool scrub_freed_memory();

}  // namespace kiosk
