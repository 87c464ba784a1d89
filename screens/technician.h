#pragma once
// Technician mode (issue 7, docs/technician.md): a hidden gesture on the attract screen, a PIN,
// then pages for the devices, screen and sound tests, the network, the outbox, the log and a
// diagnostics bundle. It is not a citizen session: no citizen inactivity warning, no spoken
// prompts; it ends after kTechnicianIdleMs without a touch (audited like every entry and exit).
// Everything slow runs on the app's worker through kiosk::ops::Operations.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app/screen.h"

namespace kiosk::ops {
class Operations;
}

namespace screens {

// The hidden gesture: hold the top-left corner (an invisible kTechnicianCornerPx square) for
// kTechnicianHoldMs. Nothing on screen changes before then.
inline constexpr int kTechnicianCornerPx = 120;
inline constexpr kiosk::Milliseconds kTechnicianHoldMs = 5000;
// Technician mode ends by itself after this long without a touch.
inline constexpr kiosk::Milliseconds kTechnicianIdleMs = 5 * 60 * 1000;

// The hold in progress, shared by the attract screen and its corner widget (the widget goes with
// each rebuilt tree, the screen stays).
struct HoldGesture {
  std::optional<kiosk::Milliseconds> pressed_at;
  std::optional<kiosk::Milliseconds> due() const {
    if (!pressed_at) return std::nullopt;
    return *pressed_at + kTechnicianHoldMs;
  }
};
// The invisible corner: it keeps the finger to itself (so a hold is not a tap of what is under it);
// a short touch calls `on_short_tap` (the attract screen: start, as a touch anywhere does).
std::unique_ptr<kiosk::ui::Widget> make_hidden_corner(std::unique_ptr<kiosk::ui::Widget> page,
                                                      std::shared_ptr<HoldGesture> hold,
                                                      std::function<kiosk::Milliseconds()> now,
                                                      std::function<void()> on_short_tap);

// What the gesture opens: the PIN pad, or a page saying technician mode is not set up at this
// terminal (no PIN hash configured, or no PIN guard or crypto passed down).
std::unique_ptr<kiosk::Screen> make_technician_entry_screen(kiosk::AppContext& app);

// One technician visit, from the right PIN to the exit; shared by every technician page.
struct TechnicianVisit {
  explicit TechnicianVisit(kiosk::ops::Operations* operations_in, kiosk::Milliseconds now)
      : operations(operations_in), last_activity(now) {}
  // A visit that ends without leave() (the app closing, the Esc key) is still audited.
  ~TechnicianVisit();
  TechnicianVisit(const TechnicianVisit&) = delete;
  TechnicianVisit& operator=(const TechnicianVisit&) = delete;

  kiosk::ops::Operations* operations;
  kiosk::Milliseconds last_activity;
  bool ended = false;
};
// Audits "technician_exit" {reason} and returns to the attract screen.
void leave_technician_mode(kiosk::AppContext& app, TechnicianVisit& visit, const std::string& reason);

std::unique_ptr<kiosk::Screen> make_technician_home_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_devices_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_selftest_screen(std::shared_ptr<TechnicianVisit> visit,
                                                               kiosk::hal::DeviceClass device);
std::unique_ptr<kiosk::Screen> make_technician_touch_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_patterns_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_audio_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_network_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_outbox_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_logs_screen(std::shared_ptr<TechnicianVisit> visit);
std::unique_ptr<kiosk::Screen> make_technician_bundle_screen(std::shared_ptr<TechnicianVisit> visit);

// The base of every page after the PIN: no chrome, not a session, a header with the page's title
// and a way back, and the idle exit. Buttons made with button() count as activity.
class TechnicianScreen : public kiosk::Screen {
 public:
  explicit TechnicianScreen(std::shared_ptr<TechnicianVisit> visit) : visit_(std::move(visit)) {}
  bool has_chrome() const override { return false; }
  bool in_session() const override { return false; }
  std::optional<kiosk::Milliseconds> wake_at() const final;
  void on_time(kiosk::AppContext& app) final;

 protected:
  // A page's own timer (a refresh), besides the idle exit.
  virtual std::optional<kiosk::Milliseconds> page_wake_at() const { return std::nullopt; }
  virtual void page_time(kiosk::AppContext&) {}
  void touched(kiosk::AppContext& app) { visit_->last_activity = app.now(); }
  std::unique_ptr<kiosk::ui::Button> button(kiosk::AppContext& app, const std::string& text, kiosk::ui::ButtonKind kind,
                                            std::function<void()> on_tap, const std::string& detail = {});
  // The page: a header (title, and "返回" to the technician home — or "退出" on the home), then
  // `body` filling the rest.
  std::unique_ptr<kiosk::ui::Widget> frame(kiosk::AppContext& app, std::unique_ptr<kiosk::ui::Widget> body);
  kiosk::ops::Operations* operations() const { return visit_->operations; }
  // Where the header's "返回" goes (a self-test goes back to the devices).
  virtual std::string back_target() const { return "technician"; }

  std::shared_ptr<TechnicianVisit> visit_;
};

// Where a diagnostics bundle can go: the writable mount points of removable media in `mounts`
// (the text of /proc/mounts) — under /media/ or /run/media/<user>/ — in file order. Octal escapes
// (\040 for a space) are decoded; malformed lines are skipped. `writable` decides (access(W_OK) in
// the kiosk; tests pass their own).
std::vector<std::string> removable_mount_points(std::string_view mounts,
                                                const std::function<bool(const std::string&)>& writable);

}  // namespace screens
