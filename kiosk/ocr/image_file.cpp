// Image size limits and image files through Leptonica (header first, then decode to 8-bit grey).
#include "kiosk/ocr/image_file.h"

#include <leptonica/allheaders.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace kiosk::ocr {
namespace {

std::string size_text(int width, int height) { return std::to_string(width) + " × " + std::to_string(height) + " px"; }

// Leptonica prints its own error lines to stderr; our errors say more, so it stays quiet.
void quiet_leptonica() { setMsgSeverity(L_SEVERITY_NONE); }

Result<hal::Image> gray_image_of(Pix* pix, const std::string& path) {
  Pix* gray = pixConvertTo8(pix, 0);
  if (gray == nullptr) return Error::make(ErrorKind::parse, path + ": cannot convert to grey");
  hal::Image image;
  image.width = static_cast<int>(pixGetWidth(gray));
  image.height = static_cast<int>(pixGetHeight(gray));
  image.format = hal::PixelFormat::gray8;
  image.pixels.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height));
  const l_uint32* data = pixGetData(gray);
  const int words_per_line = pixGetWpl(gray);
  for (int y = 0; y < image.height; ++y) {
    const l_uint32* row = data + static_cast<std::ptrdiff_t>(y) * words_per_line;
    for (int x = 0; x < image.width; ++x) {
      image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)] =
          static_cast<std::uint8_t>(GET_DATA_BYTE(row, x));
    }
  }
  pixDestroy(&gray);
  return image;
}

}  // namespace

Status check_image_size(int width, int height, const ImageLimits& limits) {
  if (width < limits.min_side || height < limits.min_side) {
    return Error::make(ErrorKind::invalid_argument, "image too small: " + size_text(width, height) + " (each side needs ≥ " +
                                                        std::to_string(limits.min_side) + ")");
  }
  const std::int64_t pixels = static_cast<std::int64_t>(width) * height;
  if (pixels > limits.max_pixels || width > limits.max_side || height > limits.max_side) {
    return Error::make(ErrorKind::invalid_argument,
                       "image too large: " + size_text(width, height) + " (at most " +
                           std::to_string(limits.max_pixels / 1'000'000) + " MP and " + std::to_string(limits.max_side) +
                           " px a side)");
  }
  return {};
}

Result<hal::Image> load_image_file(const std::filesystem::path& path, const ImageLimits& limits) {
  quiet_leptonica();
  const std::string name = path.string();
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) {
      const int error = errno;
      return Error::make(error == ENOENT ? ErrorKind::not_found : ErrorKind::io,
                         "cannot read " + name + ": " + std::strerror(error));
    }
  }
  l_int32 format = 0, width = 0, height = 0, bits = 0, samples = 0, colormap = 0;
  if (pixReadHeader(name.c_str(), &format, &width, &height, &bits, &samples, &colormap) != 0 ||
      format == IFF_UNKNOWN) {
    return Error::make(ErrorKind::parse, name + ": not an image (unknown format or unreadable header)");
  }
  auto size = check_image_size(width, height, limits);
  if (!size.ok()) return Error::make(size.error().kind, name + ": " + size.error().message);
  Pix* pix = pixRead(name.c_str());
  if (pix == nullptr) return Error::make(ErrorKind::parse, name + ": image data is truncated or corrupt");
  auto image = gray_image_of(pix, name);
  pixDestroy(&pix);
  if (!image.ok()) return image;
  // A multi-page or odd file may decode to another size than its header said.
  auto decoded = check_image_size(image->width, image->height, limits);
  if (!decoded.ok()) return Error::make(decoded.error().kind, name + ": " + decoded.error().message);
  return image;
}

}  // namespace kiosk::ocr
