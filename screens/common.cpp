#include "screens/common.h"

#include "kiosk/core/text.h"

namespace screens {

using namespace kiosk;

PageBody make_page(AppContext& app) {
  const ui::Theme& theme = app.theme();
  return PageBody{std::make_unique<ui::Column>(theme.spacing(), theme.padding())};
}

std::unique_ptr<ui::Widget> scrolling(PageBody page, ui::ScrollState* state) {
  return std::make_unique<ui::ScrollView>(std::move(page.column), state);
}

std::unique_ptr<ui::Column> make_card(AppContext& app, const std::string& heading) {
  const ui::Theme& theme = app.theme();
  auto card = std::make_unique<ui::Column>(theme.spacing() / 2, theme.padding() * 3 / 4);
  card->set_background(theme.palette().surface, theme.corner_radius()).set_border(theme.palette().border);
  if (!heading.empty()) card->add(std::make_unique<ui::Label>(heading, ui::TextRole::heading));
  return card;
}

void add_field(AppContext& app, ui::Column& card, const std::string& label, const std::string& value) {
  if (value.empty()) return;
  card.add(std::make_unique<ui::Label>(label, ui::TextRole::caption, app.theme().palette().text_secondary));
  card.add(std::make_unique<ui::Label>(value, ui::TextRole::body));
}

std::string masked_name(const std::string& name) {
  const std::u32string characters = text::decode_utf8(name);
  if (characters.empty()) return {};
  std::string masked;
  text::append_utf8(masked, characters.front());
  for (std::size_t i = 1; i < characters.size(); ++i) masked += "*";
  return masked;
}

int tiles_per_row(const AppContext& app) { return app.theme().display().portrait() ? 2 : 4; }

}  // namespace screens
