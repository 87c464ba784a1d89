#pragma once
// Strict standard base64 (RFC 4648 §4: padding required, no whitespace, nothing after the
// padding), for the platform's JSON, which carries materials, PDFs and signatures as base64.
// Shared by the kiosk and the platform simulator so both sides read the same strings the same way.

#include <string>
#include <string_view>

#include "kiosk/core/result.h"

namespace kiosk::base64 {

std::string encode(std::string_view bytes);
// Errors are ErrorKind::parse naming the offset of the first bad character.
Result<std::string> decode(std::string_view text);

}  // namespace kiosk::base64
