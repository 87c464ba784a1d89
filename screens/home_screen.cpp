// Home: search, then the service categories as large tiles. Every category shows how many of its
// items can be done at this terminal, so a citizen knows before walking through lists.
#include "screens/common.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class HomeScreen final : public Screen {
 public:
  std::string name() const override { return "home"; }
  std::string title(AppContext& app) const override { return app.tr("home.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    auto page = make_page(app);
    if (app.session().identity) {
      page->add(std::make_unique<ui::Label>(app.strings().format("home.greeting", {masked_name(app.session().identity->name)}),
                                            ui::TextRole::heading));
    }
    auto* search = page->add(std::make_unique<ui::Button>(app.tr("home.search"), ui::ButtonKind::secondary,
                                                          [&app] { app.push(make_search_screen()); },
                                                          app.tr("home.search_hint")));
    search->set_id("search");

    const catalog::Catalog* catalog = app.catalog();
    if (!catalog) {
      if (app.catalog_error().empty()) {
        page->add(std::make_unique<ui::Spinner>(app.tr("home.loading")));
      } else {
        page->add(std::make_unique<ui::Label>(app.tr("fault.catalog.message"), ui::TextRole::body));
        auto* help = page->add(std::make_unique<ui::Button>(app.tr("fault.catalog.title"), ui::ButtonKind::warning, [&app] {
          app.push(make_fault_screen({app.tr("fault.catalog.title"), app.tr("fault.catalog.message"), "CATALOG-LOAD", false}));
        }));
        help->set_id("catalog-fault");
      }
      return scrolling(std::move(page), &scroll_);
    }

    page->add(std::make_unique<ui::Label>(app.tr("home.categories"), ui::TextRole::heading));
    const int columns = tiles_per_row(app);
    std::unique_ptr<ui::Row> row;
    int in_row = 0;
    for (const catalog::Category& category : catalog->categories) {
      int at_kiosk = 0;
      const auto items = catalog->items_in(category.id);
      for (const catalog::Item* item : items) at_kiosk += item->kiosk_enabled ? 1 : 0;
      if (!row) row = std::make_unique<ui::Row>(theme.spacing());
      const std::string id = category.id;
      auto* tile = row->add(std::make_unique<ui::Button>(
          category.name, ui::ButtonKind::tile, [&app, id] { app.push(make_category_screen(id)); },
          app.strings().format("home.category_detail", {std::to_string(at_kiosk), std::to_string(items.size())})));
      tile->set_id("category-" + category.id);
      if (++in_row == columns) {
        page->add(std::move(row));
        in_row = 0;
      }
    }
    if (row) {
      while (in_row++ < columns) row->add(std::make_unique<ui::Spacer>(0));  // keep tile widths equal
      page->add(std::move(row));
    }
    // 一件事一次办: several items a life event needs, found together.
    if (!catalog->packages.empty()) {
      page->add(std::make_unique<ui::Label>(app.tr("home.packages"), ui::TextRole::heading));
      for (const catalog::Package& package : catalog->packages) {
        const std::string id = package.id;
        auto* entry = page->add(std::make_unique<ui::Button>(
            package.name, ui::ButtonKind::row, [&app, id] { app.push(make_package_screen(id)); },
            app.strings().format("home.package_detail", {std::to_string(package.items.size())})));
        entry->set_id("package-" + package.id);
      }
    }
    return scrolling(std::move(page), &scroll_);
  }

 private:
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_home_screen() { return std::make_unique<HomeScreen>(); }

}  // namespace screens
