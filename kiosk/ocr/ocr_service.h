#pragma once
// Reading a document: OCR, then the kind (given, or guessed from its titles and labels), then
// its fields. read_document() is the blocking call (kioskctl, tests, the benchmark); OcrService
// runs it on its own worker thread for the app, with one engine loaded once on that thread.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "hal/image.h"
#include "kiosk/core/worker.h"
#include "kiosk/ocr/document_fields.h"
#include "kiosk/ocr/ocr_engine.h"

namespace kiosk::ocr {

struct DocumentReading {
  OcrPage page;
  std::optional<DocumentKind> kind;             // nothing: not a kind we know (page text only)
  std::optional<ExtractedDocument> document;    // set exactly when kind is
};

// Errors: the engine's (invalid_argument, cancelled, timeout …), not_found "no text found" for a
// blank page, and extract_fields' "no … fields found" when `kind` was given and none is there.
Result<DocumentReading> read_document(OcrEngine& engine, const hal::Image& image, std::optional<DocumentKind> kind,
                                      const CancelToken& cancel, std::chrono::milliseconds timeout,
                                      const ExtractOptions& options = {});

class OcrService {
 public:
  using Done = std::function<void(Result<DocumentReading>)>;

  // Loads the engine on the worker thread (slow: it must not hold up the caller), at once or —
  // `load_at_start` false, as the kiosk does — with the first reading, so a kiosk that never reads
  // a document never pays Tesseract's memory.
  explicit OcrService(OcrEngineOptions options = {}, bool load_at_start = true);
  // Drops queued requests (their callbacks are not called) and waits for the running one: cancel
  // its token first for a quick exit.
  ~OcrService();
  OcrService(const OcrService&) = delete;
  OcrService& operator=(const OcrService&) = delete;

  // Queues a reading; `done` runs on the worker thread (post its result to the UI thread from
  // there). The image is personal data: it is wiped as soon as OCR has read it. When the engine
  // could not be loaded every request gets that error. The timeout counts from when the request
  // starts running.
  void submit(hal::Image image, std::optional<DocumentKind> kind, CancelToken cancel, std::chrono::milliseconds timeout,
              Done done);

 private:
  const OcrEngineOptions options_;
  void load();  // on the worker thread
  // Touched only on the worker thread.
  std::unique_ptr<OcrEngine> engine_;
  std::optional<Error> engine_error_;
  Worker worker_;  // last: stops before the engine goes
};

}  // namespace kiosk::ocr
