// Fuzz target: image files given to the face gate (kioskctl device face photo.jpg): the header
// reader for JPEG, PNG and PNM, then OpenCV's decoder behind it for small pictures.
#include <cstdint>
#include <span>

#include "kiosk/face/face_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  auto header = kiosk::face::read_image_header(bytes);
  if (!header.ok()) return 0;
  // An accepted header is within the limits.
  if (header->width < kiosk::face::kMinImageSide || header->height < kiosk::face::kMinImageSide ||
      header->width > kiosk::face::kMaxImageSide || header->height > kiosk::face::kMaxImageSide) {
    __builtin_trap();
  }
  // Decoding stays small here so a run covers many inputs; the limits are tested apart.
  if (static_cast<long>(header->width) * header->height > 512 * 512) return 0;
  auto image = kiosk::face::decode_image(bytes);
  if (image.ok() && !image->valid()) __builtin_trap();
  return 0;
}
