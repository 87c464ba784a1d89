#include "kiosk/app/app.h"

#include <algorithm>
#include <chrono>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/platform/channel.h"
#include "kiosk/voice/voice.h"

namespace kiosk {
namespace {

constexpr Milliseconds frame_interval = 16;  // animation frames while something moves

ui::Display display_from(const Config& config) {
  return {config.display_width, config.display_height, config.pixels_per_inch};
}

const char* device_key(hal::DeviceClass device) {
  switch (device) {
    case hal::DeviceClass::card_reader: return "device.card_reader";
    case hal::DeviceClass::face_camera: return "device.face_camera";
    case hal::DeviceClass::document_camera: return "device.document_camera";
    case hal::DeviceClass::receipt_printer: return "device.receipt_printer";
    case hal::DeviceClass::document_printer: return "device.document_printer";
  }
  return "device.unknown";
}

}  // namespace

App::App(Dependencies dependencies)
    : config_(std::move(dependencies.config)),
      time_zone_(std::move(dependencies.time_zone)),
      strings_(std::move(dependencies.strings)),
      atlas_(std::move(dependencies.atlas)),
      clock_(dependencies.clock),
      devices_(dependencies.devices),
      screens_(dependencies.screens),
      services_(dependencies.services),
      display_(display_from(config_)),
      theme_(config_.elderly_mode ? ui::Theme::elderly(display_) : ui::Theme::standard(display_)),
      canvas_(display_.width, display_.height),
      statuses_(5) {
  channel_ = dependencies.channel;
  on_session_end_ = std::move(dependencies.on_session_end);
  on_frame_ = std::move(dependencies.on_frame);
  heartbeat_extra_ = std::move(dependencies.heartbeat_extra);
  demo_actions_ = std::move(dependencies.demo_actions);
  strings_.set_language(config_.language == "en" ? Language::en : Language::zh);
  voice_automatic_ = config_.voice.automatic;
}

App::~App() {
  // The channel's threads call our listeners: stop them before the app goes away.
  if (channel_) channel_->stop();
  // Device threads may still call the listeners; detach them before the app goes away.
  auto detach = [](auto& device) {
    if (device) device->set_listener(nullptr);
  };
  detach(devices_->card_reader);
  detach(devices_->face_camera);
  detach(devices_->document_camera);
  detach(devices_->receipt_printer);
  detach(devices_->document_printer);
  session_.wipe();
}

void App::start() {
  attach_device_listeners();
  attach_platform();
  load_catalog();
  stack_.clear();
  stack_.push_back(screens_->attract());
  last_input_ = now();
  rebuild();
}

void App::load_catalog() {
  // Disk read and parse happen off the UI thread; the attract screen shows meanwhile.
  struct Loaded {
    std::optional<Result<catalog::Catalog>> catalog;
    std::int64_t synced_at = 0;
  };
  auto result = std::make_shared<Loaded>();
  platform::Channel* channel = channel_;
  const auto path = config_.assets_dir / config_.catalog_file;
  run_in_background(
      [channel, path, result] {
        if (!channel) {
          result->catalog.emplace(catalog::load_catalog(path));
          return;
        }
        auto cached = channel->cached_catalog();
        if (!cached) {
          result->catalog.emplace(cached.release_error());
          return;
        }
        result->synced_at = cached.value().synced_at;
        result->catalog.emplace(std::move(cached.value().catalog));
      },
      [this, result] {
        auto& loaded = *result->catalog;
        if (loaded.ok()) {
          apply_catalog(std::make_shared<catalog::Catalog>(loaded.release_value()), result->synced_at);
        } else {
          catalog_error_ = loaded.error().message;
          log::error("catalog", catalog_error_);
          rebuild();
        }
      });
}

void App::apply_catalog(std::shared_ptr<catalog::Catalog> catalog, std::int64_t synced_at) {
  catalog_ = std::move(catalog);
  search_index_ = std::make_unique<catalog::SearchIndex>(*catalog_);
  catalog_synced_at_ = synced_at;
  catalog_error_.clear();
  log::info("catalog", "using version " + catalog_->version + ", " + std::to_string(catalog_->items.size()) + " items");
  rebuild();
}

void App::offer_catalog(std::shared_ptr<catalog::Catalog> catalog, std::int64_t synced_at) {
  if (!session_.active) {
    apply_catalog(std::move(catalog), synced_at);
    return;
  }
  pending_catalog_ = std::move(catalog);
  pending_synced_at_ = synced_at;
}

void App::attach_platform() {
  if (!channel_) return;
  platform_reachable_ = channel_->status().reachable || !channel_->configured();
  platform::Channel::Listeners listeners;
  listeners.catalog = [this](const platform::CachedCatalog& cached) {
    auto copy = std::make_shared<catalog::Catalog>(cached.catalog);
    const std::int64_t synced_at = cached.synced_at;
    post([this, copy, synced_at] { offer_catalog(copy, synced_at); });
  };
  listeners.status = [this](const platform::ChannelStatus& status) {
    // A configuration fault (wrong CA, refused certificate, unknown terminal) is no outage: the
    // platform is of no use until a technician comes, and citizens are told so.
    const bool suspended = status.config_fault.has_value();
    const bool reachable = status.reachable && !suspended;
    const std::int64_t synced_at = status.catalog_synced_at;
    post([this, reachable, suspended, synced_at] {
      if (synced_at > catalog_synced_at_ && !pending_catalog_) catalog_synced_at_ = synced_at;  // "not modified"
      if (reachable == platform_reachable_ && suspended == platform_suspended_) return;
      platform_reachable_ = reachable;
      platform_suspended_ = suspended;
      log::info("platform", suspended ? "platform channel misconfigured" : reachable ? "platform reachable" : "platform unreachable");
      rebuild();
    });
  };
  listeners.delivered = [this](const outbox::Entry& entry) {
    // The case number of a submission the citizen may still be looking at (the submitted screen
    // replaces its local receipt number with it). Numbers only: nothing personal.
    std::string local_receipt = entry.local_receipt, reference = entry.reference;
    post([this, local_receipt, reference] {
      if (!stack_.empty()) stack_.back()->on_delivered(*this, local_receipt, reference);
    });
  };
  listeners.heartbeat_body = [this] {
    // Called on the channel's thread: device status() is thread-safe; nothing personal.
    nlohmann::json devices = nlohmann::json::object();
    for (hal::DeviceClass device_class : hal::kAllDeviceClasses) {
      const hal::Device* device = devices_->get(device_class);
      if (!device) continue;
      const hal::DeviceStatus status = device->status();
      devices[hal::to_string(device_class)] = {{"state", hal::to_string(status.state)}, {"detail", status.detail}};
    }
    nlohmann::json body{{"terminal_id", config_.terminal_id}, {"app_version", KIOSK_VERSION}, {"devices", devices},
                        {"staff_needed", staff_needed_.load()}};
    if (heartbeat_extra_) body.update(heartbeat_extra_());
    return body;
  };
  channel_->set_listeners(std::move(listeners));
}

std::optional<std::int64_t> App::catalog_synced_at() const {
  if (!channel_ || !channel_->configured()) return std::nullopt;
  return catalog_synced_at_;
}

bool App::platform_offline() const { return channel_ && channel_->configured() && !platform_reachable_; }

bool App::platform_suspended() const { return platform_offline() && platform_suspended_; }

void App::attach_device_listeners() {
  auto attach = [this](auto& device, hal::DeviceClass device_class) {
    if (!device) return;
    statuses_[static_cast<std::size_t>(device_class)] = device->status();
    device->set_listener([this](const hal::DeviceEvent& event) { post([this, event] { handle_device_event(event); }); });
  };
  attach(devices_->card_reader, hal::DeviceClass::card_reader);
  attach(devices_->face_camera, hal::DeviceClass::face_camera);
  attach(devices_->document_camera, hal::DeviceClass::document_camera);
  attach(devices_->receipt_printer, hal::DeviceClass::receipt_printer);
  attach(devices_->document_printer, hal::DeviceClass::document_printer);
  device_log_.start(*devices_, now());
}

void App::handle_device_event(const hal::DeviceEvent& event) {
  const auto index = static_cast<std::size_t>(event.device);
  const bool changed = statuses_[index].state != event.status.state;
  statuses_[index] = event.status;
  device_log_.on_status(event.device, event.status, now());
  if (!stack_.empty()) stack_.back()->on_device_event(*this, event);
  if (event.device == hal::DeviceClass::card_reader && event.kind == hal::DeviceEvent::Kind::card_placed) read_card();
  if (changed) rebuild();  // notices on screen follow the device state
}

// Reads a placed card off the UI thread into the session (a placed card starts one). The card is
// personal data: if the session ended meanwhile, it is wiped instead of kept.
void App::read_card() {
  hal::CardReader* reader = devices_->card_reader.get();
  if (!reader) return;
  auto card = std::make_shared<std::optional<hal::DeviceResult<hal::IdentityCard>>>();
  hal::CancelToken cancel;
  run_in_background([reader, card, cancel] { card->emplace(reader->read_card(cancel, std::chrono::seconds(5))); },
                    [this, card] {
                      if (!card->has_value()) return;
                      auto& result = **card;
                      if (!result.ok()) {
                        log::warning("card", std::string("read failed: ") + hal::to_string(result.error().code));
                        if (session_.active) show_card_failure(result.error().code);
                        return;
                      }
                      if (session_.active) {
                        // Another person's card in the middle of a session: the verified face,
                        // the form and the choices belong to the earlier card holder. That session
                        // ends (wiped as any other) and the new card begins its own, unverified.
                        if (session_.identity && session_.identity->id_number != result.value().id_number) {
                          log::info("card", "a different card was placed: the session ends, a new one begins");
                          end_session();
                          push(screens_->home());
                        }
                        session_.identity = std::move(result.value());
                        rebuild();
                      } else {
                        result.value().wipe();
                      }
                    });
}

// A read that failed is said in plain words with a way forward: place the card again and read
// again, or close and go on without it (browsing needs no card).
void App::show_card_failure(hal::DeviceErrorCode code) {
  const bool removed = code == hal::DeviceErrorCode::card_removed;
  const std::string title = tr(removed ? "card.removed.title" : "card.failed.title");
  const std::string message = removed ? tr("card.removed.message")
                                      : strings_.format("card.failed.message", {config_.staff_location});
  show_dialog(title, message,
              {{tr("card.read_again"), ui::ButtonKind::primary,
                [this] {
                  close_dialog();
                  read_card();
                }},
               {tr("card.close"), ui::ButtonKind::secondary, [this] { close_dialog(); }}});
}

std::vector<DeviceNotice> App::device_notices() const {
  std::vector<DeviceNotice> notices;
  for (std::size_t i = 0; i < statuses_.size(); ++i) {
    const auto state = statuses_[i].state;
    // A terminal without a device class is configured that way; that is no fault.
    if (!devices_->get(static_cast<hal::DeviceClass>(i))) continue;
    if (state == hal::DeviceState::online || state == hal::DeviceState::busy) continue;
    notices.push_back({static_cast<hal::DeviceClass>(i), statuses_[i]});
  }
  return notices;
}

// --- navigation --------------------------------------------------------------------------------

void App::push(std::unique_ptr<Screen> screen) {
  if (!session_.active && screen->in_session()) session_.begin(now());
  log::info("app", "screen " + screen->name());
  stack_.push_back(std::move(screen));
  rebuild();
}

void App::back() {
  if (stack_.size() <= 1) return;
  retired_.push_back(std::move(stack_.back()));
  stack_.pop_back();
  if (!stack_.back()->in_session()) {
    end_session();
    return;
  }
  rebuild();
}

void App::go_home() {
  while (stack_.size() > 1 && stack_.back()->name() != "home") {
    retired_.push_back(std::move(stack_.back()));
    stack_.pop_back();
  }
  if (stack_.back()->name() != "home") push(screens_->home());
  rebuild();
}

void App::back_to(const std::string& screen_name) {
  std::size_t target = stack_.size();
  for (std::size_t i = stack_.size(); i-- > 1;) {
    if (i + 1 < stack_.size() && stack_[i]->name() == screen_name) {
      target = i;
      break;
    }
  }
  if (target == stack_.size()) return;
  while (stack_.size() > target + 1) {
    retired_.push_back(std::move(stack_.back()));
    stack_.pop_back();
  }
  rebuild();
}

void App::end_session() {
  log::info("app", "session ended");
  if (session_.active && on_session_end_) {
    const bool submitted = session_.application && !session_.application->local_receipt.empty();
    on_session_end_(ending_by_timeout_ ? "timed_out" : submitted ? "submitted" : "finished");
  }
  ending_by_timeout_ = false;
  session_.wipe();
  if (staff_needed_) call_staff(false);  // the citizen has gone; the hall saw the call
  // The next citizen hears nothing of this one's prompts, at the terminal's own volume.
  if (voice::Voice* voice = live_voice()) {
    voice->forget_last_prompt();
    voice->set_volume_step(config_.voice.volume_step);
  }
  last_prompt_.clear();
  last_screen_prompt_.clear();
  voice_automatic_ = config_.voice.automatic;
  warning_deadline_.reset();
  close_dialog();
  if (pending_catalog_) apply_catalog(std::move(pending_catalog_), pending_synced_at_);
  pending_catalog_.reset();
  for (auto& screen : stack_) retired_.push_back(std::move(screen));
  stack_.clear();
  stack_.push_back(screens_->attract());
  // The next citizen starts in the terminal's default mode and language.
  theme_ = config_.elderly_mode ? ui::Theme::elderly(display_) : ui::Theme::standard(display_);
  strings_.set_language(config_.language == "en" ? Language::en : Language::zh);
  rebuild();
}

void App::show_dialog(std::string title, std::string message, std::vector<ui::DialogButton> buttons) {
  if (dialog_) retired_dialog_ = std::move(dialog_);
  if (voice_automatic_ && !quiet_dialog_) speak(title + "。" + message);
  dialog_ = ui::make_dialog(theme_, std::move(title), std::move(message), std::move(buttons));
  router_.reset();
  needs_layout_ = true;
}

void App::close_dialog() {
  if (!dialog_) return;
  retired_dialog_ = std::move(dialog_);
  router_.reset();
  needs_layout_ = true;
}

void App::rebuild() {
  needs_build_ = true;
  // A press in progress survives the rebuild (a catalog or a status arriving between a finger's
  // down and up must not swallow the tap): it is pressed again on the new tree at the same place.
  if (auto point = router_.press_point()) replay_press_ = point;
  router_.reset();
}

void App::run_in_background(std::function<void()> job, std::function<void()> done) {
  worker_.post([this, job = std::move(job), done = std::move(done)]() mutable {
    const auto start = std::chrono::steady_clock::now();
    job();
    worker_busy_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    post(std::move(done));
  });
}

void App::set_elderly_mode(bool on) {
  if (theme_.elderly_mode() == on) return;
  theme_ = on ? ui::Theme::elderly(display_) : ui::Theme::standard(display_);
  log::info("app", on ? "elderly mode on" : "elderly mode off");
  close_dialog();
  rebuild();
}

void App::set_language(Language language) {
  strings_.set_language(language);
  rebuild();
}

void App::set_orientation(bool landscape) {
  display_.width = landscape ? std::max(config_.display_width, config_.display_height)
                             : std::min(config_.display_width, config_.display_height);
  display_.height = landscape ? std::min(config_.display_width, config_.display_height)
                              : std::max(config_.display_width, config_.display_height);
  theme_ = theme_.elderly_mode() ? ui::Theme::elderly(display_) : ui::Theme::standard(display_);
  canvas_.resize(display_.width, display_.height);
  rebuild();
}

std::string App::current_screen_name() const { return stack_.empty() ? "" : stack_.back()->name(); }

// --- input -------------------------------------------------------------------------------------

void App::user_activity() { last_input_ = now(); }

ui::Widget& App::input_root() { return dialog_ ? *dialog_ : *root_; }

void App::pointer_down(ui::Point point) {
  user_activity();
  layout();  // route against what is on screen
  router_.down(input_root(), screen_rect(), point, now());
  needs_redraw_ = true;
}

void App::pointer_move(ui::Point point) {
  if (!router_.active()) return;
  user_activity();
  router_.move(point, now());
  needs_redraw_ = true;
}

void App::pointer_up(ui::Point point) {
  layout();  // a press replayed on a rebuilt tree is routed first
  if (!router_.active()) return;
  user_activity();
  ui::Widget* tapped = router_.up(input_root(), screen_rect(), point, now());
  needs_redraw_ = true;
  animating_ = true;
  // tap() may rebuild the tree that holds the widget; old trees are kept until the next tick.
  if (tapped != nullptr) tapped->tap();
}

void App::text_input(const std::string& text) {
  user_activity();
  if (!stack_.empty()) stack_.back()->on_text(*this, text);
}

Status App::key(const std::string& name) {
  user_activity();
  if (name == "Escape" || name == "Back" || name == "AC Back") {
    if (dialog_) close_dialog();
    else back();
  } else if (name == "Home") {
    go_home();
  } else if (name == "Backspace") {
    text_input("\b");
  } else if (name == "Return") {
    text_input("\n");
  } else if (!demo_actions_.empty() && name == "F8") {
    // The demo panel's menu, open and shut.
    const bool open = dialog_ && !dialog_->children().empty() && dialog_->children().front()->id() == "demo-menu";
    if (open) close_dialog();
    else show_demo_menu();
  } else if (auto bound = std::count_if(demo_actions_.begin(), demo_actions_.end(),
                                        [&name](const DemoAction& action) { return action.key == name; });
             bound > 0) {
    // Actions sharing a key take turns: F1 places the next sample card, F3 a face or none …
    const std::size_t turn = demo_turns_[name]++ % static_cast<std::size_t>(bound);
    std::size_t seen = 0;
    for (std::size_t i = 0; i < demo_actions_.size(); ++i) {
      if (demo_actions_[i].key == name && seen++ == turn) run_demo_action(i);
    }
  } else {
    return Error::make(ErrorKind::invalid_argument, "unknown key \"" + name + "\" (Escape, Back, Home, Backspace, Return)");
  }
  return {};
}

// --- loop --------------------------------------------------------------------------------------

void App::post(std::function<void()> event) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(event));
  }
  if (wake_) wake_();
}

namespace {

class PendingWorkHandle final : public PendingWork {
 public:
  PendingWorkHandle(App* app, std::shared_ptr<std::atomic<int>> count) : app_(app), count_(std::move(count)) { ++*count_; }
  // Posted after `done`, so the app counts as working until the answer has been handled.
  ~PendingWorkHandle() override {
    app_->post([count = count_] { --*count; });
  }
  void finish(std::function<void()> done) override { app_->post(std::move(done)); }

 private:
  App* app_;
  std::shared_ptr<std::atomic<int>> count_;
};

}  // namespace

std::shared_ptr<PendingWork> App::begin_work() { return std::make_shared<PendingWorkHandle>(this, pending_work_); }

bool App::settled() const { return !working() && !animating_; }

bool App::working() const {
  std::lock_guard lock(queue_mutex_);
  return !queue_.empty() || !worker_.idle() || *pending_work_ > 0;
}

std::optional<Milliseconds> App::tick() {
  for (;;) {
    std::function<void()> event;
    {
      std::lock_guard lock(queue_mutex_);
      if (queue_.empty()) break;
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    event();
  }
  if (!stack_.empty()) {
    Screen& screen = *stack_.back();
    if (auto due = screen.wake_at(); due && *due <= now()) screen.on_time(*this);
  }
  check_inactivity();
  // The tree of a retired screen points into that screen (its scroll state, its callbacks): build
  // the new tree before the old screens go, and never step animations on a stale tree.
  layout();
  retired_.clear();
  retired_dialog_.reset();

  const Milliseconds current = now();
  // Animations follow the clock: a tick with no time passed moves nothing (the script driver
  // ticks many times at one virtual instant).
  if (animating_ && root_ && current > last_frame_) {
    const Milliseconds elapsed = std::min<Milliseconds>(current - last_frame_, 100);
    animating_ = ui::step_animations(*root_, elapsed);
    needs_redraw_ = true;
  }
  last_frame_ = current;

  std::optional<Milliseconds> next;
  auto consider = [&next](Milliseconds at) { next = next ? std::min(*next, at) : at; };
  if (animating_) {
    const auto interval = root_ ? ui::animation_interval(*root_) : std::nullopt;
    consider(current + interval.value_or(frame_interval));
  }
  if (auto due = device_log_.tick(current)) consider(*due);  // devices not ready at start
  if (!stack_.empty()) {
    if (auto due = stack_.back()->wake_at()) consider(*due);
    if (stack_.back()->in_session()) {
      consider(warning_deadline_ ? current + 250 : last_input_ + config_.inactivity_seconds * 1000);
    }
  }
  return next;
}

void App::check_inactivity() {
  if (stack_.empty() || !stack_.back()->in_session()) {
    warning_deadline_.reset();
    return;
  }
  const Milliseconds current = now();
  if (!warning_deadline_) {
    if (current - last_input_ >= config_.inactivity_seconds * Milliseconds{1000}) {
      warning_deadline_ = current + config_.inactivity_warning_seconds * Milliseconds{1000};
      show_inactivity_warning(config_.inactivity_warning_seconds);
    }
    return;
  }
  if (current >= *warning_deadline_) {
    log::info("app", "inactivity timeout");
    ending_by_timeout_ = true;
    end_session();
    return;
  }
  const int seconds_left = static_cast<int>((*warning_deadline_ - current + 999) / 1000);
  if (seconds_left != warning_seconds_shown_) show_inactivity_warning(seconds_left);
}

void App::show_inactivity_warning(int seconds_left) {
  warning_seconds_shown_ = seconds_left;
  show_dialog(tr("inactivity.title"), strings_.format("inactivity.message", {std::to_string(seconds_left)}),
              {{tr("inactivity.continue"), ui::ButtonKind::primary,
                [this] {
                  warning_deadline_.reset();
                  warning_seconds_shown_ = -1;
                  user_activity();
                  close_dialog();
                }},
               {tr("inactivity.end"), ui::ButtonKind::secondary, [this] { end_session(); }}});
}

// --- building and drawing ----------------------------------------------------------------------

ui::UiContext App::ui_context() {
  return ui::UiContext{*atlas_, theme_, [this] { needs_redraw_ = true; }};
}

std::unique_ptr<ui::Widget> App::build_top_bar(Screen& screen) {
  const ui::Palette& palette = theme_.palette();
  auto row = std::make_unique<ui::Row>(theme_.spacing());
  // A long title takes two lines, then shrinks; it is never cut (the theme's title style).
  auto title = std::make_unique<ui::Label>(screen.title(*this), ui::TextRole::title, palette.on_header, ui::Align::center, 2);
  if (!screen.has_navigation()) {
    row->add(std::move(title));
    return std::make_unique<ui::Panel>(std::move(row), palette.header, theme_.spacing(), theme_.spacing());
  }
  auto* back_button = row->add(std::make_unique<ui::Button>(tr("nav.back"), ui::ButtonKind::header, [this] { back(); }), 2);
  back_button->set_id("back");
  row->add(std::move(title), 5);
  auto* home_button = row->add(std::make_unique<ui::Button>(tr("nav.home"), ui::ButtonKind::header, [this] { go_home(); }), 2);
  home_button->set_id("home");
  return std::make_unique<ui::Panel>(std::move(row), palette.header, theme_.spacing(), theme_.spacing());
}

std::unique_ptr<ui::Widget> App::build_bottom_bar() {
  const ui::Palette& palette = theme_.palette();
  auto row = std::make_unique<ui::Row>(theme_.spacing());
  // The elderly switch names the mode it switches to, in words (not a colour-only toggle).
  const bool elderly = theme_.elderly_mode();
  row->add(std::make_unique<ui::Button>(elderly ? tr("mode.standard") : tr("mode.elderly"), ui::ButtonKind::secondary,
                                        [this, elderly] { set_elderly_mode(!elderly); }),
           2)
      ->set_id("elderly");
  const bool chinese = strings_.language() == Language::zh;
  row->add(std::make_unique<ui::Button>(chinese ? "English" : "中文", ui::ButtonKind::secondary,
                                        [this, chinese] { set_language(chinese ? Language::en : Language::zh); }),
           3)
      ->set_id("language");
  if (config_.voice.enabled && services_.voice) {
    row->add(std::make_unique<ui::Button>(tr("voice.button"), ui::ButtonKind::secondary, [this] { show_voice_panel(); }), 2)
        ->set_id("voice");
  }
  // Help on every screen: it raises staff-needed for the hall and says where to go meanwhile.
  auto staff = std::make_unique<ui::Button>(staff_needed_ ? tr("staff.cancel") : tr("staff.call"), ui::ButtonKind::secondary,
                                            [this] { call_staff(!staff_needed_); });
  staff->set_id("call-staff");
  // Elderly text on a portrait panel does not fit four labels in a row: help gets a row of its own.
  if (elderly && canvas_.width() < canvas_.height()) {
    auto rows = std::make_unique<ui::Column>(theme_.spacing());
    rows->add(std::move(row));
    rows->add(std::move(staff));
    return std::make_unique<ui::Panel>(std::move(rows), palette.surface, theme_.padding(), theme_.spacing());
  }
  row->add(std::move(staff), 4);
  return std::make_unique<ui::Panel>(std::move(row), palette.surface, theme_.padding(), theme_.spacing());
}

void App::speak(const std::string& text) {
  if (!config_.voice.enabled || text.empty()) return;
  last_prompt_ = text;
  voice::Voice* voice = live_voice();
  if (!voice) return;  // not built yet (or not available): silent
  auto spoken = voice->speak(text, strings_.language() == Language::en ? voice::Language::en : voice::Language::zh);
  if (!spoken.ok()) log::warning("voice", "prompt not spoken: " + spoken.error().message);  // never the text
}

void App::speak_screen() {
  if (!config_.voice.enabled || stack_.empty() || !stack_.back()->in_session() || !voice_automatic_ || dialog_) return;
  // The title bar's title, the first heading of the page and the first line of text under it.
  std::vector<std::string> parts;
  bool heading_seen = false;
  for (const ui::VisibleWidget& entry : ui::visible_widgets(*root_, screen_rect())) {
    const auto* label = dynamic_cast<const ui::Label*>(entry.widget);
    if (!label || label->text().find_first_not_of(" \n") == std::string::npos) continue;
    const ui::TextRole role = label->role();
    if ((role == ui::TextRole::title || role == ui::TextRole::heading || role == ui::TextRole::display) && parts.size() < 2) {
      if (parts.empty() || parts.back() != label->text()) parts.emplace_back(label->text());
      heading_seen = parts.size() == 2;
    } else if (role == ui::TextRole::body && heading_seen) {
      parts.emplace_back(label->text());
      break;
    }
  }
  std::string prompt;
  for (const std::string& part : parts) prompt += (prompt.empty() ? "" : "。") + part;
  if (prompt.empty() || prompt == last_screen_prompt_) return;
  last_screen_prompt_ = prompt;
  speak(prompt);
}

voice::Voice* App::live_voice() const { return services_.voice ? services_.voice->peek() : nullptr; }

void App::show_voice_panel() {
  voice::Voice* voice = live_voice();
  const int step = voice ? voice->volume_step() : config_.voice.volume_step;
  const std::string message = strings_.format("voice.volume", {std::to_string(step), "5"}) + "\n" +
                              tr(voice_automatic_ ? "voice.auto_on" : "voice.auto_off") +
                              (voice ? "" : "\n" + tr("voice.unavailable"));
  // Louder / quieter: the panel shows the new step and the voice says it, at that volume.
  const auto change_volume = [this](bool up) {
    close_dialog();
    if (voice::Voice* v = live_voice()) {
      const int now = up ? v->volume_up() : v->volume_down();
      (void)v->speak(strings_.format("voice.volume", {std::to_string(now), "5"}),
                     strings_.language() == Language::en ? voice::Language::en : voice::Language::zh);
    }
    show_voice_panel();
  };
  quiet_dialog_ = true;
  show_dialog(tr("voice.title"), message,
              {{tr("voice.repeat"), ui::ButtonKind::primary, [this] {
                  close_dialog();
                  speak(last_prompt_);
                }},
               {tr("voice.louder"), ui::ButtonKind::secondary, [change_volume] { change_volume(true); }},
               {tr("voice.quieter"), ui::ButtonKind::secondary, [change_volume] { change_volume(false); }},
               {tr("voice.stop"), ui::ButtonKind::secondary, [this] {
                  if (voice::Voice* v = live_voice()) v->stop();
                  close_dialog();
                }},
               {tr(voice_automatic_ ? "voice.turn_auto_off" : "voice.turn_auto_on"), ui::ButtonKind::secondary, [this] {
                  voice_automatic_ = !voice_automatic_;
                  if (voice::Voice* v = live_voice(); v && !voice_automatic_) v->stop();
                  close_dialog();
                  show_voice_panel();
                }},
               {tr("voice.close"), ui::ButtonKind::secondary, [this] { close_dialog(); }}});
  quiet_dialog_ = false;
}

void App::call_staff(bool on) {
  staff_needed_ = on;
  log::info("app", on ? "staff called" : "staff call cleared");
  if (channel_ && channel_->configured()) channel_->heartbeat_now();
  rebuild();
  if (!on) return;
  // Without the platform the hall cannot be told: say so and send the citizen to the desk (and,
  // when the terminal's configuration is at fault, that online submission is paused here).
  const bool told = channel_ && channel_->configured() && !platform_offline();
  const char* message = told ? "staff.called.message" : platform_suspended() ? "staff.suspended.message" : "staff.offline.message";
  show_dialog(tr(told ? "staff.called.title" : "staff.offline.title"), strings_.format(message, {config_.staff_location}),
              {{tr("staff.ok"), ui::ButtonKind::primary, [this] { close_dialog(); }},
               {tr("staff.cancel"), ui::ButtonKind::secondary, [this] {
                  close_dialog();
                  call_staff(false);
                }}});
}

std::unique_ptr<ui::Widget> App::build_device_notice() {
  const auto notices = device_notices();
  const bool offline = platform_offline();
  if (notices.empty() && !offline) return nullptr;
  std::string names;
  for (const auto& notice : notices) {
    if (!names.empty()) names += tr("list.separator");
    names += tr(device_key(notice.device));
  }
  std::string text = names.empty() ? std::string() : strings_.format("notice.devices", {names});
  if (offline) {
    text += (text.empty() ? "" : " ") + (platform_suspended() ? strings_.format("notice.platform_suspended", {config_.staff_location})
                                                              : tr("notice.platform_offline"));
  }
  auto label = std::make_unique<ui::Label>(text, ui::TextRole::body, theme_.palette().on_warning);
  label->set_id("device-notice");
  return std::make_unique<ui::Panel>(std::move(label), theme_.palette().warning, theme_.padding(), theme_.spacing() / 2);
}

void App::build_tree() {
  publish_snapshot();
  Screen& screen = *stack_.back();
  auto body = screen.build(*this);
  if (!screen.has_chrome()) {
    root_ = std::move(body);
  } else {
    auto page = std::make_unique<ui::FlexColumn>();
    page->set_background(theme_.palette().background);
    page->add(build_top_bar(screen));
    if (auto notice = build_device_notice()) page->add(std::move(notice));
    page->add(std::move(body), 1);
    page->add(build_bottom_bar());
    root_ = std::move(page);
  }
  if (!demo_actions_.empty()) root_ = with_demo_strip(std::move(root_));
  needs_build_ = false;
  needs_layout_ = true;
  prompt_pending_ = true;
  if (ui::any_animating(*root_)) animating_ = true;  // a spinner on the new screen turns at once
}

void App::layout() {
  if (stack_.empty()) return;
  if (needs_build_) build_tree();
  if (needs_layout_) {
    auto context = ui_context();
    root_->arrange(context, screen_rect());
    if (dialog_) dialog_->arrange(context, screen_rect());
    needs_layout_ = false;
    needs_redraw_ = true;
    if (prompt_pending_) {
      prompt_pending_ = false;
      speak_screen();
    }
  }
  // A press cut off by a rebuild goes down again on the arranged new tree.
  if (replay_press_) {
    router_.down(input_root(), screen_rect(), *replay_press_, now());
    replay_press_.reset();
  }
}

bool App::render() {
  if (stack_.empty()) return false;
  const auto started = std::chrono::steady_clock::now();
  layout();
  auto context = ui_context();
  if (!needs_redraw_) return false;
  canvas_.clear(theme_.palette().background);
  root_->draw(canvas_, context);
  if (dialog_) dialog_->draw(canvas_, context);
  needs_redraw_ = false;
  if (on_frame_) on_frame_(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return true;
}

// --- demo panel (demo mode only) ----------------------------------------------------------------

std::unique_ptr<ui::Widget> App::with_demo_strip(std::unique_ptr<ui::Widget> page) {
  auto framed = std::make_unique<ui::FlexColumn>();
  framed->set_background(theme_.palette().background);
  framed->add(std::move(page), 1);
  const std::string text = tr("demo.label") + " · " + (demo_status_.empty() ? tr("demo.hint") : demo_status_);
  framed->add(make_demo_strip(theme_, text, [this] { show_demo_menu(); }));
  return framed;
}

void App::show_demo_menu() {
  if (dialog_) retired_dialog_ = std::move(dialog_);
  dialog_ = make_demo_menu(
      theme_, strings_, demo_actions_,
      [this](std::size_t index) {
        close_dialog();
        run_demo_action(index);
      },
      [this] { close_dialog(); });
  router_.reset();
  needs_layout_ = true;
}

void App::run_demo_action(std::size_t index) {
  const DemoAction& action = demo_actions_.at(index);
  const std::string label = demo_action_label(strings_, action);
  log::info("demo", "simulator action " + action.id);
  auto outcome = std::make_shared<Status>();
  run_in_background([run = action.run, outcome] { *outcome = run(); },
                    [this, label, id = action.id, outcome] {
                      if (outcome->ok()) {
                        demo_status_ = strings_.format("demo.done", {label});
                      } else {
                        log::warning("demo", "simulator action " + id + ": " + outcome->error().message);
                        demo_status_ = strings_.format("demo.failed", {label, outcome->error().message});
                      }
                      rebuild();
                    });
}

App::Snapshot App::status_snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  Snapshot snapshot = snapshot_;
  snapshot.staff_needed = staff_needed_;
  return snapshot;
}

void App::publish_snapshot() {
  std::lock_guard lock(snapshot_mutex_);
  snapshot_.screen = stack_.empty() ? "" : stack_.back()->name();
  snapshot_.session_active = session_.active;
  snapshot_.catalog_items = catalog_ ? catalog_->items.size() : 0;
}

std::vector<ui::VisibleWidget> App::visible_widgets() {
  render();
  return ui::visible_widgets(input_root(), screen_rect());
}

}  // namespace kiosk
