#pragma once
// JPEG encoding of camera frames (the face for identity verification, a page for a case) with
// libjpeg-turbo, which the V4L2 drivers already load: the kiosk needs no image codec library of
// OpenCV's for it.

#include <cstdint>
#include <vector>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::face {

// A baseline JPEG of an rgb24 or gray8 image at `quality` 1–100 (4:2:0 for colour). The bytes
// are personal data like the image: the caller wipes them. Errors: invalid_argument for an image
// that is not self-consistent; io when encoding fails.
Result<std::vector<std::uint8_t>> encode_jpeg(const hal::Image& image, int quality = 85);

}  // namespace kiosk::face
