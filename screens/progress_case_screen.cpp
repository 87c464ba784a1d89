// A case's progress: the item, its numbers, the status in plain words, what is waiting on the
// citizen (first and framed: it is what they must act on), the steps as a timeline (✓ done with
// its time, ▶ current, ○ not started — a symbol and a word for each, never colour alone), how the
// result will arrive and by when. Then: reprint the receipt (number, item, status, promised date,
// QR of the case number; a failure says why and offers another try), rate the service, and
// "查询其他" back to the choice. Landscape puts the timeline beside the rest.
#include "kiosk/core/log.h"
#include "kiosk/receipt/receipt_layout.h"
#include "screens/progress.h"
#include "screens/receipt_print.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class ProgressCaseScreen final : public Screen {
 public:
  explicit ProgressCaseScreen(platform::CaseInfo info) : info_(std::move(info)) {}
  ~ProgressCaseScreen() override { print_cancel_.cancel(); }
  std::string name() const override { return "progress-case"; }
  std::string title(AppContext& app) const override { return app.tr("progress.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    auto page = make_page(app);
    auto* item = page->add(std::make_unique<ui::Label>(info_.item_name.empty() ? info_.item_code : info_.item_name,
                                                       ui::TextRole::title));
    item->set_id("case-item");
    if (theme.display().portrait()) {
      add_summary(app, *page);
      add_waiting(app, *page);
      add_steps(app, *page);
      add_delivery(app, *page);
      add_actions(app, *page);
      return scrolling(std::move(page), &scroll_);
    }
    auto left = std::make_unique<ui::Column>(theme.spacing(), 0);
    auto right = std::make_unique<ui::Column>(theme.spacing(), 0);
    add_summary(app, *left);
    add_waiting(app, *left);
    add_delivery(app, *left);
    add_actions(app, *left);
    add_steps(app, *right);
    auto columns = std::make_unique<ui::Row>(theme.spacing());
    columns->add(std::move(left));
    columns->add(std::move(right));
    page->add(std::move(columns));
    return scrolling(std::move(page), &scroll_);
  }

 private:
  enum class Print { idle, printing, printed, failed };

  void add_summary(AppContext& app, ui::Column& page) {
    const ui::Palette& palette = app.theme().palette();
    auto card = make_card(app, "");
    add_value(app, *card, "progress.case.number", info_.case_number, "case-number", ui::TextRole::heading);
    add_value(app, *card, "progress.case.local_receipt", info_.local_receipt, "case-local-receipt");
    add_value(app, *card, "progress.case.status", status_text(app, info_.status), "case-status", ui::TextRole::heading,
              palette.primary);
    // The two dates side by side: they are short, and the steps below matter more.
    auto dates = std::make_unique<ui::Row>(app.theme().spacing());
    auto submitted = std::make_unique<ui::Column>(app.theme().spacing() / 2, 0);
    add_value(app, *submitted, "progress.case.submitted", display_time(info_.submitted_at, app.time_zone()), "case-submitted");
    auto promised = std::make_unique<ui::Column>(app.theme().spacing() / 2, 0);
    add_value(app, *promised, "progress.case.promised", info_.promised_date, "case-promised");
    dates->add(std::move(submitted));
    dates->add(std::move(promised));
    card->add(std::move(dates));
    page.add(std::move(card));
  }

  // A caption-coloured label over its value (with an id: scripts mask values made from today's date).
  static void add_value(AppContext& app, ui::Column& card, const std::string& label_key, const std::string& value,
                        const std::string& id, ui::TextRole role = ui::TextRole::body,
                        std::optional<ui::Color> color = std::nullopt) {
    if (value.empty()) return;
    card.add(std::make_unique<ui::Label>(app.tr(label_key), ui::TextRole::caption, app.theme().palette().text_secondary));
    card.add(std::make_unique<ui::Label>(value, role, color))->set_id(id);
  }

  // What the citizen must do, in the platform's own plain sentences, framed and marked ⚠.
  void add_waiting(AppContext& app, ui::Column& page) {
    if (info_.waiting_on_citizen.empty()) return;
    const ui::Palette& palette = app.theme().palette();
    auto card = make_card(app, "");
    card->set_border(palette.warning);
    card->add(std::make_unique<ui::Label>(app.tr("progress.case.waiting"), ui::TextRole::heading, palette.warning))
        ->set_id("case-waiting");
    for (const std::string& sentence : info_.waiting_on_citizen) {
      card->add(std::make_unique<ui::Label>("· " + sentence, ui::TextRole::body));
    }
    page.add(std::move(card));
  }

  void add_steps(AppContext& app, ui::Column& page) {
    const ui::Theme& theme = app.theme();
    const ui::Palette& palette = theme.palette();
    auto card = make_card(app, app.tr("progress.case.steps"));
    card->set_id("case-steps");
    for (std::size_t i = 0; i < info_.steps.size(); ++i) {
      const platform::CaseStep& step = info_.steps[i];
      const bool done = step.state == "done", current = step.state == "current";
      const char* symbol = done ? "✓" : current ? "▶" : "○";
      const ui::Color accent = done || current ? palette.primary : palette.text_secondary;
      std::string state = done ? (step.at.empty() ? app.tr("progress.step.done")
                                                  : app.strings().format("progress.step.done_at", {display_time(step.at, app.time_zone())}))
                               : app.tr(current ? "progress.step.current" : "progress.step.pending");
      auto text = std::make_unique<ui::Column>(theme.spacing() / 4, 0);
      text->add(std::make_unique<ui::Label>(step.name, current ? ui::TextRole::heading : ui::TextRole::body,
                                            done || current ? palette.text : palette.text_secondary));
      text->add(std::make_unique<ui::Label>(state, ui::TextRole::body, accent))->set_id("step-" + std::to_string(i) + "-state");
      if (!step.note.empty()) text->add(std::make_unique<ui::Label>(step.note, ui::TextRole::body, palette.text_secondary));
      auto row = std::make_unique<ui::Row>(theme.spacing() / 2);
      row->add(std::make_unique<ui::Label>(symbol, ui::TextRole::heading, accent, ui::Align::center), 1);
      row->add(std::move(text), 6);
      // The current step stands out by a frame too, not by its colour alone.
      auto holder = std::make_unique<ui::Column>(0, theme.padding() / 3);
      if (current) holder->set_background(palette.secondary, theme.corner_radius()).set_border(palette.primary);
      holder->add(std::move(row));
      holder->set_id("step-" + std::to_string(i));
      card->add(std::move(holder));
    }
    page.add(std::move(card));
  }

  void add_delivery(AppContext& app, ui::Column& page) {
    auto card = make_card(app, app.tr("progress.case.delivery"));
    card->set_id("case-delivery");
    std::string how, detail;
    if (info_.delivery_method == "post") {
      how = app.tr("progress.delivery.post");
      detail = info_.tracking.empty() ? app.tr("progress.delivery.no_tracking")
                                      : app.strings().format("progress.delivery.tracking", {info_.tracking});
    } else if (info_.delivery_method == "pickup") {
      how = app.tr("progress.delivery.pickup");
      const catalog::Item* item = app.catalog() ? app.catalog()->find_item(info_.item_code) : nullptr;
      detail = item && !item->place.empty() ? app.strings().format("progress.delivery.pickup_at", {item->place})
                                            : app.tr("progress.delivery.pickup_hall");
    } else {
      detail = app.tr("progress.delivery.unknown");
    }
    if (!how.empty()) card->add(std::make_unique<ui::Label>(how, ui::TextRole::heading))->set_id("delivery-method");
    card->add(std::make_unique<ui::Label>(detail, ui::TextRole::body))->set_id("delivery-detail");
    page.add(std::move(card));
  }

  void add_actions(AppContext& app, ui::Column& page) {
    const ui::Palette& palette = app.theme().palette();
    switch (print_) {
      case Print::idle: break;
      case Print::printing: page.add(std::make_unique<ui::Spinner>(app.tr("progress.reprinting"))); break;
      case Print::printed:
        page.add(std::make_unique<ui::Label>("✓ " + app.tr("progress.reprinted"), ui::TextRole::body, palette.primary))
            ->set_id("reprinted");
        break;
      case Print::failed:
        page.add(std::make_unique<ui::Label>("⚠ " + app.strings().format("progress.reprint_failed", {print_error_}),
                                             ui::TextRole::body, palette.warning))
            ->set_id("reprint-failed");
        break;
    }
    if (print_ != Print::printing) {
      const bool again = print_ == Print::failed;
      page.add(std::make_unique<ui::Button>(app.tr(again ? "progress.reprint_again" : "progress.reprint"),
                                            ui::ButtonKind::secondary, [this, &app] { reprint(app); }))
          ->set_id(again ? "reprint-again" : "reprint");
    }
    page.add(std::make_unique<ui::Button>(app.tr("progress.rate"), ui::ButtonKind::secondary,
                                          [&app, number = info_.case_number] { app.push(make_rating_screen(number)); }))
        ->set_id("rate");
    page.add(std::make_unique<ui::Button>(app.tr("progress.query_other"), ui::ButtonKind::primary,
                                          [&app] { app.back_to("progress"); }))
        ->set_id("query-other");
  }

  // The receipt again, as the platform knows the case now: laid out and printed on the worker.
  void reprint(AppContext& app) {
    receipt::Receipt slip;
    slip.title = app.tr("progress.receipt.title");
    slip.subtitle = app.config().hall_name;
    slip.fields.push_back({app.tr("progress.case.number"), info_.case_number});
    if (!info_.local_receipt.empty()) slip.fields.push_back({app.tr("progress.case.local_receipt"), info_.local_receipt});
    slip.fields.push_back({app.tr("receipt.item"), info_.item_name.empty() ? info_.item_code : info_.item_name});
    slip.fields.push_back({app.tr("progress.case.status"), status_text(app, info_.status)});
    if (!info_.submitted_at.empty()) {
      slip.fields.push_back({app.tr("progress.case.submitted"), display_time(info_.submitted_at, app.time_zone())});
    }
    if (!info_.promised_date.empty()) slip.fields.push_back({app.tr("progress.case.promised"), info_.promised_date});
    slip.qr_payload = info_.case_number;
    slip.qr_caption = app.tr("submitted.qr_caption");
    const catalog::Item* item = app.catalog() ? app.catalog()->find_item(info_.item_code) : nullptr;
    slip.footer = {app.strings().format("receipt.hotline", {item && !item->phone.empty() ? item->phone : "12345"}),
                   app.tr("progress.receipt.reprinted_note")};
    print_ = Print::printing;
    app.rebuild();
    std::weak_ptr<int> alive = alive_;
    print_receipt(app, std::move(slip), print_cancel_, [this, &app, alive](const std::string& failure) {
      if (alive.expired()) return;
      print_ = failure.empty() ? Print::printed : Print::failed;
      print_error_ = failure;
      if (failure.empty()) log::info("progress", "receipt reprinted");
      app.rebuild();
    });
  }

  platform::CaseInfo info_;
  Print print_ = Print::idle;
  std::string print_error_;
  CancelToken print_cancel_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_progress_case_screen(platform::CaseInfo info) {
  return std::make_unique<ProgressCaseScreen>(std::move(info));
}

}  // namespace screens
