#pragma once
// PNG files of canvases: screenshots for the script driver and golden-image comparison.

#include <filesystem>

#include "kiosk/core/result.h"
#include "kiosk/ui/canvas.h"

namespace kiosk::ui {

Status save_png(const Canvas& canvas, const std::filesystem::path& path);
Result<Canvas> load_png(const std::filesystem::path& path);

struct ImageDifference {
  bool same_size = false;
  double differing_fraction = 0;  // pixels whose channels differ by more than the threshold
  int max_channel_delta = 0;
};
// Compares two images pixel by pixel; a channel delta ≤ `threshold` counts as equal (antialiasing
// noise across FreeType builds).
ImageDifference compare_images(const Canvas& actual, const Canvas& expected, int threshold = 24);

}  // namespace kiosk::ui
