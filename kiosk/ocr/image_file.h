#pragma once
// Images for OCR: the size limits every input must meet, and image files (PNG, JPEG, TIFF, PNM …
// anything Leptonica reads) loaded as 8-bit grey for kioskctl and tests. The document camera
// delivers hal::Image directly.

#include <cstdint>
#include <filesystem>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::ocr {

struct ImageLimits {
  int min_side = 64;                       // smaller holds no readable line of text
  std::int64_t max_pixels = 40'000'000;    // 40 MP: an A4 page at 600 dpi is 35 MP
  int max_side = 32767;                    // Tesseract keeps coordinates in 16 bits
};

// invalid_argument with the size and the limit: "image too small: 40 × 30 px (each side needs ≥ 64)".
Status check_image_size(int width, int height, const ImageLimits& limits = {});

// Reads the header first and refuses a file over the limits before decoding it. Errors:
// not_found / io (cannot open), parse ("not an image", truncated or corrupt data),
// invalid_argument (too small or too large).
Result<hal::Image> load_image_file(const std::filesystem::path& path, const ImageLimits& limits = {});

}  // namespace kiosk::ocr
