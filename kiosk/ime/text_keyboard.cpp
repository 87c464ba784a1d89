#include "kiosk/ime/text_keyboard.h"

#include <algorithm>
#include <numeric>

namespace kiosk::ime {
namespace {

using ui::Button;
using ui::ButtonKind;
using ui::Widget;

// A row whose children get the width their text needs (at least `min_width`); what is left goes
// to the children marked to stretch (the space bar, the gap after the candidates). If the
// natural widths do not fit, all shrink in proportion and long text wraps. Candidates differ in
// length (张 against 北京市朝阳区), so equal weights would either waste the bar or cut text.
class FittedRow : public Widget {
 public:
  FittedRow(int spacing, int min_width) : spacing_(spacing), min_width_(min_width) {}

  template <typename T>
  T* add(std::unique_ptr<T> child, bool stretch = false) {
    stretch_.push_back(stretch);
    return static_cast<T*>(add_child(std::move(child)));
  }

  ui::Size measure(ui::UiContext& context, int width) override {
    const auto widths = child_widths(context, width);
    int height = 0;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      height = std::max(height, children_[i]->measure(context, widths[i]).height);
    }
    return {width, height};
  }

  void arrange(ui::UiContext& context, ui::Rect rect) override {
    rect_ = rect;
    const auto widths = child_widths(context, rect.width);
    int x = rect.x;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      children_[i]->arrange(context, {x, rect.y, widths[i], rect.height});
      x += widths[i] + spacing_;
    }
  }

 private:
  // A button lays its caption out in its width less half the theme's padding on each side; a
  // further quarter on each side keeps the text off the border (删除 at elderly size touched it).
  int natural_width(ui::UiContext& context, const Widget& child) const {
    if (child.text().empty()) return 0;
    const ui::TextStyle style = context.theme.text(ui::TextRole::button);
    const int text_width = ui::layout_text(context.atlas, child.text(), style, 0).width;
    return std::max(min_width_, text_width + 2 * (context.theme.padding() * 3 / 4));
  }

  std::vector<int> child_widths(ui::UiContext& context, int width) const {
    const std::size_t count = children_.size();
    std::vector<int> widths(count, 0);
    if (count == 0) return widths;
    const int available = std::max(0, width - spacing_ * static_cast<int>(count - 1));
    for (std::size_t i = 0; i < count; ++i) widths[i] = natural_width(context, *children_[i]);
    const int natural = std::accumulate(widths.begin(), widths.end(), 0);
    if (natural > available) {
      int used = 0;
      for (std::size_t i = 0; i + 1 < count; ++i) {
        widths[i] = static_cast<int>(static_cast<long>(widths[i]) * available / std::max(1, natural));
        used += widths[i];
      }
      widths[count - 1] = available - used;
      return widths;
    }
    const auto stretching = static_cast<int>(std::count(stretch_.begin(), stretch_.end(), true));
    if (stretching == 0) return widths;
    int surplus = available - natural;
    int left = stretching;
    for (std::size_t i = 0; i < count; ++i) {
      if (!stretch_[i]) continue;
      const int share = surplus / left--;
      widths[i] += share;
      surplus -= share;
    }
    return widths;
  }

  int spacing_;
  int min_width_;
  std::vector<bool> stretch_;
};

// Gap between keys (and around the keyboard): the theme's half spacing, narrowed so that ten keys
// across the panel's short side (a portrait panel's width) stay at least the minimum touch target
// (elderly: 10 × 96 px keys leave 120 px of 1080 for 11 gaps).
int key_gap(const ui::Theme& theme) {
  constexpr int kKeysInWidestRow = 10;
  const int panel = std::min(theme.display().width, theme.display().height);
  const int room = (panel - kKeysInWidestRow * theme.min_touch_target()) / (kKeysInWidestRow + 1);
  return std::clamp(room, 2, theme.spacing() / 2);
}

class KeyboardBuilder {
 public:
  KeyboardBuilder(const ui::Theme& theme, Composer& composer, TextKeyboardSpec spec)
      : theme_(theme), composer_(composer), spec_(std::move(spec)), gap_(key_gap(theme)) {}

  std::unique_ptr<Widget> build() {
    composer_.set_page_size(theme_.elderly_mode() ? kElderlyCandidatesPerPage : kStandardCandidatesPerPage);
    auto keyboard = std::make_unique<ui::Column>(gap_, gap_);
    keyboard->set_id("text-keyboard");
    if (composer_.mode() == InputMode::pinyin) add_candidate_bar(*keyboard);
    if (composer_.mode() == InputMode::digits) {
      for (const char* keys : {"123", "456", "789", "X0-"}) add_key_row(*keyboard, keys, 4);
    } else {
      for (const char* keys : {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM\u00B7-"}) add_key_row(*keyboard, keys, 10);
    }
    add_bottom_row(*keyboard);
    return keyboard;
  }

 private:
  // Wraps a composer change: the screen rebuilds the tree after every one.
  std::function<void()> changing(std::function<void(Composer&)> change) const {
    return [&composer = composer_, change = std::move(change), on_change = spec_.on_change] {
      change(composer);
      if (on_change) on_change();
    };
  }

  void add_candidate_bar(ui::Column& keyboard) {
    // The pinyin line keeps its height when empty, so the keys do not move at the first letter.
    const std::string& preedit = composer_.preedit();
    auto* line = keyboard.add(std::make_unique<ui::Label>(preedit.empty() ? std::string(" ") : preedit, ui::TextRole::body,
                                                          theme_.palette().primary));
    line->set_id("preedit");

    const auto candidates = composer_.candidates();
    if (candidates.empty()) {
      keyboard.add(std::make_unique<ui::Spacer>(theme_.min_touch_target()));
      return;
    }
    auto bar = std::make_unique<FittedRow>(gap_, theme_.min_touch_target());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      auto* button = bar->add(std::make_unique<Button>(candidates[i], ButtonKind::key,
                                                       changing([i](Composer& composer) { composer.choose(i); })));
      button->set_id("cand-" + std::to_string(i));
      // Space commits the first candidate of all: it is marked so the citizen knows which.
      if (i == 0 && composer_.page() == 0) button->set_selected(true);
    }
    bar->add(std::make_unique<ui::Spacer>(0), true);
    // Page keys only where there is a page to go to (a disabled key is a dark blob in the elderly
    // palette); "more" stays at the right end either way.
    if (composer_.has_previous()) {
      auto* previous = bar->add(std::make_unique<Button>(spec_.previous_page_label, ButtonKind::key,
                                                         changing([](Composer& composer) { composer.previous_page(); })));
      previous->set_id("cand-previous");
    }
    if (composer_.has_more()) {
      auto* more = bar->add(std::make_unique<Button>(spec_.more_label, ButtonKind::key,
                                                     changing([](Composer& composer) { composer.next_page(); })));
      more->set_id("cand-more");
    }
    keyboard.add(std::move(bar));
  }

  // One row of single-character keys, centred: a row with fewer keys than `columns` keeps the
  // key width of a full row and gets equal space on both sides (as ui::make_keyboard does).
  void add_key_row(ui::Column& keyboard, std::string_view keys, int columns) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < keys.size();) {
      // UTF-8: a key may be one code point of several bytes (the middle dot of 阿依古丽·买买提).
      std::size_t length = 1;
      while (i + length < keys.size() && (static_cast<unsigned char>(keys[i + length]) & 0xC0) == 0x80) ++length;
      labels.emplace_back(keys.substr(i, length));
      i += length;
    }
    auto row = std::make_unique<ui::Row>(gap_);
    const int pad = columns - static_cast<int>(labels.size());
    if (pad > 0) row->add(std::make_unique<ui::Spacer>(0), pad);
    for (const std::string& label : labels) {
      auto* key = row->add(std::make_unique<Button>(label, ButtonKind::key,
                                                    changing([label](Composer& composer) { composer.key(label); })),
                           2);
      key->set_id("key-" + label);
    }
    if (pad > 0) row->add(std::make_unique<ui::Spacer>(0), pad);
    keyboard.add(std::move(row));
  }

  void add_bottom_row(ui::Column& keyboard) {
    auto row = std::make_unique<FittedRow>(gap_, theme_.min_touch_target());
    const auto add_mode = [&](InputMode mode, const std::string& label, const char* id) {
      auto* key = row->add(std::make_unique<Button>(label, ButtonKind::key,
                                                    changing([mode](Composer& composer) { composer.set_mode(mode); })));
      key->set_id(id);
      key->set_selected(composer_.mode() == mode);
    };
    if (composer_.pinyin_available()) add_mode(InputMode::pinyin, spec_.pinyin_label, "mode-pinyin");
    add_mode(InputMode::latin, spec_.latin_label, "mode-latin");
    add_mode(InputMode::digits, spec_.digits_label, "mode-digits");
    const bool digits = composer_.mode() == InputMode::digits;
    if (!digits) {  // ID and phone numbers have no spaces
      auto* space = row->add(std::make_unique<Button>(spec_.space_label, ButtonKind::key,
                                                      changing([](Composer& composer) { composer.key(" "); })),
                             true);
      space->set_id("key-space");
    }
    auto* backspace = row->add(std::make_unique<Button>(spec_.backspace_label, ButtonKind::key,
                                                        changing([](Composer& composer) { composer.key("\b"); })),
                               digits);
    backspace->set_id("key-backspace");
    auto* done = row->add(std::make_unique<Button>(spec_.done_label, ButtonKind::key,
                                                   [&composer = composer_, on_change = spec_.on_change,
                                                    on_done = spec_.on_done] {
                                                     composer.commit_preedit();
                                                     if (on_change) on_change();
                                                     if (on_done) on_done();
                                                   }));
    done->set_id("key-done");
    keyboard.add(std::move(row));
  }

  const ui::Theme& theme_;
  Composer& composer_;
  TextKeyboardSpec spec_;
  int gap_;
};

}  // namespace

std::unique_ptr<ui::Widget> make_text_keyboard(const ui::Theme& theme, Composer& composer, TextKeyboardSpec spec) {
  return KeyboardBuilder(theme, composer, std::move(spec)).build();
}

}  // namespace kiosk::ime
