// YUYV conversion and Motion-JPEG decoding of V4L2 frames.
#include "devices/v4l2/v4l2_frame.h"

#include <algorithm>
#include <memory>

#include <turbojpeg.h>

namespace kiosk::devices::v4l2 {
namespace {

Error frame_error(const std::string& what) { return Error::make(ErrorKind::parse, "v4l2 frame: " + what); }

std::string size_text(int width, int height) { return std::to_string(width) + "x" + std::to_string(height); }

Status check_size(const FrameLayout& layout) {
  if (layout.width < 1 || layout.height < 1 || layout.width > kMaxFrameSide || layout.height > kMaxFrameSide) {
    return frame_error("size " + size_text(layout.width, layout.height) + " out of range");
  }
  return {};
}

hal::Image blank_image(int width, int height, hal::PixelFormat format) {
  hal::Image image;
  image.width = width;
  image.height = height;
  image.format = format;
  image.pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                      static_cast<std::size_t>(image.bytes_per_pixel()));
  return image;
}

std::uint8_t clamp_byte(int value) { return static_cast<std::uint8_t>(std::clamp(value, 0, 255)); }

// BT.601 limited range (Y 16–235, Cb/Cr 16–240) in 8.8 fixed point, as in the V4L2 documentation.
void yuv_to_rgb(int y, int u, int v, std::uint8_t* rgb) {
  const int c = 298 * (y - 16);
  const int d = u - 128;
  const int e = v - 128;
  rgb[0] = clamp_byte((c + 409 * e + 128) >> 8);
  rgb[1] = clamp_byte((c - 100 * d - 208 * e + 128) >> 8);
  rgb[2] = clamp_byte((c + 516 * d + 128) >> 8);
}

std::uint8_t luma_to_gray(int y) { return clamp_byte((298 * (y - 16) + 128) >> 8); }

void convert_yuyv_row(const std::uint8_t* in, int width, hal::PixelFormat format, std::uint8_t* out) {
  for (int x = 0; x < width; x += 2, in += 4) {
    if (format == hal::PixelFormat::gray8) {
      out[0] = luma_to_gray(in[0]);
      out[1] = luma_to_gray(in[2]);
      out += 2;
    } else {
      yuv_to_rgb(in[0], in[1], in[3], out);
      yuv_to_rgb(in[2], in[1], in[3], out + 3);
      out += 6;
    }
  }
}

// A complete JPEG starts with SOI and ends with EOI; UVC payloads may carry zero padding after EOI.
bool complete_jpeg(std::span<const std::uint8_t> data) {
  if (data.size() < 4 || data[0] != 0xFF || data[1] != 0xD8) return false;
  std::size_t end = data.size();
  while (end > 2 && data[end - 1] == 0x00) --end;
  return end >= 4 && data[end - 2] == 0xFF && data[end - 1] == 0xD9;
}

struct TurboJpegDeleter {
  void operator()(void* handle) const { tjDestroy(handle); }
};
using TurboJpeg = std::unique_ptr<void, TurboJpegDeleter>;

}  // namespace

const char* to_string(FrameEncoding encoding) {
  switch (encoding) {
    case FrameEncoding::yuyv: return "YUYV";
    case FrameEncoding::mjpeg: return "MJPEG";
  }
  return "unknown";
}

Result<hal::Image> convert_yuyv(std::span<const std::uint8_t> data, const FrameLayout& layout, hal::PixelFormat format) {
  TRY_STATUS(check_size(layout));
  if (layout.width % 2 != 0) return frame_error("YUYV width " + std::to_string(layout.width) + " is odd");
  const std::size_t row = static_cast<std::size_t>(layout.width) * 2;
  const std::size_t stride = layout.bytes_per_line == 0 ? row : layout.bytes_per_line;
  if (stride < row) return frame_error("YUYV stride " + std::to_string(stride) + " narrower than a row of " + std::to_string(row));
  if (stride > row * 4) return frame_error("YUYV stride " + std::to_string(stride) + " implausible for a row of " + std::to_string(row));
  const std::size_t needed = stride * static_cast<std::size_t>(layout.height - 1) + row;
  if (data.size() < needed) {
    return frame_error("short YUYV frame: " + std::to_string(data.size()) + " of " + std::to_string(needed) + " bytes");
  }
  hal::Image image = blank_image(layout.width, layout.height, format);
  const std::size_t out_row = static_cast<std::size_t>(layout.width) * static_cast<std::size_t>(image.bytes_per_pixel());
  for (int y = 0; y < layout.height; ++y) {
    convert_yuyv_row(data.data() + stride * static_cast<std::size_t>(y), layout.width, format,
                     image.pixels.data() + out_row * static_cast<std::size_t>(y));
  }
  return image;
}

Result<hal::Image> decode_mjpeg(std::span<const std::uint8_t> data, const FrameLayout& layout, hal::PixelFormat format) {
  TRY_STATUS(check_size(layout));
  if (!complete_jpeg(data)) return frame_error("MJPEG frame is not a complete JPEG (" + std::to_string(data.size()) + " bytes)");
  TurboJpeg decoder(tjInitDecompress());
  if (!decoder) return Error::make(ErrorKind::io, "v4l2 frame: libjpeg-turbo: " + std::string(tjGetErrorStr2(nullptr)));
  int width = 0;
  int height = 0;
  int subsampling = 0;
  int colorspace = 0;
  if (tjDecompressHeader3(decoder.get(), data.data(), data.size(), &width, &height, &subsampling, &colorspace) != 0) {
    return frame_error(std::string("MJPEG header: ") + tjGetErrorStr2(decoder.get()));
  }
  if (width != layout.width || height != layout.height) {
    return frame_error("MJPEG picture is " + size_text(width, height) + ", expected " + size_text(layout.width, layout.height));
  }
  hal::Image image = blank_image(width, height, format);
  const int pixel_format = format == hal::PixelFormat::gray8 ? TJPF_GRAY : TJPF_RGB;
  // LIMITSCANS: a progressive picture with thousands of scans would take seconds to decode.
  if (tjDecompress2(decoder.get(), data.data(), data.size(), image.pixels.data(), width, 0, height, pixel_format,
                    TJFLAG_LIMITSCANS) != 0 &&
      tjGetErrorCode(decoder.get()) != TJERR_WARNING) {
    image.wipe();
    return frame_error(std::string("MJPEG: ") + tjGetErrorStr2(decoder.get()));
  }
  return image;
}

Result<hal::Image> convert_frame(std::span<const std::uint8_t> data, const FrameLayout& layout, hal::PixelFormat format) {
  switch (layout.encoding) {
    case FrameEncoding::yuyv: return convert_yuyv(data, layout, format);
    case FrameEncoding::mjpeg: return decode_mjpeg(data, layout, format);
  }
  return frame_error("unknown encoding");
}

std::string fourcc_name(std::uint32_t fourcc) {
  std::string name;
  for (int shift = 0; shift < 32; shift += 8) {
    const char c = static_cast<char>((fourcc >> shift) & 0xFF);
    name += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  return name;
}

}  // namespace kiosk::devices::v4l2
