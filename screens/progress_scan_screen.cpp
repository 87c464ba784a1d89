// Progress by the receipt's QR code: the document camera looks for it as soon as the screen opens
// (a frame on the app's worker, read by libzbar), a few times over some seconds while the citizen
// lays the receipt down, with the guidance on screen. The code's text must be a case or receipt
// number; then GET /api/v1/cases/<number> and the case page. Nothing found: "没有找到二维码" with
// what to do and try again; a code that holds no case number, a camera that does not work, and
// the platform's answers each have their own page. Frames are wiped as soon as they are read.
#include <chrono>

#include "kiosk/core/log.h"
#include "kiosk/receipt/qr_reader.h"
#include "screens/progress.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// Looks a round takes: a frame and its decoding; kRounds with kRoundPause between them give a
// citizen about five seconds to lay the receipt down before "not found".
constexpr int kRounds = 8;
constexpr Milliseconds kRoundPause = 600;
constexpr auto kCaptureTimeout = std::chrono::milliseconds(3000);

struct LookResult {
  std::string camera_error;  // a device error code name, for staff
  std::vector<std::string> codes;
};

class ProgressScanScreen final : public Screen {
 public:
  ~ProgressScanScreen() override {
    look_cancel_.cancel();
    request_.cancel();
  }
  std::string name() const override { return "progress-scan"; }
  std::string title(AppContext& app) const override { return app.tr("progress.scan.title"); }

  std::optional<Milliseconds> wake_at() const override {
    if (step_ != Step::looking || !next_round_at_) return std::nullopt;
    return *next_round_at_;
  }
  void on_time(AppContext& app) override {
    if (step_ != Step::looking || !next_round_at_ || app.now() < *next_round_at_) return;
    next_round_at_.reset();
    look(app);
  }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (step_ == Step::start) start_looking(app);
    switch (step_) {
      case Step::start:
      case Step::looking:
      case Step::ready: return build_guidance(app);
      case Step::searching: return build_searching(app);
      case Step::outcome: return make_outcome_page(app, outcome(app), &scroll_);
    }
    return build_guidance(app);
  }

 private:
  enum class Step { start, looking, ready, searching, outcome };
  enum class Failure { no_code, not_a_case, camera, not_found, platform };

  std::unique_ptr<ui::Widget> build_guidance(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    auto* place = page->add(std::make_unique<ui::Label>(app.tr("progress.scan.place"), ui::TextRole::title));
    place->set_id("scan-place");
    page->add(std::make_unique<ui::Label>(app.tr("progress.scan.place_detail"), ui::TextRole::body, palette.text_secondary));
    if (step_ == Step::looking) {
      auto* spinner = page->add(std::make_unique<ui::Spinner>(app.tr("progress.scan.looking")));
      spinner->set_id("scan-looking");
    } else {
      auto* again = page->add(std::make_unique<ui::Button>(app.tr("progress.scan.again"), ui::ButtonKind::primary,
                                                           [this, &app] { start_looking(app); }));
      again->set_id("scan-again");
    }
    auto* type = page->add(std::make_unique<ui::Button>(app.tr("progress.type_instead"), ui::ButtonKind::secondary,
                                                        [&app] { type_instead(app); }));
    type->set_id("type-instead");
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_searching(AppContext& app) {
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.strings().format("progress.scan.read", {reference_}), ui::TextRole::heading));
    page->add(std::make_unique<ui::Spinner>(app.tr("progress.searching")));
    return scrolling(std::move(page), &scroll_);
  }

  static void type_instead(AppContext& app) {
    app.back();
    app.push(make_progress_number_screen());
  }

  void start_looking(AppContext& app) {
    if (!app.devices().document_camera) {
      fail(Failure::camera, "no_camera");
      app.rebuild();
      return;
    }
    step_ = Step::looking;
    round_ = 0;
    next_round_at_.reset();
    look(app);
    app.rebuild();
  }

  // One look on the app's worker: a frame, its QR codes, the frame wiped.
  void look(AppContext& app) {
    hal::DocumentCamera* camera = app.devices().document_camera.get();
    if (!camera) return;
    look_cancel_ = CancelToken();
    CancelToken cancel = look_cancel_;
    auto result = std::make_shared<LookResult>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [camera, cancel, result] {
          auto frame = camera->capture(cancel, kCaptureTimeout);
          if (!frame.ok()) {
            result->camera_error = hal::to_string(frame.error().code);
            return;
          }
          auto codes = receipt::read_qr_codes(frame.value());
          frame.value().wipe();
          if (codes.ok()) {
            result->codes = codes.release_value();
          } else {
            log::warning("progress", "qr: " + codes.error().message);  // sizes only, no content
          }
        },
        [this, &app, alive, result] {
          if (alive.expired() || step_ != Step::looking) return;
          looked(app, *result);
          app.rebuild();
        });
  }

  void looked(AppContext& app, const LookResult& result) {
    if (!result.camera_error.empty()) {
      if (result.camera_error == "cancelled") return;
      log::warning("progress", "document camera: " + result.camera_error);
      fail(Failure::camera, result.camera_error);
      return;
    }
    ++round_;
    if (result.codes.empty()) {
      if (round_ >= kRounds) fail(Failure::no_code, "no_code");
      else next_round_at_ = app.now() + kRoundPause;
      return;
    }
    // The first code that is a case or receipt number; what the others hold is not kept.
    for (const std::string& code : result.codes) {
      if (auto reference = platform::normalize_case_reference(code)) {
        reference_ = *reference;
        search(app);
        return;
      }
    }
    fail(Failure::not_a_case, "not_a_case_number");
  }

  void search(AppContext& app) {
    step_ = Step::searching;
    request_.start(app, platform::case_request(reference_, kProgressTimeout), /*list=*/false,
                   [this, &app](platform::ProgressAnswer answer) {
                     if (answer.kind == platform::ProgressAnswer::Kind::found && !answer.cases.empty()) {
                       step_ = Step::ready;  // "back" from the case: scan another receipt
                       app.push(make_progress_case_screen(std::move(answer.cases.front())));
                       return;
                     }
                     answer_ = std::move(answer);
                     fail(answer_.kind == platform::ProgressAnswer::Kind::not_found ? Failure::not_found : Failure::platform,
                          answer_.staff_code);
                     app.rebuild();
                   });
  }

  void fail(Failure failure, std::string detail) {
    failure_ = failure;
    detail_ = std::move(detail);
    step_ = Step::outcome;
    next_round_at_.reset();
  }

  Outcome outcome(AppContext& app) {
    const std::string staff = app.config().staff_location;
    auto again = [this, &app] { start_looking(app); };
    ui::DialogButton type{app.tr("progress.type_instead"), ui::ButtonKind::secondary, [&app] { type_instead(app); }};
    const std::vector<std::string> elsewhere = {app.strings().format("progress.ask_staff", {staff}), app.tr("progress.phone")};
    Outcome o;
    o.staff_detail = "progress/" + detail_;
    switch (failure_) {
      case Failure::no_code:
        o = {"outcome-no-code", app.tr("progress.scan.no_code.title"), app.tr("progress.scan.no_code.message"), {}, "",
             {{app.tr("progress.try_again"), ui::ButtonKind::primary, again}, type}};
        break;
      case Failure::not_a_case:
        o = {"outcome-not-a-case", app.tr("progress.scan.not_case.title"), app.tr("progress.scan.not_case.message"),
             elsewhere, "", {{app.tr("progress.try_again"), ui::ButtonKind::primary, again}, type}};
        break;
      case Failure::camera:
        o = {"outcome-camera-fault", app.tr("progress.scan.camera.title"),
             app.strings().format("progress.scan.camera.message", {staff}), elsewhere, o.staff_detail,
             {{app.tr("progress.type_instead"), ui::ButtonKind::primary, [&app] { type_instead(app); }},
              other_way_button(app)}};
        break;
      case Failure::not_found:
        o = {"outcome-not-found", app.tr("progress.not_found.title"),
             app.strings().format("progress.scan.read", {reference_}) + "\n" + app.tr("progress.not_found.scanned"),
             elsewhere, "", {{app.tr("progress.scan.again"), ui::ButtonKind::primary, again}, type}};
        break;
      case Failure::platform:
        o = progress_failure(app, answer_, [this, &app] { search(app); app.rebuild(); });
        break;
    }
    return o;
  }

  Step step_ = Step::start;
  Failure failure_ = Failure::no_code;
  std::string detail_;
  int round_ = 0;
  std::optional<Milliseconds> next_round_at_;
  std::string reference_;
  platform::ProgressAnswer answer_;
  CancelToken look_cancel_;
  ProgressRequest request_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_progress_scan_screen() { return std::make_unique<ProgressScanScreen>(); }

}  // namespace screens
