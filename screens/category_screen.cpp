// A category's items as list rows. Items this terminal can do come first; the others say where
// they can be done instead of hiding (a citizen should not have to guess).
#include "screens/common.h"
#include "screens/screens.h"

namespace screens {

using namespace kiosk;

// One line under an item's name: same-day, visits, and whether this terminal can do it.
std::string item_summary(AppContext& app, const catalog::Item& item) {
  std::string summary;
  auto add = [&](const std::string& part) {
    if (!summary.empty()) summary += " · ";
    summary += part;
  };
  add(item.kiosk_enabled ? app.tr("item.at_kiosk") : app.tr("item.not_at_kiosk"));
  if (item.same_day()) add(app.tr("item.same_day"));
  else add(app.strings().format("item.promised_days", {std::to_string(item.promised_days)}));
  add(item.visits == 0 ? app.tr("item.zero_visits") : app.tr("item.one_visit"));
  return summary;
}

std::unique_ptr<ui::Widget> make_item_row(AppContext& app, const catalog::Item& item) {
  const std::string code = item.code;
  auto row = std::make_unique<ui::Button>(item.name, ui::ButtonKind::row,
                                          [&app, code] { app.push(make_guide_screen(code)); }, item_summary(app, item));
  row->set_id("item-" + item.code);
  return row;
}

namespace {

class CategoryScreen final : public Screen {
 public:
  explicit CategoryScreen(std::string category_id) : category_id_(std::move(category_id)) {}
  std::string name() const override { return "category"; }
  std::string title(AppContext& app) const override {
    const catalog::Catalog* catalog = app.catalog();
    const catalog::Category* category = catalog ? catalog->find_category(category_id_) : nullptr;
    return category ? category->name : app.tr("home.title");
  }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto page = make_page(app);
    const catalog::Catalog* catalog = app.catalog();
    const auto items = catalog ? catalog->items_in(category_id_) : std::vector<const catalog::Item*>{};
    if (items.empty()) page->add(std::make_unique<ui::Label>(app.tr("category.empty"), ui::TextRole::body));
    for (const catalog::Item* item : items) page->add(make_item_row(app, *item));
    return scrolling(std::move(page), &scroll_);
  }

 private:
  std::string category_id_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_category_screen(std::string category_id) {
  return std::make_unique<CategoryScreen>(std::move(category_id));
}

}  // namespace screens
