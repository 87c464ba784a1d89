#include "devices/sim/pnm.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kiosk::devices::sim {
namespace {

constexpr long kMaxSide = 8192;

Error pnm_error(const std::string& what) { return Error::make(ErrorKind::parse, "pnm: " + what); }

// Reads one header number after whitespace and # comments.
Result<long> header_number(std::string_view bytes, std::size_t& at, const char* what) {
  for (;;) {
    while (at < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[at]))) ++at;
    if (at < bytes.size() && bytes[at] == '#') {
      while (at < bytes.size() && bytes[at] != '\n') ++at;
      continue;
    }
    break;
  }
  long value = 0;
  std::size_t digits = 0;
  while (at < bytes.size() && bytes[at] >= '0' && bytes[at] <= '9' && digits < 6) {
    value = value * 10 + (bytes[at++] - '0');
    ++digits;
  }
  if (digits == 0) return pnm_error(std::string("expected the ") + what);
  if (at < bytes.size() && bytes[at] >= '0' && bytes[at] <= '9') return pnm_error(std::string(what) + " too large");
  return value;
}

}  // namespace

Result<hal::Image> parse_pnm(std::string_view bytes) {
  if (bytes.size() < 2 || bytes[0] != 'P' || (bytes[1] != '5' && bytes[1] != '6')) {
    return pnm_error("not a binary PGM (P5) or PPM (P6) file");
  }
  hal::Image image;
  image.format = bytes[1] == '5' ? hal::PixelFormat::gray8 : hal::PixelFormat::rgb24;
  std::size_t at = 2;
  const long width = TRY(header_number(bytes, at, "width"));
  const long height = TRY(header_number(bytes, at, "height"));
  const long maxval = TRY(header_number(bytes, at, "maxval"));
  if (width < 1 || height < 1 || width > kMaxSide || height > kMaxSide) {
    return pnm_error("size " + std::to_string(width) + "x" + std::to_string(height) + " out of range");
  }
  if (maxval != 255) return pnm_error("maxval must be 255, got " + std::to_string(maxval));
  if (at >= bytes.size() || !std::isspace(static_cast<unsigned char>(bytes[at]))) {
    return pnm_error("expected one whitespace byte before the pixels");
  }
  ++at;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  const std::size_t size = static_cast<std::size_t>(width) * static_cast<std::size_t>(height) *
                           static_cast<std::size_t>(image.bytes_per_pixel());
  if (bytes.size() - at < size) {
    return pnm_error("pixel data too short: " + std::to_string(bytes.size() - at) + " of " + std::to_string(size) + " bytes");
  }
  image.pixels.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                      bytes.begin() + static_cast<std::ptrdiff_t>(at + size));
  return image;
}

Result<hal::Image> load_pnm(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::io, "pnm " + path.string() + ": " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto image = parse_pnm(bytes.str());
  if (!image.ok()) return Error::make(ErrorKind::parse, path.string() + ": " + image.error().message);
  return image;
}

}  // namespace kiosk::devices::sim
