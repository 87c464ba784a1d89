// Submitted (journey 1, steps 7–9): the case is on disk in the outbox. Online, the platform's case
// number follows within seconds; offline (or when it is slow) the local receipt number stands for
// it and the screen says what happens next. The receipt is printed once the number is settled; if
// the printer fails, the number and its QR code stay on screen, and a reprint is offered.
// "Finish" ends the session, which wipes the application.
#include <ctime>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/receipt/qr_code.h"
#include "kiosk/receipt/receipt_layout.h"
#include "kiosk/ui/image_view.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// How long the screen waits for the platform's case number before it settles on the local one.
constexpr Milliseconds kNumberWait = 8000;
constexpr auto kPrintTimeout = std::chrono::milliseconds(20000);

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
    auto* done = page->add(std::make_unique<ui::Label>(app.tr("submitted.done"), ui::TextRole::title));
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
        auto* offline = numbers->add(std::make_unique<ui::Label>(app.tr("submitted.offline"), ui::TextRole::body));
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
        add_qr(app, *page, number(application));
        auto* again = page->add(std::make_unique<ui::Button>(app.tr("submitted.print_again"), ui::ButtonKind::secondary,
                                                             [this, &app] { print(app); }));
        again->set_id("print-again");
        break;
      }
    }
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

  void add_qr(AppContext& app, ui::Column& page, const std::string& payload) {
    auto code = receipt::encode_qr(payload);
    if (!code.ok()) return;
    std::vector<bool> modules(code.value().modules.begin(), code.value().modules.end());
    auto view = ui::QrView::create(code.value().size, std::move(modules), app.theme().display().width / 3);
    if (!view.ok()) return;
    page.add(view.release_value())->set_id("receipt-qr");
    page.add(std::make_unique<ui::Label>(app.tr("submitted.qr_caption"), ui::TextRole::caption,
                                         app.theme().palette().text_secondary, ui::Align::center));
  }

  // Lays the receipt out and prints it on the worker (with the receipt fonts, not the UI's).
  void print(AppContext& app) {
    Applying applying = current_application(app);
    hal::ReceiptPrinter* printer = app.devices().receipt_printer.get();
    Lazy<ui::GlyphAtlas>* atlas = app.services().receipt_atlas;
    if (!applying) return;
    if (!printer || !atlas) {
      print_ = Print::failed;
      print_error_ = app.tr("submitted.no_printer");
      return;
    }
    const apply::Application& application = *applying.application;
    const catalog::Item& item = *applying.item;
    receipt::Receipt slip;
    slip.title = app.tr("receipt.title");
    slip.subtitle = app.config().hall_name;
    const std::string number_text = number(application);
    slip.fields.push_back({app.tr(application.case_number.empty() ? "submitted.local_receipt" : "submitted.case_number"),
                           number_text});
    slip.fields.push_back({app.tr("receipt.item"), item.name});
    if (app.session().identity) slip.fields.push_back({app.tr("receipt.applicant"), masked_name(app.session().identity->name)});
    std::string when = application.submitted_at.substr(0, 16);  // "2026-11-25T14:03"
    if (when.size() > 10 && when[10] == 'T') when[10] = ' ';
    slip.fields.push_back({app.tr("receipt.time"), when});
    slip.fields.push_back({app.tr("receipt.promised"),
                           item.same_day() ? app.tr("item.same_day")
                                           : app.strings().format("guide.working_days", {std::to_string(item.promised_days)})});
    slip.fields.push_back({app.tr("receipt.delivery"), app.tr(application.delivery == apply::DeliveryMethod::post
                                                                  ? "review.post" : "review.pickup")});
    slip.qr_payload = number_text;
    slip.qr_caption = app.tr("submitted.qr_caption");
    slip.footer = {app.strings().format("receipt.hotline", {item.phone.empty() ? "12345" : item.phone}),
                   app.tr("receipt.keep")};
    if (application.case_number.empty()) slip.footer.push_back(app.tr("submitted.offline_short"));
    print_ = Print::printing;
    auto outcome = std::make_shared<std::string>();
    std::weak_ptr<int> alive = alive_;
    CancelToken cancel = cancel_;
    app.run_in_background(
        [printer, atlas, slip = std::move(slip), outcome, cancel] {
          ui::GlyphAtlas* fonts = atlas->get();
          if (!fonts) {
            *outcome = "layout";
            return;
          }
          auto rendered = receipt::render_receipt(*fonts, slip, printer->capabilities().width_dots);
          if (!rendered.ok()) {
            *outcome = "layout";
            return;
          }
          auto printed = printer->print(hal::ReceiptJob{std::move(rendered.value().page)}, cancel, kPrintTimeout);
          if (!printed.ok()) *outcome = hal::to_string(printed.error().code);
        },
        [this, &app, alive, outcome] {
          if (alive.expired()) return;
          if (outcome->empty()) {
            print_ = Print::printed;
          } else {
            log::warning("submitted", "receipt not printed: " + *outcome);
            print_ = Print::failed;
            print_error_ = app.tr("submitted.print_error." + *outcome);
            if (print_error_.rfind("submitted.", 0) == 0) print_error_ = app.tr("submitted.print_error.other");
          }
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
