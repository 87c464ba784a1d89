// 排队叫号 (journey 2, docs/journey.md): the citizen chooses a business category (the catalog's
// queue_categories); where the category has them, an elderly or disabled citizen may take a
// priority number after identification (card + face: make_identify_screen). The ticket comes from
// POST /api/v1/queue/tickets (idempotent: one key per confirmed choice, reused by "try again"),
// is shown big and printed on the receipt printer with a QR code of its number; each print is
// reported through the outbox (kind "queue_ticket"). Offline or refused: where to get a number
// instead, and "try again". A printer failure leaves the number on screen, with a reprint.
#include <algorithm>
#include <ctime>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/platform/channel.h"
#include "kiosk/platform/messages.h"
#include "kiosk/receipt/qr_code.h"
#include "kiosk/ui/image_view.h"
#include "screens/hall_requests.h"
#include "screens/journey.h"
#include "screens/receipt_print.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

constexpr Milliseconds kTicketTimeout = 10000;

class QueueScreen final : public Screen {
 public:
  ~QueueScreen() override { cancel_.cancel(); }

  std::string name() const override { return "queue"; }
  std::string title(AppContext& app) const override { return app.tr("queue.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    switch (step_) {
      case Step::categories: return build_categories(app);
      case Step::kind: return build_kind(app);
      case Step::requesting: {
        auto page = make_page(app);
        page->add(std::make_unique<ui::Spinner>(app.tr("queue.requesting")));
        return scrolling(std::move(page), &scroll_);
      }
      case Step::ticket: return build_ticket(app);
      case Step::failed: return make_outcome_page(app, failed(app), &scroll_);
    }
    return build_categories(app);
  }

 private:
  enum class Step { categories, kind, requesting, ticket, failed };
  enum class Failure { offline, refused, priority_refused, bad_answer };
  enum class Print { printing, printed, failed };

  const catalog::QueueCategory* category(AppContext& app) const {
    const catalog::Catalog* catalog = app.catalog();
    if (!catalog) return nullptr;
    for (const catalog::QueueCategory& entry : catalog->queue_categories) {
      if (entry.id == category_) return &entry;
    }
    return nullptr;
  }

  void go(AppContext& app, Step step) {
    step_ = step;
    scroll_ = {};
    app.rebuild();
  }

  std::unique_ptr<ui::Widget> build_categories(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.tr("queue.choose"), ui::TextRole::title))->set_id("queue-choose");
    page->add(std::make_unique<ui::Label>(app.tr("queue.choose_hint"), ui::TextRole::body, palette.text_secondary));
    const catalog::Catalog* catalog = app.catalog();
    if (!catalog || catalog->queue_categories.empty()) {
      page->add(std::make_unique<ui::Label>(app.strings().format("queue.no_categories", {app.config().staff_location}),
                                            ui::TextRole::body, palette.warning))
          ->set_id("queue-none");
      return scrolling(std::move(page), &scroll_);
    }
    const int columns = tiles_per_row(app);
    std::unique_ptr<ui::Row> row;
    int in_row = 0;
    for (const catalog::QueueCategory& entry : catalog->queue_categories) {
      if (!row) row = std::make_unique<ui::Row>(app.theme().spacing());
      row->add(std::make_unique<ui::Button>(entry.name, ui::ButtonKind::tile,
                                            [this, &app, id = entry.id] { choose(app, id); },
                                            entry.priority ? app.tr("queue.priority_offered") : ""))
          ->set_id("queue-category-" + entry.id);
      if (++in_row == columns) {
        page->add(std::move(row));
        in_row = 0;
      }
    }
    if (row) {
      while (in_row++ < columns) row->add(std::make_unique<ui::Spacer>(0));  // keep tile widths equal
      page->add(std::move(row));
    }
    return scrolling(std::move(page), &scroll_);
  }

  void choose(AppContext& app, const std::string& id) {
    category_ = id;
    const catalog::QueueCategory* chosen = category(app);
    if (chosen && chosen->priority) {
      go(app, Step::kind);
      return;
    }
    take(app, Priority::none);
  }

  std::unique_ptr<ui::Widget> build_kind(AppContext& app) {
    const catalog::QueueCategory* chosen = category(app);
    if (!chosen) {
      step_ = Step::categories;
      return build_categories(app);
    }
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(chosen->name, ui::TextRole::title))->set_id("queue-category");
    page->add(std::make_unique<ui::Label>(app.tr("queue.kind"), ui::TextRole::heading));
    page->add(std::make_unique<ui::Button>(app.tr("queue.normal"), ui::ButtonKind::primary,
                                           [this, &app] { take(app, Priority::none); }, app.tr("queue.normal_detail")))
        ->set_id("queue-normal");
    page->add(std::make_unique<ui::Button>(app.tr("queue.elderly"), ui::ButtonKind::secondary,
                                           [this, &app] { take(app, Priority::elderly); }, app.tr("queue.priority_detail")))
        ->set_id("queue-elderly");
    page->add(std::make_unique<ui::Button>(app.tr("queue.disabled"), ui::ButtonKind::secondary,
                                           [this, &app] { take(app, Priority::disabled); }, app.tr("queue.priority_detail")))
        ->set_id("queue-disabled");
    page->add(std::make_unique<ui::Button>(app.tr("queue.choose_again"), ui::ButtonKind::secondary,
                                           [this, &app] { go(app, Step::categories); }))
        ->set_id("queue-choose-again");
    return scrolling(std::move(page), &scroll_);
  }

  // The citizen confirmed a choice: a new request (a new key). A priority number needs a verified
  // citizen first: through identification, which comes back here.
  void take(AppContext& app, Priority priority) {
    priority_ = priority;
    key_ = new_request_key();
    if (priority != Priority::none && !app.session().verified(app.now())) {
      std::weak_ptr<int> alive = alive_;
      // Identification is the one step before the ticket prints: no step counter.
      app.push(make_identify_screen({JourneyStep::identify}, [this, alive](AppContext& context) {
        if (!alive.expired()) request(context);
      }));
      return;
    }
    request(app);
  }

  void request(AppContext& app) {
    const catalog::Catalog* catalog = app.catalog();
    platform::Channel* channel = app.platform();
    if (!catalog || !channel || !channel->configured()) {
      fail(app, Failure::offline, "no_platform");
      return;
    }
    auto body = ticket_body({category_, priority_, app.session().verified(app.now()) ? app.session().identity_token : ""},
                            *catalog);
    if (!body) {
      fail(app, body.error() == TicketProblem::identity_needed ? Failure::priority_refused : Failure::refused,
           to_string(body.error()));
      return;
    }
    platform::HttpRequest request;
    request.method = "POST";
    request.path = "/api/v1/queue/tickets";
    request.headers["Content-Type"] = "application/json";
    request.headers["Idempotency-Key"] = key_;
    request.body = body.value().dump();
    request.timeout = kTicketTimeout;
    step_ = Step::requesting;
    scroll_ = {};
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    channel->call(std::move(request), cancel_, [this, context, alive, work](platform::PlatformResult<platform::HttpResponse> answer) {
      // On the channel's worker: parse here, finish on the UI thread.
      auto ticket = std::make_shared<std::optional<Result<platform::Ticket>>>();
      auto error = std::make_shared<std::optional<platform::PlatformError>>();
      if (answer.ok()) {
        auto parsed = platform::parse_ticket(answer.value().body);
        ticket->emplace(parsed.ok() ? checked_ticket(parsed.release_value()) : Result<platform::Ticket>(parsed.error()));
      } else {
        error->emplace(answer.error());
      }
      work->finish([this, context, alive, ticket, error] {
        if (alive.expired() || step_ != Step::requesting) return;
        answered(*context, *ticket, *error);
      });
    });
    app.rebuild();
  }

  void answered(AppContext& app, const std::optional<Result<platform::Ticket>>& ticket,
                const std::optional<platform::PlatformError>& error) {
    if (error) {
      log::warning("queue", "ticket: " + error->describe());
      const bool network = error->kind != platform::PlatformErrorKind::http || error->retryable;
      if (network) {
        fail(app, Failure::offline, error->code.empty() ? platform::to_string(error->kind) : error->code);
      } else if (priority_ != Priority::none && error->status == 422) {
        // The platform did not take the identity token (it ran out): "try again" identifies anew.
        secure_clear(app.session().identity_token);
        app.session().identity_expires_at = 0;
        fail(app, Failure::priority_refused, error->code);
      } else {
        fail(app, Failure::refused, error->code);
      }
      return;
    }
    if (!ticket || !ticket->ok()) {
      log::warning("queue", "ticket: " + (ticket ? ticket->error().message : std::string("no answer")));
      fail(app, Failure::bad_answer, "bad_answer");
      return;
    }
    ticket_ = ticket->value();
    log::info("queue", "ticket issued");  // the number is not personal, but it is not needed in logs either
    step_ = Step::ticket;
    scroll_ = {};
    print(app);
    app.rebuild();
  }

  void fail(AppContext& app, Failure failure, std::string detail) {
    failure_ = failure;
    detail_ = std::move(detail);
    go(app, Step::failed);
  }

  Outcome failed(AppContext& app) {
    const std::string staff = app.config().staff_location;
    ui::DialogButton retry{app.tr("queue.try_again"), ui::ButtonKind::primary, [this, &app] {
                             // The same request again, with the same key: a ticket the platform
                             // issued but we did not hear about comes back, not a second one.
                             if (failure_ == Failure::priority_refused) take(app, priority_);
                             else request(app);
                           }};
    ui::DialogButton back{app.tr("queue.back"), ui::ButtonKind::secondary, [this, &app] { go(app, Step::categories); }};
    std::vector<std::string> elsewhere = {app.strings().format("queue.staff", {staff}), app.tr("queue.later")};
    switch (failure_) {
      case Failure::offline:
        return {"queue-offline", app.tr("queue.offline.title"), app.tr("queue.offline.message"), elsewhere, detail_, {retry, back}};
      case Failure::priority_refused:
        return {"queue-refused", app.tr("queue.refused.title"), app.tr("queue.refused.priority"), elsewhere, detail_,
                {retry, back}};
      case Failure::refused:
      case Failure::bad_answer:
        break;
    }
    return {"queue-refused", app.tr("queue.refused.title"), app.tr("queue.refused.message"), elsewhere, detail_, {retry, back}};
  }

  std::string kind_words(AppContext& app) const {
    switch (priority_) {
      case Priority::elderly: return app.tr("queue.kind_elderly");
      case Priority::disabled: return app.tr("queue.kind_disabled");
      case Priority::none: break;
    }
    return "";
  }

  std::string hall(AppContext& app) const { return ticket_.hall.empty() ? app.config().hall_name : ticket_.hall; }
  std::string category_name(AppContext& app) const {
    if (!ticket_.category_name.empty()) return ticket_.category_name;
    const catalog::QueueCategory* chosen = category(app);
    return chosen ? chosen->name : category_;
  }

  std::unique_ptr<ui::Widget> build_ticket(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    auto card = make_card(app, "");
    card->add(std::make_unique<ui::Label>(app.tr("queue.your_number"), ui::TextRole::heading, palette.text_secondary, ui::Align::center));
    card->add(std::make_unique<ui::Label>(ticket_.ticket, ui::TextRole::display, palette.text, ui::Align::center))
        ->set_id("queue-ticket-number");
    std::string what = category_name(app);
    if (priority_ != Priority::none) what += " · " + kind_words(app);
    card->add(std::make_unique<ui::Label>(what, ui::TextRole::heading, std::nullopt, ui::Align::center))->set_id("queue-ticket-category");
    card->add(std::make_unique<ui::Label>(
                  ticket_.waiting > 0 ? app.strings().format("queue.waiting", {std::to_string(ticket_.waiting)})
                                      : app.tr("queue.none_waiting"),
                  ui::TextRole::body, std::nullopt, ui::Align::center))
        ->set_id("queue-ticket-waiting");
    if (ticket_.waiting > 0) {
      card->add(std::make_unique<ui::Label>(app.strings().format("queue.estimate", {std::to_string(ticket_.estimated_wait_min)}),
                                            ui::TextRole::body, std::nullopt, ui::Align::center));
    }
    card->add(std::make_unique<ui::Label>(app.strings().format("queue.hall", {hall(app)}), ui::TextRole::body,
                                          palette.text_secondary, ui::Align::center));
    // Not printed: the number's QR code to photograph — beside the number in landscape, so both
    // stay on screen; under it in portrait.
    const bool portrait = app.theme().display().portrait();
    const std::string qr_caption = app.strings().format("queue.slip_qr", {ticket_.ticket});
    if (print_ == Print::failed && !portrait) {
      auto row = std::make_unique<ui::Row>(app.theme().spacing());
      row->add(std::move(card), 3);
      auto side = std::make_unique<ui::Column>(app.theme().spacing() / 2, 0);
      add_print_failed(app, *side);
      if (auto code = small_qr(app, ticket_.ticket)) side->add(std::move(code))->set_id("receipt-qr");
      side->add(std::make_unique<ui::Label>(qr_caption, ui::TextRole::caption, palette.text_secondary, ui::Align::center));
      row->add(std::move(side), 2);
      page->add(std::move(row));
    } else {
      page->add(std::move(card));
    }

    switch (print_) {
      case Print::printing: page->add(std::make_unique<ui::Spinner>(app.tr("queue.printing"))); break;
      case Print::printed:
        page->add(std::make_unique<ui::Label>(app.tr("queue.printed"), ui::TextRole::body, palette.primary))->set_id("queue-printed");
        break;
      case Print::failed:
        if (portrait) add_print_failed(app, *page);
        page->add(std::make_unique<ui::Button>(app.tr("queue.print_again"), ui::ButtonKind::secondary, [this, &app] { print(app); }))
            ->set_id("queue-print-again");
        if (portrait) add_qr_view(app, *page, ticket_.ticket, qr_caption);
        break;
    }
    page->add(std::make_unique<ui::Button>(app.tr("queue.done"), ui::ButtonKind::primary, [&app] { app.end_session(); }))
        ->set_id("queue-done");
    page->add(std::make_unique<ui::Label>(app.tr("queue.listen"), ui::TextRole::body, palette.text_secondary));
    return scrolling(std::move(page), &scroll_);
  }

  void add_print_failed(AppContext& app, ui::Column& column) {
    column.add(std::make_unique<ui::Label>("⚠ " + app.strings().format("queue.print_failed", {print_error_}),
                                           ui::TextRole::body, app.theme().palette().warning))
        ->set_id("queue-print-failed");
  }

  // In landscape the code sits beside the number: sized by the panel's height, so both fit.
  static std::unique_ptr<ui::Widget> small_qr(AppContext& app, const std::string& payload) {
    auto code = receipt::encode_qr(payload);
    if (!code.ok()) return nullptr;
    std::vector<bool> modules(code.value().modules.begin(), code.value().modules.end());
    auto view = ui::QrView::create(code.value().size, std::move(modules), app.theme().display().height / 3);
    if (!view.ok()) return nullptr;
    return view.release_value();
  }

  receipt::Receipt slip(AppContext& app) const {
    receipt::Receipt slip;
    // The number is what matters on the slip: it is the title, the biggest line.
    slip.title = app.strings().format("queue.slip_title", {ticket_.ticket});
    slip.subtitle = hall(app);
    slip.fields.push_back({app.tr("queue.slip_category"), category_name(app)});
    if (priority_ != Priority::none) slip.fields.push_back({app.tr("queue.slip_kind"), kind_words(app)});
    slip.fields.push_back({app.tr("queue.slip_waiting"), app.strings().format("queue.slip_people", {std::to_string(ticket_.waiting)})});
    slip.fields.push_back({app.tr("queue.slip_estimate"),
                           app.strings().format("queue.slip_minutes", {std::to_string(ticket_.estimated_wait_min)})});
    const std::string issued = ticket_.issued_at.empty() ? rfc3339(std::time(nullptr), app.time_zone()) : ticket_.issued_at;
    slip.fields.push_back({app.tr("queue.slip_time"), display_time(issued, app.time_zone())});
    slip.qr_payload = ticket_.ticket;
    slip.qr_caption = app.strings().format("queue.slip_qr", {ticket_.ticket});
    slip.footer = {app.tr("queue.listen"), app.tr("queue.slip_today")};
    return slip;
  }

  void print(AppContext& app) {
    print_ = Print::printing;
    std::weak_ptr<int> alive = alive_;
    print_receipt(app, slip(app), cancel_, [this, &app, alive](const std::string& failure) {
      if (alive.expired()) return;
      print_ = failure.empty() ? Print::printed : Print::failed;
      print_error_ = failure;
      if (failure.empty()) report_print(app);
      app.rebuild();
    });
  }

  // Every printed ticket is reported (POST /api/v1/prints through the outbox, so also later).
  void report_print(AppContext& app) {
    platform::Channel* channel = app.platform();
    if (!channel || !channel->configured()) return;
    app.run_in_background(
        [channel, body = queue_print_report(rfc3339(std::time(nullptr), app.time_zone()))] {
          auto entry = channel->submit(outbox::Kind::print_report, body);
          if (!entry) log::warning("queue", "print report not committed: " + entry.error().message);
        },
        [] {});
  }

  Step step_ = Step::categories;
  std::string category_;
  Priority priority_ = Priority::none;
  std::string key_;
  platform::Ticket ticket_;
  Failure failure_ = Failure::offline;
  std::string detail_;
  Print print_ = Print::printing;
  std::string print_error_;
  CancelToken cancel_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_queue_screen() { return std::make_unique<QueueScreen>(); }

}  // namespace screens
