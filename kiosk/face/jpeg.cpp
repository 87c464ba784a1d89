#include "kiosk/face/jpeg.h"

#include <turbojpeg.h>

#include <algorithm>

namespace kiosk::face {

Result<std::vector<std::uint8_t>> encode_jpeg(const hal::Image& image, int quality) {
  if (!image.valid()) return Error::make(ErrorKind::invalid_argument, "jpeg: the image is not self-consistent");
  tjhandle encoder = tjInitCompress();
  if (encoder == nullptr) return Error::make(ErrorKind::io, "jpeg: cannot start the encoder");
  const bool grey = image.format == hal::PixelFormat::gray8;
  unsigned char* buffer = nullptr;  // allocated by the library
  unsigned long size = 0;
  const int failed = tjCompress2(encoder, image.pixels.data(), image.width, 0, image.height, grey ? TJPF_GRAY : TJPF_RGB,
                                 &buffer, &size, grey ? TJSAMP_GRAY : TJSAMP_420, std::clamp(quality, 1, 100),
                                 TJFLAG_ACCURATEDCT);
  std::vector<std::uint8_t> bytes;
  if (!failed && buffer != nullptr) bytes.assign(buffer, buffer + size);
  if (buffer != nullptr) {
    std::fill(buffer, buffer + size, static_cast<unsigned char>(0));  // personal data
    tjFree(buffer);
  }
  tjDestroy(encoder);
  if (failed || bytes.empty()) return Error::make(ErrorKind::io, "jpeg: encoding failed");
  return bytes;
}

}  // namespace kiosk::face
