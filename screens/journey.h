#pragma once
// Pieces shared by the screens of journey 1 (identify and apply, docs/journey.md): the outcome
// page every failure uses (what happened, what the citizen can still do, buttons), the step
// indicator, and helpers for personal pictures on screen.

#include <memory>
#include <string>
#include <vector>

#include "hal/image.h"
#include "kiosk/app/screen.h"
#include "kiosk/ui/canvas.h"
#include "screens/common.h"
#include "screens/screens.h"

namespace kiosk::apply {
struct Application;
struct MaterialChoice;
}

namespace screens {

// A failure or a stop on the way, in plain words: a symbol (tone), a title, what happened, a short
// list of what the citizen can still do, and buttons — the first is the one primary way forward,
// the others are drawn secondary whatever their kind. `staff_detail` is a code for technicians
// (never personal data): it goes to the log, never onto the citizen's screen.
struct Outcome {
  std::string id;  // widget id of the title ("outcome-not-verified"), for scripts
  std::string title;
  std::string message;
  std::vector<std::string> still_possible;
  std::string staff_detail;
  std::vector<kiosk::ui::DialogButton> buttons;
  Tone tone = Tone::failure;
};
std::unique_ptr<kiosk::ui::Widget> make_outcome_page(kiosk::AppContext& app, Outcome outcome,
                                                     kiosk::ui::ScrollState* scroll);

// The steps of applying for `item` (journey 1): identify, materials (when the item has any), form
// (when it has fields, or a material is replaced by the 告知承诺书 — `application` may be null
// before one exists), review, submit.
JourneyFlow application_flow(const kiosk::catalog::Item& item, const kiosk::apply::Application* application);
// Electronic licences: identify, choose a licence, view and print it.
JourneyFlow licence_flow();
// "第 2 步，共 4 步：准备材料", or "" when `step` is not in `flow` or the flow has one step.
std::string step_text(kiosk::AppContext& app, const JourneyFlow& flow, JourneyStep step);
// The step text over the page (id journey-step), so the citizen knows how far along they are.
void add_step_header(kiosk::AppContext& app, kiosk::ui::Column& page, const JourneyFlow& flow, JourneyStep step);
// The same for a screen of the application being filled in (its item's flow).
void add_step_header(kiosk::AppContext& app, kiosk::ui::Column& page, JourneyStep step);

// A frame for the screen, scaled down to at most `max_width` pixels wide (nearest neighbour is
// enough for a preview); `mirror` flips it like a mirror, so a citizen moving left sees the
// picture move left. The canvas is personal data: clear it with wipe_canvas when done.
std::shared_ptr<kiosk::ui::Canvas> preview_canvas(const kiosk::hal::Image& image, int max_width, bool mirror = false);
void wipe_canvas(kiosk::ui::Canvas& canvas);

// Today as YYYYMMDD in the terminal's zone (for the card's validity).
std::string today_yyyymmdd(const kiosk::TimeZone& zone);

// The application being filled in and its item, or nulls when the session has none (the session
// ended under a screen, or the catalog changed): the screen then shows nothing personal.
struct Applying {
  kiosk::apply::Application* application = nullptr;
  const kiosk::catalog::Item* item = nullptr;
  explicit operator bool() const { return application && item; }
};
Applying current_application(kiosk::AppContext& app);
// What a journey screen shows when the session has no application (it ended under the screen).
std::unique_ptr<kiosk::ui::Widget> no_application_page(kiosk::AppContext& app, kiosk::ui::ScrollState* scroll);
// How a material is provided, in words ("已拍照 2 页", "使用电子证照：营业执照", "✓ 已由身份证读取" …).
std::string material_state(kiosk::AppContext& app, const kiosk::catalog::Material& material,
                           const kiosk::apply::MaterialChoice& choice);

// Starts an application for `item_code`: through identification when the session has no verified
// citizen yet, then the materials screen (or the form, for an item without materials).
void start_applying(kiosk::AppContext& app, const std::string& item_code);

}  // namespace screens
