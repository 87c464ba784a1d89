// OcrEngine: Tesseract's C++ API with one thread per parallel region, a cancel/deadline monitor,
// and results copied into our own types (ocr_engine.h).
#include "kiosk/ocr/ocr_engine.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <system_error>

namespace kiosk::ocr {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kLongestTimeout{std::chrono::hours(1)};

// libgomp keeps max-active-levels per thread (per implicit task): set it on the thread that is
// about to run Tesseract. Looked up at run time so a Tesseract built without OpenMP needs nothing.
void one_openmp_thread_here() {
  using SetLevels = void (*)(int);
  static const auto set_levels = reinterpret_cast<SetLevels>(::dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
  if (set_levels != nullptr) set_levels(0);
}

// What Tesseract's monitor asks before each word: stop for the token or our own deadline.
struct StopCheck {
  const CancelToken* cancel;
  Clock::time_point deadline;
  bool timed_out = false;
  bool cancelled = false;

  static bool should_stop(void* self, int /*words*/) {
    auto* check = static_cast<StopCheck*>(self);
    if (check->cancel->cancelled()) check->cancelled = true;
    if (Clock::now() >= check->deadline) check->timed_out = true;
    return check->cancelled || check->timed_out;
  }
};

Status stop_reason(const CancelToken& cancel, Clock::time_point deadline, const char* stage) {
  if (cancel.cancelled()) return Error::make(ErrorKind::cancelled, std::string("OCR cancelled ") + stage);
  if (Clock::now() >= deadline) return Error::make(ErrorKind::timeout, std::string("OCR timed out ") + stage);
  return {};
}

Status check_pixels(const hal::Image& image, const ImageLimits& limits) {
  TRY_STATUS(check_image_size(image.width, image.height, limits));
  if (!image.valid()) {
    return Error::make(ErrorKind::invalid_argument, "image pixel buffer of " + std::to_string(image.pixels.size()) +
                                                        " bytes does not match its size");
  }
  return {};
}

Box box_of(const tesseract::ResultIterator& iterator, tesseract::PageIteratorLevel level) {
  int left = 0, top = 0, right = 0, bottom = 0;
  if (!iterator.BoundingBox(level, &left, &top, &right, &bottom)) return {};
  return {left, top, right - left, bottom - top};
}

// Copies Tesseract's lines of words and arranges them in visual rows (arrange_rows).
OcrPage collect(tesseract::TessBaseAPI& api, const hal::Image& image) {
  std::vector<OcrLine> lines;
  std::unique_ptr<tesseract::ResultIterator> iterator(api.GetIterator());
  if (iterator) {
    do {
      if (iterator->Empty(tesseract::RIL_WORD)) continue;
      if (lines.empty() || iterator->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) {
        lines.push_back({{}, box_of(*iterator, tesseract::RIL_TEXTLINE)});
      }
      std::unique_ptr<char[]> text(iterator->GetUTF8Text(tesseract::RIL_WORD));
      if (!text || text[0] == '\0') continue;
      lines.back().words.push_back(
          {text.get(), iterator->Confidence(tesseract::RIL_WORD), box_of(*iterator, tesseract::RIL_WORD)});
    } while (iterator->Next(tesseract::RIL_WORD));
  }
  return arrange_rows(std::move(lines), image.width, image.height);
}

}  // namespace

OcrEngine::OcrEngine(OcrEngineOptions options)
    : options_(std::move(options)), api_(std::make_unique<tesseract::TessBaseAPI>()) {}

OcrEngine::~OcrEngine() {
  if (api_) api_->End();
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::create(const OcrEngineOptions& options) {
  // For child processes and an OpenMP runtime loaded after this point; see the header for why
  // recognize() also limits the calling thread.
  ::setenv("OMP_THREAD_LIMIT", "1", 1);
  std::error_code error;
  const std::string first_language = options.languages.substr(0, options.languages.find('+'));
  if (!std::filesystem::exists(options.tessdata_dir / (first_language + ".traineddata"), error)) {
    return Error::make(ErrorKind::not_found, "no " + first_language + ".traineddata in " + options.tessdata_dir.string() +
                                                 " (install tesseract-ocr-chi-sim)");
  }
  std::unique_ptr<OcrEngine> engine(new OcrEngine(options));
  one_openmp_thread_here();
  if (engine->api_->Init(options.tessdata_dir.c_str(), options.languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    return Error::make(ErrorKind::unsupported, "Tesseract could not start with " + options.languages + " from " +
                                                   options.tessdata_dir.string());
  }
  // Tesseract's diagnostics ("Estimating resolution …") would otherwise go to stderr.
  engine->api_->SetVariable("debug_file", "/dev/null");
  engine->api_->SetPageSegMode(static_cast<tesseract::PageSegMode>(options.page_segmentation));
  return engine;
}

Result<OcrPage> OcrEngine::recognize(const hal::Image& image, const CancelToken& cancel, std::chrono::milliseconds timeout) {
  // Clamped so a caller's "forever" cannot overflow the clock.
  const Clock::time_point deadline = Clock::now() + std::clamp(timeout, std::chrono::milliseconds(0), kLongestTimeout);
  TRY_STATUS(check_pixels(image, options_.limits));
  std::unique_lock lock(mutex_);
  TRY_STATUS(stop_reason(cancel, deadline, "before it started"));
  one_openmp_thread_here();
  api_->SetImage(image.pixels.data(), image.width, image.height, image.bytes_per_pixel(),
                 image.width * image.bytes_per_pixel());
  api_->SetSourceResolution(options_.assumed_dpi);

  StopCheck check{&cancel, deadline};
  tesseract::ETEXT_DESC monitor;
  monitor.cancel = &StopCheck::should_stop;
  monitor.cancel_this = &check;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  monitor.set_deadline_msecs(static_cast<std::int32_t>(std::max<std::int64_t>(1, left.count())));  // ≤ kLongestTimeout
  const int recognised = api_->Recognize(&monitor);
  if (check.cancelled || check.timed_out || recognised != 0) {
    api_->Clear();
    TRY_STATUS(stop_reason(cancel, deadline, "during recognition"));
    if (monitor.deadline_exceeded()) return Error::make(ErrorKind::timeout, "OCR timed out during recognition");
    return Error::make(ErrorKind::unsupported, "Tesseract could not recognise the image");
  }
  OcrPage page = collect(*api_, image);
  api_->Clear();  // drops Tesseract's copy of the pixels
  TRY_STATUS(stop_reason(cancel, deadline, "after recognition"));
  return page;
}

}  // namespace kiosk::ocr
