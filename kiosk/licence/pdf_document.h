#pragma once
// A licence PDF opened from memory with poppler (Debian's poppler-glib): how many pages, how big,
// and a page drawn for the screen. Licence content is personal data: the document keeps its own
// copy of the bytes and wipes it when destroyed; rendered pages are the caller's to wipe.
//
// Threading: one PdfDocument is used by one thread at a time (poppler objects are not
// thread-safe); opening and rendering are CPU work (tens of milliseconds a page) that belongs on a
// worker, never the UI thread. Poppler's own diagnostics are kept out of the log (they can quote
// document bytes).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kiosk/licence/licence_error.h"
#include "kiosk/ui/canvas.h"

typedef struct _PopplerDocument PopplerDocument;

namespace kiosk::licence {

// In PDF points (1/72 inch), after the page's rotation.
struct PageSize {
  double width = 0;
  double height = 0;
};

class PdfDocument {
 public:
  // Errors: too_large (over kMaxPdfBytes, more than kMaxPages pages, a page side over
  // kMaxPagePoints), malformed (not a PDF, damaged beyond repair, encrypted, no pages).
  static LicenceResult<std::unique_ptr<PdfDocument>> open(std::span<const std::uint8_t> pdf);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  int page_count() const { return page_count_; }
  // `index` from 0; sizes were checked by open().
  PageSize page_size(int index) const;

  // Page `index` drawn on white, as large as fits in max_width × max_height pixels with its shape
  // kept (at least 1 × 1). Errors: invalid index or size (malformed), poppler/cairo failure (render).
  LicenceResult<std::shared_ptr<ui::Canvas>> render_page(int index, int max_width, int max_height) const;

  // The text on page `index` as poppler extracts it (tests check what a stamped copy still says).
  // Personal data: the caller wipes it. Empty for an invalid index.
  std::string page_text(int index) const;

  // For the watermark (watermark.h): the poppler document behind this one.
  PopplerDocument* poppler() const { return document_; }

 private:
  PdfDocument() = default;

  std::vector<std::uint8_t> bytes_;  // poppler reads these in place; wiped in the destructor
  PopplerDocument* document_ = nullptr;
  int page_count_ = 0;
  std::vector<PageSize> sizes_;
};

// Overwrites a rendered page (personal data) before it is freed.
void wipe(ui::Canvas& page);

}  // namespace kiosk::licence
