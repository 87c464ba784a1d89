#include "screens/journey.h"

#include <algorithm>
#include <ctime>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/text.h"
#include "screens/screens.h"

namespace screens {

using namespace kiosk;

std::unique_ptr<ui::Widget> make_outcome_page(AppContext& app, Outcome outcome, ui::ScrollState* scroll) {
  // For technicians: the code goes to the log (built again on a rebuild: the same line again).
  if (!outcome.staff_detail.empty()) log::info("outcome", outcome.id + ": " + outcome.staff_detail);
  auto page = make_page(app);
  page->add(make_status_symbol(app, outcome.tone));
  auto* title = page->add(std::make_unique<ui::Label>(outcome.title, ui::TextRole::title, std::nullopt, ui::Align::center));
  if (!outcome.id.empty()) title->set_id(outcome.id);
  page->add(std::make_unique<ui::Label>(outcome.message, ui::TextRole::body));
  if (!outcome.still_possible.empty()) {
    auto card = make_card(app, app.tr("journey.still_possible"));
    for (const std::string& line : outcome.still_possible) card->add(std::make_unique<ui::Label>("· " + line, ui::TextRole::body));
    page->add(std::move(card));
  }
  for (std::size_t i = 0; i < outcome.buttons.size(); ++i) {
    auto& button = outcome.buttons[i];
    const ui::ButtonKind kind = i == 0 ? ui::ButtonKind::primary : ui::ButtonKind::secondary;
    auto* widget = page->add(std::make_unique<ui::Button>(button.text, kind, button.on_tap));
    widget->set_id("outcome-" + std::to_string(i));
  }
  return scrolling(std::move(page), scroll);
}

JourneyFlow application_flow(const catalog::Item& item, const apply::Application* application) {
  JourneyFlow flow = {JourneyStep::identify};
  if (!item.materials.empty()) flow.push_back(JourneyStep::materials);
  if (!item.form.empty() || (application && apply::needs_commitment(*application))) flow.push_back(JourneyStep::form);
  flow.push_back(JourneyStep::review);
  flow.push_back(JourneyStep::submit);
  return flow;
}

JourneyFlow licence_flow() { return {JourneyStep::identify, JourneyStep::licence_choose, JourneyStep::licence_view}; }

std::string step_text(AppContext& app, const JourneyFlow& flow, JourneyStep step) {
  const auto found = std::find(flow.begin(), flow.end(), step);
  if (flow.size() < 2 || found == flow.end()) return {};
  static const char* const names[] = {"journey.step.identify", "journey.step.materials", "journey.step.form",
                                      "journey.step.review",   "journey.step.submit",    "journey.step.licence_choose",
                                      "journey.step.licence_view"};
  const auto position = static_cast<std::size_t>(found - flow.begin()) + 1;
  return app.strings().format("journey.step", {std::to_string(position), std::to_string(flow.size()),
                                               app.tr(names[static_cast<int>(step)])});
}

void add_step_header(AppContext& app, ui::Column& page, const JourneyFlow& flow, JourneyStep step) {
  const std::string text = step_text(app, flow, step);
  if (text.empty()) return;
  auto label = std::make_unique<ui::Label>(text, ui::TextRole::caption, app.theme().palette().primary);
  label->set_id("journey-step");
  page.add(std::move(label));
}

void add_step_header(AppContext& app, ui::Column& page, JourneyStep step) {
  const Applying applying = current_application(app);
  if (!applying) return;
  add_step_header(app, page, application_flow(*applying.item, applying.application), step);
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

std::string today_yyyymmdd(const TimeZone& zone) { return format_time(std::time(nullptr), "%Y%m%d", zone); }

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

std::string material_state(AppContext& app, const catalog::Material& material, const apply::MaterialChoice& choice) {
  if (!material.provided_by.empty()) return app.tr("materials.state.provided_by." + material.provided_by);
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
  const catalog::Item* item = app.catalog() ? app.catalog()->find_item(item_code) : nullptr;
  JourneyFlow flow = item ? application_flow(*item, nullptr) : JourneyFlow{};
  app.push(make_identify_screen(std::move(flow), [item_code](AppContext& context) { begin_application(context, item_code); }));
}

}  // namespace screens
