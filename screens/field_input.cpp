#include "screens/field_input.h"

#include "kiosk/ime/composer.h"
#include "kiosk/ime/text_keyboard.h"
#include "kiosk/core/text.h"

namespace screens {

using namespace kiosk;

FieldInput::FieldInput() = default;
FieldInput::~FieldInput() = default;

void FieldInput::attach(AppContext& app, std::string* target, const catalog::FormField& field,
                        std::function<void()> on_change) {
  detach();
  // Warmed after the first frame (main), so this does not wait on the UI thread in practice.
  ime::PinyinEngine* engine = app.services().pinyin ? app.services().pinyin->get() : nullptr;
  composer_ = std::make_unique<ime::Composer>(engine, target);
  on_change_ = std::move(on_change);
  std::size_t max_length = field.max_length > 0 ? static_cast<std::size_t>(field.max_length) : 100;
  ime::InputMode mode = ime::InputMode::pinyin;
  switch (field.type) {
    case catalog::FieldType::id_number: max_length = 18; mode = ime::InputMode::digits; break;
    case catalog::FieldType::phone: max_length = 13; mode = ime::InputMode::digits; break;
    case catalog::FieldType::date: max_length = 10; mode = ime::InputMode::digits; break;
    case catalog::FieldType::number: max_length = std::min<std::size_t>(max_length, 30); mode = ime::InputMode::digits; break;
    case catalog::FieldType::uscc: max_length = 18; mode = ime::InputMode::latin; break;
    case catalog::FieldType::text:
    case catalog::FieldType::enumeration: break;
  }
  composer_->set_max_length(max_length);
  if (!composer_->set_mode(mode)) composer_->set_mode(ime::InputMode::latin);  // no pinyin engine
}

void FieldInput::detach() {
  if (composer_) composer_->commit_preedit();
  composer_.reset();
  on_change_ = {};
}

void FieldInput::key(const std::string& key) {
  if (!composer_) return;
  if (key == "\b") {
    composer_->key(key);
    return;
  }
  // Typed text may come several characters at once (a USB keyboard's IME, the script driver):
  // the composer takes them one by one, as if each were a key.
  for (char32_t c : text::decode_utf8(key)) {
    std::string one;
    text::append_utf8(one, c);
    composer_->key(one);
  }
}

std::unique_ptr<ui::Widget> make_field_keyboard(AppContext& app, FieldInput& input, std::function<void()> on_done) {
  if (!input.composer()) return std::make_unique<ui::Spacer>(0);
  ime::TextKeyboardSpec spec;
  spec.space_label = app.tr("keyboard.space");
  spec.backspace_label = app.tr("keyboard.backspace");
  spec.done_label = app.tr("keyboard.done");
  spec.pinyin_label = app.tr("keyboard.pinyin");
  spec.latin_label = app.tr("keyboard.latin");
  spec.digits_label = app.tr("keyboard.digits");
  spec.previous_page_label = app.tr("keyboard.previous");
  spec.more_label = app.tr("keyboard.more");
  spec.on_change = input.on_change();
  spec.on_done = std::move(on_done);
  return ime::make_text_keyboard(app.theme(), *input.composer(), std::move(spec));
}

std::unique_ptr<ui::Widget> with_keyboard(AppContext&, std::unique_ptr<ui::Widget> body,
                                          std::unique_ptr<ui::Widget> keyboard) {
  // The keyboard takes the panel's whole width in landscape too: at half width its keys would be
  // smaller than the elderly theme's touch target. The body above it is short (the field being
  // edited), so the height is there.
  auto layout = std::make_unique<ui::FlexColumn>();
  layout->add(std::move(body), 1);
  layout->add(std::move(keyboard));
  return layout;
}

}  // namespace screens
