#pragma once
// PNG files of canvases: screenshots for the script driver and golden-image comparison, and PNG
// bytes in memory (a signature attached to a case).

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/ui/canvas.h"

namespace kiosk::ui {

Status save_png(const Canvas& canvas, const std::filesystem::path& path);
Result<Canvas> load_png(const std::filesystem::path& path);

enum class PngColour {
  rgb,   // 24-bit colour, as screenshots are written
  grey,  // 8-bit grey from each pixel's luma (Rec. 601): a third of the raw data, for ink
};
// The PNG file of `canvas` as bytes, written the same way as save_png.
Result<std::vector<std::uint8_t>> encode_png(const Canvas& canvas, PngColour colour = PngColour::rgb);
// Reads PNG bytes (any colour type) into an opaque canvas.
Result<Canvas> decode_png(std::span<const std::uint8_t> bytes);

struct ImageDifference {
  bool same_size = false;
  double differing_fraction = 0;  // pixels whose channels differ by more than the threshold
  int max_channel_delta = 0;
};
// Compares two images pixel by pixel; a channel delta ≤ `threshold` counts as equal (antialiasing
// noise across FreeType builds).
ImageDifference compare_images(const Canvas& actual, const Canvas& expected, int threshold = 24);

}  // namespace kiosk::ui
