// escpos2png: turns captured ESC/POS bytes (what a driver sent to a printer, e.g. an escpos-serial
// capture file) back into a PNG of the paper: black dots on white, one pixel per dot, pages stacked
// top to bottom. Below each page a separator band shows how it ended: a red dashed line for a cut
// (dashes short for a partial cut), grey for no cut. Prints a summary; exits 1 on a capture that
// does not decode (truncated command: the offset is named) or prints nothing, 2 on usage or I/O.
//
//   escpos2png capture.bin out.png
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "devices/escpos/escpos_decoder.h"
#include "kiosk/receipt/raster_image.h"
#include "kiosk/ui/png.h"

namespace {

using namespace kiosk;

constexpr int kSeparatorRows = 12;

struct PageEnd {
  bool cut = false;
  bool partial = false;
};

std::vector<PageEnd> page_ends(const devices::escpos::DecodedCapture& capture) {
  std::vector<PageEnd> ends(capture.pages.size());
  for (const auto& cut : capture.cuts) {
    if (cut.page >= 0) ends[static_cast<std::size_t>(cut.page)] = {true, cut.partial};
  }
  return ends;
}

void draw_separator(ui::Canvas& canvas, int top, PageEnd end) {
  canvas.fill_rect({0, top, canvas.width(), kSeparatorRows}, ui::Color::rgb(0xE0E0E0));
  if (!end.cut) return;
  const int dash = end.partial ? 6 : 16;
  for (int x = 0; x < canvas.width(); x += dash * 2) {
    canvas.fill_rect({x, top + kSeparatorRows / 2 - 1, dash, 2}, ui::Color::rgb(0xD01010));
  }
}

ui::Canvas paper_image(const devices::escpos::DecodedCapture& capture) {
  int width = 8, height = 0;
  for (const auto& page : capture.pages) {
    width = std::max(width, page.width_dots);
    height += page.height + kSeparatorRows;
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
    top += kSeparatorRows;
  }
  return canvas;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: escpos2png CAPTURE.bin OUT.png\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "escpos2png: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto decoded = devices::escpos::decode_capture(bytes);
  if (!decoded.ok()) {
    std::fprintf(stderr, "escpos2png: %s: %s\n", argv[1], decoded.error().message.c_str());
    return 1;
  }
  const auto& capture = decoded.value();
  for (const auto& unknown : capture.unknown) {
    std::fprintf(stderr, "escpos2png: offset %zu: %s\n", unknown.offset, unknown.what.c_str());
  }
  if (capture.pages.empty()) {
    std::fprintf(stderr, "escpos2png: %s: no page printed (%zu status queries, %zu unknown commands)\n", argv[1],
                 capture.status_queries.size(), capture.unknown_count);
    return 1;
  }
  auto saved = ui::save_png(paper_image(capture), argv[2]);
  if (!saved.ok()) {
    std::fprintf(stderr, "escpos2png: %s\n", saved.error().message.c_str());
    return 2;
  }
  for (std::size_t i = 0; i < capture.pages.size(); ++i) {
    std::printf("page %zu: %d x %d dots\n", i + 1, capture.pages[i].width_dots, capture.pages[i].height);
  }
  std::printf("%zu cuts, %zu status queries, %d initialisations, %zu unknown commands, ends with cut: %s\n",
              capture.cuts.size(), capture.status_queries.size(), capture.initializations, capture.unknown_count,
              capture.ends_with_cut() ? "yes" : "no");
  return 0;
}
