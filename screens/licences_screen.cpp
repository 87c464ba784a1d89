// Electronic licences (电子证照, journey 2): after the ID card and face (make_identify_screen), the
// citizen's licences from the platform; one opened is checked against its issuer's signature
// before anything of it is shown, previewed page by page, and printed on the certificate printer
// with the government-use watermark; each print is reported to the platform through the outbox.
//
// A document that fails the check (changed bytes, an issuer key the terminal does not know) is
// refused in plain words and never drawn or printed. Licence content is personal data: it lives
// only in this screen's state and its jobs, is never logged, and is wiped when the citizen leaves
// the document, leaves the screen, or the session ends.
#include <algorithm>
#include <ctime>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/licence/issuer_keys.h"
#include "kiosk/licence/pdf_document.h"
#include "kiosk/licence/watermark.h"
#include "kiosk/ops/operations.h"
#include "kiosk/platform/channel.h"
#include "kiosk/platform/messages.h"
#include "kiosk/ui/image_view.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

constexpr Milliseconds kListTimeout = 15000;
constexpr Milliseconds kDocumentTimeout = 20000;
constexpr Milliseconds kIssuersTimeout = 10000;
// A certificate printer takes a few seconds a page; CUPS itself gives up at its job_timeout_s.
constexpr auto kPrintTimeout = std::chrono::milliseconds(90000);

void wipe(platform::Licence& licence) {
  for (std::string* text : {&licence.id, &licence.type, &licence.name, &licence.issuer, &licence.number_masked,
                            &licence.issued_at, &licence.valid_until}) {
    secure_clear(*text);
  }
}

// An opened document: the platform's answer, then (once verified, on the worker) poppler's view of
// it. The PdfDocument is only ever used by jobs on the app's one worker.
struct OpenDocument {
  platform::LicenceDocument answer;
  std::unique_ptr<licence::PdfDocument> pdf;
  ~OpenDocument() {
    secure_clear(answer.pdf);
    secure_clear(answer.signature);
    secure_clear(answer.watermark);
  }
};

// What a job on the worker hands back to the UI thread.
struct PageJob {
  bool verified = false;  // the signature passed (an error after it is the PDF's, not forgery)
  std::optional<licence::LicenceError> error;
  std::shared_ptr<ui::Canvas> page;
  int page_count = 0;
};

struct PrintJob {
  std::optional<licence::LicenceError> prepare_error;       // the watermark could not be stamped on
  std::optional<hal::DeviceError> print_error;              // the printer said no
  std::optional<outbox::OutboxError> report_error;          // printed, but the report was not committed
};

class LicencesScreen final : public Screen {
 public:
  ~LicencesScreen() override {
    cancel_.cancel();
    operation_cancel_.cancel();
    close_document();
    for (platform::Licence& licence : licences_) wipe(licence);
  }

  std::string name() const override { return "licences"; }
  std::string title(AppContext& app) const override { return app.tr("licences.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    switch (step_) {
      case Step::intro: return build_intro(app);
      case Step::busy: return build_busy(app);
      case Step::list: return build_list(app);
      case Step::preview: return build_preview(app);
      case Step::printed: return build_printed(app);
      case Step::outcome: return make_outcome_page(app, outcome_, &scroll_);
    }
    return build_intro(app);
  }

 private:
  enum class Step { intro, busy, list, preview, printed, outcome };

  // --- Pages -----------------------------------------------------------------------------------

  std::unique_ptr<ui::Widget> build_intro(AppContext& app) {
    auto page = make_page(app);
    auto* heading = page->add(std::make_unique<ui::Label>(app.tr("licences.intro.heading"), ui::TextRole::title));
    heading->set_id("licences-intro");
    page->add(std::make_unique<ui::Label>(app.tr("licences.intro.message"), ui::TextRole::body));
    auto card = make_card(app, app.tr("licences.intro.needs_heading"));
    card->add(std::make_unique<ui::Label>("· " + app.tr("licences.intro.needs_card"), ui::TextRole::body));
    card->add(std::make_unique<ui::Label>("· " + app.tr("licences.intro.needs_face"), ui::TextRole::body));
    card->add(std::make_unique<ui::Label>("· " + app.tr("licences.intro.watermark"), ui::TextRole::body));
    page->add(std::move(card));
    if (!app.platform() || !app.platform()->configured()) {
      page->add(std::make_unique<ui::Label>(app.strings().format("licences.no_platform", {app.config().staff_location}),
                                            ui::TextRole::body))
          ->set_id("licences-no-platform");
    } else {
      page->add(std::make_unique<ui::Button>(app.tr("licences.start"), ui::ButtonKind::primary, [this, &app] { start(app); }))
          ->set_id("licences-start");
    }
    page->add(std::make_unique<ui::Button>(app.tr("journey.back"), ui::ButtonKind::secondary, [&app] { app.back(); }))
        ->set_id("licences-back");
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_busy(AppContext& app) {
    auto page = make_page(app);
    if (!busy_heading_.empty()) page->add(std::make_unique<ui::Label>(busy_heading_, ui::TextRole::title));
    page->add(std::make_unique<ui::Spinner>(busy_text_))->set_id("licences-busy");
    // Opening a licence can be abandoned (back to the list); loading the list leaves the screen.
    if (opening_) {
      page->add(std::make_unique<ui::Button>(app.tr("licences.back_to_list"), ui::ButtonKind::secondary,
                                             [this, &app] { back_to_list(app); }))
          ->set_id("licence-back-to-list");
    } else {
      page->add(std::make_unique<ui::Button>(app.tr("journey.cancel"), ui::ButtonKind::secondary, [&app] { app.back(); }))
          ->set_id("licences-cancel");
    }
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_list(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    add_step_header(app, *page, licence_flow(), JourneyStep::licence_choose);
    if (licences_.empty()) {
      auto* title = page->add(std::make_unique<ui::Label>(app.tr("licences.none.title"), ui::TextRole::title));
      title->set_id("licences-none");
      page->add(std::make_unique<ui::Label>(app.strings().format("licences.none.message", {app.config().staff_location}),
                                            ui::TextRole::body));
    } else {
      auto* title = page->add(std::make_unique<ui::Label>(app.tr("licences.list.heading"), ui::TextRole::title));
      title->set_id("licences-list");
      page->add(std::make_unique<ui::Label>(app.tr("licences.list.hint"), ui::TextRole::body, palette.text_secondary));
    }
    for (std::size_t i = 0; i < licences_.size(); ++i) {
      const platform::Licence& licence = licences_[i];
      // Three lines (a row shows no more): issuer, number, validity and prints left.
      std::string detail = app.strings().format("licences.detail.issuer", {licence.issuer}) + "\n" +
                           app.strings().format("licences.detail.number", {licence.number_masked}) + "\n" +
                           app.strings().format("licences.detail.valid", {valid_until(app, licence)});
      if (licence.print_limit > 0) {
        const int left = prints_left(licence);
        detail += " · " + (left > 0 ? app.strings().format("licences.detail.prints_left", {std::to_string(left)})
                                    : app.tr("licences.detail.no_prints_left"));
      }
      page->add(std::make_unique<ui::Button>(display_name(app, licence), ui::ButtonKind::row,
                                             [this, &app, i] { open(app, i); }, detail))
          ->set_id("licence-" + std::to_string(i));
    }
    page->add(std::make_unique<ui::Button>(app.tr("licences.finish"), ui::ButtonKind::secondary,
                                           [&app] { app.end_session(); }))
        ->set_id("licences-finish");
    page->add(std::make_unique<ui::Label>(app.tr("licences.take_card"), ui::TextRole::body, palette.text_secondary));
    return scrolling(std::move(page), &list_scroll_);
  }

  std::unique_ptr<ui::Widget> build_preview(AppContext& app) {
    const ui::Theme& theme = app.theme();
    const platform::Licence& licence = licences_[current_];
    auto page = make_page(app);
    // Portrait: name, the page, then the controls. Landscape: the page on the left at full height,
    // name and controls beside it.
    auto controls = std::make_unique<ui::Column>(theme.spacing());
    ui::Column& heading = theme.display().portrait() ? *page : *controls;
    add_step_header(app, heading, licence_flow(), JourneyStep::licence_view);
    heading.add(std::make_unique<ui::Label>(display_name(app, licence), ui::TextRole::title))->set_id("licence-title");
    heading.add(std::make_unique<ui::Label>(app.strings().format("licences.preview.verified", {licence.issuer}),
                                            ui::TextRole::body, theme.palette().primary))
        ->set_id("licence-verified");

    std::unique_ptr<ui::Widget> picture;
    if (rendering_ || !page_image_) {
      auto holder = std::make_unique<ui::Column>(theme.spacing());
      holder->add(std::make_unique<ui::Spinner>(app.tr("licences.rendering")))->set_id("licences-busy");
      picture = std::move(holder);
    } else {
      picture = std::make_unique<ui::ImageView>(page_image_, preview_height(app));
      picture->set_id("licence-page");
    }
    if (page_count_ > 1) {
      controls->add(std::make_unique<ui::Label>(
          app.strings().format("licences.preview.page", {std::to_string(page_index_ + 1), std::to_string(page_count_)}),
          ui::TextRole::body, std::nullopt, ui::Align::center))
          ->set_id("licence-page-number");
      auto paging = std::make_unique<ui::Row>(theme.spacing());
      auto* previous = paging->add(std::make_unique<ui::Button>(app.tr("licences.preview.previous"), ui::ButtonKind::secondary,
                                                                [this, &app] { show_page(app, page_index_ - 1); }));
      previous->set_id("licence-previous-page");
      previous->set_enabled(!rendering_ && page_index_ > 0);
      auto* next = paging->add(std::make_unique<ui::Button>(app.tr("licences.preview.next"), ui::ButtonKind::secondary,
                                                            [this, &app] { show_page(app, page_index_ + 1); }));
      next->set_id("licence-next-page");
      next->set_enabled(!rendering_ && page_index_ + 1 < page_count_);
      controls->add(std::move(paging));
    }
    // Print and back side by side, so both stay in view under the page on a portrait panel.
    std::unique_ptr<ui::Button> print_button = add_print_part(app, *controls, licence);
    auto to_list = std::make_unique<ui::Button>(app.tr("licences.back_to_list"), ui::ButtonKind::secondary,
                                                [this, &app] { back_to_list(app); });
    to_list->set_id("licence-back-to-list");
    to_list->set_enabled(!printing_);
    if (print_button) {
      auto actions = std::make_unique<ui::Row>(theme.spacing());
      actions->add(std::move(print_button));
      actions->add(std::move(to_list));
      controls->add(std::move(actions));
    } else {
      controls->add(std::move(to_list));
    }

    if (theme.display().portrait()) {
      page->add(std::move(picture));
      page->add(std::move(controls));
    } else {
      auto row = std::make_unique<ui::Row>(theme.spacing() * 2);
      row->add(std::move(picture), 2);
      row->add(std::move(controls), 3);
      page->add(std::move(row));
    }
    return scrolling(std::move(page), &preview_scroll_);
  }

  // The print's progress or its failure, prints left or why there are none; returns the print
  // button when printing is possible.
  std::unique_ptr<ui::Button> add_print_part(AppContext& app, ui::Column& controls, const platform::Licence& licence) {
    const ui::Palette& palette = app.theme().palette();
    const std::string staff = app.config().staff_location;
    if (printing_) {
      controls.add(std::make_unique<ui::Spinner>(app.tr("licences.printing")))->set_id("licences-printing");
      return nullptr;
    }
    // The failure was told in a dialog (print_failed); the page keeps one line of it by the button.
    if (!print_failure_.empty()) {
      controls.add(std::make_unique<ui::Label>(app.strings().format("licences.print_failed.line", {print_failure_}),
                                               ui::TextRole::body))
          ->set_id("licence-print-failed");
    }
    if (!app.devices().document_printer) {
      controls.add(std::make_unique<ui::Label>(app.strings().format("licences.print.no_printer", {staff}),
                                               ui::TextRole::body, palette.text_secondary))
          ->set_id("licence-no-printer");
      return nullptr;
    }
    if (licence.print_limit > 0 && prints_left(licence) <= 0) {
      controls.add(std::make_unique<ui::Label>(
                       app.strings().format("licences.print.limit_reached", {std::to_string(licence.print_limit), staff}),
                       ui::TextRole::body, palette.text_secondary))
          ->set_id("licence-no-prints-left");
      return nullptr;
    }
    if (licence.print_limit > 0) {
      controls.add(std::make_unique<ui::Label>(
                       app.strings().format("licences.print.limit_left", {std::to_string(prints_left(licence))}),
                       ui::TextRole::body))
          ->set_id("licence-prints-left");
    }
    auto print_button = std::make_unique<ui::Button>(
        app.tr(print_failure_.empty() ? "licences.print" : "licences.print_again"), ui::ButtonKind::primary,
        [this, &app] { print(app); }, app.tr("licences.print.detail"));
    print_button->set_id("licence-print");
    print_button->set_enabled(!rendering_ && page_image_ != nullptr);
    return print_button;
  }

  std::unique_ptr<ui::Widget> build_printed(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    add_step_header(app, *page, licence_flow(), JourneyStep::licence_view);
    page->add(make_status_symbol(app, Tone::success));
    page->add(std::make_unique<ui::Label>(app.tr("licences.printed.title"), ui::TextRole::title, std::nullopt, ui::Align::center))
        ->set_id("licence-printed");
    page->add(std::make_unique<ui::Label>(app.tr("licences.printed.message"), ui::TextRole::body));
    if (current_ < licences_.size() && licences_[current_].print_limit > 0) {
      const int left = prints_left(licences_[current_]);
      page->add(std::make_unique<ui::Label>(left > 0 ? app.strings().format("licences.print.limit_left", {std::to_string(left)})
                                                     : app.tr("licences.printed.last"),
                                            ui::TextRole::body))
          ->set_id("licence-prints-left");
    }
    page->add(std::make_unique<ui::Button>(app.tr("licences.another"), ui::ButtonKind::secondary,
                                           [this, &app] { back_to_list(app); }))
        ->set_id("licences-another");
    page->add(std::make_unique<ui::Button>(app.tr("licences.finish"), ui::ButtonKind::primary,
                                           [&app] { app.end_session(); }))
        ->set_id("licences-finish");
    page->add(std::make_unique<ui::Label>(app.tr("licences.take_card"), ui::TextRole::body, palette.text_secondary));
    return scrolling(std::move(page), &scroll_);
  }

  // --- Steps -----------------------------------------------------------------------------------

  // Through identification when the session has no verified citizen (it comes back here).
  void start(AppContext& app) {
    if (app.session().verified(app.now())) {
      load_list(app);
      return;
    }
    std::weak_ptr<int> alive = alive_;
    app.push(make_identify_screen(licence_flow(), [this, alive](AppContext& context) {
      if (!alive.expired()) load_list(context);
    }));
  }

  void busy(AppContext& app, std::string heading, std::string text) {
    step_ = Step::busy;
    busy_heading_ = std::move(heading);
    busy_text_ = std::move(text);
    scroll_ = {};
    app.rebuild();
  }

  platform::HttpRequest request(AppContext& app, std::string path, Milliseconds timeout) {
    platform::HttpRequest request;
    request.method = "POST";
    request.path = std::move(path);
    request.headers["Content-Type"] = "application/json";
    request.body = nlohmann::json{{"identity_token", app.session().identity_token}}.dump();
    request.timeout = timeout;
    return request;
  }

  void load_list(AppContext& app) {
    platform::Channel* channel = app.platform();
    retry_ = [this, &app] { load_list(app); };
    if (!channel || !channel->configured()) {
      fail(app, Failure::unreachable, "no_platform");
      return;
    }
    opening_ = false;
    busy(app, "", app.tr("licences.loading"));
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    channel->call(request(app, "/api/v1/licences/query", kListTimeout), cancel_,
                  [this, context, alive, work](platform::PlatformResult<platform::HttpResponse> answer) {
                    auto list = std::make_shared<std::optional<std::vector<platform::Licence>>>();
                    std::optional<platform::PlatformError> error;
                    if (answer.ok()) {
                      auto parsed = platform::parse_licence_list(answer.value().body);
                      if (parsed.ok()) list->emplace(parsed.release_value());
                      secure_clear(answer.value().body);
                    } else {
                      error = answer.error();
                    }
                    work->finish([this, context, alive, list, error] {
                      if (alive.expired()) {
                        if (*list) for (auto& licence : **list) wipe(licence);
                        return;
                      }
                      if (!*list) {
                        failed_call(*context, error, "licence list", [this, context] { load_list(*context); });
                        return;
                      }
                      for (auto& licence : licences_) wipe(licence);
                      licences_ = std::move(**list);
                      step_ = Step::list;
                      list_scroll_ = {};
                      log::info("licences", "listed " + std::to_string(licences_.size()) + " licences");
                      context->rebuild();
                    });
                  });
  }

  // Fetches the document, then (if its issuer key is new to the terminal) the issuers, then checks
  // and draws it on the worker.
  void open(AppContext& app, std::size_t index) {
    platform::Channel* channel = app.platform();
    if (index >= licences_.size() || !channel) return;
    close_document();
    current_ = index;
    const std::string& id = licences_[index].id;
    // The id goes into the request path: anything but [A-Za-z0-9_-] is not a licence id.
    const bool plain = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    if (!plain) {
      fail(app, Failure::not_found, "bad_licence_id");
      return;
    }
    new_operation();
    opening_ = true;
    print_failure_.clear();
    print_failure_code_.clear();
    busy(app, display_name(app, licences_[index]), app.tr("licences.opening"));
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    const int operation = operation_;
    channel->call(request(app, "/api/v1/licences/" + id + "/document", kDocumentTimeout), operation_cancel_,
                  [this, context, alive, work, index, operation](platform::PlatformResult<platform::HttpResponse> answer) {
                    auto document = std::make_shared<OpenDocument>();
                    std::optional<platform::PlatformError> error;
                    bool parsed = false;
                    if (answer.ok()) {
                      auto read = platform::parse_licence_document(answer.value().body);
                      if (read.ok()) {
                        document->answer = read.release_value();
                        parsed = true;
                      }
                      secure_clear(answer.value().body);
                    } else {
                      error = answer.error();
                    }
                    work->finish([this, context, alive, document, error, parsed, index, operation] {
                      if (alive.expired() || operation != operation_) return;
                      if (!parsed) {
                        if (!error) log::warning("licences", "document: unreadable answer");
                        failed_call(*context, error, "document", [this, context, index] { open(*context, index); },
                                    /*opening=*/true);
                        return;
                      }
                      with_issuer_keys(*context, document);
                    });
                  });
  }

  // The issuer keys are fetched once for the app's life, and again when a document names a key
  // the terminal does not have yet (a new issuer, a rotated key) — once per document.
  void with_issuer_keys(AppContext& app, std::shared_ptr<OpenDocument> document) {
    licence::IssuerKeys& keys = issuer_keys(app);
    platform::Channel* channel = app.platform();
    if (keys.knows(document->answer.issuer_key_id) || !channel) {
      check_and_draw(app, std::move(document));
      return;
    }
    busy_text_ = app.tr("licences.checking");
    app.rebuild();
    platform::HttpRequest request;
    request.method = "GET";
    request.path = "/api/v1/issuers";
    request.timeout = kIssuersTimeout;
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    licence::IssuerKeys* store = &keys;
    const int operation = operation_;
    channel->call(std::move(request), operation_cancel_,
                  [this, context, alive, work, document, store, operation](platform::PlatformResult<platform::HttpResponse> answer) {
                    std::optional<platform::PlatformError> error;
                    bool fetched = false;
                    if (answer.ok()) {
                      auto issuers = platform::parse_issuers(answer.value().body);
                      if (issuers.ok()) {
                        store->replace(issuers.release_value());
                        fetched = true;
                      } else {
                        log::warning("licences", "issuers: " + issuers.error().message);
                      }
                    } else {
                      error = answer.error();
                    }
                    work->finish([this, context, alive, document, error, fetched, operation] {
                      if (alive.expired() || operation != operation_) return;
                      // Without the document's key nothing can be checked: "try again", not "forged".
                      if (!fetched) {
                        const std::size_t index = current_;
                        failed_call(*context, error, "issuers", [this, context, index] { open(*context, index); },
                                    /*opening=*/true);
                        return;
                      }
                      check_and_draw(*context, document);
                    });
                  });
  }

  // On the worker: the signature first; only a document that passes is opened and drawn.
  void check_and_draw(AppContext& app, std::shared_ptr<OpenDocument> document) {
    busy_text_ = app.tr("licences.checking");
    app.rebuild();
    licence::IssuerKeys* keys = &issuer_keys(app);
    auto result = std::make_shared<PageJob>();
    const auto [width, height] = preview_size(app);
    std::weak_ptr<int> alive = alive_;
    const int operation = operation_;
    app.run_in_background(
        [keys, document, result, width, height] {
          if (auto verdict = keys->verify(document->answer); !verdict.ok()) {
            result->error = verdict.error();
            return;
          }
          result->verified = true;
          auto pdf = licence::PdfDocument::open(document->answer.pdf);
          if (!pdf.ok()) {
            result->error = pdf.error();
            return;
          }
          document->pdf = pdf.release_value();
          secure_clear(document->answer.pdf);  // the PdfDocument keeps its own copy: one is enough
          result->page_count = document->pdf->page_count();
          auto page = document->pdf->render_page(0, width, height);
          if (!page.ok()) {
            result->error = page.error();
            return;
          }
          result->page = page.release_value();
        },
        [this, &app, alive, document, result, operation] {
          if (alive.expired() || operation != operation_) {
            if (result->page) licence::wipe(*result->page);
            return;
          }
          opening_ = false;
          if (result->error) {
            refuse(app, *result->error, result->verified);
            return;
          }
          log::info("licences", "document verified and shown");
          document_ = document;
          page_image_ = result->page;
          page_count_ = result->page_count;
          page_index_ = 0;
          rendering_ = false;
          step_ = Step::preview;
          preview_scroll_ = {};
          app.rebuild();
        });
  }

  void show_page(AppContext& app, int index) {
    if (!document_ || !document_->pdf || rendering_ || index < 0 || index >= page_count_) return;
    rendering_ = true;
    app.rebuild();
    auto document = document_;
    auto result = std::make_shared<PageJob>();
    const auto [width, height] = preview_size(app);
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [document, result, index, width, height] {
          auto page = document->pdf->render_page(index, width, height);
          if (page.ok()) {
            result->page = page.release_value();
          } else {
            result->error = page.error();
          }
        },
        [this, &app, alive, document, result, index] {
          if (alive.expired() || document != document_) {
            if (result->page) licence::wipe(*result->page);
            return;
          }
          rendering_ = false;
          if (result->error) {
            log::warning("licences", std::string("page: ") + licence::to_string(result->error->kind));
            fail(app, Failure::unreadable, licence::to_string(result->error->kind));
            return;
          }
          if (page_image_) licence::wipe(*page_image_);
          page_image_ = result->page;
          page_index_ = index;
          app.rebuild();
        });
  }

  // Stamps the watermark on, prints, and reports the print, all on the worker. The report is
  // committed to the outbox (durable) before the screen says it printed; it reaches the platform
  // whenever the network allows.
  void print(AppContext& app) {
    hal::DocumentPrinter* printer = app.devices().document_printer.get();
    if (!printer || !document_ || !document_->pdf || printing_ || current_ >= licences_.size()) return;
    printing_ = true;
    print_failure_.clear();
    print_failure_code_.clear();
    app.rebuild();
    auto document = document_;
    auto result = std::make_shared<PrintJob>();
    platform::Channel* channel = app.platform();
    const std::string licence_id = licences_[current_].id;
    CancelToken cancel = cancel_;
    std::weak_ptr<int> alive = alive_;
    ops::Operations* operations = app.services().operations;
    app.run_in_background(
        [document, result, printer, channel, licence_id, cancel, operations, zone = app.time_zone()] {
          auto stamped = licence::stamp_watermark(*document->pdf, document->answer.watermark, cancel);
          if (!stamped.ok()) {
            result->prepare_error = stamped.error();
            return;
          }
          hal::PrintDocument job;
          job.title = "licence";  // reaches CUPS's spool and logs: never the licence's name
          job.pdf = stamped.release_value();
          auto printed = printer->print(job, cancel, kPrintTimeout);
          secure_clear(job.pdf);
          if (!printed.ok()) {
            result->print_error = printed.error();
            return;
          }
          // The audit trail records that a licence was printed, not whose or which.
          if (operations) (void)operations->audit("licence_print", {{"copies", 1}});
          if (!channel) return;
          const nlohmann::json report = {{"kind", "licence"},
                                         {"licence_id", licence_id},
                                         {"copies", 1},
                                         {"printed_at", rfc3339(std::time(nullptr), zone)}};
          auto committed = channel->submit(outbox::Kind::print_report, report);
          if (!committed.ok()) result->report_error = committed.error();
        },
        [this, &app, alive, document, result] {
          if (alive.expired()) return;
          printing_ = false;
          if (result->prepare_error) {
            log::error("licences", "watermark: " + result->prepare_error->message);
            print_failure_ = app.tr("licences.print_error.prepare");
            print_failure_staff_ = true;
            print_failure_code_ = std::string("watermark_") + licence::to_string(result->prepare_error->kind);
            print_failed(app);
            return;
          }
          if (result->print_error) {
            log::warning("licences", "print: " + std::string(hal::to_string(result->print_error->code)) + ": " +
                                         result->print_error->message);
            print_failure_ = print_error_text(app, result->print_error->code, print_failure_staff_);
            print_failure_code_ = std::string("print_") + hal::to_string(result->print_error->code);
            print_failed(app);
            return;
          }
          if (result->report_error) {
            // The paper is out: the citizen has the print. Staff see the missing report in the log.
            log::error("licences", "print report not committed: " + result->report_error->message);
          }
          log::info("licences", "licence printed");
          if (current_ < licences_.size()) ++licences_[current_].printed;
          step_ = Step::printed;
          scroll_ = {};
          app.rebuild();
        });
  }

  // Says why nothing was printed in a dialog (wherever the page is scrolled, it is seen), with
  // "print again" and "close".
  void print_failed(AppContext& app) {
    std::string message = print_failure_;
    if (print_failure_staff_) {
      message += "\n" + app.strings().format("licences.print_error.staff", {app.config().staff_location});
    }
    message += "\n" + app.tr("licences.print_failed.not_counted");
    log::info("licences", "print failed: " + print_failure_code_);  // the code is for technicians, not the dialog
    app.show_dialog(app.tr("licences.print_failed.title"), message,
                    {{app.tr("licences.print_again"), ui::ButtonKind::primary,
                      [this, &app] {
                        app.close_dialog();
                        print(app);
                      }},
                     {app.tr("licences.close"), ui::ButtonKind::secondary, [&app] { app.close_dialog(); }}});
    app.rebuild();
  }

  // What went wrong, in plain words; `staff` says whether staff must help (not for a busy printer).
  static std::string print_error_text(AppContext& app, hal::DeviceErrorCode code, bool& staff) {
    std::string key = "licences.print_error.other";
    staff = true;
    switch (code) {
      case hal::DeviceErrorCode::paper_out: key = "licences.print_error.paper_out"; break;
      case hal::DeviceErrorCode::cover_open: key = "licences.print_error.cover_open"; break;
      case hal::DeviceErrorCode::hardware: key = "licences.print_error.jam"; break;
      case hal::DeviceErrorCode::offline:
      case hal::DeviceErrorCode::no_device: key = "licences.print_error.offline"; break;
      case hal::DeviceErrorCode::timeout: key = "licences.print_error.timeout"; break;
      case hal::DeviceErrorCode::busy:
        key = "licences.print_error.busy";
        staff = false;
        break;
      default: break;
    }
    return app.tr(key);
  }

  void back_to_list(AppContext& app) {
    new_operation();  // whatever was being opened is abandoned
    opening_ = false;
    close_document();
    step_ = Step::list;
    app.rebuild();
  }

  // A new open (or none): requests of the one before are cancelled and their answers ignored.
  void new_operation() {
    operation_cancel_.cancel();
    operation_cancel_ = CancelToken();
    ++operation_;
  }

  // Forgets the open document: its bytes, poppler's copy and the drawn page.
  void close_document() {
    if (page_image_) licence::wipe(*page_image_);
    page_image_.reset();
    document_.reset();  // a job still holding it drops it when done; its destructor wipes
    page_count_ = 0;
    page_index_ = 0;
    rendering_ = false;
  }

  // --- Failures --------------------------------------------------------------------------------

  enum class Failure { unreachable, token_expired, not_found, open_failed, refused_signature, refused_issuer, unreadable };

  // A platform call that failed: the token ran out (validation_failed on identity_token), the
  // licence is gone, or the platform could not be reached.
  void failed_call(AppContext& app, const std::optional<platform::PlatformError>& error, const std::string& what,
                   std::function<void()> retry, bool opening = false) {
    if (error) log::warning("licences", what + ": " + error->describe());
    retry_ = std::move(retry);
    if (error && error->kind == platform::PlatformErrorKind::http && error->code == "validation_failed") {
      fail(app, Failure::token_expired, error->code);
    } else if (error && error->kind == platform::PlatformErrorKind::http && error->status == 404) {
      fail(app, Failure::not_found, "not_found");
    } else if (!error) {
      fail(app, opening ? Failure::open_failed : Failure::unreachable, "bad_answer");
    } else {
      fail(app, opening ? Failure::open_failed : Failure::unreachable,
           error->code.empty() ? platform::to_string(error->kind) : error->code);
    }
  }

  // A document that did not pass: refused, never shown. A PDF that passed but does not open is
  // the issuer's fault, not forgery: said differently.
  void refuse(AppContext& app, const licence::LicenceError& error, bool verified) {
    log::warning("licences", std::string(verified ? "document unreadable: " : "document refused: ") +
                                 licence::to_string(error.kind) + ": " + error.message);
    if (verified) {
      fail(app, Failure::unreadable, std::string("pdf_") + licence::to_string(error.kind));
      return;
    }
    switch (error.kind) {
      case licence::LicenceErrorKind::unknown_issuer: fail(app, Failure::refused_issuer, "unknown_issuer"); break;
      case licence::LicenceErrorKind::bad_signature: fail(app, Failure::refused_signature, "bad_signature"); break;
      // A signature or key that does not parse is as bad as one that does not match.
      default: fail(app, Failure::refused_signature, std::string("signature_") + licence::to_string(error.kind)); break;
    }
  }

  void fail(AppContext& app, Failure failure, std::string code) {
    close_document();
    opening_ = false;
    const std::string staff = app.config().staff_location;
    ui::DialogButton to_list{app.tr("licences.back_to_list"), ui::ButtonKind::secondary, [this, &app] { back_to_list(app); }};
    ui::DialogButton finish{app.tr("licences.finish"), ui::ButtonKind::secondary, [&app] { app.end_session(); }};
    ui::DialogButton retry{app.tr("licences.try_again"), ui::ButtonKind::primary, [this] {
                             if (retry_) retry_();
                           }};
    std::vector<std::string> elsewhere = {app.strings().format("journey.counter", {staff})};
    Outcome o;
    switch (failure) {
      case Failure::unreachable:
        o = {"outcome-licences-unreachable", app.tr("licences.unreachable.title"),
             app.tr("licences.unreachable.message"), {app.tr("journey.later"), elsewhere[0]}, code, {retry, finish}};
        break;
      case Failure::token_expired:
        o = {"outcome-licences-verify-again", app.tr("licences.token_expired.title"),
             app.tr("licences.token_expired.message"), {}, code,
             {{app.tr("licences.verify_again"), ui::ButtonKind::primary,
               [this, &app] {
                 app.session().identity_token.clear();
                 app.session().identity_expires_at = 0;
                 start(app);
               }},
              finish}};
        break;
      case Failure::not_found:
        o = {"outcome-licence-not-found", app.tr("licences.not_found.title"),
             app.strings().format("licences.not_found.message", {staff}), {}, code, {to_list, finish}};
        break;
      case Failure::open_failed:
        o = {"outcome-licence-open-failed", app.tr("licences.open_failed.title"),
             app.strings().format("licences.open_failed.message", {staff}), {app.tr("journey.later"), elsewhere[0]},
             code, {retry, to_list}};
        break;
      case Failure::refused_signature:
        o = {"outcome-licence-refused", app.tr("licences.refused.title"),
             app.strings().format("licences.refused.message", {staff}), elsewhere, code, {to_list, finish}};
        break;
      case Failure::refused_issuer:
        o = {"outcome-licence-refused", app.tr("licences.refused.title"),
             app.strings().format("licences.refused.unknown_issuer", {staff}), elsewhere, code, {to_list, finish}};
        break;
      case Failure::unreadable:
        o = {"outcome-licence-unreadable", app.tr("licences.unreadable.title"),
             app.strings().format("licences.unreadable.message", {staff}), elsewhere, code, {to_list, finish}};
        break;
    }
    outcome_ = std::move(o);
    step_ = Step::outcome;
    scroll_ = {};
    app.rebuild();
  }

  // --- Helpers ---------------------------------------------------------------------------------

  licence::IssuerKeys& issuer_keys(AppContext& app) {
    if (app.services().issuer_keys) return *app.services().issuer_keys;
    if (!own_keys_) {
      own_crypto_ = crypto::make_crypto();
      own_keys_ = std::make_unique<licence::IssuerKeys>(*own_crypto_);
    }
    return *own_keys_;
  }

  // A licence named after its holder shows the holder's name masked, as every screen does.
  static std::string display_name(AppContext& app, const platform::Licence& licence) {
    const std::string name = licence.name.empty() ? licence.type : licence.name;
    const auto& card = app.session().identity;
    return card ? masking::mask_within(name, card->name, masking::PersonalKind::name) : name;
  }
  static std::string valid_until(AppContext& app, const platform::Licence& licence) {
    return licence.valid_until == "长期" ? app.tr("licences.detail.long_term") : licence.valid_until;
  }
  static int prints_left(const platform::Licence& licence) {
    return licence.print_limit > 0 ? std::max(0, licence.print_limit - licence.printed) : 1;
  }

  // The page's height on screen: most of the panel, leaving the title and (portrait) the buttons
  // in view; in landscape the controls sit beside it.
  static int preview_height(AppContext& app) {
    const ui::Display& display = app.theme().display();
    return display.portrait() ? display.height * (app.theme().elderly_mode() ? 30 : 52) / 100 : display.height * 62 / 100;
  }
  // What to draw at: the page's box on screen (the ImageView shrinks it, never enlarges it).
  static std::pair<int, int> preview_size(AppContext& app) {
    const ui::Display& display = app.theme().display();
    const int width = display.portrait() ? display.width : display.width * 2 / 5;
    return {width, preview_height(app)};
  }

  Step step_ = Step::intro;
  std::string busy_heading_;
  std::string busy_text_;
  std::vector<platform::Licence> licences_;
  std::size_t current_ = 0;
  std::shared_ptr<OpenDocument> document_;
  std::shared_ptr<ui::Canvas> page_image_;
  int page_count_ = 0;
  int page_index_ = 0;
  bool rendering_ = false;
  bool printing_ = false;
  std::string print_failure_;
  std::string print_failure_code_;
  bool print_failure_staff_ = false;
  Outcome outcome_;
  std::function<void()> retry_;
  std::unique_ptr<crypto::Crypto> own_crypto_;
  std::unique_ptr<licence::IssuerKeys> own_keys_;
  CancelToken cancel_;            // everything, when the screen goes
  CancelToken operation_cancel_;  // the licence being opened
  int operation_ = 0;
  bool opening_ = false;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
  ui::ScrollState list_scroll_;
  ui::ScrollState preview_scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_licences_screen() { return std::make_unique<LicencesScreen>(); }

}  // namespace screens
