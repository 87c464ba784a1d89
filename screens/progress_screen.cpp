// Progress query (办事进度查询), the way in: three big buttons — type the number, scan the
// receipt's QR code, read the ID card — each opening its own screen (progress_*_screen.cpp). Also
// what those screens share: the request on the platform channel and the failure pages.
#include "kiosk/core/log.h"
#include "kiosk/platform/channel.h"
#include "screens/progress.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class ProgressScreen final : public Screen {
 public:
  std::string name() const override { return "progress"; }
  std::string title(AppContext& app) const override { return app.tr("progress.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto page = make_page(app);
    auto* heading = page->add(std::make_unique<ui::Label>(app.tr("progress.choose"), ui::TextRole::title));
    heading->set_id("progress-choose");
    page->add(std::make_unique<ui::Label>(app.tr("progress.choose_detail"), ui::TextRole::body,
                                          app.theme().palette().text_secondary));
    struct Way {
      const char* key;
      const char* id;
      std::function<std::unique_ptr<Screen>()> open;
    };
    const Way ways[] = {{"progress.way.number", "way-number", make_progress_number_screen},
                        {"progress.way.qr", "way-qr", make_progress_scan_screen},
                        {"progress.way.card", "way-card", make_progress_card_screen}};
    // One big button a row on a portrait panel; side by side in landscape.
    const bool side_by_side = !app.theme().display().portrait();
    auto row = std::make_unique<ui::Row>(app.theme().spacing());
    for (const Way& way : ways) {
      auto button = std::make_unique<ui::Button>(app.tr(way.key), ui::ButtonKind::tile,
                                                 [&app, open = way.open] { app.push(open()); },
                                                 app.tr(std::string(way.key) + "_detail"));
      button->set_id(way.id);
      if (side_by_side) row->add(std::move(button));
      else page->add(std::move(button));
    }
    if (side_by_side) page->add(std::move(row));
    return scrolling(std::move(page), &scroll_);
  }

 private:
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_progress_screen() { return std::make_unique<ProgressScreen>(); }

void ProgressRequest::start(AppContext& app, platform::HttpRequest request, bool list,
                            std::function<void(platform::ProgressAnswer)> done) {
  cancel();
  platform::Channel* channel = app.platform();
  if (!channel || !channel->configured()) {
    platform::ProgressAnswer answer;
    answer.kind = platform::ProgressAnswer::Kind::unreachable;
    answer.staff_code = "no_platform";
    done(std::move(answer));
    return;
  }
  cancel_ = CancelToken();
  alive_ = std::make_shared<int>(0);
  std::weak_ptr<int> alive = alive_;
  auto work = app.begin_work();
  channel->call(std::move(request), cancel_,
                [alive, work, list, done = std::move(done)](platform::PlatformResult<platform::HttpResponse> answer) {
                  // On the channel's worker: read the answer here, finish on the UI thread.
                  auto read = std::make_shared<platform::ProgressAnswer>(list ? platform::read_case_list_answer(answer)
                                                                              : platform::read_case_answer(answer));
                  if (read->kind != platform::ProgressAnswer::Kind::found &&
                      read->kind != platform::ProgressAnswer::Kind::cancelled) {
                    // The code only: the path holds the number, the body of a query a name.
                    log::warning("progress", std::string(list ? "case query: " : "case: ") + read->staff_code);
                  }
                  work->finish([alive, read, done] {
                    if (alive.expired() || read->kind == platform::ProgressAnswer::Kind::cancelled) return;
                    done(std::move(*read));
                  });
                });
}

void ProgressRequest::cancel() {
  cancel_.cancel();
  alive_.reset();
}

ui::DialogButton other_way_button(AppContext& app) {
  return {app.tr("progress.other_way"), ui::ButtonKind::secondary, [&app] { app.back_to("progress"); }};
}

Outcome progress_failure(AppContext& app, const platform::ProgressAnswer& answer, std::function<void()> retry) {
  using Kind = platform::ProgressAnswer::Kind;
  const std::string staff = app.config().staff_location;
  const std::vector<std::string> elsewhere = {app.strings().format("progress.ask_staff", {staff}), app.tr("progress.phone")};
  Outcome o;
  o.staff_detail = "progress/" + answer.staff_code;
  switch (answer.kind) {
    case Kind::unreachable:
    case Kind::cancelled:
    case Kind::found:
    case Kind::not_found:
      o.id = "outcome-unreachable";
      o.title = app.tr("progress.unreachable.title");
      o.message = app.tr("progress.unreachable.message");
      o.still_possible = {app.tr("progress.later"), elsewhere[0], elsewhere[1]};
      o.buttons = {{app.tr("progress.try_again"), ui::ButtonKind::primary, std::move(retry)}, other_way_button(app)};
      break;
    case Kind::refused:
      o.id = "outcome-refused";
      o.title = app.tr("progress.refused.title");
      o.message = app.strings().format("progress.refused.message", {staff});
      o.still_possible = elsewhere;
      o.buttons = {other_way_button(app)};
      break;
    case Kind::bad_answer:
      o.id = "outcome-bad-answer";
      o.title = app.tr("progress.bad_answer.title");
      o.message = app.strings().format("progress.bad_answer.message", {staff});
      o.still_possible = elsewhere;
      o.buttons = {{app.tr("progress.try_again"), ui::ButtonKind::secondary, std::move(retry)}, other_way_button(app)};
      break;
  }
  return o;
}

std::string status_text(AppContext& app, const std::string& status) {
  static const char* const known[] = {"received", "accepted", "in_review", "awaiting_citizen",
                                      "approved", "rejected", "delivered", "withdrawn"};
  for (const char* name : known) {
    if (status == name) return app.tr(std::string("progress.status.") + name);
  }
  return app.tr("progress.status.unknown");
}

}  // namespace screens
