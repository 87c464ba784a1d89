#include "kiosk/receipt/qr_reader.h"

#include <zbar.h>

#include <memory>

#include "kiosk/core/secure_memory.h"

namespace kiosk::receipt {
namespace {

using namespace zbar;  // zbar.h puts its C API in this namespace when compiled as C++

constexpr int kMinSide = 21;  // a version 1 QR code at one pixel a module

struct ScannerDeleter {
  void operator()(zbar_image_scanner_t* scanner) const { zbar_image_scanner_destroy(scanner); }
};
struct ImageDeleter {
  void operator()(zbar_image_t* image) const { zbar_image_destroy(image); }
};

// Luma (BT.601 integer weights) or the grey pixels as they are.
std::vector<unsigned char> grey_copy(const hal::Image& image) {
  const std::size_t count = static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
  if (image.format == hal::PixelFormat::gray8) return {image.pixels.begin(), image.pixels.end()};
  std::vector<unsigned char> grey(count);
  const std::uint8_t* rgb = image.pixels.data();
  for (std::size_t i = 0; i < count; ++i, rgb += 3) {
    grey[i] = static_cast<unsigned char>((77u * rgb[0] + 150u * rgb[1] + 29u * rgb[2]) >> 8);
  }
  return grey;
}

}  // namespace

Result<std::vector<std::string>> read_qr_codes(const hal::Image& image) {
  if (!image.valid()) return Error::make(ErrorKind::invalid_argument, "qr: the image's size and pixels disagree");
  if (image.width < kMinSide || image.height < kMinSide) {
    return Error::make(ErrorKind::invalid_argument, "qr: image of " + std::to_string(image.width) + "×" +
                                                        std::to_string(image.height) + " px is too small");
  }
  if (static_cast<long long>(image.width) * image.height > kMaxQrImagePixels) {
    return Error::make(ErrorKind::invalid_argument, "qr: image of " + std::to_string(image.width) + "×" +
                                                        std::to_string(image.height) + " px is too large");
  }
  std::unique_ptr<zbar_image_scanner_t, ScannerDeleter> scanner(zbar_image_scanner_create());
  std::unique_ptr<zbar_image_t, ImageDeleter> picture(zbar_image_create());
  if (!scanner || !picture) return Error::make(ErrorKind::io, "qr: zbar could not start");
  // QR codes only: other symbologies find "codes" in print and noise, and cost time.
  zbar_image_scanner_set_config(scanner.get(), ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config(scanner.get(), ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);

  std::vector<unsigned char> grey = grey_copy(image);
  zbar_image_set_format(picture.get(), zbar_fourcc('Y', '8', '0', '0'));
  zbar_image_set_size(picture.get(), static_cast<unsigned>(image.width), static_cast<unsigned>(image.height));
  zbar_image_set_data(picture.get(), grey.data(), grey.size(), nullptr);  // borrowed: we free it
  const int found = zbar_scan_image(scanner.get(), picture.get());
  std::vector<std::string> codes;
  if (found > 0) {
    for (const zbar_symbol_t* symbol = zbar_image_first_symbol(picture.get()); symbol;
         symbol = zbar_symbol_next(symbol)) {
      if (zbar_symbol_get_type(symbol) != ZBAR_QRCODE) continue;
      codes.emplace_back(zbar_symbol_get_data(symbol), zbar_symbol_get_data_length(symbol));
    }
  }
  // zbar's results live in the picture: free it (and them) before wiping what it scanned.
  picture.reset();
  secure_clear(grey.data(), grey.size());
  if (found < 0) return Error::make(ErrorKind::io, "qr: zbar could not scan the image");
  return codes;
}

}  // namespace kiosk::receipt
