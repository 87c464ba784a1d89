// Technician mode, the tests a technician does with eyes, fingers and ears (docs/technician.md):
// a touch grid whose cells turn green where touched, full-screen display test patterns, and the
// voice speaking a test prompt at each volume step. They need no Operations.
#include <algorithm>

#include "kiosk/voice/voice.h"
#include "kiosk/ui/widget_tree.h"
#include "screens/common.h"
#include "screens/technician.h"

namespace screens {
namespace {

using namespace kiosk;

// --- touch grid --------------------------------------------------------------------------------

// Cells are at least this wide and high (≈ 100 dp at 102.5 ppi, over the 60 dp a finger needs).
constexpr int kCellPx = 64;

struct TouchCells {
  int columns = 0;
  int rows = 0;
  std::vector<bool> touched;
  int count() const { return static_cast<int>(std::count(touched.begin(), touched.end(), true)); }
};

// The grid keeps every finger to itself (nothing under it scrolls or taps) and marks the cell
// under each point; the page's counter follows when the finger lifts (rebuilding under a finger
// would drop it).
class TouchGrid final : public ui::Widget, public ui::PointerCapture {
 public:
  TouchGrid(std::shared_ptr<TouchCells> cells, std::function<void()> on_touch, std::function<void()> on_lift)
      : cells_(std::move(cells)), on_touch_(std::move(on_touch)), on_lift_(std::move(on_lift)) {}

  ui::Size measure(ui::UiContext&, int width) override { return {width, rect_.height}; }
  void arrange(ui::UiContext&, ui::Rect rect) override {
    rect_ = rect;
    const int columns = std::max(1, rect.width / kCellPx), rows = std::max(1, rect.height / kCellPx);
    if (columns != cells_->columns || rows != cells_->rows) {  // a new panel size: a new grid
      cells_->columns = columns;
      cells_->rows = rows;
      cells_->touched.assign(static_cast<std::size_t>(columns * rows), false);
    }
  }
  void draw(ui::Canvas& canvas, ui::UiContext& context) override {
    const ui::Palette& palette = context.theme.palette();
    canvas.fill_rect(rect_, palette.border);
    for (int row = 0; row < cells_->rows; ++row) {
      for (int column = 0; column < cells_->columns; ++column) {
        const ui::Rect cell = cell_rect(column, row);
        const bool touched = cells_->touched[static_cast<std::size_t>(row * cells_->columns + column)];
        canvas.fill_rect(cell.inset(1, 1), touched ? ui::Color::rgb(0x1E8E3E) : palette.surface);
      }
    }
  }
  void pointer_down(ui::Point point) override { mark(point); }
  void pointer_move(ui::Point point) override { mark(point); }
  void pointer_up(ui::Point point) override {
    mark(point);
    if (on_lift_) on_lift_();
  }

 private:
  ui::Rect cell_rect(int column, int row) const {
    const int x0 = rect_.x + rect_.width * column / cells_->columns, x1 = rect_.x + rect_.width * (column + 1) / cells_->columns;
    const int y0 = rect_.y + rect_.height * row / cells_->rows, y1 = rect_.y + rect_.height * (row + 1) / cells_->rows;
    return {x0, y0, x1 - x0, y1 - y0};
  }
  void mark(ui::Point point) {
    if (on_touch_) on_touch_();
    if (!rect_.contains(point) || cells_->columns == 0) return;
    const int column = std::min(cells_->columns - 1, (point.x - rect_.x) * cells_->columns / rect_.width);
    const int row = std::min(cells_->rows - 1, (point.y - rect_.y) * cells_->rows / rect_.height);
    cells_->touched[static_cast<std::size_t>(row * cells_->columns + column)] = true;
  }

  std::shared_ptr<TouchCells> cells_;
  std::function<void()> on_touch_;
  std::function<void()> on_lift_;
};

class TouchScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-touch"; }
  std::string title(AppContext& app) const override { return app.tr("tech.touch.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    const ui::Theme& theme = app.theme();
    auto top = std::make_unique<ui::Row>(theme.spacing());
    const std::string counter = app.strings().format(
        "tech.touch.counter", {std::to_string(cells_->count()), std::to_string(cells_->columns * cells_->rows)});
    top->add(std::make_unique<ui::Label>(cells_->columns ? counter : app.tr("tech.touch.hint"), ui::TextRole::body), 3)
        ->set_id("tech-touch-counter");
    top->add(button(app, app.tr("tech.touch.clear"), ui::ButtonKind::secondary, [this, &app] {
          std::fill(cells_->touched.begin(), cells_->touched.end(), false);
          app.rebuild();
        }), 1)->set_id("tech-touch-clear");
    auto body = std::make_unique<ui::FlexColumn>();
    body->add(std::make_unique<ui::Panel>(std::move(top), theme.palette().background, theme.spacing(), theme.spacing() / 2));
    auto grid = std::make_unique<TouchGrid>(cells_, [this, &app] { touched(app); }, [&app] { app.rebuild(); });
    grid->set_id("tech-touch-grid");
    body->add(std::move(grid), 1);
    return frame(app, std::move(body));
  }

 private:
  std::shared_ptr<TouchCells> cells_ = std::make_shared<TouchCells>();
};

// --- display patterns --------------------------------------------------------------------------

enum class Pattern { red, green, blue, white, black, grey_ramp, checkerboard, pixel_grid };
constexpr int kPatternCount = 8;

class PatternView final : public ui::Widget {
 public:
  explicit PatternView(Pattern pattern) : pattern_(pattern) {}
  ui::Size measure(ui::UiContext&, int width) override { return {width, rect_.height}; }
  void draw(ui::Canvas& canvas, ui::UiContext&) override {
    switch (pattern_) {
      case Pattern::red: canvas.fill_rect(rect_, ui::Color::rgb(0xFF0000)); break;
      case Pattern::green: canvas.fill_rect(rect_, ui::Color::rgb(0x00FF00)); break;
      case Pattern::blue: canvas.fill_rect(rect_, ui::Color::rgb(0x0000FF)); break;
      case Pattern::white: canvas.fill_rect(rect_, ui::Color::rgb(0xFFFFFF)); break;
      case Pattern::black: canvas.fill_rect(rect_, ui::Color::rgb(0x000000)); break;
      case Pattern::grey_ramp:
        // Black to white from left to right, every one of the 256 levels: banding shows steps.
        for (int x = 0; x < rect_.width; ++x) {
          const auto level = static_cast<std::uint8_t>(x * 255 / std::max(1, rect_.width - 1));
          canvas.fill_rect({rect_.x + x, rect_.y, 1, rect_.height}, ui::Color{level, level, level, 255});
        }
        break;
      case Pattern::checkerboard: {
        // 8 × 8 squares per short side: uniformity and geometry across the panel.
        const int square = std::max(1, std::min(rect_.width, rect_.height) / 8);
        for (int y = 0; y < rect_.height; y += square) {
          for (int x = 0; x < rect_.width; x += square) {
            const bool dark = ((x / square) + (y / square)) % 2 == 0;
            canvas.fill_rect({rect_.x + x, rect_.y + y, std::min(square, rect_.width - x), std::min(square, rect_.height - y)},
                             dark ? ui::Color::rgb(0x000000) : ui::Color::rgb(0xFFFFFF));
          }
        }
        break;
      }
      case Pattern::pixel_grid:
        // One-pixel white lines every 8 pixels on black: scaling or a loose cable blurs or
        // shifts them, and a dead pixel on a line is easy to see.
        canvas.fill_rect(rect_, ui::Color::rgb(0x000000));
        for (int x = 0; x < rect_.width; x += 8) canvas.fill_rect({rect_.x + x, rect_.y, 1, rect_.height}, ui::Color::rgb(0xFFFFFF));
        for (int y = 0; y < rect_.height; y += 8) canvas.fill_rect({rect_.x, rect_.y + y, rect_.width, 1}, ui::Color::rgb(0xFFFFFF));
        break;
    }
  }

 private:
  Pattern pattern_;
};

class PatternsScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-patterns"; }
  std::string title(AppContext& app) const override { return app.tr("tech.patterns.title"); }

  // Full screen, no header: a tap shows the next pattern, the tap after the last goes back.
  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto view = std::make_unique<ui::TapArea>(std::make_unique<PatternView>(static_cast<Pattern>(index_)), [this, &app] {
      touched(app);
      if (++index_ >= kPatternCount) {
        app.back_to("technician");
        return;
      }
      app.rebuild();
    });
    view->set_id("tech-pattern");
    auto page = std::make_unique<ui::FlexColumn>();
    page->add(std::move(view), 1);
    return page;
  }

 private:
  int index_ = 0;
};

// --- audio -------------------------------------------------------------------------------------

class AudioScreen final : public TechnicianScreen {
 public:
  using TechnicianScreen::TechnicianScreen;
  std::string name() const override { return "technician-audio"; }
  std::string title(AppContext& app) const override { return app.tr("tech.audio.title"); }

  std::unique_ptr<ui::Widget> build(AppContext& app) override {
    auto page = make_page(app);
    voice::Voice* voice = live_voice(app);
    if (!voice) {
      const char* why = !app.config().voice.enabled ? "tech.audio.disabled"
                        : !app.services().voice     ? "tech.audio.no_voice"
                                                    : "tech.audio.no_audio";
      page->add(std::make_unique<ui::Label>(app.tr(why), ui::TextRole::heading))->set_id("tech-audio-unavailable");
      page->add(button(app, app.tr("tech.audio.look_again"), ui::ButtonKind::secondary, [&app] { app.rebuild(); }))
          ->set_id("tech-audio-again");
      return frame(app, scrolling(std::move(page), &scroll_));
    }
    page->add(std::make_unique<ui::Label>(app.tr("tech.audio.hint"), ui::TextRole::body));
    for (int step = 1; step <= 5; ++step) {
      page->add(button(app, app.strings().format("tech.audio.step", {std::to_string(step)}),
                       step == played_ ? ui::ButtonKind::primary : ui::ButtonKind::secondary,
                       [this, &app, step] { play(app, step); }))
          ->set_id("tech-audio-" + std::to_string(step));
    }
    if (!message_.empty()) page->add(std::make_unique<ui::Label>(message_, ui::TextRole::body))->set_id("tech-audio-message");
    return frame(app, scrolling(std::move(page), &scroll_));
  }

 private:
  static voice::Voice* live_voice(AppContext& app) {
    if (!app.config().voice.enabled || !app.services().voice) return nullptr;
    return app.services().voice->peek();  // never waits for the voice being built
  }

  void play(AppContext& app, int step) {
    voice::Voice* voice = live_voice(app);
    if (!voice) {
      app.rebuild();
      return;
    }
    voice->stop();
    voice->set_volume_step(step);
    const bool english = app.strings().language() == Language::en;
    auto spoken = voice->speak(app.strings().format("tech.audio.prompt", {std::to_string(step)}),
                               english ? voice::Language::en : voice::Language::zh);
    played_ = step;
    message_ = spoken.ok() ? app.strings().format("tech.audio.playing", {std::to_string(step)})
                           : app.strings().format("tech.audio.failed", {spoken.error().message});
    app.rebuild();
  }

  int played_ = 0;
  std::string message_;
  ui::ScrollState scroll_;
};

}  // namespace

std::unique_ptr<Screen> make_technician_touch_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<TouchScreen>(std::move(visit));
}
std::unique_ptr<Screen> make_technician_patterns_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<PatternsScreen>(std::move(visit));
}
std::unique_ptr<Screen> make_technician_audio_screen(std::shared_ptr<TechnicianVisit> visit) {
  return std::make_unique<AudioScreen>(std::move(visit));
}

}  // namespace screens
