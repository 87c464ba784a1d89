// Progress by ID card: the card alone (no face check: a list of one's own cases shows no more
// than the receipts do), read into the session by the app as on every screen, then POST
// /api/v1/cases/query {id_number, name} lists the citizen's cases, newest first; one tap opens a
// case. The request body is the only copy of the card's fields this screen makes, and it is wiped
// as soon as the request is handed over; the session's card goes with the session.
#include "kiosk/core/secure_memory.h"
#include "screens/progress.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class ProgressCardScreen final : public Screen {
 public:
  ~ProgressCardScreen() override { request_.cancel(); }
  std::string name() const override { return "progress-card"; }
  std::string title(AppContext& app) const override { return app.tr("progress.card.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (step_ == Step::card) advance_from_card(app);
    switch (step_) {
      case Step::card: return build_card(app);
      case Step::searching: return build_searching(app);
      case Step::list: return build_list(app);
      case Step::outcome: return make_outcome_page(app, outcome(app), &scroll_);
    }
    return build_card(app);
  }

 private:
  enum class Step { card, searching, list, outcome };
  enum class Failure { reader, none, platform };

  // The card arrives through the app, which reads every placed card into the session.
  void advance_from_card(AppContext& app) {
    if (!app.session().identity) {
      hal::CardReader* reader = app.devices().card_reader.get();
      const auto state = reader ? reader->status().state : hal::DeviceState::no_device;
      if (!reader || state == hal::DeviceState::hardware_error || state == hal::DeviceState::offline ||
          state == hal::DeviceState::no_device) {
        fail(Failure::reader, reader ? hal::to_string(state) : "no_reader");
      }
      return;
    }
    search(app);
  }

  void search(AppContext& app) {
    if (!app.session().identity) {
      step_ = Step::card;
      return;
    }
    step_ = Step::searching;
    const hal::IdentityCard& card = *app.session().identity;
    platform::HttpRequest request = platform::case_query_request(card.id_number, card.name, kProgressTimeout);
    request_.start(app, std::move(request), /*list=*/true, [this, &app](platform::ProgressAnswer answer) {
      answer_ = std::move(answer);
      if (answer_.kind != platform::ProgressAnswer::Kind::found) fail(Failure::platform, answer_.staff_code);
      else if (answer_.cases.empty()) fail(Failure::none, "no_cases");
      else step_ = Step::list;
      app.rebuild();
    });
    // Moved into the channel; a body left behind by the move is wiped all the same.
    secure_clear(request.body);
  }

  std::unique_ptr<ui::Widget> build_card(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    auto* place = page->add(std::make_unique<ui::Label>(app.tr("progress.card.place"), ui::TextRole::title));
    place->set_id("progress-place-card");
    page->add(std::make_unique<ui::Label>(app.tr("progress.card.place_detail"), ui::TextRole::body));
    // No spinner: waiting for a card is not the terminal working, and a still screen is calmer.
    page->add(std::make_unique<ui::Label>(app.tr("progress.card.waiting"), ui::TextRole::body, palette.text_secondary));
    page->add(std::make_unique<ui::Button>(app.tr("progress.type_instead"), ui::ButtonKind::secondary, [&app] {
      app.back();
      app.push(make_progress_number_screen());
    }))->set_id("type-instead");
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_searching(AppContext& app) {
    auto page = make_page(app);
    add_greeting(app, *page);
    page->add(std::make_unique<ui::Spinner>(app.tr("progress.searching")));
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_list(AppContext& app) {
    auto page = make_page(app);
    add_greeting(app, *page);
    auto* count = page->add(std::make_unique<ui::Label>(
        app.strings().format("progress.card.list", {std::to_string(answer_.cases.size())}), ui::TextRole::body));
    count->set_id("progress-case-count");
    for (std::size_t i = 0; i < answer_.cases.size(); ++i) {
      const platform::CaseInfo& info = answer_.cases[i];
      const std::string submitted = display_time(info.submitted_at, app.time_zone()).substr(0, 10);
      auto* row = page->add(std::make_unique<ui::Button>(
          info.item_name.empty() ? info.item_code : info.item_name, ui::ButtonKind::row,
          [this, &app, i] {
            if (i < answer_.cases.size()) app.push(make_progress_case_screen(answer_.cases[i]));
          },
          app.strings().format("progress.card.row_detail", {info.case_number, status_text(app, info.status), submitted})));
      row->set_id("case-" + info.case_number);
    }
    page->add(std::make_unique<ui::Button>(app.tr("progress.other_way"), ui::ButtonKind::secondary,
                                           [&app] { app.back_to("progress"); }))
        ->set_id("other-way");
    return scrolling(std::move(page), &scroll_);
  }

  // "张*，您好": the card was read, without the name readable across the hall.
  static void add_greeting(AppContext& app, ui::Column& page) {
    if (!app.session().identity) return;
    page.add(std::make_unique<ui::Label>(app.strings().format("progress.card.hello", {masking::name(app.session().identity->name)}),
                                         ui::TextRole::heading));
  }

  void fail(Failure failure, std::string detail) {
    failure_ = failure;
    detail_ = std::move(detail);
    step_ = Step::outcome;
  }

  Outcome outcome(AppContext& app) {
    const std::string staff = app.config().staff_location;
    ui::DialogButton type{app.tr("progress.type_instead"), ui::ButtonKind::secondary, [&app] {
                            app.back();
                            app.push(make_progress_number_screen());
                          }};
    const std::vector<std::string> elsewhere = {app.strings().format("progress.ask_staff", {staff}), app.tr("progress.phone")};
    switch (failure_) {
      case Failure::reader:
        return {"outcome-reader-fault", app.tr("progress.card.reader.title"),
                app.strings().format("progress.card.reader.message", {staff}), elsewhere, "progress/" + detail_,
                {{type.text, ui::ButtonKind::primary, type.on_tap}, other_way_button(app)}};
      case Failure::none:
        return {"outcome-no-cases", app.tr("progress.card.none.title"), app.tr("progress.card.none.message"), elsewhere,
                "", {{type.text, ui::ButtonKind::primary, type.on_tap}, other_way_button(app)}};
      case Failure::platform:
        break;
    }
    return progress_failure(app, answer_, [this, &app] {
      search(app);
      app.rebuild();
    });
  }

  Step step_ = Step::card;
  Failure failure_ = Failure::platform;
  std::string detail_;
  platform::ProgressAnswer answer_;
  ProgressRequest request_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_progress_card_screen() { return std::make_unique<ProgressCardScreen>(); }

}  // namespace screens
