// Progress by number: the citizen types the case number (SC20261103000101) or the local receipt
// number (L-0001-000042) printed on the receipt, on the letter keyboard (no pinyin: a number has
// no Chinese), and GET /api/v1/cases/<number> finds the case; the case page opens on top, so
// "back" returns here with the number still typed (to look again later in the visit).
// Not found shows the number as typed with "重新输入"; no answer, "try again".
#include <algorithm>

#include "kiosk/ime/composer.h"
#include "kiosk/ime/text_keyboard.h"
#include "screens/field_input.h"
#include "screens/progress.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

class ProgressNumberScreen final : public Screen {
 public:
  ProgressNumberScreen() : composer_(std::make_unique<ime::Composer>(nullptr, &number_)) {
    composer_->set_mode(ime::InputMode::latin);
    composer_->set_max_length(platform::kMaxCaseReference);
  }
  ~ProgressNumberScreen() override { request_.cancel(); }

  std::string name() const override { return "progress-number"; }
  std::string title(AppContext& app) const override { return app.tr("progress.number.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    switch (step_) {
      case Step::typing: return build_typing(app);
      case Step::searching: return build_searching(app);
      case Step::not_found: return make_outcome_page(app, not_found(app), &scroll_);
      case Step::failed: return make_outcome_page(app, progress_failure(app, answer_, [this, &app] { search(app); }), &scroll_);
    }
    return build_typing(app);
  }

  void on_text(AppContext& app, const std::string& typed) override {
    if (step_ != Step::typing) return;
    for (const char c : typed) {
      if (c == '\n' || c == '\r') {
        search(app);
        return;
      }
    }
    type_keys(typed);
    changed(app);
  }

 private:
  enum class Step { typing, searching, not_found, failed };

  // Typed text, a character at a time (the composer takes one key per call).
  void type_keys(const std::string& typed) {
    if (typed == "\b") {
      composer_->key(typed);
      return;
    }
    for (const char c : typed) composer_->key(std::string(1, c));
  }

  // Letters show upper case as they are typed (the receipt prints them so).
  void changed(AppContext& app) {
    std::transform(number_.begin(), number_.end(), number_.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
    problem_.clear();
    app.rebuild();
  }

  std::unique_ptr<ui::Widget> build_typing(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    // Landscape leaves little height above the full-width keyboard: the field and its button only
    // (the top bar says what to type), with a narrow margin; the explanation where there is room.
    const bool roomy = app.theme().display().portrait();
    auto page = roomy ? make_page(app)
                      : PageBody{std::make_unique<ui::Column>(app.theme().spacing(), app.theme().padding() / 4)};
    if (roomy) page->add(std::make_unique<ui::Label>(app.tr("progress.number.label"), ui::TextRole::heading));
    auto row = std::make_unique<ui::Row>(app.theme().spacing());
    auto* field = row->add(std::make_unique<ui::TextField>(&number_, app.tr("progress.number.hint"), [] {}), 3);
    field->set_id("progress-number");
    field->set_focused(true);
    auto* search_button = row->add(std::make_unique<ui::Button>(app.tr("progress.number.search"), ui::ButtonKind::primary,
                                                                [this, &app] { search(app); }),
                                   1);
    search_button->set_id("progress-search");
    page->add(std::move(row));
    if (!problem_.empty()) {
      auto* problem = page->add(std::make_unique<ui::Label>(problem_, ui::TextRole::body, palette.warning));
      problem->set_id("progress-number-problem");
    } else if (roomy) {
      page->add(std::make_unique<ui::Label>(app.tr("progress.number.where"), ui::TextRole::caption, palette.text_secondary));
    }
    ime::TextKeyboardSpec spec;
    spec.space_label = app.tr("keyboard.space");
    spec.backspace_label = app.tr("keyboard.backspace");
    spec.done_label = app.tr("keyboard.done");  // the same as "查询"
    spec.pinyin_label = app.tr("keyboard.pinyin");
    spec.latin_label = app.tr("keyboard.latin");
    spec.digits_label = app.tr("keyboard.digits");
    spec.previous_page_label = app.tr("keyboard.previous");
    spec.more_label = app.tr("keyboard.more");
    spec.on_change = [this, &app] { changed(app); };
    spec.on_done = [this, &app] { search(app); };
    return with_keyboard(app, scrolling(std::move(page), &scroll_), ime::make_text_keyboard(app.theme(), *composer_, std::move(spec)));
  }

  std::unique_ptr<ui::Widget> build_searching(AppContext& app) {
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.strings().format("progress.not_found.typed", {searched_}), ui::TextRole::heading));
    page->add(std::make_unique<ui::Spinner>(app.tr("progress.searching")));
    return scrolling(std::move(page), &scroll_);
  }

  Outcome not_found(AppContext& app) {
    Outcome o;
    o.id = "outcome-not-found";
    o.title = app.tr("progress.not_found.title");
    o.message = app.strings().format("progress.not_found.typed", {searched_}) + "\n" + app.tr("progress.not_found.message");
    o.still_possible = {app.strings().format("progress.ask_staff", {app.config().staff_location}), app.tr("progress.phone")};
    o.buttons = {{app.tr("progress.retype"), ui::ButtonKind::primary,
                  [this, &app] {
                    step_ = Step::typing;
                    app.rebuild();
                  }},
                 other_way_button(app)};
    return o;
  }

  // Under the field where there is room; in landscape the keyboard leaves none, so in a dialog.
  void show_problem(AppContext& app, const std::string& key) {
    problem_ = app.tr(key);
    if (!app.theme().display().portrait()) {
      app.show_dialog(app.tr("progress.number.title"), problem_,
                      {{app.tr("progress.retype"), ui::ButtonKind::primary, [&app] { app.close_dialog(); }}});
    }
    app.rebuild();
  }

  void search(AppContext& app) {
    composer_->commit_preedit();
    if (number_.empty()) {
      show_problem(app, "progress.number.empty");
      return;
    }
    const auto reference = platform::normalize_case_reference(number_);
    if (!reference) {
      show_problem(app, "progress.number.bad");
      return;
    }
    number_ = *reference;
    searched_ = *reference;
    step_ = Step::searching;
    app.rebuild();
    request_.start(app, platform::case_request(*reference, kProgressTimeout), /*list=*/false,
                   [this, &app](platform::ProgressAnswer answer) {
                     if (answer.kind == platform::ProgressAnswer::Kind::found && !answer.cases.empty()) {
                       step_ = Step::typing;  // "back" from the case returns to the number
                       app.push(make_progress_case_screen(std::move(answer.cases.front())));
                       return;
                     }
                     step_ = answer.kind == platform::ProgressAnswer::Kind::not_found ? Step::not_found : Step::failed;
                     answer_ = std::move(answer);
                     app.rebuild();
                   });
  }

  Step step_ = Step::typing;
  std::string number_;
  std::string searched_;
  std::string problem_;
  std::unique_ptr<ime::Composer> composer_;
  ProgressRequest request_;
  platform::ProgressAnswer answer_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_progress_number_screen() { return std::make_unique<ProgressNumberScreen>(); }

}  // namespace screens
