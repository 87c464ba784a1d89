// Submitted (journey 1, steps 7–9): the case is on disk in the outbox. Online, the platform's case
// number follows within seconds; offline (or when it is slow) the local receipt number stands for
// it and the screen says what happens next. The receipt is printed once the number is settled; if
// the printer fails, the number and its QR code stay on screen, and a reprint is offered.
// "Finish" ends the session, which wipes the application.
#include <ctime>
#include <set>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/receipt/receipt_layout.h"
#include "screens/journey.h"
#include "screens/receipt_print.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// How long the screen waits for the platform's case number before it settles on the local one.
constexpr Milliseconds kNumberWait = 8000;

class SubmittedScreen final : public Screen {
 public:
  ~SubmittedScreen() override { cancel_.cancel(); }
  std::string name() const override { return "submitted"; }
  std::string title(AppContext& app) const override { return app.tr("submitted.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    Applying applying = current_application(app);
    if (!applying) return no_application_page(app, &scroll_);
    auto page = make_page(app);
    if (!started_) start(app);
    const ui::Palette& palette = app.theme().palette();
    const apply::Application& application = *applying.application;
    add_step_header(app, *page, JourneyStep::submit);
    page->add(make_status_symbol(app, Tone::success));
    auto* done = page->add(std::make_unique<ui::Label>(app.tr("submitted.done"), ui::TextRole::title, std::nullopt,
                                                       ui::Align::center));
    done->set_id("submitted-done");
    page->add(std::make_unique<ui::Label>(applying.item->name, ui::TextRole::heading));

    auto numbers = make_card(app, "");
    if (!application.case_number.empty()) {
      add_number(app, *numbers, app.tr("submitted.case_number"), application.case_number, "case-number");
      if (!application.promised_date.empty()) add_field(app, *numbers, app.tr("submitted.promised"), application.promised_date);
    } else {
      add_number(app, *numbers, app.tr("submitted.local_receipt"), application.local_receipt, "local-receipt");
      if (!settled_) {
        numbers->add(std::make_unique<ui::Spinner>(app.tr("submitted.waiting_number")));
      } else {
        // Paused by this terminal's configuration: not "the network is down", and staff can help.
        auto* offline = numbers->add(std::make_unique<ui::Label>(
            app.platform_suspended() ? app.strings().format("submitted.suspended", {app.config().staff_location})
                                     : app.tr("submitted.offline"),
            ui::TextRole::body));
        offline->set_id("submitted-offline");
      }
    }
    page->add(std::move(numbers));

    switch (print_) {
      case Print::waiting: break;
      case Print::printing: page->add(std::make_unique<ui::Spinner>(app.tr("submitted.printing"))); break;
      case Print::printed: {
        auto* printed = page->add(std::make_unique<ui::Label>(app.tr("submitted.printed"), ui::TextRole::body, palette.primary));
        printed->set_id("receipt-printed");
        break;
      }
      case Print::failed: {
        auto* failed = page->add(std::make_unique<ui::Label>(app.strings().format("submitted.print_failed", {print_error_}),
                                                             ui::TextRole::body, palette.warning));
        failed->set_id("receipt-failed");
        add_qr_view(app, *page, number(application), app.tr("submitted.qr_caption"));
        auto* again = page->add(std::make_unique<ui::Button>(app.tr("submitted.print_again"), ui::ButtonKind::secondary,
                                                             [this, &app] { print(app); }));
        again->set_id("print-again");
        break;
      }
    }
    add_rating(app, *page, application);
    auto* finish = page->add(std::make_unique<ui::Button>(app.tr("submitted.finish"), ui::ButtonKind::primary,
                                                          [&app] { app.end_session(); }));
    finish->set_id("finish");
    // What happens next comes after the number, the receipt and the way out: those are what a
    // citizen must see without scrolling.
    auto next = make_card(app, app.tr("submitted.next_steps"));
    next->add(std::make_unique<ui::Label>(next_steps(app, applying), ui::TextRole::body));
    page->add(std::move(next));
    page->add(std::make_unique<ui::Label>(app.tr("submitted.take_card"), ui::TextRole::body, palette.text_secondary));
    return scrolling(std::move(page), &scroll_);
  }

  void on_delivered(AppContext& app, const std::string& local_receipt, const std::string& reference) override {
    Applying applying = current_application(app);
    if (!applying || applying.application->local_receipt != local_receipt || reference.empty()) return;
    applying.application->case_number = reference;
    if (!settled_) settle(app);
    app.rebuild();
  }

  std::optional<Milliseconds> wake_at() const override {
    if (settled_ || !started_) return std::nullopt;
    return started_at_ + kNumberWait;
  }
  void on_time(AppContext& app) override {
    if (!settled_ && started_ && app.now() >= started_at_ + kNumberWait) {
      log::info("submitted", "no case number yet: the local receipt stands for it");
      settle(app);
      app.rebuild();
    }
  }

 private:
  enum class Print { waiting, printing, printed, failed };

  void start(AppContext& app) {
    started_ = true;
    started_at_ = app.now();
    Applying applying = current_application(app);
    // Offline there is nothing to wait for: the number on the receipt is the local one.
    if (app.platform_offline() || (applying && !applying.application->case_number.empty())) {
      settle(app);
    } else {
      // The outbox's sender delivers on its own thread: until the number comes (or the wait ends)
      // the app counts as working, so the script driver waits for it in real time.
      waiting_ = app.begin_work();
    }
  }

  void settle(AppContext& app) {
    settled_ = true;
    waiting_.reset();
    print(app);
  }

  static std::string number(const apply::Application& application) {
    return application.case_number.empty() ? application.local_receipt : application.case_number;
  }

  std::string next_steps(AppContext& app, Applying applying) {
    const catalog::Item& item = *applying.item;
    std::string text = item.same_day() ? app.tr("submitted.same_day")
                                       : app.strings().format("submitted.days", {std::to_string(item.promised_days)});
    text += "\n" + app.tr(applying.application->delivery == apply::DeliveryMethod::post ? "submitted.by_post"
                                                                                         : "submitted.by_pickup");
    if (applying.application->case_number.empty()) text += "\n" + app.tr("submitted.query_by_receipt");
    return text;
  }

  void add_number(AppContext& app, ui::Column& card, const std::string& label, const std::string& value,
                  const std::string& id) {
    card.add(std::make_unique<ui::Label>(label, ui::TextRole::caption, app.theme().palette().text_secondary));
    auto* number = card.add(std::make_unique<ui::Label>(value, ui::TextRole::title));
    number->set_id(id);
  }

  // 好差评 (journey 2): "rate this service" once the number is settled — the case number, or
  // offline the local receipt number, which the platform keeps with the case (both find it). A case
  // this session rated says so instead.
  void add_rating(AppContext& app, ui::Column& page, const apply::Application& application) {
    const std::set<std::string>& rated = app.session().rated;
    const auto was_rated = [&rated](const std::string& reference) { return !reference.empty() && rated.count(reference) > 0; };
    if (was_rated(application.case_number) || was_rated(application.local_receipt)) {
      page.add(std::make_unique<ui::Label>("✓ " + app.tr("rating.case_rated"), ui::TextRole::body, app.theme().palette().primary))
          ->set_id("case-rated");
      return;
    }
    if (!settled_) return;
    page.add(std::make_unique<ui::Button>(app.tr("rating.rate_case"), ui::ButtonKind::secondary,
                                          [&app, rate = number(application)] { app.push(make_rating_screen(rate)); },
                                          app.tr("rating.rate_case_detail")))
        ->set_id("rate-case");
  }

  // Lays the receipt out and prints it on the worker (with the receipt fonts, not the UI's).
  void print(AppContext& app) {
    Applying applying = current_application(app);
    if (!applying) return;
    const apply::Application& application = *applying.application;
    const catalog::Item& item = *applying.item;
    receipt::Receipt slip;
    slip.title = app.tr("receipt.title");
    slip.subtitle = app.config().hall_name;
    const std::string number_text = number(application);
    slip.fields.push_back({app.tr(application.case_number.empty() ? "submitted.local_receipt" : "submitted.case_number"),
                           number_text});
    slip.fields.push_back({app.tr("receipt.item"), item.name});
    if (app.session().identity) slip.fields.push_back({app.tr("receipt.applicant"), masking::name(app.session().identity->name)});
    slip.fields.push_back({app.tr("receipt.time"), display_time(application.submitted_at, app.time_zone())});
    slip.fields.push_back({app.tr("receipt.promised"),
                           item.same_day() ? app.tr("item.same_day")
                                           : app.strings().format("guide.working_days", {std::to_string(item.promised_days)})});
    slip.fields.push_back({app.tr("receipt.delivery"), app.tr(application.delivery == apply::DeliveryMethod::post
                                                                  ? "review.post" : "review.pickup")});
    slip.qr_payload = number_text;
    slip.qr_caption = app.tr("submitted.qr_caption");
    slip.footer = {app.strings().format("receipt.hotline", {item.phone.empty() ? "12345" : item.phone}),
                   app.tr("receipt.keep")};
    if (application.case_number.empty()) {
      slip.footer.push_back(app.tr(app.platform_suspended() ? "submitted.suspended_short" : "submitted.offline_short"));
    }
    print_ = Print::printing;
    std::weak_ptr<int> alive = alive_;
    print_receipt(app, std::move(slip), cancel_, [this, &app, alive](const std::string& failure) {
      if (alive.expired()) return;
      print_ = failure.empty() ? Print::printed : Print::failed;
      print_error_ = failure;
      app.rebuild();
    });
  }

  std::shared_ptr<PendingWork> waiting_;
  bool started_ = false;
  bool settled_ = false;
  Milliseconds started_at_ = 0;
  Print print_ = Print::waiting;
  std::string print_error_;
  CancelToken cancel_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_submitted_screen() { return std::make_unique<SubmittedScreen>(); }

}  // namespace screens
