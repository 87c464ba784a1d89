#pragma once
// Turns one frame as a V4L2 camera delivers it (packed YUYV 4:2:2 or a Motion-JPEG picture) into a
// hal::Image. Pure functions over untrusted bytes: the sizes come from the driver, the bytes from
// the camera, and both are checked before a pixel is touched (tests/fuzz/v4l2_frame_fuzz.cpp).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::v4l2 {

enum class FrameEncoding { yuyv, mjpeg };
const char* to_string(FrameEncoding encoding);

// What S_FMT settled on. bytes_per_line is the YUYV row stride (≥ width × 2; drivers may pad);
// MJPEG ignores it.
struct FrameLayout {
  FrameEncoding encoding = FrameEncoding::yuyv;
  int width = 0;
  int height = 0;
  std::size_t bytes_per_line = 0;
};

// The largest side we convert: bigger than any document camera (2592×1944, 4208×3120) and small
// enough that width × height × 3 cannot overflow or exhaust memory.
inline constexpr int kMaxFrameSide = 8192;

// YUYV (BT.601, limited range, as UVC cameras send it) → rgb24 or gray8. `data` is the frame's used
// bytes; the last row may stop at width × 2 (no padding after it). Odd widths, short frames and
// strides narrower than a row are parse errors.
Result<hal::Image> convert_yuyv(std::span<const std::uint8_t> data, const FrameLayout& layout, hal::PixelFormat format);

// Motion-JPEG → rgb24 or gray8 with libjpeg-turbo. The picture must be complete (SOI … EOI; UVC
// cameras may pad after EOI with zeros) and exactly the negotiated size. Decoder warnings (some
// cameras leave extraneous bytes before EOI in every frame) are accepted; errors are not. UVC
// frames without Huffman tables decode with the standard tables, which libjpeg-turbo supplies.
Result<hal::Image> decode_mjpeg(std::span<const std::uint8_t> data, const FrameLayout& layout, hal::PixelFormat format);

// Dispatches on layout.encoding.
Result<hal::Image> convert_frame(std::span<const std::uint8_t> data, const FrameLayout& layout, hal::PixelFormat format);

// "YUYV", "MJPG": a V4L2 fourcc as text for messages (non-printable bytes as '?').
std::string fourcc_name(std::uint32_t fourcc);

}  // namespace kiosk::devices::v4l2
