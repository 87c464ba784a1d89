#pragma once
// Reading QR codes back from a camera picture with libzbar (Debian libzbar-dev): a receipt under
// the document camera for the progress query. Blocking and CPU-bound (tens of milliseconds for a
// few megapixels, and it cannot be interrupted): call it on a worker, never the UI thread.

#include <string>
#include <vector>

#include "hal/image.h"
#include "kiosk/core/result.h"

namespace kiosk::receipt {

// The largest picture read: a document camera's full frame (an A4 page at 600 dpi is 35 MP).
inline constexpr long long kMaxQrImagePixels = 40'000'000;

// The text of every QR code found in `image` (gray8 or rgb24), in the order zbar reports them;
// empty when there is none (a blank page, a receipt upside down, a blurred picture). Errors:
// invalid_argument for an image that is not self-consistent, smaller than 21 px a side (a QR code
// cannot fit) or larger than kMaxQrImagePixels; io when zbar fails. The grey copy it scans is
// wiped before it returns (a citizen may put any document under the camera).
Result<std::vector<std::string>> read_qr_codes(const hal::Image& image);

}  // namespace kiosk::receipt
