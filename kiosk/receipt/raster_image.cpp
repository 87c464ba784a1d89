#include "kiosk/receipt/raster_image.h"

namespace kiosk::receipt {

hal::RasterPage threshold_canvas(const ui::Canvas& canvas, int threshold) {
  hal::RasterPage page;
  page.width_dots = canvas.width();
  page.height = canvas.height();
  page.bits.assign(static_cast<std::size_t>(page.bytes_per_row()) * static_cast<std::size_t>(page.height), 0);
  for (int y = 0; y < canvas.height(); ++y) {
    const std::uint32_t* row = canvas.pixels() + static_cast<std::size_t>(y) * static_cast<std::size_t>(canvas.width());
    std::uint8_t* out = page.bits.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(page.bytes_per_row());
    for (int x = 0; x < canvas.width(); ++x) {
      const std::uint32_t pixel = row[x];
      // Integer Rec. 601 luma: 0.299 R + 0.587 G + 0.114 B.
      const int luma = static_cast<int>((((pixel >> 16) & 0xFF) * 77 + ((pixel >> 8) & 0xFF) * 150 + (pixel & 0xFF) * 29) >> 8);
      if (luma < threshold) out[x / 8] = static_cast<std::uint8_t>(out[x / 8] | (0x80u >> (x % 8)));
    }
  }
  return page;
}

ui::Canvas raster_to_canvas(const hal::RasterPage& page) {
  ui::Canvas canvas(page.width_dots, page.height);
  constexpr std::uint32_t kWhite = 0xFFFFFFFF, kBlack = 0xFF000000;
  for (int y = 0; y < page.height; ++y) {
    std::uint32_t* row = canvas.pixels() + static_cast<std::size_t>(y) * static_cast<std::size_t>(page.width_dots);
    for (int x = 0; x < page.width_dots; ++x) row[x] = page.black(x, y) ? kBlack : kWhite;
  }
  return canvas;
}

}  // namespace kiosk::receipt
