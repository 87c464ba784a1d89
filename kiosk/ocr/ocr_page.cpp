// OcrPage helpers: line text and "is there any text at all".
#include "kiosk/ocr/ocr_page.h"

#include <algorithm>
#include <cstdlib>

#include "kiosk/core/text.h"

namespace kiosk::ocr {

std::string OcrLine::text() const {
  std::string joined;
  for (const auto& word : words) {
    if (!joined.empty()) joined += ' ';
    joined += word.text;
  }
  return joined;
}

std::size_t OcrPage::word_count() const {
  std::size_t count = 0;
  for (const auto& line : lines) count += line.words.size();
  return count;
}

bool is_text_word(const std::string& word) {
  for (char32_t c : text::decode_utf8(word)) {
    const bool ascii_alnum = (c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z');
    const bool fullwidth_alnum = (c >= U'０' && c <= U'９') || (c >= U'Ａ' && c <= U'Ｚ') || (c >= U'ａ' && c <= U'ｚ');
    if (ascii_alnum || fullwidth_alnum || text::is_han(c)) return true;
  }
  return false;
}

bool OcrPage::has_text() const {
  for (const auto& line : lines) {
    for (const auto& word : line.words) {
      if (is_text_word(word.text)) return true;
    }
  }
  return false;
}

namespace {

int centre_y(const Box& box) { return box.top + box.height / 2; }

// Grows `row.box` to hold `box`.
void extend(Box& row, const Box& box) {
  const int right = std::max(row.left + row.width, box.left + box.width);
  const int bottom = std::max(row.top + row.height, box.top + box.height);
  row.left = std::min(row.left, box.left);
  row.top = std::min(row.top, box.top);
  row.width = right - row.left;
  row.height = bottom - row.top;
}

bool holds(const Box& box, int y) { return y >= box.top && y <= box.top + box.height; }

bool blank_word(const OcrWord& word) {
  return std::all_of(word.text.begin(), word.text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
}

}  // namespace

OcrPage arrange_rows(std::vector<OcrLine> lines, int width, int height) {
  OcrPage page;
  page.width = width;
  page.height = height;
  for (auto& line : lines) std::erase_if(line.words, blank_word);
  std::erase_if(lines, [](const OcrLine& line) { return line.words.empty(); });
  std::stable_sort(lines.begin(), lines.end(), [](const OcrLine& a, const OcrLine& b) { return a.box.top < b.box.top; });
  std::vector<Box> seeds;  // the first line of each row: rows do not creep down the page as they grow
  for (auto& line : lines) {
    std::size_t row = 0;
    while (row < seeds.size() && !(holds(seeds[row], centre_y(line.box)) && holds(line.box, centre_y(seeds[row])))) ++row;
    if (row == seeds.size()) {
      seeds.push_back(line.box);
      page.lines.push_back({{}, line.box});
    }
    OcrLine& target = page.lines[row];
    extend(target.box, line.box);
    for (auto& word : line.words) target.words.push_back(std::move(word));
  }
  for (auto& line : page.lines) {
    std::stable_sort(line.words.begin(), line.words.end(),
                     [](const OcrWord& a, const OcrWord& b) { return a.box.left < b.box.left; });
  }
  return page;
}

}  // namespace kiosk::ocr
