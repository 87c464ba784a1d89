// Fuzz target: key sequences on the form keyboard — letters, digits, space, Return, backspace,
// apostrophes, multi-byte and malformed keys, candidate choices, paging, mode switches, a lowered
// length limit — fed to a Composer over the real pinyin engine. Checks the documented limits: the
// value is valid UTF-8 within max_length, the preedit is lower-case pinyin within its limit and
// only exists in pinyin mode, a page is never longer than the page size.
#include <cstdint>
#include <memory>
#include <string>

#include "kiosk/core/text.h"
#include "kiosk/ime/composer.h"

using kiosk::ime::Composer;
using kiosk::ime::InputMode;
using kiosk::ime::PinyinEngine;

namespace {

// Kept for the process's life (one engine per process); destroyed at exit, which reaps its
// decoder process.
std::unique_ptr<PinyinEngine> open_engine() {
  auto engine = PinyinEngine::open(PinyinEngine::default_system_dictionary());
  if (!engine.ok()) __builtin_trap();  // the dictionary comes with libgooglepinyin0
  return engine.release_value();
}

std::size_t code_points(const std::string& text) { return kiosk::text::decode_utf8(text).size(); }

}  // namespace

// Plain text is typed as it is (so corpus files read as key sequences: "zhangsan "); bytes from
// 0x80 are the other actions: 0x80–0x87 choose(n), 0x88 next page, 0x89 previous page, 0x8A–0x8C
// set_mode(pinyin, latin, digits), 0x8D commit, 0x8E clear, 0x8F page size, 0x90–0x9F max length
// 0–15, 0xA0–0xA7 multi-byte and malformed keys; a first byte 0xFF means no engine (Latin only).
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<PinyinEngine> engine = open_engine();
  std::string value;
  const bool with_engine = !(size > 0 && data[0] == 0xFF);
  Composer composer(with_engine ? engine.get() : nullptr, &value);
  std::size_t max_length = Composer::kDefaultMaxLength;
  static const char* const keys[] = {"张", "·", "\xff", "\xe5\xbc", "\x01", "AB", "", "𠀀"};
  for (size_t i = with_engine ? 0 : 1; i < size; ++i) {
    const uint8_t byte = data[i];
    if (byte >= 0x80 && byte <= 0x87) {
      composer.choose(byte - 0x80);
    } else if (byte == 0x88) {
      composer.next_page();
    } else if (byte == 0x89) {
      composer.previous_page();
    } else if (byte >= 0x8A && byte <= 0x8C) {
      composer.set_mode(static_cast<InputMode>(byte - 0x8A));
    } else if (byte == 0x8D) {
      composer.commit_preedit();
    } else if (byte == 0x8E) {
      composer.clear();
    } else if (byte == 0x8F) {
      composer.set_page_size(i % 9);  // 0 is taken as 1
    } else if (byte >= 0x90 && byte <= 0x9F) {
      // A limit below the value's length would make the check below meaningless.
      if (code_points(value) <= static_cast<std::size_t>(byte - 0x90)) {
        max_length = byte - 0x90;
        composer.set_max_length(max_length);
      }
    } else if (byte >= 0xA0 && byte <= 0xA7) {
      composer.key(keys[byte - 0xA0]);
    } else {
      composer.key(std::string(1, static_cast<char>(byte)));
    }
    if (!kiosk::text::is_valid_utf8(value) || code_points(value) > max_length) __builtin_trap();
    const std::string& preedit = composer.preedit();
    if (preedit.size() > PinyinEngine::kMaxPinyinLength) __builtin_trap();
    for (char c : preedit) {
      if (!((c >= 'a' && c <= 'z') || c == '\'')) __builtin_trap();
    }
    if (!preedit.empty() && composer.mode() != InputMode::pinyin) __builtin_trap();
    if (composer.candidates().size() > composer.page_size()) __builtin_trap();
  }
  return 0;
}
