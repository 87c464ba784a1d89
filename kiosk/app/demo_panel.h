#pragma once
// The demo panel (config `demo.panel`, README "Quick start"): a thin strip along the bottom edge,
// labelled 演示 DEMO so nobody takes it for the product, that opens a menu of simulator actions —
// place or take away a sample ID card, what the cameras see, printer paper, unplug and replug —
// and the same actions on the keys F1…F8. The actions themselves are kiosk/driver/sim_actions.h
// (main builds them); the app only shows them and runs them off the UI thread. Outside demo mode
// there are no actions, and neither the strip nor the keys exist.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/app/strings.h"
#include "kiosk/core/result.h"
#include "kiosk/ui/widget.h"

namespace kiosk {

struct DemoAction {
  std::string id;                  // the menu button's widget id: "demo-" + id
  std::string label_key;           // strings key; {0} is `argument`
  std::string argument;            // e.g. the sample's name
  bool translate_argument = false;  // `argument` is itself a strings key (a device's name)
  std::string key;                 // "F1" …, or "": menu only. Actions sharing a key take turns.
  std::function<Status()> run;     // blocks; called on a worker thread, never the UI thread
};

// The action's label in the current language.
std::string demo_action_label(const Strings& strings, const DemoAction& action);

// The strip: one line of text on a colour no screen uses, at least a touch target high. The
// tappable area has the id "demo-strip".
std::unique_ptr<ui::Widget> make_demo_strip(const ui::Theme& theme, std::string text, std::function<void()> on_tap);

// The menu: a modal card with every action as a button ("demo-<id>"), a line naming the keys and
// a close button ("demo-close").
std::unique_ptr<ui::Widget> make_demo_menu(const ui::Theme& theme, const Strings& strings,
                                           const std::vector<DemoAction>& actions,
                                           const std::function<void(std::size_t)>& on_pick, std::function<void()> on_close);

}  // namespace kiosk
