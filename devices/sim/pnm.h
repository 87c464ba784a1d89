#pragma once
// Binary PGM (P5) and PPM (P6) images, the sims' camera frames: simple enough to parse strictly
// without a library, and ImageMagick writes them.

#include <filesystem>
#include <string_view>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::sim {

// Parses P5 (gray8) or P6 (rgb24) with maxval 255, up to 8192×8192. Malformed headers, other
// maxvals and short pixel data are parse errors.
Result<hal::Image> parse_pnm(std::string_view bytes);
Result<hal::Image> load_pnm(const std::filesystem::path& path);

}  // namespace kiosk::devices::sim
