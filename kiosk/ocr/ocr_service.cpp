// read_document and the OCR worker (ocr_service.h).
#include "kiosk/ocr/ocr_service.h"

namespace kiosk::ocr {

Result<DocumentReading> read_document(OcrEngine& engine, const hal::Image& image, std::optional<DocumentKind> kind,
                                      const CancelToken& cancel, std::chrono::milliseconds timeout,
                                      const ExtractOptions& options) {
  DocumentReading reading;
  reading.page = TRY(engine.recognize(image, cancel, timeout));
  if (!reading.page.has_text()) return Error::make(ErrorKind::not_found, "no text found");
  reading.kind = kind ? kind : detect_document_kind(reading.page);
  if (reading.kind) reading.document = TRY(extract_fields(reading.page, *reading.kind, options));
  return reading;
}

OcrService::OcrService(OcrEngineOptions options, bool load_at_start) : options_(std::move(options)) {
  if (load_at_start) worker_.post([this] { load(); });
}

void OcrService::load() {
  if (engine_ || engine_error_) return;
  auto engine = OcrEngine::create(options_);
  if (engine.ok()) {
    engine_ = engine.release_value();
  } else {
    engine_error_ = engine.release_error();
  }
}

OcrService::~OcrService() = default;

void OcrService::submit(hal::Image image, std::optional<DocumentKind> kind, CancelToken cancel,
                        std::chrono::milliseconds timeout, Done done) {
  // std::function needs a copyable job: the image moves into a shared holder.
  auto held = std::make_shared<hal::Image>(std::move(image));
  worker_.post([this, held, kind, cancel, timeout, done = std::move(done)] {
    load();
    if (!engine_) {
      held->wipe();
      done(engine_error_ ? *engine_error_ : Error::make(ErrorKind::unsupported, "OCR engine not loaded"));
      return;
    }
    auto reading = read_document(*engine_, *held, kind, cancel, timeout);
    held->wipe();
    done(std::move(reading));
  });
}

}  // namespace kiosk::ocr
