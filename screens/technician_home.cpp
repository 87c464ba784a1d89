// Technician mode's home (docs/technician.md): a tile per page and 退出. Also what every technician
// page shares: the header with its way back, buttons that count as activity, and the exit after
// kTechnicianIdleMs untouched — audited, like the exit by 退出.
#include "kiosk/core/log.h"
#include "kiosk/ops/operations.h"
#include "screens/common.h"
#include "screens/technician.h"

namespace screens {

using namespace kiosk;

namespace {

void audit_exit(ops::Operations* operations, const std::string& reason) {
  if (!operations) return;
  auto written = operations->audit("technician_exit", {{"reason", reason}});
  if (!written.ok()) log::warning("technician", "audit: " + written.error().message);
}

}  // namespace

TechnicianVisit::~TechnicianVisit() {
  // The last page went without leave(): the app closed, or a keyboard's Esc left the pages.
  if (!ended) audit_exit(operations, "closed");
}

void leave_technician_mode(AppContext& app, TechnicianVisit& visit, const std::string& reason) {
  if (visit.ended) return;
  visit.ended = true;
  log::info("technician", "technician mode left (" + reason + ")");
  audit_exit(visit.operations, reason);
  app.end_session();
}

std::optional<Milliseconds> TechnicianScreen::wake_at() const {
  const Milliseconds idle = visit_->last_activity + kTechnicianIdleMs;
  const auto page = page_wake_at();
  return page ? std::min(*page, idle) : idle;
}

void TechnicianScreen::on_time(AppContext& app) {
  if (app.now() >= visit_->last_activity + kTechnicianIdleMs) {
    leave_technician_mode(app, *visit_, "idle");
    return;
  }
  if (auto due = page_wake_at(); due && app.now() >= *due) page_time(app);
}

std::unique_ptr<ui::Button> TechnicianScreen::button(AppContext& app, const std::string& text, ui::ButtonKind kind,
                                                     std::function<void()> on_tap, const std::string& detail) {
  return std::make_unique<ui::Button>(
      text, kind,
      [this, &app, on_tap = std::move(on_tap)] {
        touched(app);
        if (on_tap) on_tap();
      },
      detail);
}

std::unique_ptr<ui::Widget> TechnicianScreen::frame(AppContext& app, std::unique_ptr<ui::Widget> body) {
  const ui::Theme& theme = app.theme();
  const ui::Palette& palette = theme.palette();
  const bool home = name() == "technician";
  auto row = std::make_unique<ui::Row>(theme.spacing());
  row->add(std::make_unique<ui::Label>(title(app), ui::TextRole::title, palette.on_header, ui::Align::start, 2), 5);
  std::unique_ptr<ui::Button> way_out;
  if (home) {
    way_out = button(app, app.tr("tech.exit"), ui::ButtonKind::header, [this, &app] { leave_technician_mode(app, *visit_, "exit"); });
    way_out->set_id("tech-exit");
  } else {
    way_out = button(app, app.tr("tech.back"), ui::ButtonKind::header, [this, &app] { app.back_to(back_target()); });
    way_out->set_id("tech-back");
  }
  row->add(std::move(way_out), 2);
  auto page = std::make_unique<ui::FlexColumn>();
  page->set_background(palette.background);
  page->add(std::make_unique<ui::Panel>(std::move(row), palette.header, theme.spacing(), theme.spacing()));
  page->add(std::move(body), 1);
  return page;
}

namespace {

class HomeScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician"; }
  std::string title(AppContext& app) const override { return app.tr("tech.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.strings().format("tech.home.terminal", {app.config().terminal_id}),
                                          ui::TextRole::body, theme.palette().text_secondary));
    struct Tile {
      const char* id;
      const char* key;
      bool needs_operations;
      std::unique_ptr<Screen> (*make)(std::shared_ptr<TechnicianVisit>);
    };
    const Tile tiles[] = {
        {"devices", "tech.devices", true, make_technician_devices_screen},
        {"network", "tech.network", true, make_technician_network_screen},
        {"outbox", "tech.outbox", true, make_technician_outbox_screen},
        {"logs", "tech.logs", true, make_technician_logs_screen},
        {"bundle", "tech.bundle", true, make_technician_bundle_screen},
        {"touch", "tech.touch", false, make_technician_touch_screen},
        {"patterns", "tech.patterns", false, make_technician_patterns_screen},
        {"audio", "tech.audio", false, make_technician_audio_screen},
    };
    if (!operations()) {
      page->add(std::make_unique<ui::Label>(app.tr("tech.home.no_operations"), ui::TextRole::body))->set_id("tech-no-operations");
    }
    const int columns = tiles_per_row(app);
    std::unique_ptr<ui::Row> row;
    int in_row = 0;
    for (const Tile& tile : tiles) {
      if (tile.needs_operations && !operations()) continue;
      if (!row) row = std::make_unique<ui::Row>(theme.spacing());
      auto make = tile.make;
      row->add(button(app, app.tr(std::string(tile.key) + ".title"), ui::ButtonKind::tile,
                      [this, &app, make] { app.push(make(visit_)); }, app.tr(std::string(tile.key) + ".detail")))
          ->set_id(std::string("tech-") + tile.id);
      if (++in_row == columns) {
        page->add(std::move(row));
        in_row = 0;
      }
    }
    if (row) {
      while (in_row++ < columns) row->add(std::make_unique<ui::Spacer>(0));
      page->add(std::move(row));
    }
    page->add(std::make_unique<ui::Label>(app.tr("tech.home.idle"), ui::TextRole::caption, theme.palette().text_secondary));
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 private:
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_technician_home_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<HomeScreen>(std::move(visit));
}

}  // namespace screens
