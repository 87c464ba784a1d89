#pragma once
// What OCR read on a page: lines of words, each with its text, Tesseract's confidence (0–100) and
// its box in image pixels. Produced by OcrEngine, consumed by the field extractors
// (document_fields.h). The words are personal data when the page is a citizen's document.

#include <string>
#include <vector>

namespace kiosk::ocr {

struct Box {
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
  bool operator==(const Box&) const = default;
};

struct OcrWord {
  std::string text;         // UTF-8
  float confidence = 0.0f;  // 0–100, Tesseract's word confidence
  Box box;
};

struct OcrLine {
  std::vector<OcrWord> words;
  Box box;
  // The words joined with single spaces.
  std::string text() const;
};

struct OcrPage {
  int width = 0;
  int height = 0;
  std::vector<OcrLine> lines;

  std::size_t word_count() const;
  // True when some word has a letter, a digit or a Han character (a blank or speckled page has
  // none; table rules read as "|" do not count).
  bool has_text() const;
};

// True when `word` has a letter, a digit or a Han character.
bool is_text_word(const std::string& word);

// Merges lines that sit side by side into visual rows, top to bottom, each left to right: two
// lines share a row when each one's vertical centre lies within the other's extent. Tesseract
// may cut "性别 男      民族 汉" into two lines in different blocks; forms are read by rows.
// Words without any visible character are dropped, and lines left empty.
OcrPage arrange_rows(std::vector<OcrLine> lines, int width, int height);

}  // namespace kiosk::ocr
