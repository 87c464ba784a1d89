#pragma once
// The editing state of one text field typed on the on-screen keyboard: the input mode, the pinyin
// being composed (preedit), its candidates and which page of them shows. A screen owns one per
// field next to the field's value, so it survives the widget-tree rebuild after every key; the
// keyboard (text_keyboard.h) only draws it and forwards taps. UI thread only.
//
// Pinyin mode: letters go to the preedit (lower-cased, at most PinyinEngine::kMaxPinyinLength)
// and candidates follow every key. choose() appends a candidate to the value and keeps the pinyin
// it did not cover ("zhangsanfeng", choose 张三 → preedit "feng"). Space or Return commits the
// first candidate (letters nothing can be read from are committed as typed, so nothing gets
// stuck); a digit or punctuation commits the whole preedit that way, then itself; "\b" deletes
// from the preedit first, then the value's last character. An apostrophe inside the preedit
// separates syllables (xi'an → 西安).
// Latin mode: letters, digits, space and punctuation are appended as typed.
// Digits mode (ID and phone numbers): 0–9, X (x is upper-cased) and '-'; anything else is ignored.
//
// The value never grows past max_length() characters (code points): a key or candidate that would
// pass it is ignored, and while the value is full letters do not start a preedit.

#include <cstddef>
#include <string>
#include <vector>

#include "kiosk/ime/pinyin_engine.h"

namespace kiosk::ime {

enum class InputMode { pinyin, latin, digits };

class Composer {
 public:
  static constexpr std::size_t kDefaultMaxLength = 100;  // an address with building and room
  static constexpr std::size_t kDefaultPageSize = 5;
  // Candidates fetched for one preedit: enough to page to rare name characters (璋 for "zhang").
  static constexpr std::size_t kMaxCandidates = 200;

  // `engine` may be null: pinyin is then unavailable and the composer starts in Latin mode.
  // `target` is the field's value (UTF-8), owned by the caller and outliving the composer.
  Composer(PinyinEngine* engine, std::string* target);
  ~Composer();  // wipes the preedit and candidates (not the value: its owner wipes that)
  Composer(const Composer&) = delete;
  Composer& operator=(const Composer&) = delete;

  // One key: a letter, digit or punctuation as text (UTF-8), " " (space), "\n" or "\r" (Return),
  // "\b" (backspace). Invalid UTF-8 and other control characters are ignored.
  void key(const std::string& key);

  const std::string& preedit() const { return preedit_; }
  // The current page of candidates (empty without a preedit).
  std::vector<std::string> candidates() const;
  // Appends candidate `index` of the current page to the value, keeps the pinyin it did not cover
  // as the preedit and goes back to the first page. False (nothing changes) if there is no such
  // candidate or it would pass max_length().
  bool choose(std::size_t index);
  // Commits the whole preedit: first candidates until it is used up, then any undecodable letters
  // as typed. The keyboard's "done" key and a mode switch do this.
  void commit_preedit();

  void next_page();
  void previous_page();
  bool has_more() const;
  bool has_previous() const { return page_ > 0; }
  std::size_t page() const { return page_; }
  void set_page_size(std::size_t size);  // ≥ 1; back to the first page when it changes
  std::size_t page_size() const { return page_size_; }

  // Switching commits the preedit first. Pinyin without an engine is refused (false).
  bool set_mode(InputMode mode);
  InputMode mode() const { return mode_; }
  bool pinyin_available() const { return engine_ != nullptr; }

  void set_max_length(std::size_t code_points) { max_length_ = code_points; }
  std::size_t max_length() const { return max_length_; }

  // Wipes the value, the preedit and the candidates (secure_clear: personal data).
  void clear();

 private:
  void refresh_candidates();
  void clear_candidates();
  bool fits(std::string_view text) const;
  void append(std::string_view text);
  void erase_last_character();
  bool choose_absolute(std::size_t index);
  void key_pinyin(const std::string& key);

  PinyinEngine* engine_;
  std::string* target_;
  InputMode mode_;
  std::string preedit_;
  std::vector<std::string> candidates_;  // all fetched for the preedit, up to kMaxCandidates
  std::size_t page_ = 0;
  std::size_t page_size_ = kDefaultPageSize;
  std::size_t max_length_ = kDefaultMaxLength;
};

}  // namespace kiosk::ime
