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
  bool has_navigation() const override { return false; }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto page = make_page(app);
    if (app.session().identity) {
      page->add(std::make_unique<ui::Label>(app.strings().format("home.greeting", {masking::name(app.session().identity->name)}),
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

    // Journey 2: what citizens come back for, before the departments' lists.
    const int columns = tiles_per_row(app);
    page->add(std::make_unique<ui::Label>(app.tr("home.services"), ui::TextRole::heading));
    std::vector<Tile> services;
    const auto service = [&app, &services](const std::string& key, std::function<void()> open) {
      services.push_back({app.tr("home." + key), app.tr("home." + key + "_detail"), key, std::move(open)});
    };
    service("progress", [&app] { app.push(make_progress_screen()); });
    service("licences", [&app] { app.push(make_licences_screen()); });
    service("queue", [&app] { app.push(make_queue_screen()); });
    service("rating", [&app] { app.push(make_rating_screen("")); });
    add_tiles(app, *page, columns, std::move(services));

    page->add(std::make_unique<ui::Label>(app.tr("home.categories"), ui::TextRole::heading));
    std::vector<Tile> departments;
    for (const catalog::Category& category : catalog->categories) {
      int at_kiosk = 0;
      const auto items = catalog->items_in(category.id);
      for (const catalog::Item* item : items) at_kiosk += item->kiosk_enabled ? 1 : 0;
      const std::string id = category.id;
      departments.push_back(
          {category.name, app.strings().format("home.category_detail", {std::to_string(at_kiosk), std::to_string(items.size())}),
           "category-" + category.id, [&app, id] { app.push(make_category_screen(id)); }});
    }
    add_tiles(app, *page, columns, std::move(departments));
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
  struct Tile {
    std::string label;
    std::string detail;
    std::string id;
    std::function<void()> open;
  };

  // Tiles `columns` to a row, the last row padded so every tile has the same width.
  static void add_tiles(AppContext& app, ui::Column& page, int columns, std::vector<Tile> tiles) {
    std::unique_ptr<ui::Row> row;
    int in_row = 0;
    for (Tile& tile : tiles) {
      if (!row) row = std::make_unique<ui::Row>(app.theme().spacing());
      row->add(std::make_unique<ui::Button>(tile.label, ui::ButtonKind::tile, std::move(tile.open), tile.detail))
          ->set_id(tile.id);
      if (++in_row == columns) {
        page.add(std::move(row));
        in_row = 0;
      }
    }
    if (row) {
      while (in_row++ < columns) row->add(std::make_unique<ui::Spacer>(0));  // keep tile widths equal
      page.add(std::move(row));
    }
  }

  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_home_screen() { return std::make_unique<HomeScreen>(); }

}  // namespace screens
