// kioskctl device ocr | face: document OCR with field extraction, and the face quality gate, on
// image files.
#include "kiosk/face/face_gate.h"
#include "kiosk/ocr/image_file.h"
#include "kiosk/ocr/ocr_service.h"
#include "tools/kioskctl/device_commands.h"

namespace kiosk::kioskctl {
namespace {

nlohmann::json field_json(const ocr::OcrField& field) {
  return {{"key", field.key},
          {"label", field.label},
          {"value", field.value},
          {"found", field.found},
          {"confidence_min", field.confidence_min},
          {"confidence_mean", field.confidence_mean},
          {"low_confidence", field.low_confidence},
          {"check_failed", field.check_failed},
          {"needs_confirmation", field.needs_confirmation},
          {"note", field.note}};
}

nlohmann::json lines_json(const ocr::OcrPage& page) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : page.lines) {
    float lowest = 100;
    for (const auto& word : line.words) lowest = std::min(lowest, word.confidence);
    lines.push_back({{"text", line.text()}, {"confidence_min", lowest}});
  }
  return lines;
}

}  // namespace

Outcome<nlohmann::json> ocr_image(const Arguments& arguments) {
  const std::chrono::milliseconds timeout = TRY(timeout_of(arguments, 30'000));
  std::optional<ocr::DocumentKind> kind;
  if (auto name = arguments.value("--kind")) {
    kind = ocr::document_kind_from_name(*name);
    if (!kind) return usage_error("--kind expects idcard, licence or household");
  }
  const std::string path = arguments.positionals()[0];
  auto image = ocr::load_image_file(path);
  if (!image.ok()) return failed(image.error().message);
  ocr::OcrEngineOptions options;
  if (auto tessdata = arguments.value("--tessdata")) options.tessdata_dir = *tessdata;
  auto engine = ocr::OcrEngine::create(options);
  if (!engine.ok()) return failed(engine.error().message);
  auto reading = ocr::read_document(**engine, *image, kind, CancelToken{}, timeout);
  image->wipe();
  if (!reading.ok()) return failed(path + ": " + reading.error().message);
  nlohmann::json answer{{"image", {{"width", reading->page.width}, {"height", reading->page.height}}},
                        {"kind", reading->kind ? nlohmann::json(ocr::to_string(*reading->kind)) : nlohmann::json()},
                        {"words", reading->page.word_count()},
                        {"lines", lines_json(reading->page)}};
  if (reading->document) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& field : reading->document->fields) fields.push_back(field_json(field));
    answer["fields"] = fields;
    answer["needs_confirmation"] = reading->document->needs_confirmation();
    answer["confirm_below"] = ocr::kConfirmBelowConfidence;
  }
  return answer;
}

Outcome<nlohmann::json> face_image(const Arguments& arguments) {
  auto gate = face::FaceGate::create(arguments.value("--cascade").value_or(face::kDefaultCascade));
  if (!gate.ok()) return failed(gate.error().message);
  auto verdict = gate->assess_file(arguments.positionals()[0]);
  if (!verdict.ok()) return failed(verdict.error().message);
  return nlohmann::json{{"ok", verdict->ok},
                        {"reason", face::to_string(verdict->reason)},
                        {"reason_key", face::string_key(verdict->reason)},
                        {"faces", verdict->faces},
                        {"face", {{"x", verdict->face.x}, {"y", verdict->face.y}, {"width", verdict->face.width},
                                  {"height", verdict->face.height}}},
                        {"luminance", verdict->luminance},
                        {"sharpness", verdict->sharpness},
                        {"score", verdict->score}};
}

}  // namespace kiosk::kioskctl
