// 告知承诺书 (journey 1, step 3b): the item's full commitment text — what is promised, what a false
// commitment costs, the right to withdraw before the decision — then a signature pad below its
// end. The pad can only be reached by scrolling through the whole text, and "confirm" waits for a
// real signature. The signed text and the signature's PNG go with the case.
#include <ctime>

#include <algorithm>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/ui/signature_pad.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class CommitmentScreen final : public Screen {
 public:
  ~CommitmentScreen() override { signature_.clear(); }
  std::string name() const override { return "commitment"; }
  std::string title(AppContext& app) const override { return app.tr("commitment.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    Applying applying = current_application(app);
    if (!applying) return no_application_page(app, &scroll_);
    auto page = make_page(app);
    const ui::Palette& palette = app.theme().palette();
    add_step_header(app, *page, JourneyStep::form);
    page->add(std::make_unique<ui::Label>(applying.item->name, ui::TextRole::title));
    page->add(std::make_unique<ui::Label>(app.tr("commitment.intro"), ui::TextRole::body, palette.primary));
    // Which materials the commitment replaces, so the citizen knows what they are promising about.
    std::string replaced;
    for (std::size_t i = 0; i < applying.item->materials.size(); ++i) {
      if (applying.application->materials[i].source != apply::MaterialSource::commitment) continue;
      replaced += (replaced.empty() ? "" : "、") + applying.item->materials[i].name;
    }
    if (!replaced.empty()) {
      page->add(std::make_unique<ui::Label>(app.strings().format("commitment.replaces", {replaced}), ui::TextRole::body));
    }
    auto text = make_card(app, app.tr("commitment.text_title"));
    text->add(std::make_unique<ui::Label>(applying.item->commitment_text, ui::TextRole::body));
    text->set_id("commitment-text");
    page->add(std::move(text));

    auto* end = page->add(std::make_unique<ui::Label>(app.tr("commitment.end"), ui::TextRole::heading));
    end->set_id("commitment-end");
    // A quarter of the panel's height: room for a name written large, yet the text above, the
    // pad and the buttons below fit on one screen in landscape too.
    const int pad_height = std::max(app.theme().display().height / 4, app.theme().min_touch_target() * 3);
    auto* pad = page->add(std::make_unique<ui::SignaturePad>(&signature_, app.tr("commitment.sign_here"), pad_height,
                                                             [&app] { app.rebuild(); }));
    pad->set_id("signature");
    const bool signed_enough = signature_.signed_enough();
    if (!signature_.empty() && !signed_enough) {
      page->add(std::make_unique<ui::Label>(app.tr("commitment.sign_more"), ui::TextRole::body, palette.warning));
    }
    auto row = std::make_unique<ui::Row>(app.theme().spacing());
    auto* clear = row->add(std::make_unique<ui::Button>(app.tr("commitment.clear"), ui::ButtonKind::secondary, [this, &app] {
      signature_.clear();
      app.rebuild();
    }));
    clear->set_id("signature-clear");
    auto* confirm = row->add(std::make_unique<ui::Button>(
        app.tr("commitment.confirm"), signed_enough ? ui::ButtonKind::primary : ui::ButtonKind::secondary,
        [this, &app] { on_confirm(app); }));
    confirm->set_id("commitment-confirm");
    page->add(std::move(row));
    return scrolling(std::move(page), &scroll_);
  }

 private:
  void on_confirm(AppContext& app) {
    Applying applying = current_application(app);
    if (!applying) return;
    if (!signature_.signed_enough()) {
      app.show_dialog(app.tr("commitment.unsigned.title"), app.tr("commitment.unsigned.message"),
                      {{app.tr("form.problems.ok"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
      return;
    }
    auto png = signature_.to_png();
    if (!png.ok()) {
      log::warning("commitment", "signature: " + png.error().message);
      app.show_dialog(app.tr("commitment.unsigned.title"), app.tr("commitment.unsigned.message"),
                      {{app.tr("form.problems.ok"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
      return;
    }
    apply::Signature signature;
    signature.png = png.release_value();
    signature.signed_at = rfc3339(std::time(nullptr), app.time_zone());
    if (applying.application->commitment) secure_clear(applying.application->commitment->png);
    applying.application->commitment = std::move(signature);
    app.push(make_review_screen());
  }

  ui::SignatureState signature_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_commitment_screen() { return std::make_unique<CommitmentScreen>(); }

}  // namespace screens
