#include "kiosk/ime/composer.h"

#include <algorithm>

#include "kiosk/core/secure_memory.h"
#include "kiosk/core/text.h"

namespace kiosk::ime {
namespace {

std::size_t code_points(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
  });
}

}  // namespace

Composer::Composer(PinyinEngine* engine, std::string* target)
    : engine_(engine), target_(target), mode_(engine ? InputMode::pinyin : InputMode::latin) {}

Composer::~Composer() {
  secure_clear(preedit_);
  clear_candidates();
}

void Composer::key(const std::string& key) {
  if (key.empty() || !text::is_valid_utf8(key)) return;
  if (key == "\b") {
    if (!preedit_.empty()) {
      preedit_.pop_back();
      refresh_candidates();
    } else {
      erase_last_character();
    }
    return;
  }
  switch (mode_) {
    case InputMode::pinyin:
      key_pinyin(key);
      return;
    case InputMode::latin:
      if (!has_control_character(key) && fits(key)) append(key);
      return;
    case InputMode::digits:
      if (key.size() != 1) return;
      if (key[0] >= '0' && key[0] <= '9') {
        if (fits(key)) append(key);
      } else if (key[0] == 'x' || key[0] == 'X') {
        if (fits("X")) append("X");  // the ID number's check character is always upper case
      } else if (key[0] == '-') {
        if (fits(key)) append(key);
      }
      return;
  }
}

void Composer::key_pinyin(const std::string& key) {
  if (key == " " || key == "\n" || key == "\r") {
    if (preedit_.empty()) {
      if (key == " " && fits(key)) append(key);
      return;
    }
    if (!candidates_.empty()) {
      choose_absolute(0);
    } else {
      commit_preedit();  // nothing to read the letters as: they go in as typed
    }
    return;
  }
  if (key.size() == 1 && is_ascii_letter(key[0])) {
    if (preedit_.size() >= PinyinEngine::kMaxPinyinLength) return;
    if (preedit_.empty() && !fits(key)) return;  // the value is full: a preedit could never commit
    preedit_.push_back(static_cast<char>(key[0] | 0x20));  // ASCII lower case
    refresh_candidates();
    return;
  }
  if (key == "'" && !preedit_.empty()) {
    // A syllable separator: one at a time, and only inside pinyin.
    if (preedit_.back() != '\'' && preedit_.size() < PinyinEngine::kMaxPinyinLength) {
      preedit_.push_back('\'');
      refresh_candidates();
    }
    return;
  }
  if (has_control_character(key)) return;
  // Digits and punctuation end the pinyin: it is committed first, as space would.
  commit_preedit();
  if (fits(key)) append(key);
}

std::vector<std::string> Composer::candidates() const {
  const std::size_t begin = std::min(candidates_.size(), page_ * page_size_);
  const std::size_t end = std::min(candidates_.size(), begin + page_size_);
  return {candidates_.begin() + static_cast<std::ptrdiff_t>(begin), candidates_.begin() + static_cast<std::ptrdiff_t>(end)};
}

bool Composer::choose(std::size_t index) {
  if (index >= page_size_) return false;
  return choose_absolute(page_ * page_size_ + index);
}

bool Composer::choose_absolute(std::size_t index) {
  if (engine_ == nullptr || preedit_.empty() || index >= candidates_.size()) return false;
  if (!fits(candidates_[index])) return false;
  auto choice = engine_->choose(preedit_, index);
  if (!choice.ok()) return false;
  append(choice->text);
  secure_clear(choice->text);
  secure_clear(preedit_);
  preedit_ = choice->remaining_pinyin;
  secure_clear(choice->remaining_pinyin);
  refresh_candidates();
  return true;
}

void Composer::commit_preedit() {
  // Each choice covers at least one syllable, so this ends; the bound is only a guard.
  for (std::size_t step = 0; step <= PinyinEngine::kMaxPinyinLength && !preedit_.empty(); ++step) {
    const std::size_t before = preedit_.size();
    if (candidates_.empty() || !choose_absolute(0) || preedit_.size() >= before) break;
  }
  if (!preedit_.empty()) {
    // Letters nothing can be read from go in as typed; what would pass max_length is dropped.
    if (candidates_.empty() && fits(preedit_)) append(preedit_);
    secure_clear(preedit_);
    refresh_candidates();
  }
}

void Composer::next_page() {
  if (has_more()) ++page_;
}

void Composer::previous_page() {
  if (page_ > 0) --page_;
}

bool Composer::has_more() const { return (page_ + 1) * page_size_ < candidates_.size(); }

void Composer::set_page_size(std::size_t size) {
  size = std::max<std::size_t>(1, size);
  if (size == page_size_) return;
  page_size_ = size;
  page_ = 0;
}

bool Composer::set_mode(InputMode mode) {
  if (mode == InputMode::pinyin && engine_ == nullptr) return false;
  if (mode == mode_) return true;
  commit_preedit();
  mode_ = mode;
  return true;
}

void Composer::clear() {
  secure_clear(*target_);
  secure_clear(preedit_);
  clear_candidates();
}

void Composer::refresh_candidates() {
  clear_candidates();
  if (engine_ != nullptr && mode_ == InputMode::pinyin && !preedit_.empty()) {
    candidates_ = engine_->candidates(preedit_, kMaxCandidates);
  }
}

void Composer::clear_candidates() {
  for (std::string& candidate : candidates_) secure_clear(candidate);
  candidates_.clear();
  page_ = 0;
}

bool Composer::fits(std::string_view text) const { return code_points(*target_) + code_points(text) <= max_length_; }

void Composer::append(std::string_view text) { target_->append(text); }

void Composer::erase_last_character() {
  std::string& value = *target_;
  while (!value.empty()) {
    const auto last = static_cast<unsigned char>(value.back());
    value.pop_back();
    if ((last & 0xC0) != 0x80) break;  // stop after removing a lead byte or an ASCII byte
  }
}

}  // namespace kiosk::ime
