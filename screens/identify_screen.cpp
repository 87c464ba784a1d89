// Identify (journey 1, step 1): the citizen's ID card, consent to face capture, a face the quality
// gate accepts, and the platform's verification (POST /api/v1/identity/verify). Each way it can
// fail ends on an outcome page that says what the citizen can still do.
//
// The face is personal data of the most sensitive kind: frames live only in this screen's jobs and
// its preview; the picture sent to the platform is wiped when the answer comes, and the preview
// when the screen goes. Nothing about a face is logged.
#include <algorithm>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/face/face_gate.h"
#include "kiosk/face/jpeg.h"
#include "kiosk/platform/channel.h"
#include "kiosk/platform/messages.h"
#include "kiosk/ui/image_view.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// A capture round: a burst of frames judged by the gate. Up to kRounds rounds (about 10 s with a
// real camera) before the citizen is told no clear face was seen.
constexpr int kBurst = 4;
constexpr int kRounds = 8;
// Face mismatches allowed before the terminal sends the citizen to a counter (the platform's own
// limit may be lower).
constexpr int kAttempts = 3;
constexpr auto kCaptureTimeout = std::chrono::milliseconds(2000);
constexpr Milliseconds kRoundPause = 500;
constexpr Milliseconds kVerifyTimeout = 15000;

struct RoundResult {
  bool camera_failed = false;
  std::string camera_error;  // a device error code name, for staff
  face::FaceVerdict verdict;
  std::shared_ptr<ui::Canvas> preview;
  std::vector<std::uint8_t> jpeg;  // the qualifying frame, encoded; wiped after verification
  int frame_width = 0;

  ~RoundResult() { secure_clear(jpeg); }
};

class IdentifyScreen final : public Screen {
 public:
  IdentifyScreen(JourneyFlow flow, std::function<void(AppContext&)> then) : flow_(std::move(flow)), then_(std::move(then)) {}
  ~IdentifyScreen() override {
    cancel_.cancel();
    if (preview_) wipe_canvas(*preview_);
  }

  std::string name() const override { return "identify"; }

  std::optional<Milliseconds> wake_at() const override {
    if (step_ != Step::capture || !next_round_at_) return std::nullopt;
    return *next_round_at_;
  }
  void on_time(AppContext& app) override {
    if (step_ != Step::capture || !next_round_at_ || app.now() < *next_round_at_) return;
    next_round_at_.reset();
    capture_round(app);
  }
  std::string title(AppContext& app) const override { return app.tr("identify.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (step_ == Step::card) advance_from_card(app);
    switch (step_) {
      case Step::card: return build_card(app);
      case Step::consent: return build_consent(app);
      case Step::capture: return build_capture(app);
      case Step::verifying: return build_verifying(app);
      case Step::outcome: return make_outcome_page(app, outcome(app), &scroll_);
    }
    return build_card(app);
  }

 private:
  enum class Step { card, consent, capture, verifying, outcome };
  enum class Failure { card_expired, reader_fault, camera_fault, no_face, not_verified, too_many, card_invalid,
                       unreachable, rejected };

  // The card arrives through the app (it reads every placed card into the session); a faulty or
  // missing reader is an outcome of its own.
  void advance_from_card(AppContext& app) {
    const Session& session = app.session();
    if (!session.identity) {
      hal::CardReader* reader = app.devices().card_reader.get();
      const auto state = reader ? reader->status().state : hal::DeviceState::no_device;
      if (!reader || state == hal::DeviceState::hardware_error || state == hal::DeviceState::offline ||
          state == hal::DeviceState::no_device) {
        fail(Failure::reader_fault, reader ? hal::to_string(state) : "no_reader");
      }
      return;
    }
    if (session.identity->expired(today_yyyymmdd(app.time_zone()))) {
      fail(Failure::card_expired, "card_expired");
      return;
    }
    step_ = Step::consent;
  }

  std::unique_ptr<ui::Widget> build_card(AppContext& app) {
    auto page = make_page(app);
    add_step_header(app, *page, flow_, JourneyStep::identify);
    auto* title = page->add(std::make_unique<ui::Label>(app.tr("identify.place_card"), ui::TextRole::title));
    title->set_id("identify-place-card");
    page->add(std::make_unique<ui::Label>(app.tr("identify.place_card_detail"), ui::TextRole::body));
    // No spinner: waiting for a card is not the terminal working, and a still screen is calmer.
    page->add(std::make_unique<ui::Label>(app.tr("identify.waiting_card"), ui::TextRole::body,
                                          app.theme().palette().text_secondary));
    page->add(std::make_unique<ui::Button>(app.tr("journey.cancel"), ui::ButtonKind::secondary, [&app] { app.back(); }));
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_consent(AppContext& app) {
    auto page = make_page(app);
    add_step_header(app, *page, flow_, JourneyStep::identify);
    const hal::IdentityCard& card = *app.session().identity;
    page->add(std::make_unique<ui::Label>(app.strings().format("identify.hello", {masking::name(card.name)}),
                                          ui::TextRole::title));
    auto card_widget = make_card(app, app.tr("identify.consent.title"));
    card_widget->add(std::make_unique<ui::Label>(app.tr("identify.consent.why"), ui::TextRole::body));
    card_widget->add(std::make_unique<ui::Label>(app.tr("identify.consent.kept"), ui::TextRole::body));
    card_widget->add(std::make_unique<ui::Label>(app.tr("identify.consent.refuse"), ui::TextRole::body));
    card_widget->set_id("identify-consent");
    page->add(std::move(card_widget));
    auto* agree = page->add(std::make_unique<ui::Button>(app.tr("identify.consent.agree"), ui::ButtonKind::primary,
                                                         [this, &app] { start_capture(app); }));
    agree->set_id("consent-agree");
    auto* decline = page->add(std::make_unique<ui::Button>(app.tr("identify.consent.decline"),
                                                           ui::ButtonKind::secondary, [&app] { app.back(); }));
    decline->set_id("consent-decline");
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_capture(AppContext& app) {
    auto page = make_page(app);
    add_step_header(app, *page, flow_, JourneyStep::identify);
    page->add(std::make_unique<ui::Label>(app.tr("identify.look"), ui::TextRole::title));
    const std::string guidance =
        round_ == 0 ? app.tr("identify.hold") : app.tr(face::string_key(last_verdict_.reason));
    auto* hint = page->add(std::make_unique<ui::Label>(guidance, ui::TextRole::heading, app.theme().palette().primary));
    hint->set_id("face-guidance");
    if (preview_) {
      std::vector<ui::ImageOverlay> overlays;
      const face::FaceBox& box = last_verdict_.face;
      if (box.width > 0 && frame_width_ > 0) {
        const double scale = static_cast<double>(preview_->width()) / frame_width_;
        // The preview is mirrored: so is the box.
        overlays.push_back({ui::Rect{static_cast<int>((frame_width_ - box.x - box.width) * scale), static_cast<int>(box.y * scale),
                                     static_cast<int>(box.width * scale), static_cast<int>(box.height * scale)},
                            last_verdict_.ok ? ui::ImageOverlay::good : ui::ImageOverlay::attention});
      }
      page->add(std::make_unique<ui::ImageView>(preview_, app.theme().display().height / 3, std::move(overlays)));
    } else {
      page->add(std::make_unique<ui::Spinner>(app.tr("identify.camera_starting")));
    }
    page->add(std::make_unique<ui::Label>(app.tr("identify.not_kept"), ui::TextRole::caption,
                                          app.theme().palette().text_secondary));
    page->add(std::make_unique<ui::Button>(app.tr("journey.cancel"), ui::ButtonKind::secondary, [&app] { app.back(); }));
    return scrolling(std::move(page), &scroll_);
  }

  std::unique_ptr<ui::Widget> build_verifying(AppContext& app) {
    auto page = make_page(app);
    add_step_header(app, *page, flow_, JourneyStep::identify);
    page->add(std::make_unique<ui::Label>(app.tr("identify.verifying"), ui::TextRole::title));
    page->add(std::make_unique<ui::Spinner>(app.tr("identify.verifying_detail")));
    return scrolling(std::move(page), &scroll_);
  }

  void start_capture(AppContext& app) {
    hal::FaceCamera* camera = app.devices().face_camera.get();
    Lazy<face::FaceGate>* gate = app.services().face_gate;
    if (!camera || !gate) {
      fail(Failure::camera_fault, camera ? "no_face_gate" : "no_camera");
      app.rebuild();
      return;
    }
    step_ = Step::capture;
    round_ = 0;
    next_round_at_.reset();
    app.rebuild();
    capture_round(app);
  }

  // One burst on the worker: capture, judge, keep the best frame (encoded) and a small preview.
  void capture_round(AppContext& app) {
    hal::FaceCamera* camera = app.devices().face_camera.get();
    Lazy<face::FaceGate>* lazy_gate = app.services().face_gate;
    const int preview_width = app.theme().display().width / 2;
    auto result = std::make_shared<RoundResult>();
    std::weak_ptr<int> alive = alive_;
    CancelToken cancel = cancel_;
    app.run_in_background(
        [camera, lazy_gate, preview_width, result, cancel] {
          face::FaceGate* gate = lazy_gate->get();  // on the worker: its one thread
          if (!gate) {
            result->camera_failed = true;
            result->camera_error = "no_face_gate";
            return;
          }
          std::vector<hal::Image> frames;
          for (int i = 0; i < kBurst && !cancel.cancelled(); ++i) {
            auto frame = camera->capture(cancel, kCaptureTimeout);
            if (!frame.ok()) {
              result->camera_failed = frames.empty();
              result->camera_error = hal::to_string(frame.error().code);
              break;
            }
            frames.push_back(std::move(frame.value()));
          }
          if (frames.empty()) {
            result->camera_failed = true;
            return;
          }
          const int camera_width = frames.front().width;
          // The preview is of the frame the verdict is about; best_of wipes every frame it does
          // not return, so the small copies are made first (cheap: nearest neighbour).
          std::vector<std::shared_ptr<ui::Canvas>> previews;
          for (const hal::Image& frame : frames) previews.push_back(preview_canvas(frame, preview_width, /*mirror=*/true));
          auto best = gate->best_of(frames);
          if (!best.ok()) {
            for (auto& frame : frames) frame.wipe();
            for (auto& preview : previews) {
              if (preview) wipe_canvas(*preview);
            }
            result->verdict = {};
            return;
          }
          result->verdict = best.value().verdict;
          const std::size_t shown = std::min(best.value().index, previews.size() - 1);
          result->frame_width = camera_width;
          result->preview = previews[shown];
          for (std::size_t i = 0; i < previews.size(); ++i) {
            if (i != shown && previews[i]) wipe_canvas(*previews[i]);
          }
          if (best.value().verdict.ok) {
            auto jpeg = face::encode_jpeg(best.value().frame, 90);
            if (jpeg.ok()) result->jpeg = jpeg.release_value();
          }
          best.value().frame.wipe();
          for (auto& frame : frames) frame.wipe();
        },
        [this, &app, alive, result] {
          if (alive.expired() || step_ != Step::capture) {
            if (result->preview) wipe_canvas(*result->preview);
            return;
          }
          if (result->camera_failed) {
            log::warning("identify", "face camera: " + result->camera_error);
            fail(Failure::camera_fault, result->camera_error.empty() ? "camera" : result->camera_error);
            app.rebuild();
            return;
          }
          if (preview_) wipe_canvas(*preview_);
          preview_ = result->preview;
          frame_width_ = result->frame_width;
          last_verdict_ = result->verdict;
          ++round_;
          if (result->verdict.ok && !result->jpeg.empty()) {
            verify(app, std::move(result->jpeg));
          } else if (round_ >= kRounds) {
            fail(Failure::no_face, face::to_string(result->verdict.reason));
          } else {
            // A pause before the next burst: time to read the advice and move.
            next_round_at_ = app.now() + kRoundPause;
          }
          app.rebuild();
        });
  }

  void verify(AppContext& app, std::vector<std::uint8_t> jpeg) {
    step_ = Step::verifying;
    platform::Channel* channel = app.platform();
    if (!channel || !channel->configured()) {
      secure_clear(jpeg);
      fail(Failure::unreachable, "no_platform");
      return;
    }
    const hal::IdentityCard& card = *app.session().identity;
    nlohmann::json body = {{"card",
                            {{"name", card.name},
                             {"sex", card.sex},
                             {"nation", card.nation},
                             {"birth_date", card.birth_date},
                             {"address", card.address},
                             {"id_number", card.id_number},
                             {"authority", card.authority},
                             {"valid_from", card.valid_from},
                             {"valid_until", card.valid_until}}},
                           {"face_jpeg", platform::base64_encode(jpeg)}};
    secure_clear(jpeg);
    platform::HttpRequest request;
    request.method = "POST";
    request.path = "/api/v1/identity/verify";
    request.headers["Content-Type"] = "application/json";
    request.body = body.dump();
    request.timeout = kVerifyTimeout;
    body.clear();
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    channel->call(std::move(request), cancel_, [this, context, alive, work](platform::PlatformResult<platform::HttpResponse> answer) {
      // On the channel's worker: parse here, finish on the UI thread.
      auto parsed = std::make_shared<std::optional<Result<platform::VerifyAnswer>>>();
      auto error = std::make_shared<std::optional<platform::PlatformError>>();
      if (answer.ok()) {
        parsed->emplace(platform::parse_verify_answer(answer.value().body));
        secure_clear(answer.value().body);
      } else {
        error->emplace(answer.error());
      }
      work->finish([this, context, alive, parsed, error] {
        if (alive.expired() || step_ != Step::verifying) return;
        finish_verify(*context, *parsed, *error);
        context->rebuild();
      });
    });
  }

  void finish_verify(AppContext& app, const std::optional<Result<platform::VerifyAnswer>>& parsed,
                     const std::optional<platform::PlatformError>& error) {
    if (error) {
      log::warning("identify", "verify: " + error->message);
      const bool network = error->kind != platform::PlatformErrorKind::http || error->retryable;
      fail(network ? Failure::unreachable : Failure::rejected,
           error->code.empty() ? platform::to_string(error->kind) : error->code);
      return;
    }
    if (!parsed || !parsed->ok()) {
      log::warning("identify", "verify: unreadable answer");
      fail(Failure::rejected, "bad_answer");
      return;
    }
    const platform::VerifyAnswer& answer = parsed->value();
    if (answer.verified) {
      Session& session = app.session();
      session.identity_token = answer.token;
      session.identity_expires_at = app.now() + static_cast<Milliseconds>(answer.expires_in_s) * 1000;
      log::info("identify", "verified");
      if (preview_) wipe_canvas(*preview_);
      preview_.reset();
      auto then = then_;
      app.back();  // this screen goes; the journey continues from the screen under it
      if (then) then(app);
      return;
    }
    log::info("identify", "not verified: " + answer.reason);
    ++attempts_;
    if (answer.reason == "card_expired") fail(Failure::card_expired, answer.reason);
    else if (answer.reason == "card_invalid") fail(Failure::card_invalid, answer.reason);
    else if (answer.reason == "no_face") fail(Failure::no_face, answer.reason);
    else fail(attempts_ >= kAttempts ? Failure::too_many : Failure::not_verified, answer.reason);
  }

  // The item for renewing an expired resident ID card, if the catalog has one (its guide is where
  // an expired card leads).
  static const catalog::Item* renewal_item(AppContext& app) {
    const catalog::Catalog* catalog = app.catalog();
    if (!catalog) return nullptr;
    for (const catalog::Item& item : catalog->items) {
      if (item.name.find("居民身份证") != std::string::npos && item.name.find("换领") != std::string::npos) return &item;
    }
    return nullptr;
  }

  void fail(Failure failure, std::string detail) {
    failure_ = failure;
    detail_ = std::move(detail);
    step_ = Step::outcome;
    if (preview_) wipe_canvas(*preview_);
    preview_.reset();
  }

  Outcome outcome(AppContext& app) {
    const std::string staff = app.config().staff_location;
    auto retry = [this, &app] { start_capture(app); };
    ui::DialogButton back{app.tr("journey.back_to_guide"), ui::ButtonKind::secondary, [&app] { app.back(); }};
    ui::DialogButton end{app.tr("journey.finish"), ui::ButtonKind::secondary, [&app] { app.end_session(); }};
    std::vector<std::string> elsewhere = {app.strings().format("journey.counter", {staff}), app.tr("journey.guides")};
    Outcome o;
    switch (failure_) {
      case Failure::card_expired: {
        o = {"outcome-card-expired", app.tr("identify.expired.title"), app.tr("identify.expired.message"),
             {app.tr("identify.expired.renew")}, detail_, {back, end}, Tone::caution};
        // The way forward is renewing the card: its guide, one tap away, when the catalog has it.
        if (const catalog::Item* renew = renewal_item(app)) {
          o.buttons.insert(o.buttons.begin(), {app.tr("identify.expired.open_guide"), ui::ButtonKind::primary,
                                               [&app, code = renew->code] { app.push(make_guide_screen(code)); }});
        }
        break;
      }
      case Failure::reader_fault:
        o = {"outcome-reader-fault", app.tr("identify.reader.title"),
             app.strings().format("identify.reader.message", {staff}), elsewhere, detail_, {back, end}};
        break;
      case Failure::camera_fault:
        o = {"outcome-camera-fault", app.tr("identify.camera.title"),
             app.strings().format("identify.camera.message", {staff}), elsewhere, detail_, {back, end}};
        break;
      case Failure::no_face:
        o = {"outcome-no-face", app.tr("identify.no_face.title"), app.tr("identify.no_face.message"), elsewhere,
             detail_, {{app.tr("identify.try_again"), ui::ButtonKind::primary, retry}, back}, Tone::caution};
        break;
      case Failure::not_verified:
        o = {"outcome-not-verified", app.tr("identify.mismatch.title"),
             app.strings().format("identify.mismatch.message", {std::to_string(kAttempts - attempts_)}), elsewhere,
             detail_, {{app.tr("identify.try_again"), ui::ButtonKind::primary, retry}, back}, Tone::caution};
        break;
      case Failure::too_many:
        o = {"outcome-too-many", app.tr("identify.too_many.title"),
             app.strings().format("identify.too_many.message", {staff}), elsewhere, detail_, {back, end}};
        break;
      case Failure::card_invalid:
        o = {"outcome-card-invalid", app.tr("identify.invalid.title"),
             app.strings().format("identify.invalid.message", {staff}), elsewhere, detail_, {back, end}};
        break;
      case Failure::unreachable:
        o = {"outcome-unreachable", app.tr("identify.unreachable.title"), app.tr("identify.unreachable.message"),
             {app.tr("journey.later"), app.tr("journey.guides"), app.strings().format("journey.counter", {staff})},
             detail_,
             {{app.tr("identify.try_again"), ui::ButtonKind::primary, retry}, back},
             Tone::caution};
        break;
      case Failure::rejected:
        o = {"outcome-rejected", app.tr("identify.rejected.title"),
             app.strings().format("identify.rejected.message", {staff}), elsewhere, detail_, {back, end}};
        break;
    }
    return o;
  }

  JourneyFlow flow_;
  std::function<void(AppContext&)> then_;
  Step step_ = Step::card;
  Failure failure_ = Failure::reader_fault;
  std::string detail_;
  int round_ = 0;
  std::optional<Milliseconds> next_round_at_;
  int attempts_ = 0;
  face::FaceVerdict last_verdict_;
  int frame_width_ = 0;
  std::shared_ptr<ui::Canvas> preview_;
  CancelToken cancel_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_identify_screen(JourneyFlow flow, std::function<void(AppContext&)> then) {
  return std::make_unique<IdentifyScreen>(std::move(flow), std::move(then));
}

}  // namespace screens
