#pragma once
// Process-wide state of the PDF libraries behind kiosk/licence (poppler, cairo, fontconfig).
//
// quiet_poppler(): poppler prints its parser's complaints ("Syntax Error (1234): …") to stderr,
// which is the kiosk's log, and they can quote bytes of the document — licence content is personal
// data. The first call routes them to a handler that drops them (errors still fail the open or the
// render through poppler-glib's own results). Any thread; cheap after the first call.
//
// In sanitizer builds the library also carries LeakSanitizer's default suppressions for cairo's
// and fontconfig's process-long caches (see pdf_library.cpp).

namespace kiosk::licence {

void quiet_poppler();

}  // namespace kiosk::licence
