#include "kiosk/licence/pdf_library.h"

#include <mutex>

#ifdef KIOSK_POPPLER_ERROR_CALLBACK
// From poppler's core (Error.h), which Debian ships only in libpoppler-private-dev. CMake links
// this only after checking that the symbol with exactly this signature exists in libpoppler, so a
// poppler with another signature fails at configure time, not at run time.
enum ErrorCategory { errSyntaxWarning, errSyntaxError, errConfig, errCommandLine, errIO, errNotAllowed, errUnimplemented,
                     errInternal };
void setErrorCallback(void (*callback)(ErrorCategory category, long long position, const char* message));
#endif

namespace kiosk::licence {

#ifdef KIOSK_POPPLER_ERROR_CALLBACK
namespace {
void drop_poppler_message(ErrorCategory, long long, const char*) {}
}  // namespace
#endif

void quiet_poppler() {
#ifdef KIOSK_POPPLER_ERROR_CALLBACK
  // Poppler keeps the handler in a process-wide variable of its own; setting it once is enough.
  static std::once_flag once;
  std::call_once(once, [] { setErrorCallback(&drop_poppler_message); });
#endif
}

}  // namespace kiosk::licence

// GCC says -fsanitize=address with __SANITIZE_ADDRESS__, clang (the libFuzzer build) with
// __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define KIOSK_LICENCE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KIOSK_LICENCE_LSAN 1
#endif
#endif

#ifdef KIOSK_LICENCE_LSAN
// LeakSanitizer's default suppressions for what Debian 12's cairo (1.16) and fontconfig lose or keep
// for the whole process, which nothing in our code can free:
// - every finished PDF surface that embeds a font subset loses 768 bytes inside
//   cairo_surface_finish (measured: five stamps, five blocks; the tests' sample PDFs, drawn with
//   cairo alone, show it too) — about 0.2 MB a day at 300 prints;
// - the toy font API's fontconfig patterns. cairo_debug_reset_static_data() would free cairo's
//   caches at exit, but it aborts while poppler still holds cairo fonts of its own (a PDF that
//   uses a system font), so the kiosk cannot call it.
// Libcairo has no frame pointers, so ASan's fast unwinder sees only "libcairo.so" frames: the
// suppression has to name the library, and a cairo object we forget to destroy is hidden too —
// which is why every cairo create in kiosk/licence is paired with its destroy in the same function.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libcairo.so\n"
         "leak:libfontconfig.so\n";
}
#endif
