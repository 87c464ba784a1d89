// Review (journey 1, step 4): everything the case will carry on one screen, each part with a link
// back to change it; the delivery of the result (pickup, or post with an address — the ID card's
// address offered); then submission through the outbox. "Submitted" is said only after the case is
// committed to disk; a failure to commit keeps everything and offers to try again.
#include <ctime>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/platform/channel.h"
#include "screens/field_input.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// Splits an address into the 省市区 part (up to the last 区/县/市 among the first characters) and
// the rest, for the post form; the citizen can correct both.
std::pair<std::string, std::string> split_address(const std::string& address) {
  std::size_t cut = 0;
  for (const char* mark : {"区", "县", "市"}) {
    const std::size_t at = address.find(mark);
    if (at != std::string::npos && at < 40) cut = std::max(cut, at + std::string(mark).size());
  }
  return {address.substr(0, cut), address.substr(cut)};
}

class ReviewScreen final : public Screen {
 public:
  ~ReviewScreen() override { alive_.reset(); }
  std::string name() const override { return "review"; }
  std::string title(AppContext& app) const override { return app.tr("review.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    Applying applying = current_application(app);
    if (!applying) return no_application_page(app, &scroll_);
    auto page = make_page(app);
    if (submitting_) {
      add_step_header(app, *page, JourneyStep::submit);
      page->add(std::make_unique<ui::Label>(app.tr("review.saving"), ui::TextRole::title));
      page->add(std::make_unique<ui::Spinner>(app.tr("review.saving_detail")));
      return scrolling(std::move(page), &scroll_);
    }
    const ui::Palette& palette = app.theme().palette();
    const catalog::Item& item = *applying.item;
    apply::Application& application = *applying.application;
    add_step_header(app, *page, JourneyStep::review);
    page->add(std::make_unique<ui::Label>(item.name, ui::TextRole::title));
    page->add(std::make_unique<ui::Label>(app.tr("review.intro"), ui::TextRole::body));

    if (const auto& card = app.session().identity) {
      auto applicant = make_card(app, app.tr("review.applicant"));
      add_field(app, *applicant, app.tr("review.name"), masking::name(card->name));
      add_field(app, *applicant, app.tr("review.id_number"), masking::id_number(card->id_number));
      page->add(std::move(applicant));
    }

    if (!item.materials.empty()) {
      auto materials = make_card(app, app.tr("review.materials"));
      for (std::size_t i = 0; i < item.materials.size(); ++i) {
        const apply::MaterialChoice& choice = application.materials[i];
        add_field(app, *materials, item.materials[i].name, material_state(app, item.materials[i], choice));
      }
      add_edit(app, *materials, "materials", "edit-materials");
      page->add(std::move(materials));
    }

    if (!item.form.empty()) {
      auto form = make_card(app, app.tr("review.form"));
      for (const catalog::FormField& field : item.form) {
        std::string value = application.form[field.name];
        for (const catalog::FieldOption& option : field.options) {
          if (option.value == value) value = option.label;
        }
        add_field(app, *form, field.label, value.empty() ? app.tr("review.empty") : masking::mask(personal_kind(field), value));
      }
      add_edit(app, *form, "form", "edit-form");
      page->add(std::move(form));
    }

    if (apply::needs_commitment(application)) {
      auto commitment = make_card(app, app.tr("commitment.title"));
      commitment->add(std::make_unique<ui::Label>(
          app.tr(application.commitment ? "review.signed" : "review.unsigned"), ui::TextRole::body,
          application.commitment ? palette.text : palette.warning));
      add_edit(app, *commitment, "commitment", "edit-commitment");
      page->add(std::move(commitment));
    }

    page->add(delivery_card(app, applying));

    auto* submit = page->add(std::make_unique<ui::Button>(app.tr("review.submit"), ui::ButtonKind::primary,
                                                          [this, &app] { on_submit(app); }));
    submit->set_id("submit");
    page->add(std::make_unique<ui::Label>(app.tr("review.submit_note"), ui::TextRole::caption, palette.text_secondary));

    if (!focused_.empty()) {
      return with_keyboard(app, scrolling(std::move(page), &scroll_),
                           make_field_keyboard(app, input_, [this, &app] {
                             focused_.clear();
                             input_.detach();
                             app.rebuild();
                           }));
    }
    return scrolling(std::move(page), &scroll_);
  }

  void on_text(AppContext& app, const std::string& typed) override {
    if (focused_.empty()) return;
    input_.key(typed);
    app.rebuild();
  }

 private:
  void add_edit(AppContext& app, ui::Column& card, const std::string& screen, const std::string& id) {
    auto* edit = card.add(std::make_unique<ui::Button>(app.tr("review.edit"), ui::ButtonKind::secondary,
                                                       [&app, screen] { app.back_to(screen); }));
    edit->set_id(id);
  }

  std::unique_ptr<ui::Widget> delivery_card(AppContext& app, Applying applying) {
    apply::Application& application = *applying.application;
    auto card = make_card(app, app.tr("review.delivery"));
    auto row = std::make_unique<ui::Row>(app.theme().spacing());
    const bool post = application.delivery == apply::DeliveryMethod::post;
    auto choose = [this, &app](apply::DeliveryMethod method) {
      return [this, &app, method] {
        Applying now = current_application(app);
        if (!now) return;
        now.application->delivery = method;
        if (method == apply::DeliveryMethod::post) prefill_address(app, *now.application, *now.item, false);
        focused_.clear();
        input_.detach();
        app.rebuild();
      };
    };
    auto* pickup = row->add(std::make_unique<ui::Button>((post ? "○ " : "● ") + app.tr("review.pickup"),
                                                         post ? ui::ButtonKind::secondary : ui::ButtonKind::primary,
                                                         choose(apply::DeliveryMethod::pickup)));
    pickup->set_id("delivery-pickup");
    auto* by_post = row->add(std::make_unique<ui::Button>((post ? "● " : "○ ") + app.tr("review.post"),
                                                          post ? ui::ButtonKind::primary : ui::ButtonKind::secondary,
                                                          choose(apply::DeliveryMethod::post)));
    by_post->set_id("delivery-post");
    card->add(std::move(row));
    if (!post) {
      card->add(std::make_unique<ui::Label>(app.strings().format("review.pickup_where", {applying.item->place}),
                                            ui::TextRole::body));
      return card;
    }
    const auto problems = apply::address_problems(application);
    auto field = [&](const std::string& name, std::string* value, const std::string& label, catalog::FieldType type) {
      card->add(std::make_unique<ui::Label>(label, ui::TextRole::caption, app.theme().palette().text_secondary));
      auto* input = card->add(std::make_unique<ui::TextField>(value, label, [this, &app, name, value, label, type] {
        catalog::FormField spec;
        spec.name = name;
        spec.label = label;
        spec.type = type;
        spec.max_length = type == catalog::FieldType::text ? 80 : 0;
        focused_ = name;
        input_.attach(app, value, spec, [&app] { app.rebuild(); });
        app.rebuild();
      }));
      input->set_id("address-" + name);
      input->set_focused(focused_ == name);
      if (name == "recipient") input->set_masked(masking::name(*value));
      if (type == catalog::FieldType::phone) input->set_masked(masking::phone(*value));
      if (tried_ && std::find(problems.begin(), problems.end(), name) != problems.end()) {
        card->add(std::make_unique<ui::Label>(app.tr("review.address_missing." + name), ui::TextRole::body,
                                              app.theme().palette().warning));
      }
    };
    field("recipient", &application.address.recipient, app.tr("review.recipient"), catalog::FieldType::text);
    field("phone", &application.address.phone, app.tr("review.phone"), catalog::FieldType::phone);
    field("region", &application.address.region, app.tr("review.region"), catalog::FieldType::text);
    field("detail", &application.address.detail, app.tr("review.detail"), catalog::FieldType::text);
    auto* use_card = card->add(std::make_unique<ui::Button>(app.tr("review.use_card_address"), ui::ButtonKind::secondary,
                                                            [this, &app] {
                                                              Applying now = current_application(app);
                                                              if (now) prefill_address(app, *now.application, *now.item, true);
                                                              app.rebuild();
                                                            }));
    use_card->set_id("use-card-address");
    return card;
  }

  // Recipient and phone from the card and the form; the address from the card when asked (or
  // when the citizen has not typed one).
  static void prefill_address(AppContext& app, apply::Application& application, const catalog::Item& item,
                              bool card_address) {
    const auto& card = app.session().identity;
    if (!card) return;
    apply::Address& address = application.address;
    if (address.recipient.empty()) address.recipient = card->name;
    if (address.phone.empty()) {
      for (const catalog::FormField& field : item.form) {
        if (field.type == catalog::FieldType::phone && !application.form[field.name].empty()) {
          address.phone = application.form[field.name];
          break;
        }
      }
    }
    if (card_address || (address.region.empty() && address.detail.empty())) {
      auto [region, detail] = split_address(card->address);
      secure_clear(address.region);
      secure_clear(address.detail);
      address.region = region;
      address.detail = detail;
    }
  }

  void on_submit(AppContext& app) {
    Applying applying = current_application(app);
    if (!applying) return;
    tried_ = true;
    focused_.clear();
    input_.detach();
    const catalog::Item& item = *applying.item;
    apply::Application& application = *applying.application;
    if (!apply::ready_to_submit(item, application)) {
      std::string list;
      int count = 0;
      auto add = [&](const std::string& line) {
        if (count++) list += "\n";
        list += std::to_string(count) + ". " + line;
      };
      for (const std::string& material : apply::missing_materials(item, application)) {
        add(app.strings().format("review.problem.material", {material}));
      }
      for (const apply::FieldProblem& problem : apply::form_problems(item, application)) {
        if (!problem.check.blocks()) continue;
        const catalog::FormField* field = item.find_field(problem.field);
        add((field ? field->label : problem.field) + ": " +
            (app.strings().language() == Language::en ? problem.check.message_en : problem.check.message_zh));
      }
      if (apply::needs_commitment(application) && !application.commitment) add(app.tr("review.unsigned"));
      if (application.delivery == apply::DeliveryMethod::post && !apply::address_problems(application).empty()) {
        add(app.tr("review.problem.address"));
      }
      app.show_dialog(app.tr("review.problems.title"), app.strings().format("review.problems.message", {list}),
                      {{app.tr("form.problems.ok"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
      app.rebuild();
      return;
    }
    platform::Channel* channel = app.platform();
    if (!channel) {
      app.show_dialog(app.tr("review.no_platform.title"),
                      app.strings().format("review.no_platform.message", {app.config().staff_location}),
                      {{app.tr("form.problems.ok"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
      return;
    }
    application.submitted_at = rfc3339(std::time(nullptr), app.time_zone());
    auto body = std::make_shared<nlohmann::json>(
        apply::case_body(item, application, *app.session().identity, app.session().identity_token));
    auto entry = std::make_shared<std::optional<outbox::OutboxResult<outbox::Entry>>>();
    submitting_ = true;
    app.rebuild();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [channel, body, entry] {
          entry->emplace(channel->submit(outbox::Kind::case_submission, *body));
          body->clear();
        },
        [this, &app, alive, entry] {
          if (alive.expired()) return;
          submitting_ = false;
          Applying now = current_application(app);
          if (!now) return;
          auto& result = **entry;
          if (!result.ok()) {
            log::error("review", "case not committed: " + result.error().message);
            app.show_dialog(app.tr("review.save_failed.title"),
                            app.strings().format("review.save_failed.message", {app.config().staff_location}),
                            {{app.tr("review.try_again"), ui::ButtonKind::primary,
                              [this, &app] {
                                app.close_dialog();
                                on_submit(app);
                              }},
                             {app.tr("form.problems.ok"), ui::ButtonKind::secondary, [&app] { app.close_dialog(); }}});
            app.rebuild();
            return;
          }
          now.application->local_receipt = result.value().local_receipt;
          now.application->case_number = result.value().reference;
          log::info("review", "case committed to the outbox");
          // The journey cannot go back into a submitted application: the submitted screen sits
          // directly on home.
          app.go_home();
          app.push(make_submitted_screen());
        });
  }

  bool submitting_ = false;
  bool tried_ = false;
  std::string focused_;
  FieldInput input_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_review_screen() { return std::make_unique<ReviewScreen>(); }

}  // namespace screens
