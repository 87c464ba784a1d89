// Image file headers (JPEG, PNG, PNM) read by hand; decoding with what the terminal already has:
// libjpeg-turbo for JPEG (with the EXIF orientation applied), SDL2_image for PNG, our own code for
// PNM. Not OpenCV's imgcodecs: it loads GDAL, gdcm, OpenEXR and ~100 more libraries, which kioskctl
// would drag onto every terminal (tests/package checks kioskctl's NEEDED entries).
#include "kiosk/face/face_image.h"

#include "kiosk/face/face_gate.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <turbojpeg.h>

#include "kiosk/core/secure_memory.h"

namespace kiosk::face {
namespace {

using Bytes = std::span<const std::uint8_t>;

Error parse_error(const std::string& what) { return Error::make(ErrorKind::parse, "image: " + what); }

std::uint32_t big_endian(Bytes bytes, std::size_t at, int count) {
  std::uint32_t value = 0;
  for (int i = 0; i < count; ++i) value = (value << 8) | bytes[at + static_cast<std::size_t>(i)];
  return value;
}

bool contains(Bytes bytes, std::size_t from, std::string_view needle) {
  if (from >= bytes.size()) return false;
  const auto* begin = reinterpret_cast<const char*>(bytes.data());
  return std::string_view(begin + from, bytes.size() - from).find(needle) != std::string_view::npos;
}

bool is_start_of_frame(std::uint8_t marker) {
  // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Walks the marker segments to the frame header, then to the first scan; the entropy-coded data
// after it byte-stuffs 0xFF, so an FF D9 found there is the end of the image.
Result<ImageHeader> jpeg_header(Bytes bytes) {
  ImageHeader header{ImageType::jpeg, 0, 0};
  std::size_t at = 2;
  while (true) {
    while (at < bytes.size() && bytes[at] == 0xFF && at + 1 < bytes.size() && bytes[at + 1] == 0xFF) ++at;  // fill
    if (at + 4 > bytes.size()) return parse_error("truncated JPEG (ends inside its headers)");
    if (bytes[at] != 0xFF) return parse_error("corrupt JPEG (expected a marker at byte " + std::to_string(at) + ")");
    const std::uint8_t marker = bytes[at + 1];
    if (marker == 0xD9) return parse_error("corrupt JPEG (ends before its picture)");
    if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      at += 2;
      continue;
    }
    const std::size_t length = big_endian(bytes, at + 2, 2);
    if (length < 2) return parse_error("corrupt JPEG (segment length " + std::to_string(length) + ")");
    if (marker == 0xDA) {
      if (header.width == 0) return parse_error("corrupt JPEG (picture data before the frame header)");
      if (!contains(bytes, at + 2 + length, "\xFF\xD9")) return parse_error("truncated JPEG (no end-of-image marker)");
      return header;
    }
    if (is_start_of_frame(marker)) {
      if (length < 8 || at + 9 > bytes.size()) return parse_error("truncated JPEG (frame header)");
      header.height = static_cast<int>(big_endian(bytes, at + 5, 2));
      header.width = static_cast<int>(big_endian(bytes, at + 7, 2));
      if (header.width == 0 || header.height == 0) return parse_error("JPEG without a size in its frame header");
    }
    at += 2 + length;
  }
}

Result<ImageHeader> png_header(Bytes bytes) {
  if (bytes.size() < 24 || std::memcmp(bytes.data() + 12, "IHDR", 4) != 0 || big_endian(bytes, 8, 4) != 13) {
    return parse_error("corrupt PNG (no IHDR chunk)");
  }
  const std::uint32_t width = big_endian(bytes, 16, 4);
  const std::uint32_t height = big_endian(bytes, 20, 4);
  if (!contains(bytes, 33, std::string_view("\0\0\0\0IEND", 8))) return parse_error("truncated PNG (no IEND chunk)");
  // Beyond INT32_MAX a PNG is corrupt anyway; clamp so the size check reports it as too large.
  const auto clamp = [](std::uint32_t value) { return static_cast<int>(std::min<std::uint32_t>(value, 1u << 30)); };
  return ImageHeader{ImageType::png, clamp(width), clamp(height)};
}

// One PNM header number after whitespace and # comments; at most 7 digits.
Result<long> pnm_number(Bytes bytes, std::size_t& at, const char* what) {
  for (;;) {
    while (at < bytes.size() && std::isspace(bytes[at])) ++at;
    if (at < bytes.size() && bytes[at] == '#') {
      while (at < bytes.size() && bytes[at] != '\n') ++at;
      continue;
    }
    break;
  }
  long value = 0;
  int digits = 0;
  while (at < bytes.size() && bytes[at] >= '0' && bytes[at] <= '9') {
    if (++digits > 7) return parse_error(std::string("PNM ") + what + " too large");
    value = value * 10 + (bytes[at++] - '0');
  }
  if (digits == 0) return parse_error(std::string("truncated PNM (no ") + what + ")");
  return value;
}

Result<ImageHeader> pnm_header(Bytes bytes, std::size_t* pixels_at = nullptr) {
  std::size_t at = 2;
  const long width = TRY(pnm_number(bytes, at, "width"));
  const long height = TRY(pnm_number(bytes, at, "height"));
  const long maxval = TRY(pnm_number(bytes, at, "maxval"));
  if (maxval != 255) return parse_error("PNM maxval must be 255, got " + std::to_string(maxval));
  if (at >= bytes.size() || !std::isspace(bytes[at])) return parse_error("truncated PNM (no pixel data)");
  ++at;
  const ImageHeader header{ImageType::pnm, static_cast<int>(width), static_cast<int>(height)};
  const std::uint64_t channels = bytes[1] == '6' ? 3 : 1;
  const std::uint64_t needed = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) * channels;
  // Size limits first: a huge header is "too large", not "truncated".
  if (width >= kMinImageSide && height >= kMinImageSide && width <= kMaxImageSide && height <= kMaxImageSide &&
      bytes.size() - at < needed) {
    return parse_error("truncated PNM (" + std::to_string(bytes.size() - at) + " of " + std::to_string(needed) + " pixel bytes)");
  }
  if (pixels_at != nullptr) *pixels_at = at;
  return header;
}

std::string size_text(int width, int height) { return std::to_string(width) + "x" + std::to_string(height); }

Status check_limits(const ImageHeader& header) {
  if (header.width < kMinImageSide || header.height < kMinImageSide) {
    return Error::make(ErrorKind::invalid_argument, "image: " + size_text(header.width, header.height) +
                                                        " is too small (at least " + size_text(kMinImageSide, kMinImageSide) + ")");
  }
  if (header.width > kMaxImageSide || header.height > kMaxImageSide ||
      static_cast<std::int64_t>(header.width) * header.height > kMaxImagePixels) {
    return Error::make(ErrorKind::invalid_argument, "image: " + size_text(header.width, header.height) +
                                                        " is too large (at most " + std::to_string(kMaxImageSide) +
                                                        " on a side and " + std::to_string(kMaxImagePixels / 1'000'000) +
                                                        " megapixels)");
  }
  return {};
}

// The EXIF orientation (1–8) of a JPEG: the APP1 "Exif" segment's TIFF IFD0 tag 0x0112. 1 (as
// stored) when there is none or it cannot be read.
int jpeg_orientation(Bytes bytes) {
  std::size_t at = 2;
  while (at + 4 <= bytes.size() && bytes[at] == 0xFF) {
    const std::uint8_t marker = bytes[at + 1];
    if (marker == 0xDA || marker == 0xD9) break;  // the scan: no more headers
    const std::size_t length = big_endian(bytes, at + 2, 2);
    if (length < 2 || at + 2 + length > bytes.size()) break;
    if (marker == 0xE1 && length >= 8 + 14 && std::memcmp(bytes.data() + at + 4, "Exif\0\0", 6) == 0) {
      const Bytes tiff = bytes.subspan(at + 10, length - 8);
      const bool little = tiff[0] == 'I' && tiff[1] == 'I';
      if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
      const auto number = [&](std::size_t from, int count) -> std::uint32_t {
        std::uint32_t value = 0;
        for (int i = 0; i < count; ++i) {
          const std::uint32_t byte = tiff[from + static_cast<std::size_t>(little ? count - 1 - i : i)];
          value = (value << 8) | byte;
        }
        return value;
      };
      const std::size_t ifd = number(4, 4);
      if (ifd + 2 > tiff.size()) return 1;
      const std::size_t entries = number(ifd, 2);
      for (std::size_t i = 0; i < entries; ++i) {
        const std::size_t entry = ifd + 2 + 12 * i;
        if (entry + 12 > tiff.size()) return 1;
        if (number(entry, 2) == 0x0112 && number(entry + 2, 2) == 3) {  // Orientation, SHORT
          const std::uint32_t value = number(entry + 8, 2);
          return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
        }
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

// An rgb24 image of the given size, its pixels zero.
hal::Image rgb_image(int width, int height) {
  hal::Image image;
  image.width = width;
  image.height = height;
  image.format = hal::PixelFormat::rgb24;
  image.pixels.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  return image;
}

// The picture as it is meant to be seen: EXIF orientation 2–8 mirror and/or turn it.
hal::Image oriented(hal::Image image, int orientation) {
  if (orientation <= 1 || orientation > 8) return image;
  const int w = image.width;
  const int h = image.height;
  const bool swap = orientation >= 5;
  hal::Image out = rgb_image(swap ? h : w, swap ? w : h);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int sx = x, sy = y;
      switch (orientation) {
        case 2: sx = w - 1 - x; break;
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;
        case 4: sy = h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = h - 1 - x; break;
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;
        case 8: sx = w - 1 - y; sy = x; break;
        default: break;
      }
      const std::size_t from = (static_cast<std::size_t>(sy) * static_cast<std::size_t>(w) + static_cast<std::size_t>(sx)) * 3;
      const std::size_t to = (static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width) + static_cast<std::size_t>(x)) * 3;
      std::memcpy(out.pixels.data() + to, image.pixels.data() + from, 3);
    }
  }
  image.wipe();
  return out;
}

Result<hal::Image> decode_jpeg(Bytes bytes, const ImageHeader& header) {
  tjhandle decoder = tjInitDecompress();
  if (decoder == nullptr) return parse_error("could not start the JPEG decoder");
  int width = 0, height = 0, subsampling = 0, colourspace = 0;
  if (tjDecompressHeader3(decoder, bytes.data(), static_cast<unsigned long>(bytes.size()), &width, &height, &subsampling,
                          &colourspace) != 0 ||
      width != header.width || height != header.height) {
    tjDestroy(decoder);
    return parse_error("the JPEG decoded to another size than its header says");
  }
  hal::Image image = rgb_image(header.width, header.height);
  const int failed = tjDecompress2(decoder, bytes.data(), static_cast<unsigned long>(bytes.size()), image.pixels.data(),
                                   header.width, 0, header.height, TJPF_RGB, TJFLAG_ACCURATEDCT);
  // A warning (a few bad bytes in the entropy-coded data) still gives a picture, as with OpenCV.
  const bool fatal = failed != 0 && tjGetErrorCode(decoder) == TJERR_FATAL;
  const std::string why = failed != 0 ? tjGetErrorStr2(decoder) : "";
  tjDestroy(decoder);
  if (fatal) {
    image.wipe();
    return parse_error("could not decode the JPEG: " + why);
  }
  return oriented(std::move(image), jpeg_orientation(bytes));
}

Result<hal::Image> decode_png(Bytes bytes, const ImageHeader& header) {
  SDL_RWops* source = SDL_RWFromConstMem(bytes.data(), static_cast<int>(bytes.size()));
  if (source == nullptr) return parse_error(std::string("could not read the PNG: ") + SDL_GetError());
  SDL_Surface* loaded = IMG_LoadPNG_RW(source);
  SDL_RWclose(source);
  if (loaded == nullptr) return parse_error(std::string("could not decode the PNG: ") + IMG_GetError());
  SDL_Surface* rgb = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_RGB24, 0);
  if (loaded->pixels != nullptr && !SDL_MUSTLOCK(loaded)) {
    secure_clear(loaded->pixels, static_cast<std::size_t>(loaded->pitch) * static_cast<std::size_t>(loaded->h));
  }
  SDL_FreeSurface(loaded);
  if (rgb == nullptr) return parse_error(std::string("could not convert the PNG: ") + SDL_GetError());
  Result<hal::Image> result = parse_error("the PNG decoded to another size than its header says");
  if (rgb->w == header.width && rgb->h == header.height) {
    hal::Image image = rgb_image(rgb->w, rgb->h);
    const std::size_t row = static_cast<std::size_t>(rgb->w) * 3;
    for (int y = 0; y < rgb->h; ++y) {
      std::memcpy(image.pixels.data() + row * static_cast<std::size_t>(y),
                  static_cast<const std::uint8_t*>(rgb->pixels) + static_cast<std::size_t>(y) * static_cast<std::size_t>(rgb->pitch), row);
    }
    result = std::move(image);
  }
  secure_clear(rgb->pixels, static_cast<std::size_t>(rgb->pitch) * static_cast<std::size_t>(rgb->h));
  SDL_FreeSurface(rgb);
  return result;
}

// Binary PNM: P6 is already rgb24; P5 (grey) is spread to the three channels.
hal::Image decode_pnm(Bytes bytes, const ImageHeader& header, std::size_t pixels_at) {
  hal::Image image = rgb_image(header.width, header.height);
  const std::size_t count = static_cast<std::size_t>(header.width) * static_cast<std::size_t>(header.height);
  if (bytes[1] == '6') {
    std::memcpy(image.pixels.data(), bytes.data() + pixels_at, count * 3);
  } else {
    for (std::size_t i = 0; i < count; ++i) {
      std::memset(image.pixels.data() + i * 3, bytes[pixels_at + i], 3);
    }
  }
  return image;
}

}  // namespace

const char* to_string(ImageType type) {
  switch (type) {
    case ImageType::jpeg: return "JPEG";
    case ImageType::png: return "PNG";
    case ImageType::pnm: return "PNM";
  }
  return "unknown";
}

Result<ImageHeader> read_image_header(Bytes bytes) {
  Result<ImageHeader> header = parse_error("not an image (expected JPEG, PNG or binary PNM)");
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    header = jpeg_header(bytes);
  } else if (bytes.size() >= 8 && std::memcmp(bytes.data(), "\x89PNG\r\n\x1a\n", 8) == 0) {
    header = png_header(bytes);
  } else if (bytes.size() >= 3 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '6') && std::isspace(bytes[2])) {
    header = pnm_header(bytes);
  }
  if (!header.ok()) return header;
  TRY_STATUS(check_limits(*header));
  return header;
}

Result<hal::Image> decode_image(Bytes bytes) {
  if (bytes.size() > kMaxImageFileBytes) {
    return Error::make(ErrorKind::invalid_argument, "image: " + std::to_string(bytes.size()) + " bytes is too large (at most 32 MiB)");
  }
  const ImageHeader header = TRY(read_image_header(bytes));
  switch (header.type) {
    case ImageType::jpeg: return decode_jpeg(bytes, header);
    case ImageType::png: return decode_png(bytes, header);
    case ImageType::pnm: {
      std::size_t pixels_at = 0;
      TRY(pnm_header(bytes, &pixels_at));
      return decode_pnm(bytes, header, pixels_at);
    }
  }
  return parse_error("not an image");
}

Result<hal::Image> load_image(const std::filesystem::path& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) return Error::make(ErrorKind::not_found, "image " + path.string() + ": " + error.message());
  if (size > kMaxImageFileBytes) {
    return Error::make(ErrorKind::invalid_argument, "image " + path.string() + ": " + std::to_string(size) +
                                                        " bytes is too large (at most 32 MiB)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::io, "image " + path.string() + ": cannot open");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  auto image = decode_image(bytes);
  secure_clear(bytes);
  if (!image.ok()) return Error::make(image.error().kind, path.string() + ": " + image.error().message);
  return image;
}

// FaceGate::assess_file is defined here, beside the decoders it needs: the gate itself (and the
// kiosk, which links the gate) then does without them.
Result<FaceVerdict> FaceGate::assess_file(const std::filesystem::path& path) const {
  hal::Image image = TRY(load_image(path));
  auto verdict = assess(image);
  image.wipe();
  return verdict;
}

}  // namespace kiosk::face
