// 好差评 (journey 2, docs/journey.md): a rating of a case (after submitting it, from the progress
// query) or, with no case number, of the hall's service (from home). Five levels with the words of
// GB/T 39734; 1–2 ask what was wrong (the catalog's rating_reasons, at least one) and both may add
// free text (≤ 500 characters, typed with the pinyin keyboard). The rating is committed to the
// outbox on the worker — durable before the thanks page says so — and the sender delivers it, also
// after an outage. One rating per case (and one of the hall) per session: a second attempt is told
// it has rated already. The thanks page goes back by itself after a while, at once on a tap.
#include <algorithm>
#include <ctime>
#include <set>

#include "kiosk/apply/application.h"
#include "kiosk/core/log.h"
#include "kiosk/core/secure_memory.h"
#include "kiosk/platform/channel.h"
#include "screens/field_input.h"
#include "screens/hall_requests.h"
#include "screens/journey.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// How long the thanks page stays before it goes back by itself (longer in elderly mode: more
// time to read it).
constexpr Milliseconds kThanksFor = 20000;
constexpr Milliseconds kThanksForElderly = 30000;
// About what the one-line text field shows on the narrowest panel; longer text is also shown whole.
constexpr std::size_t kShownInField = 16;

class RatingScreen final : public Screen {
 public:
  explicit RatingScreen(std::string case_number) : case_number_(std::move(case_number)) {
    text_field_.name = "rating_text";
    text_field_.label = "";
    text_field_.type = catalog::FieldType::text;
    text_field_.max_length = static_cast<int>(kMaxRatingText);
  }
  ~RatingScreen() override {
    input_.detach();
    secure_clear(text_);
  }

  std::string name() const override { return "rating"; }
  std::string title(AppContext& app) const override { return app.tr("rating.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (step_ == Step::choose && app.session().rated.count(case_number_)) step_ = Step::already;
    switch (step_) {
      case Step::choose: return build_levels(app);
      case Step::details: return editing_ ? build_editor(app) : build_details(app);
      case Step::saving: {
        auto page = make_page(app);
        page->add(std::make_unique<ui::Spinner>(app.tr("rating.saving")));
        return scrolling(std::move(page), &scroll_);
      }
      case Step::thanks: return build_thanks(app);
      case Step::already: return make_outcome_page(app, already(app), &scroll_);
      case Step::failed: return make_outcome_page(app, failed(app), &scroll_);
    }
    return build_levels(app);
  }

  void on_text(AppContext& app, const std::string& typed) override {
    if (!editing_) return;
    input_.key(typed);
    app.rebuild();
  }

  std::optional<Milliseconds> wake_at() const override {
    if (step_ != Step::thanks) return std::nullopt;
    // Once a second, for the countdown, until the page goes.
    return std::min(done_at_, last_tick_ + 1000);
  }
  void on_time(AppContext& app) override {
    if (step_ != Step::thanks) return;
    if (app.now() >= done_at_) {
      finish(app);
      return;
    }
    last_tick_ = app.now();
    app.rebuild();
  }

 private:
  enum class Step { choose, details, saving, thanks, already, failed };

  bool hall() const { return case_number_.empty(); }

  void add_intro(AppContext& app, ui::Column& page) {
    const ui::Palette& palette = app.theme().palette();
    auto* ask = page.add(std::make_unique<ui::Label>(app.tr(hall() ? "rating.ask_hall" : "rating.ask_case"), ui::TextRole::title));
    ask->set_id("rating-ask");
    if (!hall()) {
      auto* number = page.add(std::make_unique<ui::Label>(app.strings().format("rating.case_number", {case_number_}),
                                                          ui::TextRole::body, palette.text_secondary));
      number->set_id("rating-case");
    }
  }

  // "★★★★☆": the level as stars, so it is not told by words (or colour) alone.
  static std::string stars(int level) {
    std::string out;
    for (int i = kBestLevel; i >= kWorstLevel; --i) out += kBestLevel - i < level ? "★" : "☆";
    return out;
  }
  static std::string level_word(AppContext& app, int level) { return app.tr("rating.level." + std::to_string(level)); }
  static std::string level_detail(AppContext& app, int level) {
    return stars(level) + "  " + app.strings().format("rating.points", {std::to_string(level)});
  }

  std::unique_ptr<ui::Widget> build_levels(AppContext& app) {
    auto page = make_page(app);
    add_intro(app, *page);
    page->add(std::make_unique<ui::Label>(app.tr("rating.why"), ui::TextRole::body));
    // Best first, as the standard lists them: one under the other in portrait, side by side in
    // landscape (so all five are on screen).
    const bool portrait = app.theme().display().portrait();
    auto row = std::make_unique<ui::Row>(app.theme().spacing());
    for (int level = kBestLevel; level >= kWorstLevel; --level) {
      auto button = std::make_unique<ui::Button>(level_word(app, level), portrait ? ui::ButtonKind::secondary : ui::ButtonKind::tile,
                                                 [this, &app, level] { choose(app, level); }, level_detail(app, level));
      button->set_id("rating-level-" + std::to_string(level));
      if (portrait) page->add(std::move(button));
      else row->add(std::move(button));
    }
    if (!portrait) page->add(std::move(row));
    return scrolling(std::move(page), &scroll_);
  }

  void choose(AppContext& app, int level) {
    if (level != level_) reasons_.clear();
    level_ = level;
    tried_ = false;
    step_ = Step::details;
    scroll_ = {};
    app.rebuild();
  }

  // The reasons offered at the chosen level, in catalog order.
  std::vector<const catalog::RatingReason*> offered(AppContext& app) const {
    const catalog::Catalog* catalog = app.catalog();
    return catalog ? catalog->reasons_for(level_) : std::vector<const catalog::RatingReason*>{};
  }

  // A reason in the citizen's language: the catalog's text (the platform's, in Chinese), or our
  // translation of the standard's code in English where there is one.
  static std::string reason_text(AppContext& app, const catalog::RatingReason& reason) {
    const std::string key = "rating.reason." + reason.code;
    if (app.strings().language() == Language::en && app.strings().has(key, Language::en)) return app.tr(key);
    return reason.text;
  }

  std::unique_ptr<ui::Widget> build_details(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    add_intro(app, *page);
    // The chosen level, and a way to change it, on one line.
    auto chosen = make_card(app, "");
    auto line = std::make_unique<ui::Row>(app.theme().spacing());
    auto level = std::make_unique<ui::Column>(0, 0);
    level->add(std::make_unique<ui::Label>(app.strings().format("rating.chosen", {level_word(app, level_)}), ui::TextRole::heading))
        ->set_id("rating-chosen");
    level->add(std::make_unique<ui::Label>(level_detail(app, level_), ui::TextRole::body, palette.text_secondary));
    line->add(std::move(level), 3);
    line->add(std::make_unique<ui::Button>(app.tr("rating.change"), ui::ButtonKind::secondary, [this, &app] {
      step_ = Step::choose;
      scroll_ = {};
      app.rebuild();
    }), 2)->set_id("rating-change");
    chosen->add(std::move(line));
    page->add(std::move(chosen));

    bool can_submit = true;
    if (level_ <= kBadRatingUpTo) {
      const auto reasons = offered(app);
      auto card = make_card(app, app.tr("rating.reasons"));
      card->add(std::make_unique<ui::Label>(app.tr("rating.reasons_hint"), ui::TextRole::body, palette.text_secondary));
      if (reasons.empty()) {
        // No list to choose from (no catalog, or one without reasons): the platform would refuse
        // the rating, so the citizen is sent to people who can take it.
        card->add(std::make_unique<ui::Label>(app.strings().format("rating.no_reasons", {app.config().staff_location}),
                                              ui::TextRole::body, palette.warning))
            ->set_id("rating-no-reasons");
        can_submit = false;
      }
      // One under the other in portrait, two to a line in landscape.
      const int columns = app.theme().display().portrait() ? 1 : 2;
      std::unique_ptr<ui::Row> row;
      int in_row = 0;
      for (const catalog::RatingReason* reason : reasons) {
        const bool on = reasons_.count(reason->code) > 0;
        // A box or a tick before the words, besides the colour: the state is not told by colour alone.
        auto toggle = std::make_unique<ui::Button>(
            (on ? "✓ " : "□ ") + reason_text(app, *reason), on ? ui::ButtonKind::primary : ui::ButtonKind::secondary,
            [this, &app, code = reason->code] {
              if (!reasons_.erase(code)) reasons_.insert(code);
              app.rebuild();
            });
        toggle->set_id("reason-" + reason->code);
        toggle->set_selected(on);
        if (!row) row = std::make_unique<ui::Row>(app.theme().spacing());
        row->add(std::move(toggle));
        if (++in_row == columns) {
          card->add(std::move(row));
          in_row = 0;
        }
      }
      if (row) {
        while (in_row++ < columns) row->add(std::make_unique<ui::Spacer>(0));
        card->add(std::move(row));
      }
      if (tried_ && reasons_.empty() && !reasons.empty()) {
        card->add(std::make_unique<ui::Label>("⚠ " + app.tr("rating.need_reason"), ui::TextRole::body, palette.warning))
            ->set_id("rating-need-reason");
      }
      page->add(std::move(card));
    }

    auto words = make_card(app, app.tr("rating.text"));
    if (text_.empty()) {
      words->add(std::make_unique<ui::TextField>(&text_, app.tr("rating.text_placeholder"), [this, &app] { open_keyboard(app); }))
          ->set_id("rating-text");
    } else {
      // What was typed, whole (a one-line field would show only its end); tapping edits it.
      words->add(std::make_unique<ui::Button>(text_, ui::ButtonKind::row, [this, &app] { open_keyboard(app); },
                                              app.tr("rating.text_edit")))
          ->set_id("rating-text");
    }
    add_counter(app, *words);
    page->add(std::move(words));

    if (can_submit) {
      page->add(std::make_unique<ui::Button>(app.tr("rating.submit"), ui::ButtonKind::primary, [this, &app] { submit(app); }))
          ->set_id("rating-submit");
    }
    return scrolling(std::move(page), &scroll_);
  }

  void add_counter(AppContext& app, ui::Column& column) {
    const std::size_t count = character_count(text_);
    const bool over = count > kMaxRatingText;
    const std::string limit = std::to_string(kMaxRatingText);
    const std::string text = over         ? app.strings().format("rating.too_long", {limit})
                             : count == 0 ? app.strings().format("rating.count_empty", {limit})
                                          : app.strings().format("rating.count", {std::to_string(count), limit});
    column.add(std::make_unique<ui::Label>(text, ui::TextRole::body, over ? app.theme().palette().warning
                                                                          : app.theme().palette().text_secondary))
        ->set_id("rating-count");
  }

  // While typing, only the text and its counter show above the keyboard.
  std::unique_ptr<ui::Widget> build_editor(AppContext& app) {
    const ui::Theme& theme = app.theme();
    // Landscape leaves about one line above the full-width keyboard (less under the offline
    // notice): a thinner margin, and the field with its counter side by side.
    PageBody page = theme.display().portrait() ? make_page(app)
                                               : PageBody{std::make_unique<ui::Column>(theme.spacing(), theme.spacing() / 2)};
    auto field = std::make_unique<ui::TextField>(&text_, app.tr("rating.text_placeholder"), [] {});
    field->set_id("rating-text");
    field->set_focused(true);
    if (theme.display().portrait()) {
      page->add(std::make_unique<ui::Label>(app.tr("rating.text"), ui::TextRole::heading));
      page->add(std::move(field));
      add_counter(app, *page);
    } else {
      auto row = std::make_unique<ui::Row>(theme.spacing());
      row->add(std::move(field), 2);
      auto counter = std::make_unique<ui::Column>(0, 0);
      add_counter(app, *counter);
      row->add(std::move(counter), 1);
      page->add(std::move(row));
    }
    // Longer than the field shows: the whole text under it, so it can be read back.
    if (character_count(text_) > kShownInField) {
      page->add(std::make_unique<ui::Label>(text_, ui::TextRole::body, app.theme().palette().text_secondary))
          ->set_id("rating-text-whole");
    }
    return with_keyboard(app, scrolling(std::move(page), &editor_scroll_),
                         make_field_keyboard(app, input_, [this, &app] { close_keyboard(app); }));
  }

  void open_keyboard(AppContext& app) {
    editing_ = true;
    input_.attach(app, &text_, text_field_, [&app] { app.rebuild(); });
    app.rebuild();
  }

  void close_keyboard(AppContext& app) {
    editing_ = false;
    input_.detach();
    app.rebuild();
  }

  void submit(AppContext& app) {
    tried_ = true;
    input_.detach();
    editing_ = false;
    platform::Channel* channel = app.platform();
    // Without a catalog (still loading, or failed) there are no reasons: a good rating still goes.
    const catalog::Catalog none;
    const catalog::Catalog& catalog = app.catalog() ? *app.catalog() : none;
    std::vector<std::string> reasons;
    for (const catalog::RatingReason* reason : offered(app)) {
      if (reasons_.count(reason->code)) reasons.push_back(reason->code);
    }
    auto body = rating_body({case_number_, level_, reasons, text_, rfc3339(std::time(nullptr), app.time_zone())}, catalog);
    if (!body) {
      // Said on the page, next to what needs it (the reasons, the counter).
      log::info("rating", std::string("not sent: ") + to_string(body.error()));
      app.rebuild();
      return;
    }
    if (!channel || !channel->configured()) {
      log::warning("rating", "no platform channel: the rating cannot be kept");
      step_ = Step::failed;
      unavailable_ = true;
      app.rebuild();
      return;
    }
    step_ = Step::saving;
    auto failure = std::make_shared<std::string>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [channel, body = body.release_value(), failure] {
          auto entry = channel->submit(outbox::Kind::rating, body);
          if (!entry) *failure = entry.error().message.empty() ? "outbox" : entry.error().message;
        },
        [this, &app, alive, failure] {
          if (alive.expired()) return;
          if (!failure->empty()) {
            log::warning("rating", "not committed: " + *failure);
            step_ = Step::failed;
            unavailable_ = false;
          } else {
            log::info("rating", "committed to the outbox");
            app.session().rated.insert(case_number_);
            queued_ = app.platform_offline();
            secure_clear(text_);
            step_ = Step::thanks;
            last_tick_ = app.now();
            done_at_ = app.now() + (app.theme().elderly_mode() ? kThanksForElderly : kThanksFor);
          }
          scroll_ = {};
          app.rebuild();
        });
    app.rebuild();
  }

  std::unique_ptr<ui::Widget> build_thanks(AppContext& app) {
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.tr("rating.thanks"), ui::TextRole::title))->set_id("rating-thanks");
    page->add(std::make_unique<ui::Label>(app.strings().format("rating.chosen", {level_word(app, level_)}) + "  " + stars(level_),
                                          ui::TextRole::heading));
    if (queued_) {
      page->add(std::make_unique<ui::Label>(app.tr("rating.queued"), ui::TextRole::body))->set_id("rating-queued");
    } else {
      page->add(std::make_unique<ui::Label>(app.tr("rating.sent"), ui::TextRole::body))->set_id("rating-sent");
    }
    if (level_ <= kBadRatingUpTo) page->add(std::make_unique<ui::Label>(app.tr("rating.follow_up"), ui::TextRole::body));
    page->add(std::make_unique<ui::Button>(app.tr(hall() ? "rating.home" : "rating.done"), ui::ButtonKind::primary,
                                           [this, &app] { finish(app); }))
        ->set_id("rating-done");
    const Milliseconds left = std::max<Milliseconds>(0, done_at_ - app.now());
    page->add(std::make_unique<ui::Label>(
                  app.strings().format(hall() ? "rating.home_in" : "rating.back_in", {std::to_string((left + 999) / 1000)}),
                  ui::TextRole::body, palette.text_secondary))
        ->set_id("rating-countdown");
    // A tap anywhere on the page goes on at once.
    return std::make_unique<ui::TapArea>(scrolling(std::move(page), &scroll_), [this, &app] { finish(app); });
  }

  // The hall's rating was made from home: back there. A case's rating goes back to the screen that
  // offered it (the receipt, "finish"), which now says the case is rated.
  void finish(AppContext& app) {
    if (finished_) return;
    finished_ = true;
    if (hall()) app.go_home();
    else app.back();
  }

  Outcome already(AppContext& app) {
    return {"rating-already", app.tr("rating.already.title"), app.tr(hall() ? "rating.already.hall" : "rating.already.case"),
            {}, "", {{app.tr(hall() ? "rating.home" : "rating.done"), ui::ButtonKind::primary, [this, &app] { finish(app); }}}};
  }

  Outcome failed(AppContext& app) {
    const std::string staff = app.config().staff_location;
    std::vector<ui::DialogButton> buttons;
    if (!unavailable_) buttons.push_back({app.tr("rating.try_again"), ui::ButtonKind::primary, [this, &app] { submit(app); }});
    buttons.push_back({app.tr(hall() ? "rating.home" : "journey.back"), ui::ButtonKind::secondary, [this, &app] { finish(app); }});
    return {"rating-failed", app.tr(unavailable_ ? "rating.unavailable.title" : "rating.failed.title"),
            app.tr(unavailable_ ? "rating.unavailable.message" : "rating.failed.message"),
            {app.strings().format("rating.failed.staff", {staff}), app.tr("rating.failed.hotline")},
            unavailable_ ? "no_platform" : "outbox",
            std::move(buttons)};
  }

  std::string case_number_;
  Step step_ = Step::choose;
  int level_ = 0;
  std::set<std::string> reasons_;
  std::string text_;
  catalog::FormField text_field_;
  FieldInput input_;
  bool editing_ = false;
  bool tried_ = false;
  bool queued_ = false;
  bool unavailable_ = false;
  bool finished_ = false;
  Milliseconds done_at_ = 0;
  Milliseconds last_tick_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ui::ScrollState scroll_;
  ui::ScrollState editor_scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_rating_screen(std::string case_number) {
  return std::make_unique<RatingScreen>(std::move(case_number));
}

}  // namespace screens
