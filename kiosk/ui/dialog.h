#pragma once
// Modal dialog and on-screen keyboard, built from the basic widgets.

#include <functional>
#include <string>
#include <vector>

#include "kiosk/ui/widget.h"

namespace kiosk::ui {

struct DialogButton {
  std::string text;
  ButtonKind kind = ButtonKind::primary;
  std::function<void()> on_tap;
};

// A full-screen layer: a translucent scrim and a centred card. It takes every touch, so nothing
// under a modal dialog can be tapped (the script driver only sees the dialog's widgets too).
class ModalLayer : public Widget {
 public:
  explicit ModalLayer(std::unique_ptr<Widget> card);
  Size measure(UiContext&, int width) override { return {width, 0}; }
  void arrange(UiContext& context, Rect rect) override;
  void draw(Canvas& canvas, UiContext& context) override;
};

std::unique_ptr<Widget> make_dialog(const Theme& theme, std::string title, std::string message,
                                    std::vector<DialogButton> buttons);

// The labels and callbacks of an on-screen keyboard.
struct KeyboardSpec {
  std::function<void(const std::string&)> on_key;  // the key's text, or "\b" for backspace
  std::string space_label;
  std::string backspace_label;
  std::string hide_label;       // empty: no "hide keyboard" key
  std::function<void()> on_hide;
};

// Latin letters, digits, space, backspace and (optionally) a key that hides the keyboard so a
// list below it can use the whole screen. Pinyin input (an IME with candidates) comes with the
// application forms.
std::unique_ptr<Widget> make_keyboard(const Theme& theme, KeyboardSpec spec);

}  // namespace kiosk::ui
