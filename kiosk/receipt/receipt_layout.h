#pragma once
// Receipt layout: what a citizen takes away from the terminal (a case receipt with its number, the
// item, times, a QR code of the case number and the hotline), drawn with our own text stack and
// Noto Sans CJK into a 1-bit raster page at the printer's width. Printers then only ever see an
// image (GS v 0), so Chinese prints the same on every model, whatever its code pages.
//
// Headless: needs a GlyphAtlas (SDL_ttf) but no window or video driver. Not thread-safe (the atlas
// is not); the printing worker owns its own atlas.

#include <string>
#include <string_view>
#include <vector>

#include "hal/receipt_printer.h"
#include "kiosk/core/result.h"
#include "kiosk/ui/geometry.h"
#include "kiosk/ui/glyph_atlas.h"

namespace kiosk::receipt {

// One "label: value" row; long values wrap in their column (Chinese by character).
struct ReceiptField {
  std::string label;  // "办件编号"
  std::string value;  // "LZ20261125-000123"
};

struct Receipt {
  std::string title;                // "受理回执", bold and centred
  std::string subtitle;             // the hall's name; may be empty
  std::vector<ReceiptField> fields;
  std::string qr_payload;           // encoded as a QR code (the case number); empty: no code
  std::string qr_caption;           // under the code: "扫码查询办理进度"; may be empty
  std::vector<std::string> footer;  // small centred lines: hotline, notices
};

// Sizes in printer dots (203 dpi: 8 dots = 1 mm).
struct ReceiptStyle {
  int title_px = 40;       // ≈ 5 mm
  int body_px = 28;        // ≈ 3.5 mm, the size of the printers' own 24-dot CJK font and a bit more
  int footer_px = 24;
  int margin_dots = 8;     // the printable width already excludes the paper's edges
  int max_module_dots = 8; // QR module: 1 mm at most (bigger codes scan no better)
  int min_module_dots = 3; // below this phone cameras struggle at arm's length
  int qr_quiet_modules = 4;  // ISO/IEC 18004 quiet zone
  int threshold = 150;     // grey below this prints black (anti-aliased edges: a little bolder)
};

// A named area of the page, so tests (and a person reading a capture) know where things are:
// "title", "subtitle", "field 0" … "qr", "qr caption", "footer 0" ….
struct ReceiptRegion {
  std::string name;
  ui::Rect rect;
};

struct RenderedReceipt {
  hal::RasterPage page;
  std::vector<ReceiptRegion> regions;
  int qr_module_dots = 0;  // 0 when there is no code

  const ReceiptRegion* region(std::string_view name) const;
};

// Lays `receipt` out at `width_dots` (576 for 80 mm paper, 384 for 58 mm; a multiple of 8).
// Errors: invalid_argument for a bad width, or a QR payload too long to print at min_module_dots.
// Error messages never contain the receipt's text (it may be personal).
Result<RenderedReceipt> render_receipt(ui::GlyphAtlas& atlas, const Receipt& receipt, int width_dots,
                                       const ReceiptStyle& style = {});

}  // namespace kiosk::receipt
