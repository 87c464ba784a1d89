#pragma once
// Services the citizen journeys need besides the devices and the platform: the face quality gate,
// OCR, pinyin input, and fonts for receipts. main() builds them and passes them down through the App; the
// types are only declared here, so the app core does not link OpenCV or Tesseract — the screens
// that use them do.

namespace kiosk {

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

struct Services {
  // Judges face frames before verification. Not thread-safe: used only by jobs on the app's one
  // worker thread (AppContext::run_in_background). Null: the terminal cannot verify faces.
  face::FaceGate* face_gate = nullptr;
  // Reads documents under the document camera (its own worker thread). Null: no OCR, the citizen
  // types every field.
  ocr::OcrService* ocr = nullptr;
  // Pinyin to characters for the form keyboards. Null: Latin letters only.
  ime::PinyinEngine* pinyin = nullptr;
  // Fonts for receipts rendered on the app's worker (the UI's atlas belongs to the UI thread).
  ui::GlyphAtlas* receipt_atlas = nullptr;
};

}  // namespace kiosk
