// Form (journey 1, step 3): the item's application form, pre-filled from the ID card and from
// OCR. Each field is checked as the citizen types, with a plain message next to it; values read
// by OCR with doubt are marked until the citizen confirms them. "Next" lists every problem at once.
#include "kiosk/apply/application.h"
#include "kiosk/core/text.h"
#include "screens/field_input.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class FormScreen final : public Screen {
 public:
  std::string name() const override { return "form"; }
  std::string title(AppContext& app) const override { return app.tr("form.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    Applying applying = current_application(app);
    if (!applying) return no_application_page(app, &scroll_);
    auto page = make_page(app);
    const ui::Palette& palette = app.theme().palette();
    if (const catalog::FormField* focused = applying.item->find_field(focused_)) {
      return build_editor(app, *focused, applying.application->form[focused->name]);
    }
    add_step_header(app, *page, JourneyStep::form);
    page->add(std::make_unique<ui::Label>(applying.item->name, ui::TextRole::title));
    page->add(std::make_unique<ui::Label>(app.tr("form.intro"), ui::TextRole::caption, palette.text_secondary));

    apply::Application& application = *applying.application;
    for (const catalog::FormField& field : applying.item->form) {
      auto card = std::make_unique<ui::Column>(app.theme().spacing() / 3, 0);
      std::string label = field.label + (field.required ? "" : " " + app.tr("form.optional"));
      card->add(std::make_unique<ui::Label>(label, ui::TextRole::heading));
      std::string& value = application.form[field.name];
      if (field.type == catalog::FieldType::enumeration) {
        for (const catalog::FieldOption& option : field.options) {
          const bool chosen = value == option.value;
          auto* button = card->add(std::make_unique<ui::Button>(
              (chosen ? "● " : "○ ") + option.label, chosen ? ui::ButtonKind::primary : ui::ButtonKind::secondary,
              [this, &app, name = field.name, option_value = option.value] {
                Applying now = current_application(app);
                if (!now) return;
                now.application->form[name] = option_value;
                touched_.insert(name);
                focused_.clear();
                app.rebuild();
              }));
          button->set_id("option-" + field.name + "-" + option.value);
        }
      } else {
        auto* input = card->add(std::make_unique<ui::TextField>(&value, field.hint, [this, &app, name = field.name] {
          focus(app, name);
        }));
        input->set_id("field-" + field.name);
        input->set_focused(focused_ == field.name);
        if (const auto kind = personal_kind(field); kind != masking::PersonalKind::none) input->set_masked(masking::mask(kind, value));
      }
      if (!field.hint.empty() && field.type == catalog::FieldType::enumeration) {
        card->add(std::make_unique<ui::Label>(field.hint, ui::TextRole::caption, palette.text_secondary));
      }
      // Checked as the citizen types; an untouched empty field is not scolded before "next".
      const catalog::FieldCheck check = catalog::validate_field(field, value);
      const bool show = !check.ok() && (touched_.count(field.name) || !value.empty() || tried_next_);
      if (show) {
        auto* message = card->add(std::make_unique<ui::Label>(
            app.strings().language() == Language::en ? check.message_en : check.message_zh, ui::TextRole::body,
            check.blocks() ? palette.warning : palette.text));
        message->set_id("problem-" + field.name);
      }
      if (application.to_confirm.count(field.name) && !application.confirmed.count(field.name)) {
        card->add(std::make_unique<ui::Label>(app.tr("form.check_scan"), ui::TextRole::body, palette.warning));
        auto* confirm = card->add(std::make_unique<ui::Button>(app.tr("form.confirm_value"), ui::ButtonKind::secondary,
                                                               [&app, name = field.name] {
                                                                 Applying now = current_application(app);
                                                                 if (now) now.application->confirmed.insert(name);
                                                                 app.rebuild();
                                                               }));
        confirm->set_id("confirm-" + field.name);
      }
      auto panel = make_card(app, "");
      panel->add(std::move(card));
      page->add(std::move(panel));
    }
    auto* next = page->add(std::make_unique<ui::Button>(app.tr("journey.next"), ui::ButtonKind::primary,
                                                        [this, &app] { on_next(app); }));
    next->set_id("form-next");
    return scrolling(std::move(page), &scroll_);
  }

  void on_text(AppContext& app, const std::string& typed) override {
    if (focused_.empty()) return;
    input_.key(typed);
    touched_.insert(focused_);
    app.rebuild();
  }

 private:
  // While typing, only the field being edited shows above the keyboard: big, with its check
  // message right under it, so nothing the citizen needs is hidden behind the keyboard.
  std::unique_ptr<ui::Widget> build_editor(AppContext& app, const catalog::FormField& field, std::string& value) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    // Landscape leaves little height above a full-width keyboard: the field and its check come
    // first, the step and the hint only where there is room.
    const bool roomy = app.theme().display().portrait();
    if (roomy) add_step_header(app, *page, JourneyStep::form);
    page->add(std::make_unique<ui::Label>(field.label, ui::TextRole::heading));
    auto* input = page->add(std::make_unique<ui::TextField>(&value, field.hint, [] {}));
    input->set_id("field-" + field.name);
    input->set_focused(true);
    const catalog::FieldCheck check = catalog::validate_field(field, value);
    if (!check.ok() && !value.empty()) {
      auto* message = page->add(std::make_unique<ui::Label>(
          app.strings().language() == Language::en ? check.message_en : check.message_zh, ui::TextRole::body,
          check.blocks() ? palette.warning : palette.text));
      message->set_id("problem-" + field.name);
    } else if (!value.empty()) {
      auto* fine = page->add(std::make_unique<ui::Label>(app.tr("form.looks_right"), ui::TextRole::body, palette.primary));
      fine->set_id("ok-" + field.name);
    }
    if (roomy && !field.hint.empty()) {
      page->add(std::make_unique<ui::Label>(field.hint, ui::TextRole::caption, palette.text_secondary));
    }
    return with_keyboard(app, scrolling(std::move(page), &editor_scroll_),
                         make_field_keyboard(app, input_, [this, &app] { close_keyboard(app); }));
  }

  void focus(AppContext& app, const std::string& name) {
    Applying applying = current_application(app);
    if (!applying) return;
    const catalog::FormField* field = applying.item->find_field(name);
    if (!field) return;
    if (!focused_.empty()) touched_.insert(focused_);
    focused_ = name;
    // A field the citizen edits is theirs now: no longer an OCR value to confirm.
    applying.application->to_confirm.erase(name);
    applying.application->from_ocr.erase(name);
    input_.attach(app, &applying.application->form[name], *field, [&app] { app.rebuild(); });
    app.rebuild();
  }

  void close_keyboard(AppContext& app) {
    if (!focused_.empty()) touched_.insert(focused_);
    focused_.clear();
    input_.detach();
    app.rebuild();
  }

  void on_next(AppContext& app) {
    Applying applying = current_application(app);
    if (!applying) return;
    tried_next_ = true;
    focused_.clear();
    input_.detach();
    std::string list;
    int count = 0;
    bool blocking = false;
    for (const apply::FieldProblem& problem : apply::form_problems(*applying.item, *applying.application)) {
      const catalog::FormField* field = applying.item->find_field(problem.field);
      if (problem.check.blocks()) blocking = true;
      if (count++) list += "\n";
      list += std::to_string(count) + ". " + (field ? field->label : problem.field) + ": " +
              (app.strings().language() == Language::en ? problem.check.message_en : problem.check.message_zh);
    }
    if (blocking) {
      app.show_dialog(app.tr("form.problems.title"), app.strings().format("form.problems.message", {list}),
                      {{app.tr("form.problems.ok"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
      app.rebuild();
      return;
    }
    if (apply::needs_commitment(*applying.application)) app.push(make_commitment_screen());
    else app.push(make_review_screen());
  }

  std::string focused_;
  std::set<std::string> touched_;
  bool tried_next_ = false;
  FieldInput input_;
  ui::ScrollState scroll_;
  ui::ScrollState editor_scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_form_screen() { return std::make_unique<FormScreen>(); }

}  // namespace screens
