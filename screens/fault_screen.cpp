// A fault in plain words with a way forward: try again (when it may help), go home, or ask staff
// at a named place, under a ✕ symbol. The technical code goes to the log for technicians (it never
// holds personal data), not onto the screen.
#include "kiosk/core/log.h"
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
    // The code is for technicians: in the log, not on the citizen's screen.
    if (!notice_.detail_for_staff.empty()) log::info("fault", "shown: " + notice_.detail_for_staff);
    auto page = make_page(app);
    page->add(make_status_symbol(app, Tone::failure));
    auto card = make_card(app, notice_.title);
    card->add(std::make_unique<ui::Label>(notice_.message, ui::TextRole::body));
    card->add(std::make_unique<ui::Label>(app.strings().format("fault.staff", {app.config().staff_location}),
                                          ui::TextRole::body));
    page->add(std::move(card));
    // One primary way forward: trying again when it may help, otherwise home.
    const bool retry = notice_.offer_retry && retry_;
    if (retry) {
      page->add(std::make_unique<ui::Button>(app.tr("fault.retry"), ui::ButtonKind::primary, retry_))->set_id("retry");
    }
    auto* home = page->add(std::make_unique<ui::Button>(
        app.tr("fault.home"), retry ? ui::ButtonKind::secondary : ui::ButtonKind::primary, [&app] { app.go_home(); }));
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
