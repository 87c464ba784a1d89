#pragma once
// Typing into one form field: the field's Composer (kiosk/ime: pinyin, Latin or digits by the
// field's type), fed by the on-screen keyboard's keys and by typed text (the script driver, a USB
// keyboard), and the keyboard shown under the form. Digits for ID numbers, phones, dates and
// numbers; Latin for credit codes; pinyin for names and addresses when the terminal has the
// engine (Latin otherwise).

#include <functional>
#include <memory>
#include <string>

#include "kiosk/app/screen.h"

namespace kiosk::ime {
class Composer;
}

namespace screens {

class FieldInput {
 public:
  FieldInput();
  ~FieldInput();
  FieldInput(const FieldInput&) = delete;
  FieldInput& operator=(const FieldInput&) = delete;

  // Edits `target` (the form value) by the rules of `field` until detach(); `on_change` runs after
  // each edit made through the keyboard's own keys.
  void attach(kiosk::AppContext& app, std::string* target, const kiosk::catalog::FormField& field,
              std::function<void()> on_change);
  // Commits any pinyin being composed, then lets go of the value.
  void detach();
  // A typed key: text, or "\b" for backspace.
  void key(const std::string& key);

  kiosk::ime::Composer* composer() const { return composer_.get(); }
  const std::function<void()>& on_change() const { return on_change_; }

 private:
  std::unique_ptr<kiosk::ime::Composer> composer_;
  std::function<void()> on_change_;
};

// The keyboard for the attached field; `on_done` hides it.
std::unique_ptr<kiosk::ui::Widget> make_field_keyboard(kiosk::AppContext& app, FieldInput& input,
                                                       std::function<void()> on_done);
// The body (short: the field being edited) above the keyboard, which takes the full width.
std::unique_ptr<kiosk::ui::Widget> with_keyboard(kiosk::AppContext& app, std::unique_ptr<kiosk::ui::Widget> body,
                                                 std::unique_ptr<kiosk::ui::Widget> keyboard);

}  // namespace screens
