// Technician mode, devices (docs/technician.md): each device's live state (Operations::devices(),
// asked on the worker every 2 s while the page is shown), its last problem and when, and a 自检
// button per device. The self-test page runs Operations::selftest on the worker with a spinner and
// a cancel button, then shows the summary and each step. For the face camera it also shows a live
// preview with the face gate's box — the same preview, gate and overlay the identify screen uses
// (preview_canvas, FaceGate, ImageView); the frames are wiped as there.
#include <ctime>

#include "kiosk/core/log.h"
#include "kiosk/core/clock.h"
#include "kiosk/face/face_gate.h"
#include "kiosk/ops/operations.h"
#include "kiosk/ui/image_view.h"
#include "screens/journey.h"
#include "screens/technician.h"

namespace screens {
namespace {

using namespace kiosk;

constexpr Milliseconds kRefreshMs = 2000;
constexpr Milliseconds kPreviewPauseMs = 300;

std::string local_time(std::int64_t unix_ms, const TimeZone& zone) {
  return format_time(unix_ms / 1000, "%Y-%m-%d %H:%M:%S", zone);
}

std::string device_name(AppContext& app, const std::string& device) {
  const std::string key = "device." + device;
  return app.strings().has(key, app.strings().language()) ? app.tr(key) : device;
}

class DevicesScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-devices"; }
  std::string title(AppContext& app) const override { return app.tr("tech.devices.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!started_) {
      started_ = true;
      refresh(app);
    }
    const ui::Theme& theme = app.theme();
    const ui::Palette& palette = theme.palette();
    auto page = make_page(app);
    if (!loaded_) {
      page->add(std::make_unique<ui::Spinner>(app.tr("tech.devices.loading")));
      return frame(app, scrolling(std::move(page), &scroll_));
    }
    page->add(std::make_unique<ui::Label>(app.tr("tech.devices.live"), ui::TextRole::caption, palette.text_secondary));
    for (const ops::DeviceReport& report : reports_) {
      auto card = make_card(app, device_name(app, report.device));
      card->set_id("tech-device-" + report.device);
      const bool configured = !report.driver.empty();
      std::string state = configured ? app.strings().format("tech.devices.state", {report.up ? "√" : "×", app.tr("tech.state." + report.state), report.driver})
                                     : app.tr("tech.devices.none");
      card->add(std::make_unique<ui::Label>(state, ui::TextRole::body))->set_id("tech-state-" + report.device);
      if (!report.detail.empty() && report.detail != report.state) {
        card->add(std::make_unique<ui::Label>(report.detail, ui::TextRole::caption, palette.text_secondary));
      }
      if (report.last_problem.empty()) {
        card->add(std::make_unique<ui::Label>(app.tr("tech.devices.no_problem"), ui::TextRole::caption, palette.text_secondary));
      } else {
        card->add(std::make_unique<ui::Label>(
                      app.strings().format("tech.devices.last_problem", {report.last_problem, local_time(report.last_problem_at_ms, app.time_zone())}),
                      ui::TextRole::caption, palette.text))
            ->set_id("tech-problem-" + report.device);
      }
      if (configured) {
        const auto device = ops::device_class_from_string(report.device);
        if (device) {
          card->add(button(app, app.tr("tech.devices.selftest"), ui::ButtonKind::secondary,
                           [this, &app, device] { app.push(make_technician_selftest_screen(visit_, *device)); }))
              ->set_id("tech-selftest-" + report.device);
        }
      }
      page->add(std::move(card));
    }
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 protected:
  std::optional<Milliseconds> page_wake_at() const override { return next_refresh_; }
  void page_time(AppContext& app) override {
    next_refresh_.reset();
    refresh(app);
  }

 private:
  void refresh(AppContext& app) {
    ops::Operations* operations = this->operations();
    auto reports = std::make_shared<std::vector<ops::DeviceReport>>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background([operations, reports] { *reports = operations->devices(); },
                          [this, &app, alive, reports] {
                            if (alive.expired()) return;
                            loaded_ = true;
                            reports_ = std::move(*reports);
                            next_refresh_ = app.now() + kRefreshMs;
                            app.rebuild();
                          });
  }

  bool started_ = false;
  bool loaded_ = false;
  std::vector<ops::DeviceReport> reports_;
  std::optional<Milliseconds> next_refresh_;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// One preview frame: the picture (scaled, mirrored) and the gate's verdict on it.
struct PreviewFrame {
  std::shared_ptr<ui::Canvas> picture;
  face::FaceVerdict verdict;
  int frame_width = 0;
  std::string error;  // a device error code name, or "no_face_gate"
};

class SelfTestScreen final : public TechnicianScreen {
 public:
  SelfTestScreen(std::shared_ptr<TechnicianVisit> visit, hal::DeviceClass device)
      : TechnicianScreen(std::move(visit)), device_(device) {}
  ~SelfTestScreen() override {
    cancel_.cancel();
    if (preview_.picture) wipe_canvas(*preview_.picture);
  }

  std::string name() const override { return "technician-selftest"; }
  std::string back_target() const override { return "technician-devices"; }
  std::string title(AppContext& app) const override {
    return app.strings().format("tech.selftest.title", {device_name(app, hal::to_string(device_))});
  }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!started_) {
      started_ = true;
      run(app);
    }
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    if (running_) {
      page->add(std::make_unique<ui::Spinner>(app.tr("tech.selftest.running")))->set_id("tech-selftest-running");
      page->add(button(app, app.tr("tech.selftest.cancel"), ui::ButtonKind::secondary, [this] { cancel_.cancel(); }))
          ->set_id("tech-selftest-cancel");
    } else if (error_) {
      page->add(std::make_unique<ui::Label>(*error_, ui::TextRole::heading))->set_id("tech-selftest-error");
    } else if (report_) {
      page->add(std::make_unique<ui::Label>((report_->passed ? "√ " : "× ") + report_->summary, ui::TextRole::heading))
          ->set_id("tech-selftest-summary");
      auto steps = make_card(app, app.tr("tech.selftest.steps"));
      for (const std::string& step : report_->steps) steps->add(std::make_unique<ui::Label>("· " + step, ui::TextRole::body));
      steps->add(std::make_unique<ui::Label>(app.strings().format("tech.selftest.duration", {std::to_string(report_->duration_ms)}),
                                             ui::TextRole::caption, palette.text_secondary))
          ->set_id("tech-selftest-duration");
      page->add(std::move(steps));
    }
    if (device_ == hal::DeviceClass::face_camera && !running_) add_preview(app, *page);
    if (!running_) {
      page->add(button(app, app.tr("tech.selftest.again"), ui::ButtonKind::primary, [this, &app] { run(app); }))
          ->set_id("tech-selftest-again");
    }
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 protected:
  std::optional<Milliseconds> page_wake_at() const override { return next_preview_; }
  void page_time(AppContext& app) override {
    next_preview_.reset();
    preview_round(app);
  }

 private:
  void run(AppContext& app) {
    running_ = true;
    report_.reset();
    error_.reset();
    cancel_ = CancelToken();
    next_preview_.reset();
    ops::Operations* operations = this->operations();
    const hal::DeviceClass device = device_;
    CancelToken cancel = cancel_;
    auto result = std::make_shared<std::optional<Result<ops::SelfTestReport>>>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background([operations, device, cancel, result] { result->emplace(operations->selftest(device, true, cancel)); },
                          [this, &app, alive, result] {
                            if (alive.expired()) return;
                            running_ = false;
                            Result<ops::SelfTestReport>& answer = **result;
                            if (answer.ok()) {
                              report_ = answer.release_value();
                            } else if (answer.error().kind == ErrorKind::cancelled) {
                              error_ = app.tr("tech.selftest.cancelled");
                            } else {
                              error_ = app.strings().format("tech.selftest.failed", {answer.error().message});
                            }
                            if (device_ == hal::DeviceClass::face_camera) preview_round(app);
                            app.rebuild();
                          });
    app.rebuild();
  }

  void add_preview(AppContext& app, ui::Column& page) {
    auto card = make_card(app, app.tr("tech.selftest.preview"));
    card->set_id("tech-preview");
    if (!preview_.error.empty()) {
      card->add(std::make_unique<ui::Label>(app.strings().format("tech.selftest.preview_failed", {preview_.error}), ui::TextRole::body));
    } else if (!preview_.picture) {
      card->add(std::make_unique<ui::Spinner>(app.tr("tech.selftest.preview_starting")));
    } else {
      std::vector<ui::ImageOverlay> overlays;
      const face::FaceBox& box = preview_.verdict.face;
      std::string caption = app.tr("tech.selftest.no_face");
      if (box.width > 0 && preview_.frame_width > 0) {
        const double scale = static_cast<double>(preview_.picture->width()) / preview_.frame_width;
        // The preview is mirrored, like the citizen's: so is the box.
        overlays.push_back({ui::Rect{static_cast<int>((preview_.frame_width - box.x - box.width) * scale),
                                     static_cast<int>(box.y * scale), static_cast<int>(box.width * scale),
                                     static_cast<int>(box.height * scale)},
                            preview_.verdict.ok ? ui::ImageOverlay::good : ui::ImageOverlay::attention});
        caption = app.strings().format("tech.selftest.face_box", {std::to_string(box.x), std::to_string(box.y),
                                                                   std::to_string(box.width), std::to_string(box.height),
                                                                   face::to_string(preview_.verdict.reason)});
      }
      card->add(std::make_unique<ui::ImageView>(preview_.picture, app.theme().display().height / 4, std::move(overlays), caption));
    }
    page.add(std::move(card));
  }

  // One frame from the face camera, judged by the gate, on the worker; then the next after a pause
  // while the page is shown and no self-test runs.
  void preview_round(AppContext& app) {
    hal::FaceCamera* camera = app.devices().face_camera.get();
    Lazy<face::FaceGate>* lazy_gate = app.services().face_gate;
    if (!camera) {
      preview_.error = "no_camera";
      return;
    }
    const int preview_width = app.theme().display().width / 2;
    auto frame = std::make_shared<PreviewFrame>();
    CancelToken cancel = cancel_;
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [camera, lazy_gate, preview_width, frame, cancel] {
          face::FaceGate* gate = lazy_gate ? lazy_gate->get() : nullptr;  // on the worker: its one thread
          if (!gate) {
            frame->error = "no_face_gate";
            return;
          }
          auto captured = camera->capture(cancel, std::chrono::milliseconds(2000));
          if (!captured.ok()) {
            frame->error = hal::to_string(captured.error().code);
            return;
          }
          hal::Image image = std::move(captured.value());
          frame->frame_width = image.width;
          frame->picture = preview_canvas(image, preview_width, /*mirror=*/true);
          auto verdict = gate->assess(image);
          if (verdict.ok()) frame->verdict = verdict.value();
          image.wipe();
        },
        [this, &app, alive, frame] {
          if (alive.expired() || running_) {
            if (frame->picture) wipe_canvas(*frame->picture);
            return;
          }
          if (preview_.picture) wipe_canvas(*preview_.picture);
          preview_ = *frame;
          if (preview_.error.empty()) next_preview_ = app.now() + kPreviewPauseMs;
          app.rebuild();
        });
  }

  hal::DeviceClass device_;
  bool started_ = false;
  bool running_ = false;
  std::optional<ops::SelfTestReport> report_;
  std::optional<std::string> error_;
  CancelToken cancel_;
  PreviewFrame preview_;
  std::optional<Milliseconds> next_preview_;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace

std::unique_ptr<Screen> make_technician_devices_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<DevicesScreen>(std::move(visit));
}

std::unique_ptr<Screen> make_technician_selftest_screen(std::shared_ptr<TechnicianVisit> visit, hal::DeviceClass device) {
  return std::make_unique<SelfTestScreen>(std::move(visit), device);
}

}  // namespace screens
