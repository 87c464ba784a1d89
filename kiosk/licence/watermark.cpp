#include "kiosk/licence/watermark.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <cairo-pdf.h>
#include <cairo.h>
#include <poppler.h>

#include "kiosk/core/secure_memory.h"
#include "kiosk/core/text.h"

namespace kiosk::licence {

namespace {

constexpr const char* kFont = "Noto Sans CJK SC";
constexpr std::size_t kMaxWatermarkBytes = 500;
// The top line: as large as fits the page's width, up to this, never below the smallest size a
// printer still renders legibly.
constexpr double kLineSize = 9;
constexpr double kLineMinSize = 6;
constexpr double kLineMargin = 20;  // points from the page's edges
// Diagonal rows: faint, 30° up to the right, a row every kRowSpacing points.
constexpr double kRowSize = 13;
constexpr double kRowAngle = -M_PI / 6;
constexpr double kRowSpacing = 96;
constexpr double kRowGap = 48;  // between repeats in a row

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  // Grow by doubling ourselves so old buffers (licence content) can be wiped, not left to realloc.
  if (out->size() + length > out->capacity()) {
    std::vector<std::uint8_t> bigger;
    bigger.reserve(std::max<std::size_t>(out->capacity() * 2, out->size() + length + 65536));
    bigger.assign(out->begin(), out->end());
    secure_clear(*out);
    *out = std::move(bigger);
  }
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

// One line of plain text: control characters (line breaks) become spaces, invalid UTF-8 is
// refused by the caller.
std::string single_line(std::string_view text) {
  std::u32string characters = text::decode_utf8(text);
  for (char32_t& c : characters) {
    if (c < 0x20 || c == 0x7F) c = U' ';
  }
  return text::encode_utf8(characters);
}

double advance(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

// The faint rows as one tile (two rows, the second shifted by half a repeat so the text does not
// line up in columns) repeated over the page at kRowAngle. The tile holds the text as outlines,
// not text: the rows stay on paper and in any copy of the PDF, but text extraction (and a search
// for the licence's own words) sees the legible line only, not a jumble of rotated repeats. In the
// PDF it is one tiling pattern, however many times it repeats.
cairo_pattern_t* row_pattern(const std::string& text) {
  cairo_surface_t* probe = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
  cairo_t* measure = cairo_create(probe);
  cairo_select_font_face(measure, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(measure, kRowSize);
  const double repeat = advance(measure, text) + kRowGap;
  cairo_destroy(measure);
  cairo_surface_destroy(probe);

  const cairo_rectangle_t tile{0, 0, repeat, 2 * kRowSpacing};
  cairo_surface_t* surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &tile);
  cairo_t* cr = cairo_create(surface);
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, kRowSize);
  cairo_set_source_rgba(cr, 0.75, 0.1, 0.1, 0.16);
  for (const auto& [x, y] : {std::pair{0.0, kRowSpacing / 2}, std::pair{repeat / 2, 1.5 * kRowSpacing},
                             std::pair{repeat / 2 - repeat, 1.5 * kRowSpacing}}) {
    cairo_move_to(cr, x, y);
    cairo_text_path(cr, text.c_str());
  }
  cairo_fill(cr);
  cairo_destroy(cr);
  cairo_pattern_t* pattern = cairo_pattern_create_for_surface(surface);
  cairo_surface_destroy(surface);
  cairo_pattern_set_extend(pattern, CAIRO_EXTEND_REPEAT);
  return pattern;
}

void draw_watermark(cairo_t* cr, cairo_pattern_t* rows, const std::string& text, double width, double height) {
  cairo_save(cr);
  // Pattern space: rotated about the page's centre.
  cairo_matrix_t matrix;
  cairo_matrix_init_translate(&matrix, width / 2, height / 2);
  cairo_matrix_rotate(&matrix, kRowAngle);
  cairo_matrix_invert(&matrix);
  cairo_pattern_set_matrix(rows, &matrix);
  cairo_set_source(cr, rows);
  cairo_rectangle(cr, 0, 0, width, height);
  cairo_fill(cr);

  // The legible line across the top margin: shrunk to fit the page's width, and broken into
  // more lines (between any two characters, as Chinese is) when it would have to be smaller than
  // kLineMinSize.
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  const double available = width - 2 * kLineMargin;
  cairo_set_font_size(cr, kLineSize);
  const double natural = advance(cr, text);
  const double size = natural > available && natural > 0 ? std::max(kLineMinSize, kLineSize * available / natural) : kLineSize;
  cairo_set_font_size(cr, size);
  std::vector<std::string> lines(1);
  for (char32_t c : text::decode_utf8(text)) {
    std::string longer = lines.back();
    text::append_utf8(longer, c);
    if (!lines.back().empty() && advance(cr, longer) > available) {
      lines.emplace_back();
      text::append_utf8(lines.back(), c);
    } else {
      lines.back() = std::move(longer);
    }
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  double y = std::min(kLineMargin + size / 2, height / 2);
  for (const std::string& line : lines) {
    cairo_move_to(cr, std::max(kLineMargin / 2, (width - advance(cr, line)) / 2), y);
    cairo_show_text(cr, line.c_str());
    y += size * 1.3;
  }
  cairo_restore(cr);
}

}  // namespace

LicenceResult<std::vector<std::uint8_t>> stamp_watermark(const PdfDocument& document, std::string_view watermark,
                                                         const CancelToken& cancel) {
  if (watermark.empty() || watermark.size() > kMaxWatermarkBytes) {
    return LicenceError::make(LicenceErrorKind::malformed,
                              "watermark of " + std::to_string(watermark.size()) + " bytes (1–500 allowed)");
  }
  if (!text::is_valid_utf8(watermark)) return LicenceError::make(LicenceErrorKind::malformed, "watermark is not UTF-8");
  const std::string text = single_line(watermark);

  std::vector<std::uint8_t> out;
  const PageSize first = document.page_size(0);
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append_bytes, &out, first.width, first.height);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "kiosk");
  cairo_t* cr = cairo_create(surface);
  cairo_pattern_t* rows = row_pattern(text);
  LicenceStatus result;
  for (int i = 0; i < document.page_count(); ++i) {
    if (cancel.cancelled()) {
      result = LicenceError::make(LicenceErrorKind::cancelled, "watermarking cancelled");
      break;
    }
    const PageSize size = document.page_size(i);
    cairo_pdf_surface_set_size(surface, size.width, size.height);
    PopplerPage* page = poppler_document_get_page(document.poppler(), i);
    if (!page) {
      result = LicenceError::make(LicenceErrorKind::render, "page " + std::to_string(i + 1) + " cannot be read");
      break;
    }
    cairo_save(cr);
    poppler_page_render_for_printing(page, cr);
    cairo_restore(cr);
    g_object_unref(page);
    draw_watermark(cr, rows, text, size.width, size.height);
    cairo_show_page(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) break;
  }
  const cairo_status_t drawn = cairo_status(cr);
  cairo_pattern_destroy(rows);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t finished = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (result.ok() && (drawn != CAIRO_STATUS_SUCCESS || finished != CAIRO_STATUS_SUCCESS)) {
    result = LicenceError::make(LicenceErrorKind::render,
                                std::string("cairo: ") + cairo_status_to_string(drawn != CAIRO_STATUS_SUCCESS ? drawn : finished));
  }
  if (!result.ok()) {
    secure_clear(out);
    return result.release_error();
  }
  return out;
}

LicenceResult<std::vector<std::uint8_t>> stamp_watermark(std::span<const std::uint8_t> pdf, std::string_view watermark,
                                                         const CancelToken& cancel) {
  auto document = PdfDocument::open(pdf);
  if (!document.ok()) return document.release_error();
  return stamp_watermark(*document.value(), watermark, cancel);
}

}  // namespace kiosk::licence
