// Attract screen: what an idle terminal shows. A touch anywhere (or a placed ID card) starts.
// The slogans rotate in standard mode; elderly mode shows no promotions and never changes by itself.
// Holding the invisible top-left corner for 5 s opens technician mode (screens/technician.h).
#include "screens/screens.h"
#include "screens/technician.h"

namespace screens {
namespace {

using namespace kiosk;

class AttractScreen final : public Screen {
 public:
  std::string name() const override { return "attract"; }
  std::string title(AppContext& app) const override { return app.tr("attract.title"); }
  bool has_chrome() const override { return false; }
  bool in_session() const override { return false; }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    const ui::Palette& palette = theme.palette();
    elderly_ = theme.elderly_mode();
    auto page = std::make_unique<ui::FlexColumn>();
    page->set_background(palette.header);

    // A landscape panel has half the height: tighter margins keep the start button on screen even
    // with elderly-size text and a two-line English title.
    const bool portrait = theme.display().portrait();
    const int margin = portrait ? theme.padding() * 2 : theme.padding();
    auto top = std::make_unique<ui::Column>(theme.spacing(), margin);
    if (portrait) top->add(std::make_unique<ui::Spacer>(theme.padding() * 2));
    top->add(std::make_unique<ui::Label>(app.config().hall_name, ui::TextRole::heading, palette.on_header, ui::Align::center));
    top->add(std::make_unique<ui::Label>(app.tr("attract.title"), ui::TextRole::display, palette.on_header, ui::Align::center));
    if (!app.theme().elderly_mode()) {
      const std::string key = "attract.slogan." + std::to_string(slogan_ % slogan_count);
      top->add(std::make_unique<ui::Label>(app.tr(key), ui::TextRole::title, palette.on_header, ui::Align::center));
    }
    page->add(std::move(top));

    // The whole middle of the screen is the start button: anyone touching anywhere starts.
    auto start = std::make_unique<ui::Column>(theme.spacing(), margin);
    auto* button = start->add(std::make_unique<ui::Button>(app.tr("attract.start"), ui::ButtonKind::tile,
                                                           [&app] { begin(app); },
                                                           app.tr("attract.start_hint")));
    button->set_id("start");
    page->add(std::move(start), 1);

    auto bottom = std::make_unique<ui::Column>(theme.spacing(), margin);
    bottom->add(std::make_unique<ui::Label>(app.tr("attract.card_hint"), ui::TextRole::body, palette.on_header, ui::Align::center));
    bottom->add(std::make_unique<ui::Label>(app.tr("attract.services"), ui::TextRole::caption, palette.on_header, ui::Align::center));
    page->add(std::move(bottom));
    // A touch anywhere starts, as the hint says.
    auto anywhere = std::make_unique<ui::TapArea>(std::move(page), [&app] { begin(app); });
    anywhere->set_id("attract");
    // The hidden way into technician mode: a short touch on the corner starts like anywhere else.
    return make_hidden_corner(std::move(anywhere), hold_, [&app] { return app.now(); }, [&app] { begin(app); });
  }

  void on_device_event(AppContext& app, const hal::DeviceEvent& event) override {
    // Placing an ID card is the other way to begin: the citizen wants to be served.
    if (event.kind == hal::DeviceEvent::Kind::card_placed) begin(app);
  }

  // Elderly mode never changes by itself, so the idle loop sleeps until touched (or the corner is held).
  std::optional<Milliseconds> wake_at() const override {
    const auto hold = hold_->due();
    if (elderly_ || !next_rotation_) return hold;
    return hold ? std::min(*hold, *next_rotation_) : next_rotation_;
  }
  void on_time(AppContext& app) override {
    if (const auto due = hold_->due(); due && app.now() >= *due) {
      hold_->pressed_at.reset();
      app.push(make_technician_entry_screen(app));
      return;
    }
    // No rotation under a finger on the corner (a rebuild would end the hold), nor before it is due.
    if (hold_->pressed_at || (next_rotation_ && app.now() < *next_rotation_ && *next_rotation_ != 0)) return;
    const Milliseconds interval = app.config().attract_rotate_seconds * Milliseconds{1000};
    if (next_rotation_ && !app.theme().elderly_mode()) {
      ++slogan_;
      app.rebuild();
    }
    next_rotation_ = app.now() + interval;
  }

 private:
  // Every way in (the start button, a touch anywhere, a placed card) begins the same way.
  static void begin(AppContext& app) { app.push(screens::make_home_screen()); }

  static constexpr int slogan_count = 3;
  int slogan_ = 0;
  bool elderly_ = false;
  std::optional<Milliseconds> next_rotation_ = Milliseconds{0};
  std::shared_ptr<HoldGesture> hold_ = std::make_shared<HoldGesture>();
};

}  // namespace

std::unique_ptr<Screen> make_attract_screen() { return std::make_unique<AttractScreen>(); }

}  // namespace screens
