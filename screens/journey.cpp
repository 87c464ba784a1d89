#include "screens/journey.h"

#include <algorithm>
#include <ctime>

#include "kiosk/apply/application.h"
#include "kiosk/core/text.h"
#include "screens/screens.h"

namespace screens {

using namespace kiosk;

std::unique_ptr<ui::Widget> make_outcome_page(AppContext& app, Outcome outcome, ui::ScrollState* scroll) {
  const ui::Palette& palette = app.theme().palette();
  auto page = make_page(app);
  auto* title = page->add(std::make_unique<ui::Label>(outcome.title, ui::TextRole::title));
  if (!outcome.id.empty()) title->set_id(outcome.id);
  page->add(std::make_unique<ui::Label>(outcome.message, ui::TextRole::body));
  if (!outcome.still_possible.empty()) {
    auto card = make_card(app, app.tr("journey.still_possible"));
    for (const std::string& line : outcome.still_possible) card->add(std::make_unique<ui::Label>("· " + line, ui::TextRole::body));
    page->add(std::move(card));
  }
  for (std::size_t i = 0; i < outcome.buttons.size(); ++i) {
    auto& button = outcome.buttons[i];
    auto* widget = page->add(std::make_unique<ui::Button>(button.text, button.kind, button.on_tap));
    widget->set_id("outcome-" + std::to_string(i));
  }
  if (!outcome.staff_detail.empty()) {
    page->add(std::make_unique<ui::Label>(app.strings().format("journey.staff_detail", {outcome.staff_detail}),
                                          ui::TextRole::caption, palette.text_secondary));
  }
  return scrolling(std::move(page), scroll);
}

void add_step_header(AppContext& app, ui::Column& page, JourneyStep step) {
  static const char* const names[] = {"journey.step.identify", "journey.step.materials", "journey.step.form",
                                       "journey.step.review", "journey.step.submit"};
  const int index = static_cast<int>(step);
  auto label = std::make_unique<ui::Label>(
      app.strings().format("journey.step", {std::to_string(index), "5", app.tr(names[index - 1])}),
      ui::TextRole::caption, app.theme().palette().primary);
  label->set_id("journey-step");
  page.add(std::move(label));
}

std::shared_ptr<ui::Canvas> preview_canvas(const hal::Image& image, int max_width, bool mirror) {
  if (!image.valid()) return nullptr;
  const int width = std::min(image.width, std::max(1, max_width));
  const int height = std::max(1, image.height * width / image.width);
  auto canvas = std::make_shared<ui::Canvas>(width, height);
  std::uint32_t* out = canvas->pixels();
  const int channels = image.bytes_per_pixel();
  for (int y = 0; y < height; ++y) {
    const int sy = y * image.height / height;
    for (int x = 0; x < width; ++x) {
      const int sx = (mirror ? width - 1 - x : x) * image.width / width;
      const std::uint8_t* p = &image.pixels[(static_cast<std::size_t>(sy) * image.width + sx) * channels];
      const std::uint32_t r = p[0], g = channels == 3 ? p[1] : p[0], b = channels == 3 ? p[2] : p[0];
      out[static_cast<std::size_t>(y) * width + x] = 0xFF000000u | (r << 16) | (g << 8) | b;
    }
  }
  return canvas;
}

void wipe_canvas(ui::Canvas& canvas) { canvas.clear(ui::Color::rgb(0)); }

std::string today_yyyymmdd() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d", &local);
  return text;
}

Applying current_application(AppContext& app) {
  Applying applying;
  Session& session = app.session();
  if (!session.application || !app.catalog()) return applying;
  applying.item = app.catalog()->find_item(session.application->item_code);
  if (applying.item) applying.application = session.application.get();
  return applying;
}

std::unique_ptr<ui::Widget> no_application_page(AppContext& app, ui::ScrollState* scroll) {
  auto page = make_page(app);
  page->add(std::make_unique<ui::Label>(app.tr("journey.no_application"), ui::TextRole::body));
  return scrolling(std::move(page), scroll);
}

std::string material_state(AppContext& app, const apply::MaterialChoice& choice) {
  switch (choice.source) {
    case apply::MaterialSource::none: return app.tr("materials.state.none");
    case apply::MaterialSource::capture:
      return app.strings().format("materials.state.captured", {std::to_string(choice.pages.size())});
    case apply::MaterialSource::licence: return app.strings().format("materials.state.licence", {choice.licence_name});
    case apply::MaterialSource::commitment: return app.tr("materials.state.commitment");
  }
  return {};
}

namespace {

void begin_application(AppContext& app, const std::string& item_code) {
  const catalog::Item* item = app.catalog() ? app.catalog()->find_item(item_code) : nullptr;
  Session& session = app.session();
  if (!item || !session.identity) return;
  if (session.application) session.application->wipe();
  session.application = std::make_unique<apply::Application>(apply::start_application(*item, &*session.identity));
  if (!item->materials.empty()) {
    app.push(make_materials_screen());
  } else if (!item->form.empty()) {
    app.push(make_form_screen());
  } else {
    app.push(make_review_screen());
  }
}

}  // namespace

void start_applying(AppContext& app, const std::string& item_code) {
  if (app.session().verified(app.now()) && app.session().identity) {
    begin_application(app, item_code);
    return;
  }
  app.push(make_identify_screen([item_code](AppContext& context) { begin_application(context, item_code); }));
}

}  // namespace screens
