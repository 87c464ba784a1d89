#pragma once
// Typing into one form field: what the on-screen keyboard and typed text (the script driver, a
// USB keyboard) do to the field's value, and the keyboard shown under the form. The keyboard
// follows the field's type: digits for ID numbers, phones, dates and numbers; letters and pinyin
// for names and addresses.

#include <functional>
#include <memory>
#include <string>

#include "kiosk/app/screen.h"

namespace screens {

class FieldInput {
 public:
  FieldInput();
  ~FieldInput();
  FieldInput(const FieldInput&) = delete;
  FieldInput& operator=(const FieldInput&) = delete;

  // Edits `target` (the form value) by the rules of `field` until detach(); `on_change` runs after
  // each edit made through the keyboard's own keys.
  void attach(std::string* target, const kiosk::catalog::FormField& field, std::function<void()> on_change);
  void detach();
  bool attached() const { return target_ != nullptr; }
  // A typed key: text, or "\b" for backspace.
  void key(const std::string& key);

  std::string* target() const { return target_; }
  int max_length() const { return max_length_; }
  bool digits_only() const { return digits_only_; }
  const std::function<void()>& on_change() const { return on_change_; }

  struct Ime;  // the pinyin composer, when the terminal has the engine
  Ime* ime() const { return ime_.get(); }

 private:
  std::string* target_ = nullptr;
  int max_length_ = 0;
  bool digits_only_ = false;
  std::function<void()> on_change_;
  std::unique_ptr<Ime> ime_;
};

// The keyboard for the attached field; `on_done` hides it.
std::unique_ptr<kiosk::ui::Widget> make_field_keyboard(kiosk::AppContext& app, FieldInput& input,
                                                       std::function<void()> on_done);
// The body above the keyboard in portrait, beside it in landscape (as the search screen does).
std::unique_ptr<kiosk::ui::Widget> with_keyboard(kiosk::AppContext& app, std::unique_ptr<kiosk::ui::Widget> body,
                                                 std::unique_ptr<kiosk::ui::Widget> keyboard);

}  // namespace screens
