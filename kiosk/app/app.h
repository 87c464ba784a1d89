#pragma once
// The app core: screen stack, chrome (top and bottom bars), dialogs, inactivity timeout, timers,
// the event queue from worker and device threads, and drawing into the canvas. It knows nothing of
// SDL windows: the window loop (main.cpp) and the headless script driver feed it input and time.
// All methods run on the UI thread except post(), which any thread may call.

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <functional>
#include <vector>

#include "hal/device_log.h"
#include "hal/devices.h"
#include "kiosk/app/demo_panel.h"
#include "kiosk/app/screen.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/worker.h"
#include "kiosk/ui/canvas.h"
#include "kiosk/ui/widget_tree.h"

namespace kiosk {

class App final : public AppContext {
 public:
  struct Dependencies {
    Config config;
    Strings strings;
    std::unique_ptr<ui::GlyphAtlas> atlas;
    Clock* clock;
    hal::Devices* devices;
    ScreenFactory* screens;
    platform::Channel* channel = nullptr;  // null: no platform, the factory catalog file
    Services services = {};
    // Operations hooks (metrics): a session ended ("submitted", "timed_out", "finished"); a frame
    // took this long to lay out and draw (seconds). Called on the UI thread; must not block.
    std::function<void(std::string_view outcome)> on_session_end = {};
    std::function<void(double seconds)> on_frame = {};
    // More members for every heartbeat (main: the audit chain's head); called on the channel's
    // thread; nothing personal.
    std::function<nlohmann::json()> heartbeat_extra = {};
    // Demo mode only (config demo.panel; main builds them from kiosk/driver/sim_actions.h): the
    // simulator panel's actions, on a strip along the bottom edge and on the keys F1…F8. Empty:
    // no strip, no keys.
    std::vector<DemoAction> demo_actions = {};
    // The terminal's zone, loaded by main() from the config's time_zone (default here: UTC).
    TimeZone time_zone = {};
  };
  // What technicians and kioskctl see of the app, readable from any thread (status_snapshot()).
  struct Snapshot {
    std::string screen;
    bool session_active = false;
    bool staff_needed = false;
    std::size_t catalog_items = 0;
  };
  explicit App(Dependencies dependencies);
  ~App() override;

  // Loads the catalog in the background (from the platform channel's cache, or the factory file
  // when there is no platform), listens to the channel, and shows the attract screen. The caller
  // starts the channel after this.
  void start();

  // Input, in canvas pixels.
  void pointer_down(ui::Point point);
  void pointer_move(ui::Point point);
  void pointer_up(ui::Point point);
  void text_input(const std::string& text);
  // Named keys: "Escape"/"Back" (back), "Home", "Backspace", "Return"; in demo mode also "F1"…"F8"
  // (the demo panel: demo_panel.h).
  Status key(const std::string& name);

  // Runs posted events, due timers, animations and the inactivity check. Returns the time of the
  // next thing that will need the loop (a timer or an animation frame), or nullopt when only
  // input can change the screen — the window loop then sleeps in SDL_WaitEvent (idle ≈ 0% CPU).
  std::optional<Milliseconds> tick();
  // Draws the frame if anything changed; true if it drew.
  bool render();
  void force_full_redraw() { needs_layout_ = true; }

  // Any thread: queue work for the UI thread. `wake` (set by the window loop) interrupts its wait.
  void post(std::function<void()> event);
  std::shared_ptr<PendingWork> begin_work() override;
  void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }
  // No queued events, no background job, no animation: the script driver's "settled".
  bool settled() const;
  // A queued event or a background job is pending (animations aside).
  bool working() const;

  const ui::Canvas& canvas() const { return canvas_; }
  // Time the worker spent in background jobs (face gate, JPEG, receipts, card reads …) since
  // start, for the journey benchmark.
  std::int64_t worker_busy_ns() const { return worker_busy_ns_; }
  // Widgets a citizen can see now (only the dialog's while one is open).
  std::vector<ui::VisibleWidget> visible_widgets();
  std::string current_screen_name() const;
  bool dialog_open() const { return dialog_ != nullptr; }
  void set_orientation(bool landscape);
  // A citizen pressed "call staff" (and has not cancelled it, and the session goes on): sent in
  // every heartbeat until then, so the hall's staff see which terminal needs them.
  bool staff_needed() const { return staff_needed_; }
  // Any thread: the top screen and whether a citizen is using the terminal.
  Snapshot status_snapshot() const;
  // The last prompt given to the voice (a screen's title and instruction, or a dialog), also when
  // no voice is built (tests check it); empty after a session. Kept only in memory.
  const std::string& last_prompt() const { return last_prompt_; }
  bool voice_automatic() const { return voice_automatic_; }
  ui::GlyphAtlas& atlas() { return *atlas_; }

  // AppContext
  const ui::Theme& theme() const override { return theme_; }
  const Strings& strings() const override { return strings_; }
  const Config& config() const override { return config_; }
  const TimeZone& time_zone() const override { return time_zone_; }
  const catalog::Catalog* catalog() const override { return catalog_.get(); }
  const catalog::SearchIndex* search_index() const override { return search_index_.get(); }
  const std::string& catalog_error() const override { return catalog_error_; }
  Session& session() override { return session_; }
  Milliseconds now() const override { return clock_->now(); }
  std::vector<DeviceNotice> device_notices() const override;
  hal::Devices& devices() override { return *devices_; }
  const Services& services() const override { return services_; }
  platform::Channel* platform() override { return channel_; }
  std::optional<std::int64_t> catalog_synced_at() const override;
  bool platform_offline() const override;
  bool platform_suspended() const override;
  void push(std::unique_ptr<Screen> screen) override;
  void back() override;
  void go_home() override;
  void back_to(const std::string& screen_name) override;
  void end_session() override;
  void show_dialog(std::string title, std::string message, std::vector<ui::DialogButton> buttons) override;
  void close_dialog() override;
  void rebuild() override;
  void run_in_background(std::function<void()> job, std::function<void()> done) override;
  void set_elderly_mode(bool on) override;
  void set_language(Language language) override;

 private:
  void load_catalog();
  void attach_platform();
  // A catalog from the platform: applied at once on the attract screen, else when the session
  // ends (the screen never changes under a citizen).
  void offer_catalog(std::shared_ptr<catalog::Catalog> catalog, std::int64_t synced_at);
  void apply_catalog(std::shared_ptr<catalog::Catalog> catalog, std::int64_t synced_at);
  void attach_device_listeners();
  void handle_device_event(const hal::DeviceEvent& event);
  void read_card();
  void build_tree();
  void show_card_failure(hal::DeviceErrorCode code);
  void layout();  // builds the tree and arranges it if needed
  std::unique_ptr<ui::Widget> build_top_bar(Screen& screen);
  std::unique_ptr<ui::Widget> build_bottom_bar();
  std::unique_ptr<ui::Widget> build_device_notice();
  void call_staff(bool on);
  // Voice guidance (docs/decisions.md "Voice guidance"): speaks `text` in the session's language
  // when the voice is on and built; remembers it for repeat.
  void speak(const std::string& text);
  // The screen's prompt, from what it shows: its title, its first heading and the line under it.
  void speak_screen();
  void show_voice_panel();
  // The demo panel: runs an action on the worker, then says on the strip what happened.
  void run_demo_action(std::size_t index);
  void show_demo_menu();
  std::unique_ptr<ui::Widget> with_demo_strip(std::unique_ptr<ui::Widget> page);
  voice::Voice* live_voice() const;  // the voice if it is built (never waits for it)
  void check_inactivity();
  void show_inactivity_warning(int seconds_left);
  void user_activity();
  ui::Widget& input_root();
  ui::Rect screen_rect() const { return {0, 0, canvas_.width(), canvas_.height()}; }
  ui::UiContext ui_context();

  Config config_;
  TimeZone time_zone_;
  Strings strings_;
  std::unique_ptr<ui::GlyphAtlas> atlas_;
  Clock* clock_;
  hal::Devices* devices_;
  ScreenFactory* screens_;
  Services services_;
  ui::Display display_;
  ui::Theme theme_;
  ui::Canvas canvas_;
  Session session_;

  platform::Channel* channel_ = nullptr;
  bool platform_reachable_ = true;
  bool platform_suspended_ = false;  // a configuration fault, not an outage (platform::ChannelStatus)
  hal::DeviceLog device_log_;  // device changes to the journal (docs/operations.md "Log events")
  std::atomic<bool> staff_needed_{false};  // read by the heartbeat on the channel's thread
  bool voice_automatic_ = true;   // this session: speak each new screen and dialog
  bool prompt_pending_ = false;   // a new tree: speak its prompt once it is arranged
  bool quiet_dialog_ = false;     // the next dialog is not read aloud (the voice panel)
  std::string last_prompt_;
  std::string last_screen_prompt_;
  std::int64_t catalog_synced_at_ = 0;
  std::shared_ptr<catalog::Catalog> pending_catalog_;
  std::int64_t pending_synced_at_ = 0;
  std::shared_ptr<catalog::Catalog> catalog_;
  std::unique_ptr<catalog::SearchIndex> search_index_;
  std::string catalog_error_;

  std::vector<std::unique_ptr<Screen>> stack_;
  std::vector<std::unique_ptr<Screen>> retired_;  // screens replaced during a tap, freed next tick
  std::unique_ptr<ui::Widget> root_;
  std::unique_ptr<ui::Widget> dialog_;
  std::unique_ptr<ui::Widget> retired_dialog_;  // closed during its own button's tap
  bool needs_build_ = true;
  bool needs_layout_ = true;
  bool needs_redraw_ = true;
  bool animating_ = false;
  Milliseconds last_frame_ = 0;
  ui::PointerRouter router_;
  std::optional<ui::Point> replay_press_;  // a press to route again on the next tree

  Milliseconds last_input_ = 0;
  std::optional<Milliseconds> warning_deadline_;
  int warning_seconds_shown_ = -1;

  mutable std::mutex queue_mutex_;
  std::deque<std::function<void()>> queue_;
  std::function<void()> wake_;
  std::atomic<std::int64_t> worker_busy_ns_{0};
  std::shared_ptr<std::atomic<int>> pending_work_ = std::make_shared<std::atomic<int>>(0);
  void publish_snapshot();
  mutable std::mutex snapshot_mutex_;
  Snapshot snapshot_;
  bool ending_by_timeout_ = false;
  std::function<void(std::string_view)> on_session_end_;
  std::function<void(double)> on_frame_;
  std::function<nlohmann::json()> heartbeat_extra_;
  std::vector<hal::DeviceStatus> statuses_;  // by DeviceClass index, updated on the UI thread
  std::vector<DemoAction> demo_actions_;
  std::string demo_status_;                     // the last action's outcome, on the strip
  std::map<std::string, std::size_t> demo_turns_;  // per key: how many times it was pressed
  Worker worker_;  // last member: joined first, so jobs never outlive what they reference
};

}  // namespace kiosk
