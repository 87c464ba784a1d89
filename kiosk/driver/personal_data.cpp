#include "kiosk/driver/personal_data.h"

#include "kiosk/apply/application.h"
#include "kiosk/core/masking.h"
#include "kiosk/core/text.h"

namespace kiosk::driver {
namespace {

struct Secret {
  std::string what;   // "the card's ID number", "form field phone"
  std::string value;  // in full
  masking::PersonalKind kind;
};

// Too short to stand for anyone (a half-typed number, a one-character name): not looked for.
bool worth_looking_for(const std::string& value, masking::PersonalKind kind) {
  const std::size_t characters = text::decode_utf8(value).size();
  return kind == masking::PersonalKind::name ? characters >= 2 : characters >= 7;
}

std::vector<Secret> secrets_of(App& app) {
  std::vector<Secret> out;
  auto add = [&](std::string what, const std::string& value, masking::PersonalKind kind) {
    if (!worth_looking_for(value, kind)) return;
    for (const Secret& known : out) {
      if (known.value == value) return;
    }
    out.push_back({std::move(what), value, kind});
  };
  const Session& session = app.session();
  if (session.identity) {
    add("the card's ID number", session.identity->id_number, masking::PersonalKind::id_number);
    add("the card's name", session.identity->name, masking::PersonalKind::name);
  }
  if (const apply::Application* application = session.application.get()) {
    const catalog::Catalog* catalog = app.catalog();
    const catalog::Item* item = catalog ? catalog->find_item(application->item_code) : nullptr;
    if (item) {
      for (const catalog::FormField& field : item->form) {
        const auto kind = masking::personal_kind_of_field(catalog::to_string(field.type), field.name, field.label, field.prefill);
        const auto value = application->form.find(field.name);
        if (kind != masking::PersonalKind::none && value != application->form.end()) add("form field " + field.name, value->second, kind);
      }
    }
    add("the post recipient", application->address.recipient, masking::PersonalKind::name);
    add("the post phone", application->address.phone, masking::PersonalKind::phone);
  }
  return out;
}

// The text with every secret in it masked, cut for a message.
std::string shown_safely(std::string text, const std::vector<Secret>& secrets) {
  for (const Secret& secret : secrets) {
    for (std::size_t at; (at = text.find(secret.value)) != std::string::npos;) {
      text.replace(at, secret.value.size(), masking::mask(secret.kind, secret.value));
    }
  }
  const std::u32string characters = text::decode_utf8(text);
  return characters.size() > 40 ? text::encode_utf8(characters.substr(0, 40)) + "…" : text;
}

}  // namespace

std::vector<std::string> check_personal_data(App& app) {
  std::vector<std::string> problems;
  const std::vector<Secret> secrets = secrets_of(app);
  if (secrets.empty()) return problems;
  auto look = [&](std::string_view text, const std::string& where) {
    for (const Secret& secret : secrets) {
      if (text.find(secret.value) == std::string_view::npos) continue;
      problems.push_back(secret.what + " in full in " + where + " (\"" + shown_safely(std::string(text), secrets) + "\")");
    }
  };
  for (const ui::VisibleWidget& entry : app.visible_widgets()) {
    const ui::Widget& widget = *entry.widget;
    // The field being edited shows what the citizen types: the one exception.
    if (const auto* field = dynamic_cast<const ui::TextField*>(&widget); field && field->focused()) continue;
    const std::string where = widget.id().empty() ? "a widget" : "widget \"" + widget.id() + "\"";
    look(widget.text(), where);
    if (const auto* button = dynamic_cast<const ui::Button*>(&widget)) look(button->detail(), where + "'s detail");
  }
  look(app.last_prompt(), "the voice's last prompt");
  return problems;
}

}  // namespace kiosk::driver
