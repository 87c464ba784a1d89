#pragma once
// What a person or a script can do to the simulated devices, in one place: the script driver's
// `card`, `fault`, `face`, `scan`, `printer`, `unplug` and `plug` commands, the demo panel's keys
// and on-screen strip (kiosk/app/demo_panel.h) and `kioskctl sim …` through the control socket all
// call run(). Each action needs the sim twin of its device; against a real driver it fails with
// `the card reader is not the simulator (driver "sim")`.
//
// Threads: any thread except the UI thread (loading a picture or drawing a sample document takes
// tens of milliseconds). The sim twins lock themselves; this class keeps no state of its own, so
// callers on several threads (the app's worker, the control socket's connections) need no lock.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hal/devices.h"
#include "kiosk/app/demo_panel.h"
#include "kiosk/core/result.h"

namespace kiosk::driver {

class SimActions {
 public:
  // `assets_dir`: sample identities (identities/<name>.json) and pictures (images/<name>).
  SimActions(hal::Devices& devices, std::filesystem::path assets_dir);

  // One action (arguments as in docs/script-driver.md):
  //   card <sample>|file=<identity.json>|none
  //   fault <device> <switch> [on|off]
  //   face ok|none|file=<image>|<name in assets/images>
  //   scan [sample=]idcard:<sample>|[sample=]licence|receipt|none|file=<image>|<name in assets/images>
  //   printer [receipt|document] paper-out|cover-open|paper-near-end|ok
  //   unplug <device> | plug <device>
  // file= paths are relative to `base_dir` (the script's folder; kioskctl sends absolute ones).
  // Errors: invalid_argument (unknown verb, sample or switch), unsupported (not the simulator),
  // the loader's error for a file.
  Status run(const std::string& verb, const std::vector<std::string>& arguments,
             const std::filesystem::path& base_dir = {}) const;
  static bool is_action(std::string_view verb);

  // The sample identities in assets/identities, sorted: "ahe-yi", "lisi" …
  std::vector<std::string> card_samples() const;
  // What `kioskctl sim list` prints: the samples and the words each action takes.
  nlohmann::json describe() const;
  // Whether any device is a sim twin (demo mode needs at least one).
  bool any_simulated() const;

 private:
  Status card(const std::string& what, const std::filesystem::path& base_dir) const;
  Status fault(const std::string& device, const std::string& name, bool on) const;
  Status camera_frames(bool face, const std::string& what, const std::filesystem::path& base_dir) const;
  Status printer(const std::string& which, const std::string& state) const;

  hal::Devices& devices_;
  std::filesystem::path assets_dir_;
};

// The demo panel's actions (kiosk/app/demo_panel.h) on `actions`, which they share:
//   F1  place the next sample card (each sample in turn)   F2  take the card away
//   F3  face camera: a good face / nobody                  F4  document camera: each sample's ID
//       card front in turn / a business licence / the last receipt printed / nothing
//   F5  receipt printer: paper out / paper in              F6  card reader: unplug / replug
//   F7  receipt printer: unplug / replug                   F8  (the app) the menu, open and shut
// and, in the menu only, the certificate printer's paper and every other device's plug.
std::vector<DemoAction> demo_panel_actions(std::shared_ptr<const SimActions> actions);

}  // namespace kiosk::driver
