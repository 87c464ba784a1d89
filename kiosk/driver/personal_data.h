#pragma once
// The one masking rule (kiosk/core/masking.h) checked on what a screen really shows: every
// `screenshot` of the script driver looks through the rendered text of the widget tree (labels,
// buttons and their detail lines, text fields — not OCR) and the voice's last prompt for the
// session's personal data in full: the card's ID number and name, and every personal value of the
// application (ID numbers, names, phones, bank accounts typed into the form, the post recipient
// and phone). The one place a value may show in full is the text field being edited.

#include <string>
#include <vector>

#include "kiosk/app/app.h"

namespace kiosk::driver {

// One line per leak: `the citizen's ID number in widget "review-id" ("5105**********0137 …")`,
// the value itself masked in the message.
std::vector<std::string> check_personal_data(App& app);

}  // namespace kiosk::driver
