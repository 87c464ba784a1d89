#include "kiosk/driver/script.h"

#include "kiosk/driver/accessibility.h"
#include "kiosk/driver/personal_data.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <charconv>
#include <map>
#include <thread>

#include "kiosk/ui/png.h"

namespace kiosk::driver {
namespace {

struct VerbSpec {
  std::size_t min_arguments;
  std::size_t max_arguments;
};

const std::map<std::string, VerbSpec, std::less<>>& verbs() {
  static const std::map<std::string, VerbSpec, std::less<>> table = {
      {"tap", {1, 2}},      {"type", {1, 1}},          {"key", {1, 1}},        {"drag", {4, 5}},
      {"card", {1, 1}},     {"wait", {1, 1}},          {"wait-for", {1, 2}},   {"expect", {1, 1}},
      {"expect-not", {1, 1}}, {"expect-screen", {1, 1}}, {"screenshot", {1, 2}}, {"elderly", {1, 1}},
      {"lang", {1, 1}},     {"fault", {2, 3}},         {"scroll-to", {1, 1}},  {"platform", {1, 16}},
      {"face", {1, 1}},     {"scan", {1, 1}},          {"printer", {1, 2}},    {"unplug", {1, 1}},
      {"plug", {1, 1}},     {"sign", {1, 1}},          {"receipt", {1, 2}},
      {"document", {1, 2}},   {"expect-spoken", {1, 1}}, {"hold", {2, 3}},
  };
  return table;
}

Error line_error(int line, const std::string& message) {
  return Error::make(ErrorKind::invalid_argument, "line " + std::to_string(line) + ": " + message);
}

// Splits a line into words; "double quoted" words may hold spaces, \" and \\.
Result<std::vector<std::string>> split_words(std::string_view text, int line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
      ++i;
      continue;
    }
    if (text[i] == '#') break;
    std::string word;
    if (text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char c = text[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < text.size() && (text[i] == '"' || text[i] == '\\')) {
          word += text[i++];
        } else {
          word += c;
        }
      }
      if (!closed) return line_error(line, "unterminated quote");
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\r') word += text[i++];
    }
    words.push_back(std::move(word));
  }
  return words;
}

Result<long> parse_number(const std::string& text, int line, const char* what) {
  long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return line_error(line, std::string(what) + " must be a non-negative number, got \"" + text + "\"");
  }
  return value;
}

Error at(const Command& command, const Error& error) {
  if (error.message.rfind("line ", 0) == 0) return error;
  return line_error(command.line, error.message);
}

ui::Point centre(const ui::Rect& rect) { return {rect.x + rect.width / 2, rect.y + rect.height / 2}; }

// `sign id=<id>`: a fixed, signature-like set of strokes (a looped capital, a wave, an underline)
// drawn by finger through the app into the visible part of that widget, so scripts can sign.
Status sign(App& app, VirtualClock& clock, const std::string& argument) {
  if (argument.rfind("id=", 0) != 0) return Error::make(ErrorKind::invalid_argument, "sign takes id=<widget id>");
  const std::string id = argument.substr(3);
  const auto visible = app.visible_widgets();
  auto found = std::find_if(visible.rbegin(), visible.rend(), [&](const ui::VisibleWidget& entry) { return entry.widget->id() == id; });
  if (found == visible.rend()) return Error::make(ErrorKind::not_found, "no visible widget with id \"" + id + "\"");
  const ui::Rect area = found->visible;
  // Curves in fractions of the area: t runs 0…1 along each stroke.
  const std::function<std::pair<double, double>(double)> strokes[] = {
      [](double t) { return std::pair{0.15 + 0.10 * std::sin(t * 6.283), 0.55 - 0.35 * std::sin(t * 3.1416)}; },
      [](double t) { return std::pair{0.25 + 0.45 * t, 0.55 + 0.12 * std::sin(t * 4 * 6.283)}; },
      [](double t) { return std::pair{0.20 + 0.65 * t, 0.75 - 0.08 * t * t}; },
  };
  auto at = [&](double fx, double fy) {
    return ui::Point{area.x + static_cast<int>(fx * area.width), area.y + static_cast<int>(fy * area.height)};
  };
  for (const auto& stroke : strokes) {
    const auto [x0, y0] = stroke(0);
    app.pointer_down(at(x0, y0));
    for (int i = 1; i <= 40; ++i) {
      clock.advance(16);
      const auto [x, y] = stroke(i / 40.0);
      app.pointer_move(at(x, y));
    }
    const auto [x1, y1] = stroke(1);
    app.pointer_up(at(x1, y1));
    app.tick();
  }
  return {};
}

}  // namespace

Result<std::vector<Command>> parse_script(std::string_view script) {
  std::vector<Command> commands;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= script.size()) {
    const std::size_t end = std::min(script.find('\n', start), script.size());
    const std::string_view line = script.substr(start, end - start);
    start = end + 1;
    ++line_number;
    auto words = TRY(split_words(line, line_number));
    if (words.empty()) continue;
    Command command{line_number, words.front(), {words.begin() + 1, words.end()}};
    const auto spec = verbs().find(command.verb);
    if (spec == verbs().end()) return line_error(line_number, "unknown command \"" + command.verb + "\"");
    const std::size_t count = command.arguments.size();
    if (count < spec->second.min_arguments || count > spec->second.max_arguments) {
      return line_error(line_number, "\"" + command.verb + "\" takes " + std::to_string(spec->second.min_arguments) +
                                         (spec->second.max_arguments != spec->second.min_arguments
                                              ? "–" + std::to_string(spec->second.max_arguments)
                                              : "") +
                                         " argument(s), got " + std::to_string(count));
    }
    commands.push_back(std::move(command));
    if (end == script.size()) break;
  }
  return commands;
}

ScriptRunner::ScriptRunner(App& app, VirtualClock& clock, hal::Devices& devices, RunOptions options)
    : app_(app), clock_(clock), devices_(devices), options_(std::move(options)), sim_actions_(devices, options_.assets_dir) {}

Status ScriptRunner::run(const std::vector<Command>& commands) {
  TRY_STATUS(settle());
  for (const Command& command : commands) {
    auto status = execute(command);
    if (!status.ok()) return at(command, status.error());
    auto settled = settle();
    if (!settled.ok()) return at(command, settled.error());
  }
  return {};
}

Status ScriptRunner::settle() {
  // Background jobs (catalog load, device I/O) run on real threads: give them real time.
  // Animations (a fling) run on the virtual clock, one 16 ms frame at a time, so they end at the
  // same place however fast the machine (or the sanitizer build) is.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Milliseconds animated = 0;
  for (;;) {
    (void)tick();
    if (app_.settled()) {
      render();  // frames in between are never seen: draw only the settled one
      return {};
    }
    if (!app_.working()) {
      if (animated >= 10'000) return Error::make(ErrorKind::timeout, "an animation did not stop within 10 s");
      clock_.advance(16);
      animated += 16;
      continue;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Error::make(ErrorKind::timeout, "the app did not settle within 20 s (background work still running)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

Status ScriptRunner::advance(Milliseconds ms) {
  const Milliseconds target = clock_.now() + ms;
  for (;;) {
    TRY_STATUS(settle());
    const auto next = tick();
    const Milliseconds now = clock_.now();
    if (now >= target) break;
    // Jump to the next timer (or the target), at most one animation frame at a time.
    Milliseconds step = target - now;
    if (next && *next > now) step = std::min(step, *next - now);
    if (next && *next <= now) step = std::min<Milliseconds>(step, 16);
    clock_.advance(std::max<Milliseconds>(step, 1));
  }
  return settle();
}

// `id=<id>`: a visible widget with that id (expect-not id=back: the screen has no back button).
bool ScriptRunner::text_visible(const std::string& text) {
  const bool by_id = text.rfind("id=", 0) == 0;
  for (const auto& visible : app_.visible_widgets()) {
    if (by_id) {
      if (visible.widget->id() == std::string_view(text).substr(3)) return true;
      continue;
    }
    if (visible.widget->text().find(text) != std::string_view::npos) return true;
    if (auto* button = dynamic_cast<ui::Button*>(visible.widget)) {
      if (button->detail().find(text) != std::string_view::npos) return true;
    }
  }
  return false;
}

// Drags the largest visible scroll view, as a finger would (held still before lifting, so it does
// not fling), until a widget showing `text` is wholly inside it: first towards the end, then back.
// `id=<id>` looks for the widget with that id instead.
Status ScriptRunner::scroll_to(const std::string& text) {
  const bool by_id = text.rfind("id=", 0) == 0;
  auto wholly_visible = [&] {
    for (const auto& visible : app_.visible_widgets()) {
      const bool match = by_id ? visible.widget->id() == std::string_view(text).substr(3)
                               : visible.widget->text().find(text) != std::string_view::npos;
      if (match && visible.visible == visible.widget->rect()) return true;
    }
    return false;
  };
  for (const int direction : {-1, 1}) {  // -1: finger moves up, content moves up (towards the end)
    for (int attempt = 0; attempt < 40; ++attempt) {
      if (wholly_visible()) return {};
      ui::ScrollView* scroll = nullptr;
      ui::Rect area;
      for (const auto& visible : app_.visible_widgets()) {
        auto* candidate = dynamic_cast<ui::ScrollView*>(visible.widget);
        if (candidate && visible.visible.width * visible.visible.height > area.width * area.height) {
          scroll = candidate;
          area = visible.visible;
        }
      }
      if (!scroll) return Error::make(ErrorKind::not_found, "nothing to scroll to find \"" + text + "\"");
      const double before = scroll->offset();
      const int distance = area.height * 2 / 5;
      ui::Point from{area.x + area.width / 2, area.y + area.height / 2 + direction * -distance / 2};
      // A finger does not start a scroll on a signature pad (it would draw): use the other half.
      for (const auto& visible : app_.visible_widgets()) {
        if (dynamic_cast<ui::PointerCapture*>(visible.widget) && visible.visible.contains(from)) {
          from.y = direction < 0 ? area.y + area.height / 2 - area.height / 20 : area.y + area.height / 20;
          if (visible.visible.contains(from)) from.y = direction < 0 ? area.y + area.height - area.height / 20 : area.y + area.height / 2;
          break;
        }
      }
      const ui::Point to{from.x, from.y + direction * distance};
      app_.pointer_down(from);
      for (int i = 1; i <= 10; ++i) {
        clock_.advance(30);
        app_.pointer_move({from.x, from.y + (to.y - from.y) * i / 10});
        app_.tick();
      }
      for (int i = 0; i < 5; ++i) {  // hold still: no fling
        clock_.advance(30);
        app_.pointer_move(to);
      }
      app_.pointer_up(to);
      TRY_STATUS(settle());
      if (scroll->offset() == before) break;  // at this end
    }
  }
  if (wholly_visible()) return {};
  return Error::make(ErrorKind::not_found, "no widget with text \"" + text + "\" found by scrolling");
}

Status ScriptRunner::tap_point(ui::Point point) {
  app_.pointer_down(point);
  TRY_STATUS(advance(50));
  frame_after([&] { app_.pointer_up(point); });
  return settle();
}

std::optional<Milliseconds> ScriptRunner::tick() {
  const auto start = std::chrono::steady_clock::now();
  auto next = app_.tick();
  timing_.ui_busy_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return next;
}

bool ScriptRunner::render() {
  const auto start = std::chrono::steady_clock::now();
  const bool drew = app_.render();
  timing_.ui_busy_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return drew;
}

void ScriptRunner::frame_after(const std::function<void()>& input) {
  const auto start = std::chrono::steady_clock::now();
  input();
  (void)app_.tick();
  (void)app_.render();
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  timing_.touch_to_frame_ms.push_back(ms);
  timing_.ui_busy_ms += ms;
}

Status ScriptRunner::tap_text(const std::string& text) {
  // Exact text first; else a unique tappable widget whose text contains it.
  const auto visible = app_.visible_widgets();
  const ui::VisibleWidget* partial = nullptr;
  int partial_count = 0;
  for (auto it = visible.rbegin(); it != visible.rend(); ++it) {  // topmost first
    if (!it->widget->tappable()) continue;
    if (it->widget->text() == text) return tap_point(centre(it->visible));
    if (it->widget->text().find(text) != std::string_view::npos) {
      partial = &*it;
      ++partial_count;
    }
  }
  if (partial_count == 1) return tap_point(centre(partial->visible));
  if (partial_count > 1) return Error::make(ErrorKind::invalid_argument, "more than one visible widget contains \"" + text + "\"");
  return Error::make(ErrorKind::not_found, "no visible widget with text \"" + text + "\"");
}

Status ScriptRunner::tap_id(const std::string& id) {
  const auto visible = app_.visible_widgets();
  for (auto it = visible.rbegin(); it != visible.rend(); ++it) {
    if (it->widget->id() == id) return tap_point(centre(it->visible));
  }
  return Error::make(ErrorKind::not_found, "no visible widget with id \"" + id + "\"");
}

Status ScriptRunner::screenshot(const std::string& name, const std::string& mask) {
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return Error::make(ErrorKind::invalid_argument, "bad screenshot name \"" + name + "\"");
  }
  app_.render();
  // mask=<id>[,<id>…]: those widgets are painted over in grey (numbers and times made from the
  // date, which would change every golden each day).
  ui::Canvas shot = app_.canvas();
  if (!mask.empty()) {
    if (mask.rfind("mask=", 0) != 0) return Error::make(ErrorKind::invalid_argument, "screenshot: expected mask=<id>,…");
    std::string ids = mask.substr(5) + ",";
    for (std::size_t start = 0, comma; (comma = ids.find(',', start)) != std::string::npos; start = comma + 1) {
      std::string id = ids.substr(start, comma - start);
      // "<id>?": masked where it is on screen (a panel may show it below the fold).
      const bool optional = !id.empty() && id.back() == '?';
      if (optional) id.pop_back();
      bool found = optional;
      for (const ui::VisibleWidget& widget : app_.visible_widgets()) {
        if (widget.widget->id() != id) continue;
        shot.fill_rect(widget.visible, ui::Color::rgb(0x808080));
        found = true;
      }
      if (!found) return Error::make(ErrorKind::not_found, "screenshot: no visible widget with id \"" + id + "\" to mask");
    }
  }
  std::error_code ignored;
  std::filesystem::create_directories(options_.out_dir, ignored);
  const auto path = options_.out_dir / (name + ".png");
  TRY_STATUS(ui::save_png(shot, path));
  // Every screen a script photographs is also measured (kiosk/driver/accessibility.h).
  const AccessibilityReport measured = check_accessibility(app_);
  if (!measured.problems.empty()) {
    std::string problems;
    for (std::size_t i = 0; i < measured.problems.size() && i < 6; ++i) problems += "\n  " + measured.problems[i];
    return Error::make(ErrorKind::invalid_argument, "screenshot " + name + ": " + std::to_string(measured.problems.size()) +
                                                        " accessibility problem(s) (see " + path.string() + "):" + problems);
  }
  // Every screen a script photographs is checked for personal data shown in full (personal_data.h).
  const std::vector<std::string> leaks = check_personal_data(app_);
  if (!leaks.empty()) {
    std::string list;
    for (std::size_t i = 0; i < leaks.size() && i < 6; ++i) list += "\n  " + leaks[i];
    return Error::make(ErrorKind::invalid_argument, "screenshot " + name + ": personal data not masked (see " + path.string() + "):" + list);
  }
  if (options_.golden_dir.empty()) return {};
  const auto golden = options_.golden_dir / (name + ".png");
  if (options_.update_golden) {
    std::filesystem::create_directories(options_.golden_dir, ignored);
    return ui::save_png(shot, golden);
  }
  auto expected = ui::load_png(golden);
  if (!expected.ok()) {
    return Error::make(ErrorKind::not_found, "no golden image " + golden.string() + " (run with --update-golden)");
  }
  const auto difference = ui::compare_images(shot, *expected);
  if (!difference.same_size) return Error::make(ErrorKind::invalid_argument, "screenshot " + name + ": size differs from golden");
  if (difference.differing_fraction > options_.golden_tolerance) {
    return Error::make(ErrorKind::invalid_argument,
                       "screenshot " + name + " differs from golden in " +
                           std::to_string(difference.differing_fraction * 100.0) + "% of pixels (see " + path.string() + ")");
  }
  return {};
}

Status ScriptRunner::execute(const Command& command) {
  const auto& args = command.arguments;
  const std::string& verb = command.verb;
  if (verb == "tap") {
    if (args.size() == 2) {
      const long x = TRY(parse_number(args[0], command.line, "x"));
      const long y = TRY(parse_number(args[1], command.line, "y"));
      return tap_point({static_cast<int>(x), static_cast<int>(y)});
    }
    if (args[0].rfind("id=", 0) == 0) return tap_id(args[0].substr(3));
    return tap_text(args[0]);
  }
  if (verb == "type") {
    frame_after([&] { app_.text_input(args[0]); });
    return {};
  }
  if (verb == "key") return app_.key(args[0]);
  if (verb == "drag") {
    long values[5] = {0, 0, 0, 0, 300};
    for (std::size_t i = 0; i < args.size(); ++i) values[i] = TRY(parse_number(args[i], command.line, "drag value"));
    const int steps = 10;
    const ui::Point from{static_cast<int>(values[0]), static_cast<int>(values[1])};
    app_.pointer_down(from);
    for (int i = 1; i <= steps; ++i) {
      clock_.advance(std::max<long>(values[4] / steps, 1));
      app_.pointer_move({static_cast<int>(values[0] + (values[2] - values[0]) * i / steps),
                         static_cast<int>(values[1] + (values[3] - values[1]) * i / steps)});
      app_.tick();
    }
    app_.pointer_up({static_cast<int>(values[2]), static_cast<int>(values[3])});
    return settle();
  }
  // hold <x> <y> <ms> | hold id=<id> <ms>: a finger pressed still for `ms` of virtual time (every
  // timer on the way runs), then lifted — technician mode's hidden corner.
  if (verb == "hold") {
    ui::Point point;
    long duration = 0;
    if (args.size() == 3) {
      point = {static_cast<int>(TRY(parse_number(args[0], command.line, "x"))),
               static_cast<int>(TRY(parse_number(args[1], command.line, "y")))};
      duration = TRY(parse_number(args[2], command.line, "hold"));
    } else {
      if (args[0].rfind("id=", 0) != 0) return Error::make(ErrorKind::invalid_argument, "hold takes <x> <y> <ms> or id=<id> <ms>");
      const std::string id = args[0].substr(3);
      const auto visible = app_.visible_widgets();
      auto found = std::find_if(visible.rbegin(), visible.rend(), [&](const ui::VisibleWidget& entry) { return entry.widget->id() == id; });
      if (found == visible.rend()) return Error::make(ErrorKind::not_found, "no visible widget with id \"" + id + "\"");
      point = centre(found->visible);
      duration = TRY(parse_number(args[1], command.line, "hold"));
    }
    app_.pointer_down(point);
    TRY_STATUS(advance(duration));
    frame_after([&] { app_.pointer_up(point); });
    return settle();
  }
  if (verb == "wait") return advance(TRY(parse_number(args[0], command.line, "wait")));
  if (verb == "wait-for") {
    const long limit = args.size() > 1 ? TRY(parse_number(args[1], command.line, "wait-for limit")) : 5000;
    for (long waited = 0;; waited += 100) {
      if (text_visible(args[0])) return {};
      if (waited >= limit) break;
      TRY_STATUS(advance(100));
    }
    return Error::make(ErrorKind::timeout, "\"" + args[0] + "\" did not appear within " + std::to_string(limit) + " ms");
  }
  if (verb == "expect") {
    if (text_visible(args[0])) return {};
    return Error::make(ErrorKind::not_found, "expected \"" + args[0] + "\" on screen \"" + app_.current_screen_name() + "\"");
  }
  if (verb == "expect-not") {
    if (!text_visible(args[0])) return {};
    return Error::make(ErrorKind::invalid_argument, "did not expect \"" + args[0] + "\" on screen");
  }
  if (verb == "expect-screen") {
    if (app_.current_screen_name() == args[0]) return {};
    return Error::make(ErrorKind::invalid_argument,
                       "expected screen \"" + args[0] + "\", showing \"" + app_.current_screen_name() + "\"");
  }
  if (verb == "screenshot") return screenshot(args[0], args.size() > 1 ? args[1] : "");
  // expect-spoken "<text>": the last prompt given to the voice contains the text ("" : none).
  if (verb == "expect-spoken") {
    app_.render();  // a new screen's prompt is taken when it is laid out
    const std::string& spoken = app_.last_prompt();
    if (args[0].empty() ? spoken.empty() : spoken.find(args[0]) != std::string::npos) return {};
    return Error::make(ErrorKind::invalid_argument, "expected the voice to have said \"" + args[0] + "\", last prompt: \"" + spoken + "\"");
  }
  if (verb == "elderly" || verb == "lang") {
    const std::string& value = args[0];
    if (verb == "elderly" && (value == "on" || value == "off")) {
      app_.set_elderly_mode(value == "on");
      return {};
    }
    if (verb == "lang" && (value == "zh" || value == "en")) {
      app_.set_language(value == "zh" ? Language::zh : Language::en);
      return {};
    }
    return Error::make(ErrorKind::invalid_argument, "bad value \"" + value + "\" for " + verb);
  }
  if (verb == "scroll-to") return scroll_to(args[0]);
  if (SimActions::is_action(verb)) return sim_action(command);
  if (verb == "platform") return platform(command);
  if (verb == "sign") return sign(app_, clock_, args[0]);
  if (verb == "receipt") return receipt(command);
  if (verb == "document") return document(command);
  return Error::make(ErrorKind::invalid_argument, "unknown command \"" + verb + "\"");
}

}  // namespace kiosk::driver
