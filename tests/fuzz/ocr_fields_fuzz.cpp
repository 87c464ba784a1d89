// Fuzz target: the OCR field extractors and row arrangement (kiosk/ocr/document_fields.h) on
// arbitrary word lists — not Tesseract itself. Input: byte 0 picks the kind, byte 1 the
// confirmation threshold; the rest is text, lines split at '\n', words at ' '; each word's
// confidence and vertical offset come from its bytes, so rows merge and split too.
// Invariants: needs_confirmation is exactly "not found, low confidence or failed check"; a
// checked date is 8 digits; notes never carry a number read.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/ocr/document_fields.h"

using namespace kiosk::ocr;

namespace {

OcrPage page_of(std::string_view text) {
  std::vector<OcrLine> lines;
  int top = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    OcrLine line;
    int left = 0;
    std::size_t word_start = start;
    while (word_start < end) {
      std::size_t word_end = text.find(' ', word_start);
      if (word_end == std::string_view::npos || word_end > end) word_end = end;
      const std::string word(text.substr(word_start, word_end - word_start));
      unsigned hash = 0;
      for (unsigned char c : word) hash = hash * 31 + c;
      const int shift = static_cast<int>(hash % 41) - 20;
      line.words.push_back({word, static_cast<float>(hash % 101), {left, top + shift, 30, 30}});
      left += 40;
      word_start = word_end + 1;
    }
    line.box = {0, top, left, 30};
    lines.push_back(std::move(line));
    top += 35;
    start = end + 1;
  }
  return arrange_rows(std::move(lines), 1000, top);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const DocumentKind kinds[] = {DocumentKind::id_card_front, DocumentKind::business_licence,
                                DocumentKind::household_register};
  const DocumentKind kind = kinds[data[0] % 3];
  ExtractOptions options;
  options.confirm_below = static_cast<float>(data[1] % 101);
  const OcrPage page = page_of(std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2));
  (void)detect_document_kind(page);
  auto extracted = extract_fields(page, kind, options);
  if (!extracted.ok()) return 0;
  for (const auto& field : extracted->fields) {
    const bool low = field.found && field.confidence_min < options.confirm_below;
    if (field.needs_confirmation != (!field.found || low || field.check_failed)) __builtin_trap();
    if (field.confidence_min > field.confidence_mean + 0.01f) __builtin_trap();
    const bool date = field.key == "birth_date" || field.key == "registration_date";
    if (date && field.found && !field.check_failed && field.value.size() != 8) __builtin_trap();
    // Values with digits (numbers, dates) never appear in the notes, which are fixed sentences.
    const bool numeric = field.value.find_first_of("0123456789") != std::string::npos &&
                         field.value.find(' ') == std::string::npos && field.value.size() >= 6;
    if (numeric && field.note.find(field.value) != std::string::npos) __builtin_trap();
  }
  return 0;
}
