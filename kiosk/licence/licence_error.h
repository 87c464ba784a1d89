#pragma once
// The typed errors of the electronic-licence library (kiosk/licence): what the screen must tell
// apart to say the right thing to the citizen. Messages are for logs and staff: they name the
// check that failed and never carry licence content, names or numbers.

#include <string>

#include "kiosk/core/result.h"

namespace kiosk::licence {

enum class LicenceErrorKind {
  unknown_issuer,  // the document names an issuer key the terminal does not have
  bad_signature,   // the signature does not match the bytes (changed after signing, or another key)
  malformed,       // a signature, key or PDF that does not parse
  too_large,       // beyond the limits below (bytes, pages, page size)
  render,          // the PDF parsed but poppler or cairo failed to draw it
  cancelled,       // the caller cancelled between pages
};
const char* to_string(LicenceErrorKind kind);

struct LicenceError {
  LicenceErrorKind kind = LicenceErrorKind::malformed;
  std::string message;

  static LicenceError make(LicenceErrorKind kind, std::string message) { return {kind, std::move(message)}; }
};

template <typename T>
using LicenceResult = Result<T, LicenceError>;
using LicenceStatus = Result<void, LicenceError>;

// Limits for documents from outside: a licence is a page or a few; these stop a hostile or broken
// document from taking the terminal's memory or time.
inline constexpr std::size_t kMaxPdfBytes = 16u << 20;  // the platform's own body limit
inline constexpr int kMaxPages = 50;
inline constexpr double kMaxPagePoints = 14400;  // 5 m, PDF's own largest page side

}  // namespace kiosk::licence
