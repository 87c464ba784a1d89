#pragma once
// Building blocks shared by screens: a scrolling page body, section headings, guide-style rows.

#include <memory>
#include <string>

#include "kiosk/app/screen.h"
#include "kiosk/core/masking.h"  // every screen masks personal data the same way

namespace screens {

// The usual body of a screen: a padded column inside a vertical scroll view.
struct PageBody {
  std::unique_ptr<kiosk::ui::Column> column;
  kiosk::ui::Column& operator*() { return *column; }
  kiosk::ui::Column* operator->() { return column.get(); }
};
PageBody make_page(kiosk::AppContext& app);
std::unique_ptr<kiosk::ui::Widget> scrolling(PageBody page, kiosk::ui::ScrollState* state);

// A white card with a heading, for grouping fields (the sections of a guide).
std::unique_ptr<kiosk::ui::Column> make_card(kiosk::AppContext& app, const std::string& heading);
// "label: value" as a caption-coloured label above the value.
void add_field(kiosk::AppContext& app, kiosk::ui::Column& card, const std::string& label, const std::string& value);

// How an outcome went, shown as a symbol in a circle (a shape, so it reads without colour too):
// ✓ on green done, ! on amber take care (the citizen can act), ✕ on red failed.
enum class Tone { success, caution, failure };
// The symbol, centred, with id "outcome-symbol-success" / "-caution" / "-failure" for scripts.
std::unique_ptr<kiosk::ui::Widget> make_status_symbol(kiosk::AppContext& app, Tone tone);


// What kind of personal data a form field holds, for kiosk::masking::mask().
kiosk::masking::PersonalKind personal_kind(const kiosk::catalog::FormField& field);

// Tiles per row on the home screen: two on a portrait panel, four in landscape.
int tiles_per_row(const kiosk::AppContext& app);

}  // namespace screens
