// 一件事一次办: the items one life event needs (出生、退休、开办企业 …), together on one screen.
// Each opens its guide and is applied for there; identity is verified once per session, so the
// second item of a package does not ask for the face again.
#include "screens/common.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class PackageScreen final : public Screen {
 public:
  explicit PackageScreen(std::string id) : id_(std::move(id)) {}
  std::string name() const override { return "package"; }
  std::string title(AppContext& app) const override { return app.tr("package.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto page = make_page(app);
    const catalog::Catalog* catalog = app.catalog();
    const catalog::Package* package = catalog ? catalog->find_package(id_) : nullptr;
    if (!package) {
      page->add(std::make_unique<ui::Label>(app.tr("package.missing"), ui::TextRole::body));
      return scrolling(std::move(page), &scroll_);
    }
    page->add(std::make_unique<ui::Label>(package->name, ui::TextRole::title));
    page->add(std::make_unique<ui::Label>(package->description, ui::TextRole::body));
    page->add(std::make_unique<ui::Label>(app.tr("package.how"), ui::TextRole::body, app.theme().palette().primary));
    page->add(std::make_unique<ui::Label>(app.tr("package.items"), ui::TextRole::heading));
    for (const std::string& code : package->items) {
      if (const catalog::Item* item = catalog->find_item(code)) page->add(make_item_row(app, *item));
    }
    return scrolling(std::move(page), &scroll_);
  }

 private:
  std::string id_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_package_screen(std::string package_id) {
  return std::make_unique<PackageScreen>(std::move(package_id));
}

}  // namespace screens
