#pragma once
// Services the citizen journeys need besides the devices and the platform: the face quality gate,
// OCR, pinyin input, and fonts for receipts. main() builds them and passes them down through the App; the
// types are only declared here, so the app core does not link OpenCV or Tesseract — the screens
// that use them do.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace kiosk {

// A service built the first time it is asked for, on the thread that asks, so neither start-up
// nor memory is paid for what a terminal has not needed yet. main() warms the slow ones after
// the first frame. get() is null when the service could not be built (the reason is logged).
template <typename T>
class Lazy {
 public:
  Lazy() = default;
  explicit Lazy(std::function<std::unique_ptr<T>()> make) : make_(std::move(make)) {}
  T* get() {
    std::call_once(once_, [this] {
      if (make_) value_ = make_();
      ready_.store(value_.get());
    });
    return value_.get();
  }
  // The service if it is already built, else null — never builds it, never waits (for the UI
  // thread, which must not wait for a service being built on the worker).
  T* peek() const { return ready_.load(); }
  // Destroys the service (main(), before what it depends on goes: the voice before SDL_Quit);
  // get() and peek() are null afterwards.
  void reset() {
    std::call_once(once_, [] {});
    ready_.store(nullptr);
    value_.reset();
  }

 private:
  std::function<std::unique_ptr<T>()> make_;
  std::once_flag once_;
  std::unique_ptr<T> value_;
  std::atomic<T*> ready_{nullptr};
};

namespace crypto {
class Crypto;
}
namespace face {
class FaceGate;
}
namespace ocr {
class OcrService;
}
namespace ui {
class GlyphAtlas;
}
namespace ime {
class PinyinEngine;
}
namespace licence {
class IssuerKeys;
}
namespace voice {
class Voice;
}
namespace ops {
class Operations;
class PinGuard;
}

struct Services {
  // Judges face frames before verification (loads OpenCV's cascade). Not thread-safe: built and
  // used only by jobs on the app's one worker thread (AppContext::run_in_background).
  // Null, or get() null: the terminal cannot verify faces.
  Lazy<face::FaceGate>* face_gate = nullptr;
  // Reads documents under the document camera (its own worker thread). Null: no OCR, the citizen
  // types every field.
  ocr::OcrService* ocr = nullptr;
  // Pinyin to characters for the form keyboards (a decoder process). Null, or get() null: Latin
  // letters only.
  Lazy<ime::PinyinEngine>* pinyin = nullptr;
  // Fonts for receipts rendered on the app's worker (the UI's atlas belongs to the UI thread).
  Lazy<ui::GlyphAtlas>* receipt_atlas = nullptr;
  // The electronic-licence issuers' public keys (GET /api/v1/issuers), fetched by the licences
  // screen and kept for the app's life. Thread-safe. Null: the screen keeps its own for its visit.
  licence::IssuerKeys* issuer_keys = nullptr;
  // Spoken prompts (espeak-ng through SDL audio, its own thread). Built on the worker after the
  // first frame; the app speaks only once peek() has it. Null, or never built: a silent kiosk.
  Lazy<voice::Voice>* voice = nullptr;
  // What technician mode shows and does (kiosk/ops/operations.h): device reports and self-tests,
  // the network check, the outbox, log lines, diagnostics bundles, the audit trail. Thread-safe;
  // the blocking calls run on the worker. Null: technician mode shows only the screen tests.
  ops::Operations* operations = nullptr;
  // Wrong technician PINs and the lockout (kiosk/ops/technician_pin.h), kept across restarts.
  // UI thread only. Null: technician mode cannot be entered at the terminal.
  ops::PinGuard* pin_guard = nullptr;
  // The crypto seam, for checking the technician PIN's hash. Thread-safe.
  crypto::Crypto* crypto = nullptr;
};

}  // namespace kiosk
