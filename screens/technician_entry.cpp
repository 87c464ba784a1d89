// The way into technician mode (docs/technician.md): the attract screen's invisible corner held for
// five seconds, then a PIN pad. The PIN is checked on the worker (PBKDF2 with ~100k iterations
// would freeze the screen for a noticeable time) against the salted hash in the config; wrong PINs
// are counted by the PinGuard, which keeps the count and the lockout in a file across restarts.
// While locked the pad is disabled and no PIN is checked at all. Every attempt is audited; the
// digits are never logged, audited or kept after the check.
#include <chrono>
#include <ctime>

#include "kiosk/core/log.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/ops/operations.h"
#include "kiosk/ops/technician_pin.h"
#include "kiosk/ui/widget_tree.h"
#include "screens/common.h"
#include "screens/technician.h"

namespace screens {
namespace {

using namespace kiosk;

// The PIN pad and the "not set up" page go back to the attract screen by themselves after this
// long untouched: a technician called away must not leave them for the next citizen.
constexpr Milliseconds kEntryIdleMs = 60 * 1000;
constexpr std::size_t kMaxPinDigits = 12;
constexpr std::size_t kMinPinDigits = 6;

// The invisible corner: draws nothing, keeps its finger (a PointerCapture is not a tap of the page
// under it) and tells the attract screen when it went down; the screen's timer does the rest.
class HiddenCorner final : public ui::Widget, public ui::PointerCapture {
 public:
  HiddenCorner(std::shared_ptr<HoldGesture> hold, std::function<Milliseconds()> now, std::function<void()> on_short_tap)
      : hold_(std::move(hold)), now_(std::move(now)), on_short_tap_(std::move(on_short_tap)) {}
  // A tree rebuilt under the finger (the platform answering, a device event) forgets the finger
  // without pointer_up. The hold goes on regardless: ending it would make the gesture fail at
  // random, while the rare corner touch whose lift was lost only opens the PIN pad, which gives
  // up by itself after a minute; any other touch on the attract screen starts a session anyway.
  ~HiddenCorner() override = default;

  ui::Size measure(ui::UiContext&, int) override { return {kTechnicianCornerPx, kTechnicianCornerPx}; }
  void draw(ui::Canvas&, ui::UiContext&) override {}

  void pointer_down(ui::Point) override { hold_->pressed_at = now_(); }
  void pointer_move(ui::Point point) override {
    // A finger sliding off the corner is not holding it.
    if (!rect_.contains(point)) hold_->pressed_at.reset();
  }
  void pointer_up(ui::Point point) override {
    if (!hold_->pressed_at) return;  // the hold opened technician mode, or the finger slid off
    hold_->pressed_at.reset();
    // A short touch is a touch like anywhere else on the attract screen.
    if (rect_.contains(point) && on_short_tap_) on_short_tap_();
  }

 private:
  std::shared_ptr<HoldGesture> hold_;
  std::function<Milliseconds()> now_;
  std::function<void()> on_short_tap_;
};

// The page with the corner laid over its top-left.
class CornerLayer final : public ui::Widget {
 public:
  CornerLayer(std::unique_ptr<ui::Widget> page, std::unique_ptr<ui::Widget> corner) {
    add_child(std::move(page));
    add_child(std::move(corner));
  }
  ui::Size measure(ui::UiContext& context, int width) override { return children_.front()->measure(context, width); }
  void arrange(ui::UiContext& context, ui::Rect rect) override {
    rect_ = rect;
    children_[0]->arrange(context, rect);
    children_[1]->arrange(context, {rect.x, rect.y, kTechnicianCornerPx, kTechnicianCornerPx});
  }
};

std::int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string clock_time(std::int64_t unix_ms, const TimeZone& zone) { return format_time(unix_ms / 1000, "%H:%M", zone); }

void audit(AppContext& app, const std::string& event, const nlohmann::json& detail) {
  ops::Operations* operations = app.services().operations;
  if (!operations) return;
  auto written = operations->audit(event, detail);
  if (!written.ok()) log::warning("technician", "audit: " + written.error().message);
}

// No PIN hash, no guard or no crypto: technician mode cannot be entered at this terminal.
class UnavailableScreen final : public Screen {
 public:
  std::string name() const override { return "technician-unavailable"; }
  std::string title(AppContext& app) const override { return app.tr("tech.unavailable.title"); }
  bool has_chrome() const override { return false; }
  bool in_session() const override { return false; }
  std::optional<Milliseconds> wake_at() const override { return opened_at_ ? std::optional(*opened_at_ + kEntryIdleMs) : std::nullopt; }
  void on_time(AppContext& app) override {
    if (opened_at_ && app.now() >= *opened_at_ + kEntryIdleMs) app.end_session();
  }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!opened_at_) opened_at_ = app.now();
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.tr("tech.unavailable.title"), ui::TextRole::title))->set_id("tech-unavailable");
    page->add(std::make_unique<ui::Label>(app.tr("tech.unavailable.message"), ui::TextRole::body));
    page->add(std::make_unique<ui::Label>(app.tr("tech.unavailable.ssh"), ui::TextRole::body,
                                          app.theme().palette().text_secondary));
    page->add(std::make_unique<ui::Button>(app.tr("tech.unavailable.back"), ui::ButtonKind::primary, [&app] { app.end_session(); }))
        ->set_id("tech-unavailable-back");
    auto body = std::make_unique<ui::FlexColumn>();
    body->set_background(app.theme().palette().background);
    body->add(scrolling(std::move(page), &scroll_), 1);
    return body;
  }

 private:
  std::optional<Milliseconds> opened_at_;
  ui::ScrollState scroll_;
};

class PinScreen final : public Screen {
 public:
  ~PinScreen() override { secure_clear(pin_); }

  std::string name() const override { return "technician-pin"; }
  std::string title(AppContext& app) const override { return app.tr("tech.pin.title"); }
  bool has_chrome() const override { return false; }
  bool in_session() const override { return false; }

  std::optional<Milliseconds> wake_at() const override {
    if (!opened_at_) return std::nullopt;
    Milliseconds due = last_touch_ + kEntryIdleMs;
    // The pad opens again by itself when the lockout ends.
    if (locked_until_) due = std::min(due, app_time(*locked_until_));
    return due;
  }
  void on_time(AppContext& app) override {
    if (app.now() >= last_touch_ + kEntryIdleMs && !checking_) {
      app.end_session();
      return;
    }
    if (locked_until_ && !app.services().pin_guard->locked_until(wall_ms(app))) {
      locked_until_.reset();
      message_.clear();
      app.rebuild();
    }
  }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!opened_at_) open(app);
    const ui::Theme& theme = app.theme();
    const bool portrait = theme.display().portrait();

    auto texts = std::make_unique<ui::Column>(theme.spacing());
    texts->add(std::make_unique<ui::Label>(app.tr("tech.pin.title"), ui::TextRole::title))->set_id("tech-pin-title");
    texts->add(std::make_unique<ui::Label>(app.tr("tech.pin.prompt"), ui::TextRole::body, theme.palette().text_secondary));
    std::string dots;
    for (std::size_t i = 0; i < std::max(pin_.size(), kMinPinDigits); ++i) dots += i < pin_.size() ? "●" : "○";
    texts->add(std::make_unique<ui::Label>(dots, ui::TextRole::display, std::nullopt, ui::Align::center))->set_id("pin-dots");
    if (checking_) {
      texts->add(std::make_unique<ui::Spinner>(app.tr("tech.pin.checking")))->set_id("pin-checking");
    } else if (locked_until_) {
      texts->add(std::make_unique<ui::Label>(app.strings().format("tech.pin.locked", {clock_time(*locked_until_, app.time_zone())}),
                                             ui::TextRole::heading))
          ->set_id("pin-locked");
    } else if (!message_.empty()) {
      texts->add(std::make_unique<ui::Label>(message_, ui::TextRole::heading))->set_id("pin-message");
    }

    const bool enabled = !checking_ && !locked_until_;
    auto pad = std::make_unique<ui::Column>(theme.spacing());
    const ui::ButtonKind key_kind = portrait ? ui::ButtonKind::tile : ui::ButtonKind::secondary;
    const char* keys[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"", "0", ""}};
    for (int row_index = 0; row_index < 4; ++row_index) {
      auto row = std::make_unique<ui::Row>(theme.spacing());
      for (int column = 0; column < 3; ++column) {
        std::string digit = keys[row_index][column];
        std::unique_ptr<ui::Button> key;
        if (!digit.empty()) {
          key = std::make_unique<ui::Button>(digit, key_kind, [this, &app, digit] { press(app, digit); });
          key->set_id("pin-" + digit);
        } else if (column == 0) {
          key = std::make_unique<ui::Button>(app.tr("tech.pin.clear"), key_kind, [this, &app] { press(app, "clear"); });
          key->set_id("pin-clear");
        } else {
          key = std::make_unique<ui::Button>(app.tr("tech.pin.delete"), key_kind, [this, &app] { press(app, "\b"); });
          key->set_id("pin-delete");
        }
        key->set_enabled(enabled);
        row->add(std::move(key));
      }
      pad->add(std::move(row));
    }

    auto actions = std::make_unique<ui::Row>(theme.spacing());
    auto* ok = actions->add(std::make_unique<ui::Button>(app.tr("tech.pin.ok"), ui::ButtonKind::primary, [this, &app] { submit(app); }));
    ok->set_id("pin-ok");
    ok->set_enabled(enabled && pin_.size() >= kMinPinDigits);
    actions->add(std::make_unique<ui::Button>(app.tr("tech.pin.cancel"), ui::ButtonKind::secondary, [&app] { app.end_session(); }))
        ->set_id("pin-cancel");

    auto page = make_page(app);
    if (portrait) {
      page->add(std::move(texts));
      page->add(std::move(pad));
      page->add(std::move(actions));
    } else {
      // Landscape: what is typed and said on the left, the pad on the right, both in view.
      texts->add(std::move(actions));
      auto columns = std::make_unique<ui::Row>(theme.padding());
      columns->add(std::move(texts), 1);
      columns->add(std::move(pad), 1);
      page->add(std::move(columns));
    }
    auto body = std::make_unique<ui::FlexColumn>();
    body->set_background(theme.palette().background);
    body->add(scrolling(std::move(page), &scroll_), 1);
    return body;
  }

  void on_text(AppContext& app, const std::string& text) override {
    // A physical keyboard (a technician's USB keyboard) types digits too.
    for (char c : text) {
      if (c >= '0' && c <= '9') press(app, std::string(1, c));
      else if (c == '\b') press(app, "\b");
      else if (c == '\n') submit(app);
    }
  }

 private:
  // Unix ms as the PinGuard counts them, following the app's clock (virtual in scripts) from the
  // wall time when the screen opened.
  std::int64_t wall_ms(AppContext& app) const { return wall_base_ + (app.now() - app_base_); }
  Milliseconds app_time(std::int64_t unix_ms) const { return app_base_ + (unix_ms - wall_base_); }

  void open(AppContext& app) {
    opened_at_ = app.now();
    last_touch_ = app.now();
    wall_base_ = system_ms();
    app_base_ = app.now();
    if (auto until = app.services().pin_guard->locked_until(wall_ms(app))) {
      locked_until_ = *until;
      audit(app, "technician_entry", {{"result", "locked"}});
    }
  }

  void press(AppContext& app, const std::string& key) {
    last_touch_ = app.now();
    if (checking_ || locked_until_) return;
    if (key == "clear") secure_clear(pin_);
    else if (key == "\b") {
      if (!pin_.empty()) pin_.pop_back();
    } else if (pin_.size() < kMaxPinDigits) {
      pin_ += key;
    }
    message_.clear();
    app.rebuild();
  }

  void submit(AppContext& app) {
    last_touch_ = app.now();
    if (checking_ || locked_until_ || pin_.size() < kMinPinDigits) return;
    ops::PinGuard* guard = app.services().pin_guard;
    // Locked (by another visit, or since the screen opened): no PIN is checked at all.
    if (auto until = guard->locked_until(wall_ms(app))) {
      locked_until_ = *until;
      secure_clear(pin_);
      audit(app, "technician_entry", {{"result", "locked"}});
      app.rebuild();
      return;
    }
    checking_ = true;
    auto pin = std::make_shared<std::string>(std::move(pin_));
    secure_clear(pin_);
    auto result = std::make_shared<std::optional<Result<bool>>>();
    crypto::Crypto* crypto = app.services().crypto;
    const std::string hash = app.config().technician.pin_hash;
    const std::int64_t wall_base = wall_base_;
    const Milliseconds app_base = app_base_;
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [crypto, pin, hash, result] {
          result->emplace(ops::pin_matches(*crypto, *pin, hash));
          secure_clear(*pin);
        },
        [this, &app, alive, result, wall_base, app_base] {
          // The verdict counts even when the screen went meanwhile (cancel pressed during the
          // check): otherwise cancelling would be a way round the lockout.
          const std::int64_t now_ms = wall_base + (app.now() - app_base);
          ops::PinGuard* pin_guard = app.services().pin_guard;
          const Result<bool>& verdict = **result;
          std::string message;
          std::optional<std::int64_t> locked;
          bool entered = false;
          if (!verdict.ok()) {
            log::error("technician", "the technician PIN hash in the config is unusable: " + verdict.error().message);
            message = app.tr("tech.pin.bad_hash");
          } else if (verdict.value()) {
            pin_guard->record_success();
            audit(app, "technician_entry", {{"result", "ok"}});
            log::info("technician", "technician mode entered");
            entered = true;
          } else {
            const int left = pin_guard->record_failure(now_ms);
            audit(app, "technician_entry", {{"result", "wrong_pin"}});
            log::warning("technician", "wrong technician PIN");
            if (left == 0) {
              locked = pin_guard->locked_until(now_ms);
              audit(app, "technician_lockout",
                    {{"minutes", app.config().technician.lockout_minutes}, {"tries", app.config().technician.max_tries}});
              log::warning("technician", "technician entry locked");
            } else {
              message = app.strings().format("tech.pin.wrong", {std::to_string(left)});
            }
          }
          if (alive.expired()) return;
          checking_ = false;
          if (entered) {
            app.push(make_technician_home_screen(std::make_shared<TechnicianVisit>(app.services().operations, app.now())));
            return;
          }
          message_ = message;
          locked_until_ = locked;
          app.rebuild();
        });
    app.rebuild();
  }

  std::string pin_;
  std::string message_;
  bool checking_ = false;
  std::optional<std::int64_t> locked_until_;  // Unix ms
  std::optional<Milliseconds> opened_at_;
  Milliseconds last_touch_ = 0;
  std::int64_t wall_base_ = 0;
  Milliseconds app_base_ = 0;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace

std::unique_ptr<ui::Widget> make_hidden_corner(std::unique_ptr<ui::Widget> page, std::shared_ptr<HoldGesture> hold,
                                               std::function<Milliseconds()> now, std::function<void()> on_short_tap) {
  auto corner = std::make_unique<HiddenCorner>(std::move(hold), std::move(now), std::move(on_short_tap));
  corner->set_id("technician-corner");
  return std::make_unique<CornerLayer>(std::move(page), std::move(corner));
}

std::unique_ptr<Screen> make_technician_entry_screen(AppContext& app) {
  const Services& services = app.services();
  if (app.config().technician.pin_hash.empty() || !services.pin_guard || !services.crypto) {
    log::info("technician", "technician mode asked for, but it is not set up at this terminal");
    audit(app, "technician_entry", {{"result", "not_set_up"}});
    return std::make_unique<UnavailableScreen>();
  }
  return std::make_unique<PinScreen>();
}

}  // namespace screens
