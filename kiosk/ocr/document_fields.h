#pragma once
// Field extraction from OCR text for the materials citizens bring most: the resident ID card's
// front, the business licence (营业执照) and the household register page (常住人口登记卡).
//
// Each document kind has printed labels ("姓名", "统一社会信用代码" …); a field's value is the text
// after its label up to the next label on the line (addresses also take the following lines
// until a line with a label). Values are normalised (dates to YYYYMMDD, codes upper case, no
// spaces inside Chinese) and checked: ID numbers with GB 11643, credit codes with GB 32100, dates
// for existence, an ID card's birth date against its ID number.
//
// Nothing is silently accepted: a field is marked needs_confirmation when it was not found, when
// its least confident word is below ExtractOptions::confirm_below, or when a check failed. A
// failed check is a warning, never a block: the value read is kept for the citizen to confirm
// (some early pilot credit codes fail GB 32100 and are still valid).
//
// Outside data: any word list (garbage, invalid UTF-8, huge) gives a result or an error, never a
// crash. Error messages and notes never contain the values read (personal data).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/ocr/ocr_page.h"

namespace kiosk::ocr {

enum class DocumentKind { id_card_front, business_licence, household_register };
// "idcard", "licence", "household": the names kioskctl's --kind takes.
const char* to_string(DocumentKind kind);
std::optional<DocumentKind> document_kind_from_name(std::string_view name);

// Below this word confidence (Tesseract's 0–100) a field needs the citizen's confirmation.
// Measured with chi_sim on our sample documents: clean print reads mostly at 85–97 with a few
// right words down to 40–70 (a long digit run, a line-final 日); misread and rare characters
// (呷, 彝) score 0–60. Erring high costs the citizen a tap; erring low lets a wrong value through.
inline constexpr float kConfirmBelowConfidence = 70.0f;

struct ExtractOptions {
  float confirm_below = kConfirmBelowConfidence;
};

struct OcrField {
  std::string key;    // "name", "sex", "nation", "birth_date", "address", "id_number", "uscc",
                      // "legal_representative", "registration_date", "relationship"
  std::string label;  // the printed label it was read under ("姓名"); empty when not found
  std::string value;  // normalised; empty when not found
  bool found = false;
  float confidence_min = 0.0f;   // over the words the value came from
  float confidence_mean = 0.0f;
  bool low_confidence = false;   // confidence_min < confirm_below
  bool check_failed = false;     // check character, date or format check failed (a warning)
  std::string note;              // why it needs confirmation; never contains the value
  bool needs_confirmation = true;
};

struct ExtractedDocument {
  DocumentKind kind = DocumentKind::id_card_front;
  std::vector<OcrField> fields;  // every field of the kind, in a fixed order, found or not

  const OcrField* field(std::string_view key) const;
  bool needs_confirmation() const;  // true when any field does
};

// Guesses the kind from titles and labels on the page; nothing when none matches.
std::optional<DocumentKind> detect_document_kind(const OcrPage& page);

// Errors (ErrorKind::not_found): "no text found" for a page without text (blank), "no … fields
// found" when not one label of the kind is on the page.
Result<ExtractedDocument> extract_fields(const OcrPage& page, DocumentKind kind, const ExtractOptions& options = {});

}  // namespace kiosk::ocr
