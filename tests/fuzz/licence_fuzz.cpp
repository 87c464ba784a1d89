// Fuzz target: what the licences screen takes from the platform — a licence document answer
// (JSON, then the issuer-signature check against a fixed key) and the PDF bytes themselves
// (opened with poppler, page 1 drawn small, the watermark stamped on). Every input must end in a
// value or a typed error: no crash, no hang, no leak.
#include <cstdint>
#include <span>
#include <string_view>

#include "kiosk/licence/issuer_keys.h"
#include "kiosk/licence/pdf_document.h"
#include "kiosk/licence/watermark.h"

namespace {

using namespace kiosk;

// Key A of tests/kiosk/crypto/crypto_test.cpp: the seed document answers name it as "fuzz-issuer".
constexpr std::string_view kKeyA =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEL9sWprIqZ9y0sDmcuU4l/WOyM5hE\n"
    "SQqdBaEnM+nlcRtsU7BlXtVlXV45CvOD9rRBpMT8JLoHIKOMM4umwmcXOw==\n"
    "-----END PUBLIC KEY-----\n";

void as_document_answer(crypto::Crypto& crypto, std::string_view text) {
  auto document = platform::parse_licence_document(text);
  if (!document.ok()) return;
  auto verdict = licence::verify_document(crypto, {{"fuzz-issuer", "fuzz", std::string(kKeyA)}}, *document);
  // Nobody holds key A's private half for arbitrary input: a pass means the check is broken.
  if (verdict.ok() && document->pdf.size() > 5 && document->pdf[5] == 'F') __builtin_trap();
}

void as_pdf(std::span<const std::uint8_t> bytes) {
  auto document = licence::PdfDocument::open(bytes);
  if (!document.ok()) return;
  if (document.value()->page_count() < 1 || document.value()->page_count() > licence::kMaxPages) __builtin_trap();
  auto page = document.value()->render_page(0, 64, 64);
  if (page.ok() && (page.value()->width() > 64 || page.value()->height() > 64)) __builtin_trap();
  auto stamped = licence::stamp_watermark(*document.value(), "仅供办理政务服务事项时使用", kiosk::CancelToken());
  if (stamped.ok() && (stamped.value().size() < 5 || stamped.value()[0] != '%')) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto crypto = crypto::make_crypto();  // the fuzzer's own process-long state, not the kiosk's
  as_document_answer(*crypto, std::string_view(reinterpret_cast<const char*>(data), size));
  as_pdf(std::span<const std::uint8_t>(data, size));
  return 0;
}
