#include "kiosk/licence/pdf_document.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <cairo.h>
#include <poppler.h>

#include "kiosk/core/secure_memory.h"
#include "kiosk/licence/pdf_library.h"

namespace kiosk::licence {

namespace {

// The largest preview we draw: a 4K panel's side. Bigger asks are scaled down to it.
constexpr int kMaxRenderSide = 4096;

}  // namespace

LicenceResult<std::unique_ptr<PdfDocument>> PdfDocument::open(std::span<const std::uint8_t> pdf) {
  if (pdf.size() > kMaxPdfBytes) {
    return LicenceError::make(LicenceErrorKind::too_large, "PDF of " + std::to_string(pdf.size()) + " bytes");
  }
  if (pdf.size() < 8 || std::string_view(reinterpret_cast<const char*>(pdf.data()), 5) != "%PDF-") {
    return LicenceError::make(LicenceErrorKind::malformed, "not a PDF (no %PDF- header)");
  }
  quiet_poppler();
  std::unique_ptr<PdfDocument> document(new PdfDocument());
  document->bytes_.assign(pdf.begin(), pdf.end());
  // Poppler reads our copy in place (no second copy to wipe); the GBytes does not own it.
  GBytes* bytes = g_bytes_new_static(document->bytes_.data(), document->bytes_.size());
  GError* error = nullptr;
  document->document_ = poppler_document_new_from_bytes(bytes, nullptr, &error);
  g_bytes_unref(bytes);
  if (!document->document_) {
    // GError messages from poppler name the failure ("PDF document is damaged"), not content.
    std::string message = "poppler could not open the PDF";
    if (error) {
      if (error->domain == POPPLER_ERROR && error->code == POPPLER_ERROR_ENCRYPTED) message = "the PDF is encrypted";
      g_error_free(error);
    }
    return LicenceError::make(LicenceErrorKind::malformed, message);
  }
  if (error) g_error_free(error);
  const int pages = poppler_document_get_n_pages(document->document_);
  if (pages <= 0) return LicenceError::make(LicenceErrorKind::malformed, "the PDF has no pages");
  if (pages > kMaxPages) {
    return LicenceError::make(LicenceErrorKind::too_large, "PDF of " + std::to_string(pages) + " pages");
  }
  for (int i = 0; i < pages; ++i) {
    PopplerPage* page = poppler_document_get_page(document->document_, i);
    if (!page) return LicenceError::make(LicenceErrorKind::malformed, "page " + std::to_string(i + 1) + " cannot be read");
    PageSize size;
    poppler_page_get_size(page, &size.width, &size.height);
    g_object_unref(page);
    if (!std::isfinite(size.width) || !std::isfinite(size.height) || size.width < 1 || size.height < 1) {
      return LicenceError::make(LicenceErrorKind::malformed, "page " + std::to_string(i + 1) + " has no size");
    }
    if (size.width > kMaxPagePoints || size.height > kMaxPagePoints) {
      return LicenceError::make(LicenceErrorKind::too_large, "page " + std::to_string(i + 1) + " is over 5 m a side");
    }
    document->sizes_.push_back(size);
  }
  document->page_count_ = pages;
  return document;
}

PdfDocument::~PdfDocument() {
  if (document_) g_object_unref(document_);
  secure_clear(bytes_);
}

PageSize PdfDocument::page_size(int index) const {
  if (index < 0 || index >= page_count_) return {};
  return sizes_[static_cast<std::size_t>(index)];
}

LicenceResult<std::shared_ptr<ui::Canvas>> PdfDocument::render_page(int index, int max_width, int max_height) const {
  if (index < 0 || index >= page_count_) {
    return LicenceError::make(LicenceErrorKind::malformed, "no page " + std::to_string(index + 1));
  }
  if (max_width < 1 || max_height < 1) return LicenceError::make(LicenceErrorKind::malformed, "empty render size");
  max_width = std::min(max_width, kMaxRenderSide);
  max_height = std::min(max_height, kMaxRenderSide);
  const PageSize size = sizes_[static_cast<std::size_t>(index)];
  const double scale = std::min(max_width / size.width, max_height / size.height);
  const int width = std::clamp(static_cast<int>(std::floor(size.width * scale)), 1, max_width);
  const int height = std::clamp(static_cast<int>(std::floor(size.height * scale)), 1, max_height);

  PopplerPage* page = poppler_document_get_page(document_, index);
  if (!page) return LicenceError::make(LicenceErrorKind::render, "page " + std::to_string(index + 1) + " cannot be read");
  auto canvas = std::make_shared<ui::Canvas>(width, height);
  canvas->clear(ui::Color::rgb(0xFFFFFF));
  // Cairo draws straight into the canvas: ARGB32 on an opaque white page is the canvas's own
  // 0xAARRGGBB layout (premultiplied alpha is the same when alpha is 255).
  cairo_surface_t* surface = cairo_image_surface_create_for_data(reinterpret_cast<unsigned char*>(canvas->pixels()),
                                                                 CAIRO_FORMAT_ARGB32, width, height, canvas->pitch_bytes());
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, width / size.width, height / size.height);
  poppler_page_render(page, cr);
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  cairo_surface_destroy(surface);
  g_object_unref(page);
  if (status != CAIRO_STATUS_SUCCESS) {
    wipe(*canvas);
    return LicenceError::make(LicenceErrorKind::render, std::string("cairo: ") + cairo_status_to_string(status));
  }
  // Poppler may leave translucent pixels where a page draws with alpha onto nothing; the canvas
  // must stay opaque.
  std::uint32_t* pixels = canvas->pixels();
  for (std::size_t i = 0, n = static_cast<std::size_t>(width) * height; i < n; ++i) pixels[i] |= 0xFF000000u;
  return canvas;
}

std::string PdfDocument::page_text(int index) const {
  if (index < 0 || index >= page_count_) return {};
  PopplerPage* page = poppler_document_get_page(document_, index);
  if (!page) return {};
  char* text = poppler_page_get_text(page);
  std::string result = text ? text : "";
  if (text) {
    secure_clear(text, std::strlen(text));
    g_free(text);
  }
  g_object_unref(page);
  return result;
}

void wipe(ui::Canvas& page) {
  secure_clear(page.pixels(), static_cast<std::size_t>(page.pitch_bytes()) * page.height());
}

}  // namespace kiosk::licence
