// A fault in plain words with a way forward: try again (when it may help), go home, or ask staff
// at a named place. The technical code is shown small for staff; it never holds personal data.
#include "screens/common.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class FaultScreen final : public Screen {
 public:
  FaultScreen(FaultNotice notice, std::function<void()> retry) : notice_(std::move(notice)), retry_(std::move(retry)) {}
  std::string name() const override { return "fault"; }
  std::string title(AppContext& app) const override { return app.tr("fault.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    auto page = make_page(app);
    auto card = make_card(app, notice_.title);
    card->add(std::make_unique<ui::Label>(notice_.message, ui::TextRole::body));
    card->add(std::make_unique<ui::Label>(app.strings().format("fault.staff", {app.config().staff_location}),
                                          ui::TextRole::body));
    if (!notice_.detail_for_staff.empty()) {
      card->add(std::make_unique<ui::Label>(app.strings().format("fault.code", {notice_.detail_for_staff}),
                                            ui::TextRole::caption, theme.palette().text_secondary));
    }
    page->add(std::move(card));
    if (notice_.offer_retry && retry_) {
      auto* retry = page->add(std::make_unique<ui::Button>(app.tr("fault.retry"), ui::ButtonKind::primary, retry_));
      retry->set_id("retry");
    }
    auto* home = page->add(std::make_unique<ui::Button>(app.tr("fault.home"), ui::ButtonKind::secondary, [&app] { app.go_home(); }));
    home->set_id("fault-home");
    return scrolling(std::move(page), &scroll_);
  }

 private:
  FaultNotice notice_;
  std::function<void()> retry_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_fault_screen(FaultNotice notice, std::function<void()> retry) {
  return std::make_unique<FaultScreen>(std::move(notice), std::move(retry));
}

}  // namespace screens
