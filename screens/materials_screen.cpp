// Materials (journey 1, step 2): the item's checklist. Each material can be photographed under the
// document camera (OCR then fills form fields; doubtful ones are marked for the citizen to check),
// taken from the citizen's electronic licences on the platform, or — where the item allows —
// replaced by the signed 告知承诺书. "Next" names every missing required material at once
// (一次性告知), never one at a time.
#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/face/jpeg.h"
#include "kiosk/ocr/ocr_service.h"
#include "kiosk/platform/channel.h"
#include "kiosk/platform/messages.h"
#include "kiosk/ui/image_view.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

constexpr auto kScanTimeout = std::chrono::milliseconds(3000);
constexpr auto kOcrTimeout = std::chrono::milliseconds(20000);
constexpr Milliseconds kLicenceTimeout = 10000;

// The document kind OCR should look for, from the material's name.
std::optional<ocr::DocumentKind> kind_for(const std::string& material) {
  if (material.find("身份证") != std::string::npos) return ocr::DocumentKind::id_card_front;
  if (material.find("营业执照") != std::string::npos) return ocr::DocumentKind::business_licence;
  if (material.find("户口") != std::string::npos) return ocr::DocumentKind::household_register;
  return std::nullopt;
}

// Drops what was provided for a material; photographed pages are personal data.
void forget(apply::MaterialChoice& choice) {
  for (auto& page : choice.pages) secure_clear(page);
  choice = {};
}

struct Scan {
  std::vector<std::uint8_t> jpeg;
  std::string error;  // a device error code
  ~Scan() { secure_clear(jpeg); }
};

class MaterialsScreen final : public Screen {
 public:
  ~MaterialsScreen() override { cancel_.cancel(); }
  std::string name() const override { return "materials"; }
  std::string title(AppContext& app) const override { return app.tr("materials.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    Applying applying = current_application(app);
    if (!applying) return no_application_page(app, &scroll_);
    auto page = make_page(app);
    if (picker_for_) return build_picker(app, applying);
    const ui::Palette& palette = app.theme().palette();
    add_step_header(app, *page, JourneyStep::materials);
    page->add(std::make_unique<ui::Label>(applying.item->name, ui::TextRole::title));
    page->add(std::make_unique<ui::Label>(app.tr("materials.intro"), ui::TextRole::body));
    if (!notice_.empty()) {
      auto* notice = page->add(std::make_unique<ui::Label>(notice_, ui::TextRole::body, palette.primary));
      notice->set_id("materials-notice");
    }
    for (std::size_t i = 0; i < applying.item->materials.size(); ++i) {
      page->add(material_card(app, applying, i));
    }
    auto* next = page->add(std::make_unique<ui::Button>(app.tr("journey.next"), ui::ButtonKind::primary,
                                                        [this, &app] { on_next(app); }));
    next->set_id("materials-next");
    return scrolling(std::move(page), &scroll_);
  }

 private:
  std::unique_ptr<ui::Widget> material_card(AppContext& app, Applying applying, std::size_t index) {
    const catalog::Material& material = applying.item->materials[index];
    const apply::MaterialChoice& choice = applying.application->materials[index];
    const ui::Palette& palette = app.theme().palette();
    auto card = make_card(app, std::to_string(index + 1) + ". " + material.name);
    std::string detail = app.strings().format("material.count", {std::to_string(material.count)}) + " · " +
                         app.tr(material.required ? "material.required" : "material.optional");
    if (!material.note.empty()) detail += " · " + material.note;
    card->add(std::make_unique<ui::Label>(detail, ui::TextRole::caption, palette.text_secondary));

    const std::string state = material_state(app, material, choice);
    const bool provided = !material.provided_by.empty() || choice.source != apply::MaterialSource::none;
    auto* state_label = card->add(std::make_unique<ui::Label>(state, ui::TextRole::body,
                                                              provided ? palette.success : palette.text_secondary));
    state_label->set_id("material-state-" + std::to_string(index));
    // The card read or the face photo taken during identification: nothing to do here.
    if (!material.provided_by.empty()) return card;

    if (busy_ && *busy_ == index) {
      card->add(std::make_unique<ui::Spinner>(busy_text_));
      return card;
    }
    const std::string suffix = "-" + std::to_string(index);
    // The actions two to a row, so a card stays short enough to see several materials at once.
    std::vector<std::unique_ptr<ui::Button>> actions;
    auto add = [&](const std::string& key, ui::ButtonKind kind, std::function<void()> tap, const std::string& id) {
      actions.push_back(std::make_unique<ui::Button>(app.tr(key), kind, std::move(tap)));
      actions.back()->set_id(id + suffix);
    };
    const bool idle = !busy_;
    if (idle && app.devices().document_camera) {
      add(choice.source == apply::MaterialSource::capture ? "materials.capture_more" : "materials.capture",
          ui::ButtonKind::secondary, [this, &app, index] { capture(app, index); }, "capture");
    }
    if (idle && app.platform() && app.platform()->configured()) {
      add("materials.use_licence", ui::ButtonKind::secondary, [this, &app, index] { load_licences(app, index); },
          "licence");
    }
    if (idle && material.commitment_allowed) {
      add("materials.use_commitment", ui::ButtonKind::secondary,
          [this, &app, index] {
            Applying now = current_application(app);
            if (!now) return;
            apply::MaterialChoice& chosen = now.application->materials[index];
            forget(chosen);
            chosen.source = apply::MaterialSource::commitment;
            notice_ = app.tr("materials.commitment_note");
            app.rebuild();
          },
          "commit");
    }
    if (idle && choice.source != apply::MaterialSource::none) {
      add("materials.clear", ui::ButtonKind::warning,
          [this, &app, index] {
            Applying now = current_application(app);
            if (!now) return;
            apply::MaterialChoice& chosen = now.application->materials[index];
            forget(chosen);
            notice_.clear();
            app.rebuild();
          },
          "clear");
    }
    for (std::size_t i = 0; i < actions.size(); i += 2) {
      auto row = std::make_unique<ui::Row>(app.theme().spacing() / 2);
      row->add(std::move(actions[i]));
      if (i + 1 < actions.size()) row->add(std::move(actions[i + 1]));
      else row->add(std::make_unique<ui::Spacer>(0));
      card->add(std::move(row));
    }
    return card;
  }

  std::unique_ptr<ui::Widget> build_picker(AppContext& app, Applying applying) {
    auto page = make_page(app);
    const std::size_t index = *picker_for_;
    page->add(std::make_unique<ui::Label>(
        app.strings().format("materials.pick_licence", {applying.item->materials[index].name}), ui::TextRole::title));
    if (licences_.empty()) {
      auto* none = page->add(std::make_unique<ui::Label>(app.tr("materials.no_licences"), ui::TextRole::body));
      none->set_id("licences-none");
    }
    for (std::size_t i = 0; i < licences_.size(); ++i) {
      const platform::Licence& licence = licences_[i];
      auto* row = page->add(std::make_unique<ui::Button>(
          licence.name.empty() ? licence.type : licence.name, ui::ButtonKind::row,
          [this, &app, index, i] {
            Applying now = current_application(app);
            if (now && i < licences_.size()) {
              apply::MaterialChoice& chosen = now.application->materials[index];
              forget(chosen);
              chosen.source = apply::MaterialSource::licence;
              chosen.licence_id = licences_[i].id;
              chosen.licence_name = licences_[i].type;
            }
            picker_for_.reset();
            notice_.clear();
            app.rebuild();
          },
          licence.issuer + " · " + licence.number_masked));
      row->set_id("licence-" + std::to_string(i));
    }
    page->add(std::make_unique<ui::Button>(app.tr("journey.back"), ui::ButtonKind::secondary, [this, &app] {
      picker_for_.reset();
      app.rebuild();
    }));
    return scrolling(std::move(page), &picker_scroll_);
  }

  // Photographs the page on the worker, keeps its JPEG with the material, then reads it with OCR
  // (its own worker) and fills what it finds into the form.
  void capture(AppContext& app, std::size_t index) {
    hal::DocumentCamera* camera = app.devices().document_camera.get();
    if (!camera) return;
    busy_ = index;
    busy_text_ = app.tr("materials.capturing");
    notice_.clear();
    app.rebuild();
    auto scan = std::make_shared<Scan>();
    auto image = std::make_shared<hal::Image>();
    CancelToken cancel = cancel_;
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [camera, scan, image, cancel] {
          auto frame = camera->capture(cancel, kScanTimeout);
          if (!frame.ok()) {
            scan->error = hal::to_string(frame.error().code);
            return;
          }
          *image = std::move(frame.value());
          auto jpeg = face::encode_jpeg(*image, 85);
          if (!jpeg.ok()) {
            scan->error = "encode";
            image->wipe();
            return;
          }
          scan->jpeg = jpeg.release_value();
        },
        [this, &app, alive, scan, image, index] {
          if (alive.expired()) {
            image->wipe();
            return;
          }
          Applying applying = current_application(app);
          if (!scan->error.empty() || !applying) {
            image->wipe();
            busy_.reset();
            notice_ = app.strings().format("materials.capture_failed", {app.config().staff_location});
            log::warning("materials", "document capture: " + scan->error);
            app.rebuild();
            return;
          }
          apply::MaterialChoice& choice = applying.application->materials[index];
          if (choice.source != apply::MaterialSource::capture) forget(choice);
          choice.source = apply::MaterialSource::capture;
          choice.pages.push_back(std::move(scan->jpeg));
          read_page(app, index, std::move(*image));
        });
  }

  void read_page(AppContext& app, std::size_t index, hal::Image image) {
    ocr::OcrService* ocr = app.services().ocr;
    Applying applying = current_application(app);
    if (!ocr || !applying) {
      image.wipe();
      busy_.reset();
      notice_ = app.tr("materials.captured_no_ocr");
      app.rebuild();
      return;
    }
    busy_text_ = app.tr("materials.reading");
    app.rebuild();
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    ocr->submit(std::move(image), kind_for(applying.item->materials[index].name), cancel_, kOcrTimeout,
                [this, context, alive, work](Result<ocr::DocumentReading> reading) {
                  // On the OCR worker: keep only the fields, post them to the UI thread.
                  auto values = std::make_shared<std::map<std::string, std::string>>();
                  auto doubtful = std::make_shared<std::set<std::string>>();
                  if (reading.ok() && reading.value().document) {
                    const bool own_document = reading.value().document->kind != ocr::DocumentKind::business_licence;
                    for (const ocr::OcrField& field : reading.value().document->fields) {
                      if (!field.found || field.value.empty()) continue;
                      // A company's name and address are not the applicant's (form fields for
                      // those are prefilled from the ID card).
                      if (!own_document && (field.key == "name" || field.key == "address")) continue;
                      (*values)[field.key] = field.value;
                      if (field.needs_confirmation) doubtful->insert(field.key);
                    }
                  }
                  const bool failed = !reading.ok();
                  const bool id_card = reading.ok() && reading.value().document &&
                                       reading.value().document->kind == ocr::DocumentKind::id_card_front;
                  work->finish([this, context, alive, values, doubtful, failed, id_card] {
                    if (alive.expired()) return;
                    if (id_card) about_other_person(*context, *values, *doubtful);
                    finish_reading(*context, *values, *doubtful, failed);
                    for (auto& [key, value] : *values) secure_clear(value);
                  });
                });
  }

  // Another person's ID card (a spouse's, for a marriage appointment): its fields fill the form's
  // partner_<key> fields, never the applicant's own.
  static void about_other_person(AppContext& app, std::map<std::string, std::string>& values,
                                 std::set<std::string>& doubtful) {
    const auto& card = app.session().identity;
    const auto id = values.find("id_number");
    if (!card || id == values.end() || id->second == card->id_number) return;
    std::map<std::string, std::string> renamed;
    std::set<std::string> renamed_doubtful;
    for (auto& [key, value] : values) {
      renamed["partner_" + key] = value;
      secure_clear(value);
    }
    for (const std::string& key : doubtful) renamed_doubtful.insert("partner_" + key);
    values = std::move(renamed);
    doubtful = std::move(renamed_doubtful);
  }

  void finish_reading(AppContext& app, const std::map<std::string, std::string>& values,
                      const std::set<std::string>& doubtful, bool failed) {
    busy_.reset();
    Applying applying = current_application(app);
    if (!applying) return;
    const auto filled = apply::apply_ocr_fields(*applying.item, *applying.application, values, doubtful);
    if (filled.empty()) {
      notice_ = app.tr(failed ? "materials.captured_no_text" : "materials.captured_no_fields");
    } else {
      std::size_t to_check = 0;
      for (const std::string& name : filled) to_check += applying.application->to_confirm.count(name);
      notice_ = app.strings().format("materials.filled", {std::to_string(filled.size()), std::to_string(to_check)});
    }
    app.rebuild();
  }

  void load_licences(AppContext& app, std::size_t index) {
    platform::Channel* channel = app.platform();
    if (!channel) return;
    busy_ = index;
    busy_text_ = app.tr("materials.loading_licences");
    notice_.clear();
    app.rebuild();
    platform::HttpRequest request;
    request.method = "POST";
    request.path = "/api/v1/licences/query";
    request.headers["Content-Type"] = "application/json";
    request.body = nlohmann::json{{"identity_token", app.session().identity_token}}.dump();
    request.timeout = kLicenceTimeout;
    std::weak_ptr<int> alive = alive_;
    AppContext* context = &app;
    auto work = app.begin_work();
    channel->call(std::move(request), cancel_,
                  [this, context, alive, index, work](platform::PlatformResult<platform::HttpResponse> answer) {
                    auto list = std::make_shared<std::optional<std::vector<platform::Licence>>>();
                    if (answer.ok()) {
                      auto parsed = platform::parse_licence_list(answer.value().body);
                      if (parsed.ok()) list->emplace(parsed.release_value());
                    }
                    work->finish([this, context, alive, list, index] {
                      if (alive.expired()) return;
                      busy_.reset();
                      if (!*list) {
                        notice_ = context->tr("materials.licences_failed");
                      } else {
                        licences_ = std::move(**list);
                        picker_for_ = index;
                      }
                      context->rebuild();
                    });
                  });
  }

  void on_next(AppContext& app) {
    Applying applying = current_application(app);
    if (!applying) return;
    const auto missing = apply::missing_materials(*applying.item, *applying.application);
    if (!missing.empty()) {
      std::string list;
      for (std::size_t i = 0; i < missing.size(); ++i) list += (i ? "\n" : "") + std::to_string(i + 1) + ". " + missing[i];
      app.show_dialog(app.tr("materials.missing.title"), app.strings().format("materials.missing.message", {list}),
                      {{app.tr("materials.missing.ok"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
      return;
    }
    if (!applying.item->form.empty()) app.push(make_form_screen());
    else if (apply::needs_commitment(*applying.application)) app.push(make_commitment_screen());
    else app.push(make_review_screen());
  }

  std::optional<std::size_t> busy_;
  std::string busy_text_;
  std::string notice_;
  std::optional<std::size_t> picker_for_;
  std::vector<platform::Licence> licences_;
  CancelToken cancel_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
  ui::ScrollState picker_scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_materials_screen() { return std::make_unique<MaterialsScreen>(); }

}  // namespace screens
