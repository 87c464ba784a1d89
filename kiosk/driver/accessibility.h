#pragma once
// The accessibility numbers (DOMAIN.md, MIIT 适老化 2021) measured on what a screen really shows:
// the widget tree as arranged and the pixels as rendered. Every `screenshot` of the script driver
// runs it, so every screen a test walks is measured in the mode it is shown in:
//   elderly mode: every text ≥ 18 pt, every tappable widget wholly on screen ≥ 60 × 60 dp;
//   standard mode: tappable widgets ≥ 44 × 44 dp;
//   both: a text's ink against its background ≥ 4.5:1, read from the frame; no text is a string
//   key ("progress.title": what Strings shows when the current language lacks a text).

#include <string>
#include <vector>

#include "kiosk/app/app.h"

namespace kiosk::driver {

struct AccessibilityReport {
  int texts_checked = 0;
  int targets_checked = 0;
  std::vector<std::string> problems;  // "text 16.0 pt < 18 pt: \"…\"" …
};

AccessibilityReport check_accessibility(App& app);

}  // namespace kiosk::driver
