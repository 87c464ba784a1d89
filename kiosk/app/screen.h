#pragma once
// Screens and what they may ask of the app. A screen keeps its own state, builds a widget tree
// from it (build() runs again after rebuild()), and asks the app to navigate, show dialogs or run
// work. It never blocks: slow work goes to run_in_background().

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hal/device.h"
#include "hal/devices.h"
#include "kiosk/app/services.h"
#include "kiosk/app/session.h"
#include "kiosk/app/strings.h"
#include "kiosk/catalog/catalog.h"
#include "kiosk/catalog/search.h"
#include "kiosk/core/config.h"
#include "kiosk/core/time_zone.h"
#include "kiosk/ui/dialog.h"
#include "kiosk/ui/widget.h"

namespace kiosk {

namespace platform {
class Channel;
}

class AppContext;

class Screen {
 public:
  virtual ~Screen() = default;
  // Stable name for logs and tests ("home", "guide" …).
  virtual std::string name() const = 0;
  // Title in the top bar; screens without chrome (attract) return false from has_chrome().
  virtual std::string title(AppContext& app) const = 0;
  virtual bool has_chrome() const { return true; }
  // Back and home in the top bar; the home screen has neither (it is where they lead).
  virtual bool has_navigation() const { return true; }
  // Screens outside a citizen session (attract) have no inactivity timeout.
  virtual bool in_session() const { return true; }
  virtual std::unique_ptr<ui::Widget> build(AppContext& app) = 0;
  // Text typed on a physical keyboard or by the script driver; "\b" is backspace.
  virtual void on_text(AppContext&, const std::string&) {}
  virtual void on_device_event(AppContext&, const hal::DeviceEvent&) {}
  // An outbox row reached the platform: `reference` is its case number (rating id …) for the
  // number `local_receipt` the citizen was shown.
  virtual void on_delivered(AppContext&, const std::string& /*local_receipt*/, const std::string& /*reference*/) {}
  // Screens that change by themselves (the attract loop) say when they next want on_time().
  virtual std::optional<Milliseconds> wake_at() const { return std::nullopt; }
  virtual void on_time(AppContext&) {}
};

// A device whose state keeps some service from working, for notices on screens.
struct DeviceNotice {
  hal::DeviceClass device;
  hal::DeviceStatus status;
};

// Work a screen started on another thread (the platform channel's worker, OCR) whose answer the
// citizen waits for. finish() runs `done` on the UI thread; until the last copy of the handle is
// gone the app counts as working (the script driver waits for it, like a background job).
class PendingWork {
 public:
  virtual ~PendingWork() = default;
  virtual void finish(std::function<void()> done) = 0;
};

class AppContext {
 public:
  virtual ~AppContext() = default;

  virtual const ui::Theme& theme() const = 0;
  virtual const Strings& strings() const = 0;
  std::string tr(const std::string& key) const { return strings().get(key); }
  virtual const Config& config() const = 0;
  // The terminal's time zone (the config's time_zone): every time shown, spoken or printed.
  virtual const TimeZone& time_zone() const = 0;
  // The catalog, or null while it loads or when it failed (catalog_error() says why).
  virtual const catalog::Catalog* catalog() const = 0;
  virtual const catalog::SearchIndex* search_index() const = 0;
  // Why the catalog failed to load (for staff); empty while loading or when it loaded.
  virtual const std::string& catalog_error() const = 0;
  virtual Session& session() = 0;
  virtual Milliseconds now() const = 0;
  virtual std::vector<DeviceNotice> device_notices() const = 0;
  // The terminal's devices (a class may be null: not fitted). Calls that block go to the worker.
  virtual hal::Devices& devices() = 0;
  virtual const Services& services() const = 0;
  // The platform channel, or null when the terminal has none (factory catalog only).
  virtual platform::Channel* platform() = 0;
  // When the catalog last came from the platform (Unix ms); 0 = factory data; nullopt = no
  // platform configured (then the catalog's age is not shown).
  virtual std::optional<std::int64_t> catalog_synced_at() const = 0;
  // True when a platform is configured and its last request got no answer.
  virtual bool platform_offline() const = 0;
  // Offline because of this terminal's configuration (platform::ChannelStatus::config_fault: a
  // wrong CA, a refused certificate, an unknown terminal), not an outage: waiting will not bring
  // it back, staff must. Citizens are told online submission is paused here; the outbox keeps
  // what they submit and sends it once the fault is fixed.
  virtual bool platform_suspended() const = 0;

  virtual void push(std::unique_ptr<Screen> screen) = 0;
  virtual void back() = 0;
  virtual void go_home() = 0;
  // Back to the nearest screen of that name under the current one (the review's edit links);
  // nothing happens when there is none.
  virtual void back_to(const std::string& screen_name) = 0;
  // Wipes the session and returns to the attract screen.
  virtual void end_session() = 0;
  virtual void show_dialog(std::string title, std::string message, std::vector<ui::DialogButton> buttons) = 0;
  virtual void close_dialog() = 0;
  // The current screen's state changed: build its widgets again.
  virtual void rebuild() = 0;
  // Runs `job` on the worker thread, then `done` on the UI thread.
  virtual void run_in_background(std::function<void()> job, std::function<void()> done) = 0;
  // Marks work on another thread as pending (see PendingWork).
  virtual std::shared_ptr<PendingWork> begin_work() = 0;
  virtual void set_elderly_mode(bool on) = 0;
  virtual void set_language(Language language) = 0;
};

// The screens the app itself needs to start; the screens folder provides them.
class ScreenFactory {
 public:
  virtual ~ScreenFactory() = default;
  virtual std::unique_ptr<Screen> attract() = 0;
  virtual std::unique_ptr<Screen> home() = 0;
};

}  // namespace kiosk
