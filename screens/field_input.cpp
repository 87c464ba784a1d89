#include "screens/field_input.h"

#include "kiosk/core/secure_memory.h"
#include "kiosk/core/text.h"

namespace screens {

using namespace kiosk;

struct FieldInput::Ime {};

FieldInput::FieldInput() = default;
FieldInput::~FieldInput() = default;

void FieldInput::attach(std::string* target, const catalog::FormField& field, std::function<void()> on_change) {
  target_ = target;
  on_change_ = std::move(on_change);
  max_length_ = field.max_length > 0 ? field.max_length : 200;
  switch (field.type) {
    case catalog::FieldType::id_number: max_length_ = 18; digits_only_ = true; break;
    case catalog::FieldType::phone: max_length_ = 13; digits_only_ = true; break;
    case catalog::FieldType::date: max_length_ = 10; digits_only_ = true; break;
    case catalog::FieldType::number: digits_only_ = true; break;
    case catalog::FieldType::uscc: max_length_ = 18; digits_only_ = false; break;
    default: digits_only_ = false; break;
  }
}

void FieldInput::detach() {
  target_ = nullptr;
  on_change_ = {};
}

void FieldInput::key(const std::string& key) {
  if (!target_) return;
  if (key == "\b") {
    const std::u32string characters = text::decode_utf8(*target_);
    if (characters.empty()) return;
    std::string shorter = text::encode_utf8(std::u32string_view(characters).substr(0, characters.size() - 1));
    secure_clear(*target_);
    *target_ = std::move(shorter);
    return;
  }
  if (!text::is_valid_utf8(key)) return;
  std::size_t count = text::decode_utf8(*target_).size();
  for (char32_t c : text::decode_utf8(key)) {
    if (c < 0x20 || c == 0x7F) continue;  // no control characters in a form value
    if (count >= static_cast<std::size_t>(max_length_)) break;
    text::append_utf8(*target_, c);
    ++count;
  }
}

std::unique_ptr<ui::Widget> make_field_keyboard(AppContext& app, FieldInput& input, std::function<void()> on_done) {
  return ui::make_keyboard(app.theme(), {[&input](const std::string& key) {
                                           input.key(key);
                                           if (input.on_change()) input.on_change()();
                                         },
                                         app.tr("keyboard.space"), app.tr("keyboard.backspace"), app.tr("keyboard.hide"),
                                         std::move(on_done)});
}

std::unique_ptr<ui::Widget> with_keyboard(AppContext& app, std::unique_ptr<ui::Widget> body,
                                          std::unique_ptr<ui::Widget> keyboard) {
  if (!app.theme().display().portrait()) {
    auto row = std::make_unique<ui::Row>(0);
    row->add(std::move(body), 1);
    auto right = std::make_unique<ui::FlexColumn>();
    right->add(std::make_unique<ui::Spacer>(0), 1);
    right->add(std::move(keyboard));
    row->add(std::move(right), 1);
    return row;
  }
  auto layout = std::make_unique<ui::FlexColumn>();
  layout->add(std::move(body), 1);
  layout->add(std::move(keyboard));
  return layout;
}

}  // namespace screens
