#include "kiosk/receipt/qr_code.h"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace kiosk::receipt {

Result<QrCode> encode_qr(std::string_view payload) {
  if (payload.empty()) return Error::make(ErrorKind::invalid_argument, "QR payload is empty");
  errno = 0;
  // Version 0 lets libqrencode pick the smallest version that holds the data.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(payload.size()), reinterpret_cast<const unsigned char*>(payload.data()), 0,
                        QR_ECLEVEL_M),
      &QRcode_free);
  if (!code) {
    const int error = errno;
    if (error == ERANGE) {
      return Error::make(ErrorKind::unsupported,
                         "QR payload of " + std::to_string(payload.size()) + " bytes does not fit a QR code");
    }
    return Error::make(ErrorKind::io, std::string("libqrencode failed: ") + std::strerror(error));
  }
  QrCode result;
  result.size = code->width;
  const std::size_t count = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  result.modules.resize(count);
  // libqrencode packs flags into each byte; bit 0 is the module's colour.
  for (std::size_t i = 0; i < count; ++i) result.modules[i] = code->data[i] & 1u;
  return result;
}

}  // namespace kiosk::receipt
