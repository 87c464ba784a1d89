#pragma once
// Tesseract OCR (Debian's chi_sim fast LSTM model) behind our types: an hal::Image in, lines of
// words with confidences and boxes out (ocr_page.h).
//
// Create one engine and keep it: loading the model takes ~0.15 s and ~40 MB. recognize() blocks
// (≈0.2 s for an ID-card-size image, ≈2–3 s for an A4 page on one core), so call it on a worker
// thread, never the UI thread; OcrService (ocr_service.h) owns one on its own thread. One
// recognition at a time per engine: a second caller waits for the first.
//
// OpenMP: Debian's libtesseract is built with OpenMP, which on a 2-core terminal makes OCR
// 2–3× slower (its threads spin against each other and against the UI). OMP_THREAD_LIMIT=1 cures
// that, but libgomp reads its environment once, when it is loaded, which for a program linked
// with Tesseract is before main(): a setenv() at run time changes nothing (measured: 0.52 s with,
// 0.19 s with the variable set before start). So create() sets OMP_THREAD_LIMIT=1 for child
// processes and any OpenMP runtime loaded later, and recognize() also sets max-active-levels to 0
// through libgomp's omp_set_max_active_levels (looked up at run time, so builds without OpenMP
// need nothing), which makes every parallel region run on one thread (measured: 0.19 s).
//
// Layout: Tesseract runs in sparse-text mode and the words are arranged in visual rows by their
// boxes (arrange_rows). Documents are forms with wide gaps between a label and its value; in
// block mode the LSTM reads such a gap as quote marks and loses confidence on the words beside it
// ("姓名 ” 张" at 42/0/66 against 97/93 in sparse mode, same image).
//
// Cancel and timeout: the cancel token and the deadline are checked between stages (image
// check, layout analysis, recognition, result collection) and, during recognition, by Tesseract
// itself before every word through its progress monitor (ETEXT_DESC cancel callback and
// deadline): that is every few milliseconds. Layout analysis cannot be interrupted (≈0.05 s for
// an ID card, ≈0.3 s for an A4 page).

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "hal/image.h"
#include "kiosk/core/cancel.h"
#include "kiosk/core/result.h"
#include "kiosk/ocr/image_file.h"
#include "kiosk/ocr/ocr_page.h"

namespace tesseract {
class TessBaseAPI;
}

namespace kiosk::ocr {

inline constexpr const char* kDefaultTessdataDir = "/usr/share/tesseract-ocr/5/tessdata";

struct OcrEngineOptions {
  std::filesystem::path tessdata_dir = kDefaultTessdataDir;  // holds <language>.traineddata
  std::string languages = "chi_sim";  // chi_sim reads Latin letters and digits too; "+eng" costs ~50 %
  int assumed_dpi = 300;              // the document camera's scans; only steers layout heuristics
  int page_segmentation = 3;          // Tesseract's PSM: 3 automatic, 4 one column, 6 one block, 11 sparse
  ImageLimits limits;
};

class OcrEngine {
 public:
  // Loads the model. Errors: not_found (no traineddata in tessdata_dir: install
  // tesseract-ocr-chi-sim), unsupported (Tesseract refused to start).
  static Result<std::unique_ptr<OcrEngine>> create(const OcrEngineOptions& options = {});
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  // Reads `image` (gray8 or rgb24). Errors: invalid_argument (too small, too large, pixel
  // buffer not matching its size), cancelled, timeout, unsupported (Tesseract failed). A blank
  // page is not an error: it gives a page without words (OcrPage::has_text() false).
  Result<OcrPage> recognize(const hal::Image& image, const CancelToken& cancel, std::chrono::milliseconds timeout);

  const OcrEngineOptions& options() const { return options_; }

 private:
  explicit OcrEngine(OcrEngineOptions options);

  const OcrEngineOptions options_;
  std::mutex mutex_;  // Tesseract's API object is not re-entrant
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

}  // namespace kiosk::ocr
