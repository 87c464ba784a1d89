#pragma once
// A captured image in memory (camera frames, document scans). Face images are personal data:
// callers wipe() them as soon as verification has answered.

#include <cstdint>
#include <vector>

namespace kiosk::hal {

enum class PixelFormat { gray8, rgb24 };

struct Image {
  int width = 0;
  int height = 0;
  PixelFormat format = PixelFormat::rgb24;
  std::vector<std::uint8_t> pixels;  // rows top to bottom, no padding

  int bytes_per_pixel() const { return format == PixelFormat::gray8 ? 1 : 3; }
  bool empty() const { return pixels.empty(); }
  bool valid() const {
    return width > 0 && height > 0 &&
           pixels.size() == static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                                static_cast<std::size_t>(bytes_per_pixel());
  }
  // Overwrites the pixels (not optimised away) and empties the image.
  void wipe();
};

}  // namespace kiosk::hal
