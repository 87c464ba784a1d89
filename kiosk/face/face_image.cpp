// Image file headers (JPEG, PNG, PNM) read by hand, decoding with OpenCV's imgcodecs.
#include "kiosk/face/face_image.h"

#include "kiosk/face/face_gate.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <string_view>
#include <system_error>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

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

Result<ImageHeader> pnm_header(Bytes bytes) {
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

void wipe(cv::Mat& mat) {
  if (mat.data && mat.isContinuous()) secure_clear(mat.data, mat.total() * mat.elemSize());
  mat.release();
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
  cv::Mat decoded;
  try {
    const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8U, const_cast<std::uint8_t*>(bytes.data()));
    decoded = cv::imdecode(encoded, cv::IMREAD_COLOR);
  } catch (const std::exception& error) {
    return parse_error(std::string("could not decode the ") + to_string(header.type) + ": " + error.what());
  }
  if (decoded.empty()) return parse_error(std::string("could not decode the ") + to_string(header.type));
  // A JPEG's EXIF orientation may turn the picture a quarter.
  const bool same = decoded.cols == header.width && decoded.rows == header.height;
  const bool turned = decoded.cols == header.height && decoded.rows == header.width && header.type == ImageType::jpeg;
  if ((!same && !turned) || decoded.type() != CV_8UC3 || !decoded.isContinuous()) {
    wipe(decoded);
    return parse_error(std::string("the ") + to_string(header.type) + " decoded to another size than its header says");
  }
  hal::Image image;
  image.width = decoded.cols;
  image.height = decoded.rows;
  image.format = hal::PixelFormat::rgb24;
  image.pixels.resize(decoded.total() * 3);
  cv::Mat rgb(decoded.rows, decoded.cols, CV_8UC3, image.pixels.data());
  cv::cvtColor(decoded, rgb, cv::COLOR_BGR2RGB);
  wipe(decoded);
  return image;
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

// FaceGate::assess_file is defined here, beside the decoder it needs: the gate itself (and the
// kiosk, which links the gate) then does without imgcodecs and the ~100 libraries it loads.
Result<FaceVerdict> FaceGate::assess_file(const std::filesystem::path& path) const {
  hal::Image image = TRY(load_image(path));
  auto verdict = assess(image);
  image.wipe();
  return verdict;
}

}  // namespace kiosk::face
