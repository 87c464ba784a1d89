// Fuzz target: V4L2 frames as a camera delivers them. The first bytes choose the encoding, the
// negotiated size, the stride and the output format (as a driver's S_FMT answer would); the rest
// is the frame. Conversion must refuse or produce a self-consistent image of exactly that size.
#include <cstdint>
#include <span>

#include "devices/v4l2/v4l2_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiosk::devices::v4l2;
  if (size < 7) return 0;
  FrameLayout layout;
  layout.encoding = (data[0] & 1) ? FrameEncoding::mjpeg : FrameEncoding::yuyv;
  const auto format = (data[0] & 2) ? kiosk::hal::PixelFormat::gray8 : kiosk::hal::PixelFormat::rgb24;
  // Sizes up to 1023 (and 0) keep a run fast; the stride may be anything a driver could say.
  layout.width = ((data[1] << 8) | data[2]) & 0x3FF;
  layout.height = ((data[3] << 8) | data[4]) & 0x3FF;
  layout.bytes_per_line = static_cast<std::size_t>((data[5] << 8) | data[6]);
  auto image = convert_frame(std::span<const std::uint8_t>(data + 7, size - 7), layout, format);
  if (!image.ok()) return 0;
  if (!image->valid() || image->width != layout.width || image->height != layout.height || image->format != format) {
    __builtin_trap();
  }
  return 0;
}
