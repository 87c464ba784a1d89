// Item guide (办事指南): every element DOMAIN.md lists, in the order a citizen asks about them —
// can I do it here, what do I need, how long, what does it cost, where and when, whom to call;
// then conditions and steps; the codes, departments and legal basis last.
#include "screens/common.h"
#include "screens/journey.h"
#include "screens/screens.h"

#include <ctime>

namespace screens {
namespace {

using namespace kiosk;

std::string numbered(const std::vector<std::string>& lines) {
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i) text += "\n";
    text += std::to_string(i + 1) + ". " + lines[i];
  }
  return text;
}

const char* form_key(catalog::MaterialForm form) {
  switch (form) {
    case catalog::MaterialForm::original: return "material.original";
    case catalog::MaterialForm::copy: return "material.copy";
    case catalog::MaterialForm::electronic: return "material.electronic";
  }
  return "material.original";
}

class GuideScreen final : public Screen {
 public:
  explicit GuideScreen(std::string code) : code_(std::move(code)) {}
  std::string name() const override { return "guide"; }
  std::string title(AppContext& app) const override { return app.tr("guide.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto page = make_page(app);
    const catalog::Catalog* catalog = app.catalog();
    const catalog::Item* item = catalog ? catalog->find_item(code_) : nullptr;
    if (!item) {
      page->add(std::make_unique<ui::Label>(app.tr("guide.missing"), ui::TextRole::body));
      return scrolling(std::move(page), &scroll_);
    }
    const ui::Palette& palette = app.theme().palette();
    const Strings& strings = app.strings();

    page->add(std::make_unique<ui::Label>(item->name, ui::TextRole::title));
    page->add(std::make_unique<ui::Label>(tags(app, *item), ui::TextRole::body, palette.primary));
    if (auto note = freshness(app); !note.empty()) {
      auto label = std::make_unique<ui::Label>(note, ui::TextRole::caption, palette.text_secondary);
      label->set_id("catalog-age");
      page->add(std::move(label));
    }
    if (item->kiosk_enabled && (!item->form.empty() || !item->materials.empty())) {
      // The way into journey 1: identification first, then the application.
      auto* apply = page->add(std::make_unique<ui::Button>(app.tr("guide.apply"), ui::ButtonKind::primary,
                                                           [&app, code = code_] { start_applying(app, code); }));
      apply->set_id("apply");
    }
    if (!item->kiosk_enabled) {
      auto where = make_card(app, app.tr("guide.where_else"));
      std::string text = strings.format("guide.where_else_place", {item->place});
      if (!item->online_url.empty()) text += "\n" + strings.format("guide.where_else_online", {item->online_url});
      where->add(std::make_unique<ui::Label>(text, ui::TextRole::body));
      page->add(std::move(where));
    }

    // What a citizen needs first: what to bring, how long and what it costs, where and when; then
    // the conditions and steps; the codes, departments and legal basis last.
    auto materials = make_card(app, app.tr("guide.materials"));
    if (item->materials.empty()) {
      materials->add(std::make_unique<ui::Label>(app.tr("guide.no_materials"), ui::TextRole::body));
    }
    for (std::size_t i = 0; i < item->materials.size(); ++i) {
      const catalog::Material& material = item->materials[i];
      materials->add(std::make_unique<ui::Label>(std::to_string(i + 1) + ". " + material.name, ui::TextRole::body));
      std::string detail = app.tr(form_key(material.form)) + " · " +
                           strings.format("material.count", {std::to_string(material.count)}) + " · " +
                           app.tr(material.required ? "material.required" : "material.optional");
      if (material.commitment_allowed) detail += " · " + app.tr("material.commitment");
      if (!material.note.empty()) detail += "\n" + material.note;
      materials->add(std::make_unique<ui::Label>(detail, ui::TextRole::caption, palette.text_secondary));
    }
    materials->set_id("guide-materials");
    page->add(std::move(materials));

    auto time_and_fee = make_card(app, app.tr("guide.time_fee"));
    add_field(app, *time_and_fee, app.tr("guide.promised"),
              item->same_day() ? app.tr("item.same_day")
                               : strings.format("guide.working_days", {std::to_string(item->promised_days)}));
    add_field(app, *time_and_fee, app.tr("guide.statutory"),
              strings.format("guide.working_days", {std::to_string(item->statutory_days)}));
    add_field(app, *time_and_fee, app.tr("guide.fee"), item->fee.free ? app.tr("guide.free") : item->fee.standard);
    if (!item->fee.free) add_field(app, *time_and_fee, app.tr("guide.fee_basis"), item->fee.basis);
    add_field(app, *time_and_fee, app.tr("guide.visits"),
              item->visits == 0 ? app.tr("item.zero_visits") : app.tr("item.one_visit"));
    time_and_fee->set_id("guide-time-and-fee");
    page->add(std::move(time_and_fee));

    auto contact = make_card(app, app.tr("guide.contact"));
    add_field(app, *contact, app.tr("guide.place"), item->place);
    add_field(app, *contact, app.tr("guide.hours"), item->hours);
    add_field(app, *contact, app.tr("guide.phone"), item->phone);
    add_field(app, *contact, app.tr("guide.complaint_phone"), item->complaint_phone);
    add_field(app, *contact, app.tr("guide.online"), item->online_url);
    contact->set_id("guide-contact");
    page->add(std::move(contact));

    auto conditions = make_card(app, app.tr("guide.conditions"));
    conditions->add(std::make_unique<ui::Label>(numbered(item->conditions), ui::TextRole::body));
    conditions->set_id("guide-conditions");
    page->add(std::move(conditions));

    auto steps = make_card(app, app.tr("guide.steps"));
    steps->add(std::make_unique<ui::Label>(numbered(item->steps), ui::TextRole::body));
    steps->set_id("guide-steps");
    page->add(std::move(steps));

    auto basics = make_card(app, app.tr("guide.basics"));
    add_field(app, *basics, app.tr("guide.code"), item->code);
    add_field(app, *basics, app.tr("guide.type"), item->type);
    add_field(app, *basics, app.tr("guide.department"), item->department);
    add_field(app, *basics, app.tr("guide.implementer"), item->implementer);
    add_field(app, *basics, app.tr("guide.legal_basis"), numbered(item->legal_basis));
    basics->set_id("guide-basics");
    page->add(std::move(basics));

    return scrolling(std::move(page), &scroll_);
  }

 private:
  // With a platform, a guide older than the configured hours (or factory data) says so.
  static std::string freshness(AppContext& app) {
    const auto synced_at = app.catalog_synced_at();
    if (!synced_at) return {};
    if (*synced_at == 0) return app.tr("guide.catalog_factory");
    const std::time_t now = std::time(nullptr);
    const std::time_t then = static_cast<std::time_t>(*synced_at / 1000);
    if (now - then < static_cast<std::time_t>(app.config().platform.catalog_stale_hours) * 3600) return {};
    return app.strings().format("guide.catalog_age", {format_time(then, "%Y-%m-%d %H:%M", app.time_zone())});
  }

  static std::string tags(AppContext& app, const catalog::Item& item) {
    std::string text = item.kiosk_enabled ? app.tr("item.at_kiosk") : app.tr("item.not_at_kiosk");
    if (item.same_day()) text += " · " + app.tr("item.same_day");
    if (item.province_wide) text += " · " + app.tr("item.province_wide");
    if (item.cross_province) text += " · " + app.tr("item.cross_province");
    if (item.materials.empty()) text += " · " + app.tr("item.zero_materials");
    return text;
  }

  std::string code_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_guide_screen(std::string item_code) { return std::make_unique<GuideScreen>(std::move(item_code)); }

}  // namespace screens
