// Technician mode, the terminal's connections and records (docs/technician.md): the network and
// platform check, the outbox and the catalog, recent log lines, and the export of a diagnostics
// bundle to a USB stick (found in /proc/mounts) or the config's ops.bundle_dir. Every call to
// Operations runs on the worker with a spinner; every failure is one plain sentence.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "kiosk/core/log.h"
#include "kiosk/ops/operations.h"
#include "kiosk/platform/channel.h"
#include "screens/common.h"
#include "screens/technician.h"

namespace screens {

using namespace kiosk;

namespace {

std::string age_text(AppContext& app, std::int64_t seconds) {
  if (seconds < 120) return app.strings().format("tech.age.seconds", {std::to_string(seconds)});
  if (seconds < 2 * 3600) return app.strings().format("tech.age.minutes", {std::to_string(seconds / 60)});
  if (seconds < 2 * 86400) return app.strings().format("tech.age.hours", {std::to_string(seconds / 3600)});
  return app.strings().format("tech.age.days", {std::to_string(seconds / 86400)});
}

std::string step_name(AppContext& app, const std::string& name) {
  const std::string key = "tech.network.step." + name;
  return app.strings().has(key, app.strings().language()) ? app.tr(key) : name;
}

// --- network -----------------------------------------------------------------------------------

class NetworkScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  ~NetworkScreen() override { cancel_.cancel(); }
  std::string name() const override { return "technician-network"; }
  std::string title(AppContext& app) const override { return app.tr("tech.network.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!started_) {
      started_ = true;
      check(app);
    }
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    if (running_) {
      page->add(std::make_unique<ui::Spinner>(app.tr("tech.network.running")))->set_id("tech-network-running");
      page->add(button(app, app.tr("tech.network.cancel"), ui::ButtonKind::secondary, [this] { cancel_.cancel(); }))
          ->set_id("tech-network-cancel");
      return frame(app, scrolling(std::move(page), &scroll_));
    }
    if (report_) {
      page->add(std::make_unique<ui::Label>(app.tr(report_->ok ? "tech.network.ok" : "tech.network.failed"), ui::TextRole::heading))
          ->set_id("tech-network-verdict");
      for (const ops::NetworkStep& step : report_->steps) {
        auto card = std::make_unique<ui::Column>(app.theme().spacing() / 4, app.theme().spacing());
        card->set_background(palette.surface, app.theme().corner_radius()).set_border(palette.border);
        // The step and, beside it, how long it took (its own label: a time must not change how the
        // detail below wraps).
        auto heading = std::make_unique<ui::Row>(app.theme().spacing());
        heading->add(std::make_unique<ui::Label>((step.ok ? "√ " : "× ") + step_name(app, step.name), ui::TextRole::body), 3)
            ->set_id("tech-step-" + step.name);
        heading->add(std::make_unique<ui::Label>(std::to_string(step.duration_ms) + " ms", ui::TextRole::caption,
                                                 palette.text_secondary),
                     1)
            ->set_id("tech-step-time-" + step.name);
        card->add(std::move(heading));
        // A failed step says what to do in the screen's language; the detail below it is the
        // check's own technical sentence (the same kioskctl prints).
        if (!step.ok && step.detail != "cancelled" && app.strings().has("tech.network.hint." + step.name, app.strings().language())) {
          card->add(std::make_unique<ui::Label>(app.tr("tech.network.hint." + step.name), ui::TextRole::body))
              ->set_id("tech-step-hint-" + step.name);
        }
        if (!step.detail.empty()) {
          card->add(std::make_unique<ui::Label>(step.detail, ui::TextRole::caption, palette.text_secondary))
              ->set_id("tech-step-detail-" + step.name);
        }
        page->add(std::move(card));
      }
      if (report_->steps.empty()) page->add(std::make_unique<ui::Label>(app.tr("tech.network.no_steps"), ui::TextRole::body));
      if (report_->certificate_days_left) {
        page->add(std::make_unique<ui::Label>(
            app.strings().format("tech.network.certificate", {std::to_string(*report_->certificate_days_left)}), ui::TextRole::body))
            ->set_id("tech-network-certificate");
      }
      if (report_->clock_skew_s) {
        page->add(std::make_unique<ui::Label>(app.strings().format("tech.network.skew", {std::to_string(*report_->clock_skew_s)}),
                                              ui::TextRole::body))
            ->set_id("tech-network-skew");
      }
    }
    page->add(button(app, app.tr("tech.network.again"), ui::ButtonKind::primary, [this, &app] { check(app); }))
        ->set_id("tech-network-again");
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 private:
  void check(AppContext& app) {
    running_ = true;
    cancel_ = CancelToken();
    ops::Operations* operations = this->operations();
    CancelToken cancel = cancel_;
    auto report = std::make_shared<ops::NetworkReport>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background([operations, cancel, report] { *report = operations->check_network(cancel); },
                          [this, &app, alive, report] {
                            if (alive.expired()) return;
                            running_ = false;
                            report_ = *report;
                            app.rebuild();
                          });
    app.rebuild();
  }

  bool started_ = false;
  bool running_ = false;
  std::optional<ops::NetworkReport> report_;
  CancelToken cancel_;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// --- outbox and catalog ------------------------------------------------------------------------

class OutboxScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-outbox"; }
  std::string title(AppContext& app) const override { return app.tr("tech.outbox.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!started_) {
      started_ = true;
      load(app, false);
    }
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    auto outbox = make_card(app, app.tr("tech.outbox.heading"));
    outbox->set_id("tech-outbox");
    if (busy_) {
      outbox->add(std::make_unique<ui::Spinner>(app.tr("tech.outbox.loading")));
    } else if (report_ && !report_->configured) {
      outbox->add(std::make_unique<ui::Label>(app.tr("tech.outbox.none"), ui::TextRole::body));
    } else if (report_) {
      outbox->add(std::make_unique<ui::Label>(app.strings().format("tech.outbox.pending", {std::to_string(report_->pending)}),
                                              ui::TextRole::body))
          ->set_id("tech-outbox-pending");
      outbox->add(std::make_unique<ui::Label>(app.strings().format("tech.outbox.dead", {std::to_string(report_->dead)}),
                                              ui::TextRole::body));
      if (report_->pending > 0) {
        outbox->add(std::make_unique<ui::Label>(
            app.strings().format("tech.outbox.oldest", {age_text(app, report_->oldest_pending_age_s)}), ui::TextRole::body));
      }
      outbox->add(std::make_unique<ui::Label>(
          report_->last_error.empty() ? app.tr("tech.outbox.no_error")
                                      : app.strings().format("tech.outbox.last_error", {report_->last_error}),
          ui::TextRole::caption, palette.text_secondary));
      outbox->add(button(app, app.tr("tech.outbox.retry"), ui::ButtonKind::primary, [this, &app] { load(app, true); }))
          ->set_id("tech-outbox-retry");
    }
    if (!retry_message_.empty()) outbox->add(std::make_unique<ui::Label>(retry_message_, ui::TextRole::body))->set_id("tech-retry-message");
    page->add(std::move(outbox));

    auto catalog = make_card(app, app.tr("tech.catalog.heading"));
    catalog->set_id("tech-catalog");
    if (const catalog::Catalog* current = app.catalog()) {
      catalog->add(std::make_unique<ui::Label>(app.strings().format("tech.catalog.version", {current->version}), ui::TextRole::body))
          ->set_id("tech-catalog-version");
      catalog->add(std::make_unique<ui::Label>(app.strings().format("tech.catalog.items", {std::to_string(current->items.size())}),
                                               ui::TextRole::body));
    } else {
      catalog->add(std::make_unique<ui::Label>(app.catalog_error().empty() ? app.tr("tech.catalog.loading")
                                                                           : app.strings().format("tech.catalog.error", {app.catalog_error()}),
                                               ui::TextRole::body));
    }
    const auto synced = app.catalog_synced_at();
    if (!synced) {
      catalog->add(std::make_unique<ui::Label>(app.tr("tech.catalog.factory_no_platform"), ui::TextRole::body));
    } else if (*synced == 0) {
      catalog->add(std::make_unique<ui::Label>(app.tr("tech.catalog.factory"), ui::TextRole::body));
    } else {
      const std::int64_t now_s =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      catalog->add(std::make_unique<ui::Label>(
                       app.strings().format("tech.catalog.synced", {age_text(app, std::max<std::int64_t>(0, now_s - *synced / 1000))}),
                       ui::TextRole::body))
          ->set_id("tech-catalog-synced");
    }
    if (platform::Channel* channel = app.platform()) {
      catalog->add(button(app, app.tr("tech.catalog.sync"), ui::ButtonKind::secondary, [this, &app, channel] {
                     channel->sync_now();
                     sync_asked_ = true;
                     app.rebuild();
                   }))
          ->set_id("tech-catalog-sync");
      if (sync_asked_) catalog->add(std::make_unique<ui::Label>(app.tr("tech.catalog.sync_asked"), ui::TextRole::body));
    }
    page->add(std::move(catalog));
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 private:
  // The outbox's figures, after making every pending item due now when `retry`.
  void load(AppContext& app, bool retry) {
    busy_ = true;
    retry_message_.clear();
    ops::Operations* operations = this->operations();
    auto report = std::make_shared<ops::OutboxReport>();
    auto retried = std::make_shared<std::optional<Status>>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background(
        [operations, report, retried, retry] {
          if (retry) retried->emplace(operations->retry_outbox());
          *report = operations->outbox();
        },
        [this, &app, alive, report, retried] {
          if (alive.expired()) return;
          busy_ = false;
          report_ = *report;
          if (retried->has_value()) {
            retry_message_ = (*retried)->ok() ? app.tr("tech.outbox.retried")
                                              : app.strings().format("tech.outbox.retry_failed", {(*retried)->error().message});
          }
          app.rebuild();
        });
    app.rebuild();
  }

  bool started_ = false;
  bool busy_ = false;
  bool sync_asked_ = false;
  std::optional<ops::OutboxReport> report_;
  std::string retry_message_;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// --- logs --------------------------------------------------------------------------------------

class LogsScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-logs"; }
  std::string title(AppContext& app) const override { return app.tr("tech.logs.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!started_) {
      started_ = true;
      load(app);
    }
    const ui::Theme& theme = app.theme();
    auto page = std::make_unique<ui::Column>(theme.spacing() / 4, theme.padding() / 2);
    auto top = std::make_unique<ui::Row>(theme.spacing());
    top->add(std::make_unique<ui::Label>(app.tr("tech.logs.hint"), ui::TextRole::caption, theme.palette().text_secondary), 3);
    top->add(button(app, app.tr("tech.logs.refresh"), ui::ButtonKind::secondary, [this, &app] { load(app); }), 1)
        ->set_id("tech-logs-refresh");
    page->add(std::move(top));
    if (busy_) {
      page->add(std::make_unique<ui::Spinner>(app.tr("tech.logs.loading")));
    } else if (lines_.empty()) {
      page->add(std::make_unique<ui::Label>(app.tr("tech.logs.empty"), ui::TextRole::body))->set_id("tech-logs-empty");
    } else {
      // Newest first: what just happened is what a technician looks for.
      for (auto line = lines_.rbegin(); line != lines_.rend(); ++line) {
        page->add(std::make_unique<ui::Label>(*line, ui::TextRole::caption));
      }
    }
    return frame(app, scrolling(PageBody{std::move(page)}, &scroll_));
  }

 private:
  void load(AppContext& app) {
    busy_ = true;
    ops::Operations* operations = this->operations();
    auto lines = std::make_shared<std::vector<std::string>>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background([operations, lines] { *lines = operations->log_lines(200); },
                          [this, &app, alive, lines] {
                            if (alive.expired()) return;
                            busy_ = false;
                            lines_ = std::move(*lines);
                            scroll_ = {};
                            app.rebuild();
                          });
    app.rebuild();
  }

  bool started_ = false;
  bool busy_ = false;
  std::vector<std::string> lines_;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

// --- diagnostics bundle ------------------------------------------------------------------------

// "\040" → " ": /proc/mounts escapes space, tab, newline and backslash in paths as octal.
std::optional<std::string> unescape_mount_path(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 3 >= text.size()) return std::nullopt;  // a backslash must start three octal digits
    int value = 0;
    for (std::size_t j = i + 1; j <= i + 3; ++j) {
      if (text[j] < '0' || text[j] > '7') return std::nullopt;
      value = value * 8 + (text[j] - '0');
    }
    if (value == 0 || value > 255) return std::nullopt;
    out += static_cast<char>(value);
    i += 3;
  }
  return out;
}

std::string plain_failure(AppContext& app, const Error& error) {
  const std::string& message = error.message;
  if (message.find("No space") != std::string::npos || message.find("ENOSPC") != std::string::npos) {
    return app.tr("tech.bundle.full");
  }
  if (message.find("Read-only") != std::string::npos || message.find("EROFS") != std::string::npos) {
    return app.tr("tech.bundle.read_only");
  }
  if (message.find("ermission denied") != std::string::npos) return app.tr("tech.bundle.denied");
  return app.tr("tech.bundle.failed");
}

class BundleScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-bundle"; }
  std::string title(AppContext& app) const override { return app.tr("tech.bundle.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    if (!looked_) look(app);
    const ui::Palette& palette = app.theme().palette();
    auto page = make_page(app);
    page->add(std::make_unique<ui::Label>(app.tr("tech.bundle.what"), ui::TextRole::body));
    if (busy_) {
      page->add(std::make_unique<ui::Spinner>(app.tr("tech.bundle.writing")))->set_id("tech-bundle-writing");
      return frame(app, scrolling(std::move(page), &scroll_));
    }
    auto where = make_card(app, app.tr("tech.bundle.where"));
    for (std::size_t i = 0; i < targets_.size(); ++i) {
      const bool usb = i < usb_count_;
      auto* choice = where->add(button(app, targets_[i].string(), i == chosen_ ? ui::ButtonKind::primary : ui::ButtonKind::secondary,
                                       [this, &app, i] {
                                         chosen_ = i;
                                         app.rebuild();
                                       },
                                       app.tr(usb ? "tech.bundle.usb" : "tech.bundle.folder")));
      choice->set_id(usb ? "tech-bundle-usb-" + std::to_string(i) : "tech-bundle-folder");
    }
    if (usb_count_ == 0) {
      where->add(std::make_unique<ui::Label>(app.tr("tech.bundle.no_usb"), ui::TextRole::caption, palette.text_secondary))
          ->set_id("tech-bundle-no-usb");
    }
    where->add(button(app, app.tr("tech.bundle.look_again"), ui::ButtonKind::secondary, [this, &app] {
                 looked_ = false;
                 app.rebuild();
               }))
        ->set_id("tech-bundle-look");
    page->add(std::move(where));
    page->add(button(app, app.tr("tech.bundle.export"), ui::ButtonKind::primary, [this, &app] { export_bundle(app); }))
        ->set_id("tech-bundle-export");
    if (written_) {
      auto done = make_card(app, app.tr("tech.bundle.done"));
      done->add(std::make_unique<ui::Label>(written_->string(), ui::TextRole::body))->set_id("tech-bundle-path");
      page->add(std::move(done));
    } else if (failure_) {
      auto failed = make_card(app, app.tr("tech.bundle.not_written"));
      failed->add(std::make_unique<ui::Label>(failure_->first, ui::TextRole::body))->set_id("tech-bundle-failure");
      failed->add(std::make_unique<ui::Label>(failure_->second, ui::TextRole::caption, palette.text_secondary));
      page->add(std::move(failed));
    }
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 private:
  // USB sticks first (a technician who plugged one in wants it there), then the configured folder.
  void look(AppContext& app) {
    looked_ = true;
    targets_.clear();
    std::ifstream file("/proc/mounts");
    std::stringstream text;
    text << file.rdbuf();
    for (const std::string& mount : removable_mount_points(text.str(), [](const std::string& path) {
           return ::access(path.c_str(), W_OK) == 0;
         })) {
      targets_.emplace_back(mount);
    }
    usb_count_ = targets_.size();
    if (!app.config().ops.bundle_dir.empty()) targets_.push_back(app.config().ops.bundle_dir);
    chosen_ = 0;
  }

  void export_bundle(AppContext& app) {
    if (targets_.empty() || busy_) return;
    busy_ = true;
    written_.reset();
    failure_.reset();
    ops::Operations* operations = this->operations();
    const std::filesystem::path dir = targets_[std::min(chosen_, targets_.size() - 1)];
    auto result = std::make_shared<std::optional<Result<std::filesystem::path>>>();
    std::weak_ptr<int> alive = alive_;
    app.run_in_background([operations, dir, result] { result->emplace(operations->write_bundle(dir, "technician")); },
                          [this, &app, alive, result] {
                            if (alive.expired()) return;
                            busy_ = false;
                            auto& answer = **result;
                            if (answer.ok()) {
                              written_ = answer.value();
                            } else {
                              log::warning("technician", "diagnostics bundle: " + answer.error().message);
                              failure_ = {plain_failure(app, answer.error()), answer.error().message};
                            }
                            app.rebuild();
                          });
    app.rebuild();
  }

  bool looked_ = false;
  bool busy_ = false;
  std::vector<std::filesystem::path> targets_;
  std::size_t usb_count_ = 0;
  std::size_t chosen_ = 0;
  std::optional<std::filesystem::path> written_;
  std::optional<std::pair<std::string, std::string>> failure_;
  ui::ScrollState scroll_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace

std::vector<std::string> removable_mount_points(std::string_view mounts, const std::function<bool(const std::string&)>& writable) {
  std::vector<std::string> found;
  std::size_t start = 0;
  while (start < mounts.size()) {
    std::size_t end = mounts.find('\n', start);
    if (end == std::string_view::npos) end = mounts.size();
    const std::string_view line = mounts.substr(start, end - start);
    start = end + 1;
    // "<device> <mount point> <type> <options> <dump> <pass>": the second field.
    const std::size_t first_space = line.find(' ');
    if (first_space == std::string_view::npos) continue;
    const std::size_t second_space = line.find(' ', first_space + 1);
    if (second_space == std::string_view::npos || second_space == first_space + 1) continue;
    const auto path = unescape_mount_path(line.substr(first_space + 1, second_space - first_space - 1));
    if (!path || path->find('\0') != std::string::npos) continue;
    // Removable media as udisks mounts them: /media/<label> or /media/<user>/<label>, or
    // /run/media/<user>/<label>; never /media itself, and no ".." to climb out.
    const bool media = path->rfind("/media/", 0) == 0 && path->size() > 7;
    const bool run_media = path->rfind("/run/media/", 0) == 0 && path->find('/', 11) != std::string::npos &&
                           path->find('/', 11) + 1 < path->size();
    if (!media && !run_media) continue;
    if (path->find("/../") != std::string::npos || path->ends_with("/..")) continue;
    const std::string_view options_and_more = line.substr(second_space + 1);
    const std::size_t type_end = options_and_more.find(' ');
    if (type_end != std::string_view::npos) {
      const std::string_view options = options_and_more.substr(type_end + 1);
      if (options.rfind("ro,", 0) == 0 || options.rfind("ro ", 0) == 0 || options == "ro") continue;  // mounted read-only
    }
    if (std::find(found.begin(), found.end(), *path) != found.end()) continue;
    if (writable && !writable(*path)) continue;
    found.push_back(*path);
  }
  return found;
}

std::unique_ptr<Screen> make_technician_network_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<NetworkScreen>(std::move(visit));
}
std::unique_ptr<Screen> make_technician_outbox_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<OutboxScreen>(std::move(visit));
}
std::unique_ptr<Screen> make_technician_logs_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<LogsScreen>(std::move(visit));
}
std::unique_ptr<Screen> make_technician_bundle_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<BundleScreen>(std::move(visit));
}

}  // namespace screens
