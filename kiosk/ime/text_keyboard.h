#pragma once
// The on-screen keyboard for form fields: a candidate bar (the pinyin being typed, its candidates
// and page keys), QWERTY letters with a digit row — or, in digits mode, a phone-style pad with X
// for ID numbers — and a bottom row with the input modes, space, backspace and done.
//
// It is drawn from a Composer the screen owns (composer.h) and rebuilt with the rest of the tree:
// every key, candidate, page or mode tap changes the composer, then calls on_change, where the
// screen calls app.rebuild(). The search screen's Latin keyboard (ui::make_keyboard) stays as it
// is: its keys are narrower than the elderly theme's minimum target on a 1080 px panel, and its
// screenshots are goldens.
//
// Widget ids for scripts and tests: "text-keyboard" (the whole), "preedit", "cand-0", "cand-1" …
// (candidates of the shown page; their text is the candidate, so a script can tap "张三"),
// "cand-previous", "cand-more", "key-<label>" ("key-Q", "key-7", "key-X"), "key-space",
// "key-backspace", "key-done", "mode-pinyin", "mode-latin", "mode-digits".
//
// Sizes: every key is at least the theme's minimum touch target in both directions when the
// keyboard is as wide as the portrait panel (1080 px: the gaps shrink so ten keys of 96 px fit in
// elderly mode). Candidates get the width their text needs. make_text_keyboard sets the
// composer's page size for the theme: fewer, larger candidates in elderly mode.

#include <functional>
#include <memory>
#include <string>

#include "kiosk/ime/composer.h"
#include "kiosk/ui/widget.h"

namespace kiosk::ime {

// Labels are translated by the caller (the app's strings).
struct TextKeyboardSpec {
  std::string space_label;          // 空格
  std::string backspace_label;      // 删除
  std::string done_label;           // 完成: commits the pinyin being typed, then on_done
  std::string pinyin_label;         // 中 (not shown when the composer has no engine)
  std::string latin_label;          // 英
  std::string digits_label;         // 123
  std::string previous_page_label;  // ‹ candidates
  std::string more_label;           // › candidates
  std::function<void()> on_change;  // after anything changed the composer: rebuild
  std::function<void()> on_done;
};

inline constexpr std::size_t kStandardCandidatesPerPage = 6;
inline constexpr std::size_t kElderlyCandidatesPerPage = 4;

std::unique_ptr<ui::Widget> make_text_keyboard(const ui::Theme& theme, Composer& composer, TextKeyboardSpec spec);

}  // namespace kiosk::ime
