// Search the catalog by keyword or pinyin initials ("sfz" → 身份证 items) with the on-screen
// keyboard. Results update on every key; nothing is submitted, so there is no "search" button.
#include "kiosk/core/text.h"
#include "screens/common.h"
#include "screens/screens.h"

namespace screens {
namespace {

using namespace kiosk;

// Removes the last UTF-8 character.
void erase_last_character(std::string& value) {
  while (!value.empty()) {
    const unsigned char last = static_cast<unsigned char>(value.back());
    value.pop_back();
    if ((last & 0xC0) != 0x80) break;  // stop after removing a lead byte or an ASCII byte
  }
}

class SearchScreen final : public Screen {
 public:
  std::string name() const override { return "search"; }
  std::string title(AppContext& app) const override { return app.tr("search.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    std::string& query = app.session().search_query;

    auto top = std::make_unique<ui::Column>(theme.spacing() / 2, theme.padding());
    auto* field = top->add(std::make_unique<ui::TextField>(&query, app.tr("search.placeholder"), [this, &app] {
      keyboard_shown_ = true;  // tapping the field brings the keyboard back
      app.rebuild();
    }));
    field->set_id("query");
    field->set_focused(keyboard_shown_);

    auto results = make_page(app);
    const catalog::SearchIndex* index = app.search_index();
    if (query.empty()) {
      results->add(std::make_unique<ui::Label>(app.tr("search.hint"), ui::TextRole::body, theme.palette().text_secondary));
    } else if (!index) {
      results->add(std::make_unique<ui::Spinner>(app.tr("home.loading")));
    } else {
      const auto hits = index->search(query);
      if (hits.empty()) {
        results->add(std::make_unique<ui::Label>(app.strings().format("search.none", {query, app.config().staff_location}),
                                                 ui::TextRole::body));
      } else {
        results->add(std::make_unique<ui::Label>(app.strings().format("search.count", {std::to_string(hits.size())}),
                                                 ui::TextRole::caption, theme.palette().text_secondary));
        for (const catalog::SearchHit& hit : hits) results->add(make_item_row(app, *hit.item));
      }
    }
    if (!keyboard_shown_) {
      auto* show = results->add(std::make_unique<ui::Button>(app.tr("keyboard.show"), ui::ButtonKind::secondary, [this, &app] {
        keyboard_shown_ = true;
        app.rebuild();
      }));
      show->set_id("keyboard-show");
    }

    auto list = std::make_unique<ui::FlexColumn>();
    list->add(std::move(top));
    list->add(scrolling(std::move(results), &scroll_), 1);
    if (!keyboard_shown_) return list;

    auto keyboard = ui::make_keyboard(theme, {[this, &app](const std::string& key) { on_text(app, key); },
                                              app.tr("keyboard.space"), app.tr("keyboard.backspace"),
                                              app.tr("keyboard.hide"), [this, &app] {
                                                keyboard_shown_ = false;
                                                app.rebuild();
                                              }});
    if (!theme.display().portrait()) {
      // Landscape: the results on the left, the keyboard on the right, both at full height.
      auto row = std::make_unique<ui::Row>(0);
      row->add(std::move(list), 1);
      auto right = std::make_unique<ui::FlexColumn>();
      right->add(std::make_unique<ui::Spacer>(0), 1);  // the keyboard sits at the bottom, near the hands
      right->add(std::move(keyboard));
      row->add(std::move(right), 1);
      return row;
    }
    auto layout = std::make_unique<ui::FlexColumn>();
    layout->add(std::move(list), 1);
    layout->add(std::move(keyboard));
    return layout;
  }

  void on_text(AppContext& app, const std::string& typed) override {
    std::string& query = app.session().search_query;
    if (typed == "\b") {
      erase_last_character(query);
    } else if (text::is_valid_utf8(typed) && query.size() + typed.size() <= kMaxQueryBytes) {
      query += typed;
    }
    scroll_ = {};
    keyboard_shown_ = true;
    app.rebuild();
  }

 private:
  static constexpr std::size_t kMaxQueryBytes = 120;
  ui::ScrollState scroll_;
  bool keyboard_shown_ = true;
};

}  // namespace

std::unique_ptr<Screen> make_search_screen() { return std::make_unique<SearchScreen>(); }

}  // namespace screens
