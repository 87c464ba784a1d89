// The paper of a captured ESC/POS stream as an image (escpos_paper.h).
#include "tools/escpos2png/escpos_paper.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include "kiosk/receipt/raster_image.h"
#include "kiosk/ui/png.h"

namespace kiosk::devices::escpos {
namespace {

struct PageEnd {
  bool cut = false;
  bool partial = false;
};

std::vector<PageEnd> page_ends(const DecodedCapture& capture) {
  std::vector<PageEnd> ends(capture.pages.size());
  for (const auto& cut : capture.cuts) {
    if (cut.page >= 0) ends[static_cast<std::size_t>(cut.page)] = {true, cut.partial};
  }
  return ends;
}

void draw_separator(ui::Canvas& canvas, int top, PageEnd end) {
  canvas.fill_rect({0, top, canvas.width(), kPaperSeparatorRows}, ui::Color::rgb(0xE0E0E0));
  if (!end.cut) return;
  const int dash = end.partial ? 6 : 16;
  for (int x = 0; x < canvas.width(); x += dash * 2) {
    canvas.fill_rect({x, top + kPaperSeparatorRows / 2 - 1, dash, 2}, ui::Color::rgb(0xD01010));
  }
}

}  // namespace

Result<DecodedCapture> read_capture(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::io, "cannot read " + path.string());
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = decode_capture(bytes);
  if (!decoded.ok()) return Error::make(ErrorKind::parse, path.string() + ": " + decoded.error().message);
  return decoded;
}

ui::Canvas paper_image(const DecodedCapture& capture) {
  int width = 8, height = 0;
  for (const auto& page : capture.pages) {
    width = std::max(width, page.width_dots);
    height += page.height + kPaperSeparatorRows;
  }
  ui::Canvas canvas(width, height);
  canvas.clear(ui::Color::rgb(0xFFFFFF));
  const std::vector<PageEnd> ends = page_ends(capture);
  int top = 0;
  for (std::size_t i = 0; i < capture.pages.size(); ++i) {
    const ui::Canvas page = receipt::raster_to_canvas(capture.pages[i]);
    for (int y = 0; y < page.height(); ++y) {
      std::copy(page.pixels() + static_cast<std::size_t>(y) * static_cast<std::size_t>(page.width()),
                page.pixels() + static_cast<std::size_t>(y + 1) * static_cast<std::size_t>(page.width()),
                canvas.pixels() + static_cast<std::size_t>(top + y) * static_cast<std::size_t>(width));
    }
    top += page.height();
    draw_separator(canvas, top, ends[i]);
    top += kPaperSeparatorRows;
  }
  return canvas;
}

Status write_paper_png(const DecodedCapture& capture, const std::filesystem::path& png) {
  if (capture.pages.empty()) {
    return Error::make(ErrorKind::parse, "no page printed (" + std::to_string(capture.status_queries.size()) +
                                             " status queries, " + std::to_string(capture.unknown_count) +
                                             " unknown commands)");
  }
  return ui::save_png(paper_image(capture), png);
}

}  // namespace kiosk::devices::escpos
