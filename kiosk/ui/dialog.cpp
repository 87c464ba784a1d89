#include "kiosk/ui/dialog.h"

namespace kiosk::ui {

ModalLayer::ModalLayer(std::unique_ptr<Widget> card) { add_child(std::move(card)); }

void ModalLayer::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  const int margin = context.theme.padding();
  const int width = std::min(rect.width - 2 * margin, 960);
  const int height = std::min(children_.front()->measure(context, width).height, rect.height - 2 * margin);
  children_.front()->arrange(context, {rect.x + (rect.width - width) / 2, rect.y + (rect.height - height) / 2, width, height});
}

void ModalLayer::draw(Canvas& canvas, UiContext& context) {
  canvas.fill_rect(rect_, context.theme.palette().scrim);
  Widget::draw(canvas, context);
}

std::unique_ptr<Widget> make_dialog(const Theme& theme, std::string title, std::string message,
                                    std::vector<DialogButton> buttons) {
  auto card = std::make_unique<Column>(theme.spacing(), theme.padding());
  card->set_background(theme.palette().surface, theme.corner_radius() * 2);
  card->set_id("dialog");
  card->add(std::make_unique<Label>(std::move(title), TextRole::title, std::nullopt, Align::center));
  card->add(std::make_unique<Label>(std::move(message), TextRole::body, std::nullopt, Align::center));
  card->add(std::make_unique<Spacer>(theme.spacing()));
  for (auto& button : buttons) {
    card->add(std::make_unique<Button>(std::move(button.text), button.kind, std::move(button.on_tap)));
  }
  return std::make_unique<ModalLayer>(std::move(card));
}

std::unique_ptr<Widget> make_keyboard(const Theme& theme, KeyboardSpec spec) {
  static const char* const rows[] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
  const int gap = theme.spacing() / 2;
  auto keyboard = std::make_unique<Column>(gap, theme.padding() / 2);
  keyboard->set_id("keyboard");
  auto on_key = spec.on_key;
  for (const char* keys : rows) {
    auto row = std::make_unique<Row>(gap);
    const std::string text(keys);
    // Shorter rows stay centred: pad them with empty weight on both sides.
    const int pad = 10 - static_cast<int>(text.size());
    if (pad > 0) row->add(std::make_unique<Spacer>(0), pad);
    for (char key : text) {
      const std::string label(1, key);
      auto* button = row->add(std::make_unique<Button>(label, ButtonKind::key, [on_key, label] { on_key(label); }), 2);
      button->set_id("key-" + label);
    }
    if (pad > 0) row->add(std::make_unique<Spacer>(0), pad);
    keyboard->add(std::move(row));
  }
  auto last = std::make_unique<Row>(gap);
  if (!spec.hide_label.empty()) {
    auto* hide = last->add(std::make_unique<Button>(spec.hide_label, ButtonKind::key, spec.on_hide), 2);
    hide->set_id("keyboard-hide");
  }
  last->add(std::make_unique<Button>(spec.space_label, ButtonKind::key, [on_key] { on_key(" "); }), 3);
  auto* backspace = last->add(std::make_unique<Button>(spec.backspace_label, ButtonKind::key, [on_key] { on_key("\b"); }), 2);
  backspace->set_id("key-backspace");
  keyboard->add(std::move(last));
  return keyboard;
}

}  // namespace kiosk::ui
