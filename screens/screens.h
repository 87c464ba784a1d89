#pragma once
// Factories for every screen. One file per screen in this folder, named after it.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/app/screen.h"

namespace screens {

std::unique_ptr<kiosk::Screen> make_attract_screen();
std::unique_ptr<kiosk::Screen> make_home_screen();
std::unique_ptr<kiosk::Screen> make_category_screen(std::string category_id);
std::unique_ptr<kiosk::Screen> make_search_screen();
std::unique_ptr<kiosk::Screen> make_guide_screen(std::string item_code);
// 一件事一次办: a package's description and its items, each opening its guide.
std::unique_ptr<kiosk::Screen> make_package_screen(std::string package_id);

// Journey 1 (docs/journey.md): identify, then materials, form, 告知承诺书, review, submitted. The
// application lives in the session (start_applying in journey.h begins one).
// The steps of a flow the citizen goes through, for the step header ("第 2 步，共 4 步：准备材料"):
// the header counts the flow's own steps (journey.h builds them), never a fixed number.
enum class JourneyStep { identify, materials, form, review, submit, licence_choose, licence_view };
using JourneyFlow = std::vector<JourneyStep>;
// `flow` is the flow identification starts (its first step is identify; a flow of one step shows
// no counter).
std::unique_ptr<kiosk::Screen> make_identify_screen(JourneyFlow flow, std::function<void(kiosk::AppContext&)> then);
std::unique_ptr<kiosk::Screen> make_materials_screen();
std::unique_ptr<kiosk::Screen> make_form_screen();
std::unique_ptr<kiosk::Screen> make_commitment_screen();
std::unique_ptr<kiosk::Screen> make_review_screen();
std::unique_ptr<kiosk::Screen> make_submitted_screen();

// Journey 2 (docs/journey.md): progress query, electronic licences, 好差评, queue tickets.
// Progress: by case number (typed or the receipt's QR under the document camera) or by ID card.
std::unique_ptr<kiosk::Screen> make_progress_screen();
// Licences: identify (card + face), list, preview, verify the issuer's signature, print via CUPS.
std::unique_ptr<kiosk::Screen> make_licences_screen();
// 好差评 for a case (after submitting, from the progress query) or, with an empty case number,
// for the hall's service (from home).
std::unique_ptr<kiosk::Screen> make_rating_screen(std::string case_number);
// 排队叫号: choose a business category, take a ticket (priority with the ID card), print it.
std::unique_ptr<kiosk::Screen> make_queue_screen();

// Technician mode (issue 7): screens/technician.h declares its screens; the attract screen opens
// it through make_technician_entry_screen.

// An item as a list row (name, then at-kiosk / same-day / visits), tapping opens its guide.
std::unique_ptr<kiosk::ui::Widget> make_item_row(kiosk::AppContext& app, const kiosk::catalog::Item& item);
std::string item_summary(kiosk::AppContext& app, const kiosk::catalog::Item& item);

// A service or device fault, in plain words with a way forward (retry, another route, staff).
struct FaultNotice {
  std::string title;
  std::string message;
  std::string detail_for_staff;  // for technicians, logged (an error code, never personal data)
  bool offer_retry = false;
};
std::unique_ptr<kiosk::Screen> make_fault_screen(FaultNotice notice, std::function<void()> retry = {});

class StandardScreens final : public kiosk::ScreenFactory {
 public:
  std::unique_ptr<kiosk::Screen> attract() override { return make_attract_screen(); }
  std::unique_ptr<kiosk::Screen> home() override { return make_home_screen(); }
};

}  // namespace screens
