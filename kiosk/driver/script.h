#pragma once
// The headless script driver: runs the kiosk from a text script with virtual time, so every screen
// can be walked, checked and photographed in CI without a display. One command per line, `#`
// starts a comment. Commands (see docs/script-driver.md):
//   tap "<visible text>" | tap id=<widget id> | tap <x> <y>
//   type "<text>"            key <name>             drag <x1> <y1> <x2> <y2> [ms]
//   card <sample> | card file=<identity.json> | card none
//   wait <ms>                wait-for "<text>" [ms] expect "<text>"     expect-not "<text>"
//   expect-screen <name>     screenshot <name>      elderly on|off         lang zh|en
//   fault <device> <switch> [on|off]      scroll-to "<text>"
//   platform down|up|sync|drain|expect-offline [ms]   (needs a platform; see docs/script-driver.md)
//   platform advance <case number>   scan receipt   (the document camera sees the last receipt printed)
//   face file=<image>|none   scan file=<image>|none   printer [receipt|document] paper-out|cover-open|ok
//   unplug <device>          plug <device>          sign id=<widget id>
//   hold <x> <y> <ms> | hold id=<widget id> <ms>   (a finger held still, then lifted)
//   document count <n> | document text "<text>" | document save <name>   (what the certificate
//                            printer printed: the sim twin's jobs, or a test cupsd's output folder)
// Errors name the line: `line 4: no visible widget with text "下一步"`.

#include <filesystem>
#include <functional>
#include <optional>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/devices.h"
#include "kiosk/app/app.h"
#include "kiosk/core/clock.h"
#include "kiosk/driver/sim_actions.h"

namespace kiosk::driver {

struct Command {
  int line = 0;
  std::string verb;
  std::vector<std::string> arguments;  // quotes removed, \" and \\ unescaped
};

// Parses a whole script; a bad line (unknown verb, wrong argument count, unterminated quote)
// fails the whole script before anything runs.
Result<std::vector<Command>> parse_script(std::string_view script);

struct RunOptions {
  std::filesystem::path out_dir;     // screenshots go here
  std::filesystem::path golden_dir;  // if set, screenshots are compared with <golden_dir>/<name>.png
  bool update_golden = false;        // write screenshots into golden_dir instead of comparing
  std::filesystem::path assets_dir;  // sample identities
  std::filesystem::path script_dir;  // relative file= paths
  double golden_tolerance = 0.002;   // fraction of pixels allowed to differ beyond the threshold
};

class ScriptRunner {
 public:
  ScriptRunner(App& app, VirtualClock& clock, hal::Devices& devices, RunOptions options);
  // What the UI thread spent on the run (the journey benchmark): for every tap and typed text, the
  // time from the input to the frame that shows its effect (handler, build, layout, draw); and the
  // UI thread's whole busy time, waits for workers, devices and the platform excluded.
  struct Timing {
    std::vector<double> touch_to_frame_ms;
    double ui_busy_ms = 0;
  };
  const Timing& timing() const { return timing_; }
  // Runs the commands in order; stops at the first failure, whose message names its line.
  Status run(const std::vector<Command>& commands);

 private:
  Status execute(const Command& command);
  // Lets background work and posted events finish (real time, bounded), then ticks due timers.
  Status settle();
  // Advances virtual time by `ms`, running every timer that falls due on the way.
  Status advance(Milliseconds ms);
  Status tap_text(const std::string& text);
  Status tap_id(const std::string& id);
  Status tap_point(ui::Point point);
  Status scroll_to(const std::string& text);
  Status screenshot(const std::string& name, const std::string& mask);
  // card, fault, face, scan, printer, unplug, plug (sim_commands.cpp → SimActions).
  Status sim_action(const Command& command);
  Status platform(const Command& command);
  Status expect_record(const Command& command);
  Status check_record(const Command& command);
  Status check_time(const Command& command);  // platform expect-time (platform_commands.cpp)
  Status receipt(const Command& command);
  Status document(const Command& command);  // document_commands.cpp
  // Waits in real time (the channel's threads run in real time) until `done` or `ms` pass,
  // settling the app between looks.
  Status wait_real(const std::function<bool()>& done, Milliseconds ms, const std::string& what);
  bool text_visible(const std::string& text);

  App& app_;
  VirtualClock& clock_;
  hal::Devices& devices_;
  RunOptions options_;
  SimActions sim_actions_;
  Timing timing_;
  // tick() / render() with the UI time counted.
  std::optional<Milliseconds> tick();
  bool render();
  // The frame after an input, as a touch-to-frame sample (the input call included via `input`).
  void frame_after(const std::function<void()>& input);
};

}  // namespace kiosk::driver
