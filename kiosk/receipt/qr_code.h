#pragma once
// QR codes through libqrencode (Debian libqrencode-dev): the module matrix of a payload, drawn by
// the receipt layout. Error correction level M (15 %): thermal paper smudges and creases.

#include <string_view>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::receipt {

struct QrCode {
  int size = 0;                       // modules per side (21 for version 1 … 177 for version 40)
  std::vector<unsigned char> modules;  // size × size, row-major, 1 = dark

  bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)] != 0; }
};

// Encodes `payload` as 8-bit data (UTF-8 as is). Errors: invalid_argument for an empty payload,
// unsupported when it does not fit in a version 40 code.
Result<QrCode> encode_qr(std::string_view payload);

}  // namespace kiosk::receipt
