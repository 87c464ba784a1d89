#pragma once
// A small retained widget toolkit. Screens build a tree of widgets from their state; the app lays
// it out, draws it into a Canvas, and routes touch/mouse through it. Widgets that show text expose
// it through text(), which is what the headless script driver taps by and what voice and
// translation checks read. UI thread only.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/clock.h"
#include "kiosk/ui/canvas.h"
#include "kiosk/ui/glyph_atlas.h"
#include "kiosk/ui/text_layout.h"
#include "kiosk/ui/theme.h"

namespace kiosk::ui {

// What a widget may use while measuring, drawing and handling input.
struct UiContext {
  GlyphAtlas& atlas;
  const Theme& theme;
  std::function<void()> request_redraw;
};

class Widget {
 public:
  virtual ~Widget() = default;

  const std::string& id() const { return id_; }
  void set_id(std::string id) { id_ = std::move(id); }
  const Rect& rect() const { return rect_; }

  // Height this widget wants at `width` pixels wide.
  virtual Size measure(UiContext& context, int width) = 0;
  // Places the widget (and its children) at `rect`, in canvas coordinates.
  virtual void arrange(UiContext& context, Rect rect);
  virtual void draw(Canvas& canvas, UiContext& context);

  // Visible text (labels, button captions); empty for containers.
  virtual std::string_view text() const { return {}; }
  virtual bool tappable() const { return false; }
  virtual void tap() {}
  virtual void set_pressed(bool) {}

  // Children, in drawing order; containers own theirs.
  const std::vector<std::unique_ptr<Widget>>& children() const { return children_; }
  // The region children are clipped to (a scroll view's viewport); the widget's rect otherwise.
  virtual Rect child_clip() const { return rect_; }
  // Moves this widget and its descendants (scrolling moves content without a new layout).
  void translate(int dx, int dy);

  // Animation (a fling, a progress indicator): animating() says whether the widget wants frames;
  // animate() advances it by `elapsed` ms (> 0) and returns whether it still moves.
  virtual bool animating() const { return false; }
  virtual bool animate(Milliseconds) { return false; }
  // How often an animating widget needs a frame (a fling: every display frame).
  virtual Milliseconds frame_interval() const { return 16; }

 protected:
  Widget* add_child(std::unique_ptr<Widget> child);

  std::string id_;
  Rect rect_;
  std::vector<std::unique_ptr<Widget>> children_;
};

// Vertical stack with padding, spacing and an optional background card.
class Column : public Widget {
 public:
  explicit Column(int spacing = 0, int padding = 0) : spacing_(spacing), padding_(padding) {}
  template <typename T>
  T* add(std::unique_ptr<T> child) {
    return static_cast<T*>(add_child(std::move(child)));
  }
  Column& set_background(Color color, int corner_radius = 0) {
    background_ = color;
    corner_radius_ = corner_radius;
    return *this;
  }
  Column& set_border(Color color) {
    border_ = color;
    return *this;
  }

  Size measure(UiContext& context, int width) override;
  void arrange(UiContext& context, Rect rect) override;
  void draw(Canvas& canvas, UiContext& context) override;

 private:
  int spacing_;
  int padding_;
  std::optional<Color> background_;
  std::optional<Color> border_;
  int corner_radius_ = 0;
};

// Horizontal row: children share the width by weight (default 1), height is the tallest child.
class Row : public Widget {
 public:
  explicit Row(int spacing = 0) : spacing_(spacing) {}
  template <typename T>
  T* add(std::unique_ptr<T> child, int weight = 1) {
    weights_.push_back(weight);
    return static_cast<T*>(add_child(std::move(child)));
  }
  Size measure(UiContext& context, int width) override;
  void arrange(UiContext& context, Rect rect) override;

 private:
  std::vector<int> child_widths(int width) const;
  int spacing_;
  std::vector<int> weights_;
};

// Fills a fixed height (the screen): children with weight 0 take their natural height, the others
// share what is left by weight (a scrolling body between a top bar and a bottom bar).
class FlexColumn : public Widget {
 public:
  template <typename T>
  T* add(std::unique_ptr<T> child, int weight = 0) {
    weights_.push_back(weight);
    return static_cast<T*>(add_child(std::move(child)));
  }
  FlexColumn& set_background(Color color) {
    background_ = color;
    return *this;
  }
  Size measure(UiContext&, int width) override { return {width, rect_.height}; }
  void arrange(UiContext& context, Rect rect) override;
  void draw(Canvas& canvas, UiContext& context) override;

 private:
  std::vector<int> weights_;
  std::optional<Color> background_;
};

// A filled rectangle behind one child, with padding: the top bar, notices, the bottom bar.
class Panel : public Widget {
 public:
  Panel(std::unique_ptr<Widget> child, Color background, int padding_x, int padding_y)
      : background_(background), padding_x_(padding_x), padding_y_(padding_y) {
    add_child(std::move(child));
  }
  Size measure(UiContext& context, int width) override {
    return {width, children_.front()->measure(context, width - 2 * padding_x_).height + 2 * padding_y_};
  }
  void arrange(UiContext& context, Rect rect) override {
    rect_ = rect;
    children_.front()->arrange(context, rect.inset(padding_x_, padding_y_));
  }
  void draw(Canvas& canvas, UiContext& context) override {
    canvas.fill_rect(rect_, background_);
    Widget::draw(canvas, context);
  }

 private:
  Color background_;
  int padding_x_, padding_y_;
};

// Makes a whole area tappable (the attract screen: a touch anywhere starts). Tappable widgets
// inside it still take their own taps: the innermost tappable widget under a finger wins.
class TapArea : public Widget {
 public:
  TapArea(std::unique_ptr<Widget> child, std::function<void()> on_tap) : on_tap_(std::move(on_tap)) {
    add_child(std::move(child));
  }
  Size measure(UiContext& context, int width) override { return children_.front()->measure(context, width); }
  void arrange(UiContext& context, Rect rect) override {
    rect_ = rect;
    children_.front()->arrange(context, rect);
  }
  bool tappable() const override { return true; }
  void tap() override {
    if (on_tap_) on_tap_();
  }

 private:
  std::function<void()> on_tap_;
};

class Spacer : public Widget {
 public:
  explicit Spacer(int height) : height_(height) {}
  Size measure(UiContext&, int width) override { return {width, height_}; }

 private:
  int height_;
};

class Label : public Widget {
 public:
  Label(std::string text, TextRole role, std::optional<Color> color = std::nullopt, Align align = Align::start,
        int max_lines = 0);
  Size measure(UiContext& context, int width) override;
  void draw(Canvas& canvas, UiContext& context) override;
  std::string_view text() const override { return text_; }
  TextRole role() const { return role_; }

 private:
  const TextLayout& layout_for(UiContext& context, int width);
  std::string text_;
  TextRole role_;
  std::optional<Color> color_;
  Align align_;
  int max_lines_;
  std::optional<TextLayout> layout_;
  int layout_width_ = -1;
};

enum class ButtonKind {
  primary,    // the main action: filled blue
  secondary,  // other actions: light fill
  warning,    // destructive / attention
  row,        // a list row: white card, left-aligned title and detail, chevron
  tile,       // a home-screen tile: large title and detail, centred
  header,     // buttons in the top bar
  key,        // an on-screen keyboard key: secondary look, minimum touch-target height
};

class Button : public Widget {
 public:
  Button(std::string text, ButtonKind kind, std::function<void()> on_tap, std::string detail = {});
  Size measure(UiContext& context, int width) override;
  void draw(Canvas& canvas, UiContext& context) override;
  std::string_view text() const override { return text_; }
  std::string_view detail() const { return detail_; }
  ButtonKind kind() const { return kind_; }
  bool tappable() const override { return enabled_; }
  void tap() override;
  void set_pressed(bool pressed) override { pressed_ = pressed; }
  void set_enabled(bool enabled) { enabled_ = enabled; }
  Button& set_selected(bool selected) {
    selected_ = selected;
    return *this;
  }
  // Text roles used for caption and detail (tests read them for the MIIT checks).
  TextRole text_role() const;
  TextRole detail_role() const { return TextRole::caption; }

 private:
  std::string text_;
  ButtonKind kind_;
  std::function<void()> on_tap_;
  std::string detail_;
  bool pressed_ = false;
  bool enabled_ = true;
  bool selected_ = false;
  std::optional<TextLayout> title_layout_, detail_layout_;
  int layout_width_ = -1;
};

// A one-line text input. The value lives in the screen's state; the field shows it and a caret.
class TextField : public Widget {
 public:
  TextField(std::string* value, std::string placeholder, std::function<void()> on_focus);
  Size measure(UiContext& context, int width) override;
  void draw(Canvas& canvas, UiContext& context) override;
  std::string_view text() const override { return value_->empty() ? std::string_view(placeholder_) : shown(); }
  bool tappable() const override { return true; }
  void tap() override;
  void set_focused(bool focused) { focused_ = focused; }
  bool focused() const { return focused_; }
  // A personal value (kiosk/core/masking.h) is shown masked while the field has no focus: only the
  // field being edited shows what the citizen types.
  TextField& set_masked(std::string masked) {
    masked_ = std::move(masked);
    has_mask_ = true;
    return *this;
  }

 private:
  std::string_view shown() const { return has_mask_ && !focused_ ? std::string_view(masked_) : std::string_view(*value_); }
  std::string* value_;
  std::string placeholder_;
  std::string masked_;
  bool has_mask_ = false;
  std::function<void()> on_focus_;
  bool focused_ = false;
};

// Keeps a scroll view's offset and motion across rebuilds of the widget tree.
struct ScrollState {
  double offset = 0;
  double velocity = 0;  // px per ms, positive scrolls content up
  bool animating() const { return velocity != 0; }
};

// Vertical scrolling by touch drag with fling; the child may be taller than the viewport.
class ScrollView : public Widget {
 public:
  ScrollView(std::unique_ptr<Widget> child, ScrollState* state);
  Size measure(UiContext& context, int width) override;
  void arrange(UiContext& context, Rect rect) override;
  void draw(Canvas& canvas, UiContext& context) override;
  Rect child_clip() const override { return rect_; }

  void scroll_by(double delta);
  void fling(double velocity_px_per_ms);
  // Advances the fling by `elapsed` ms; returns true while still moving.
  bool step(Milliseconds elapsed);
  void stop() { state_->velocity = 0; }
  bool animating() const override { return state_->animating(); }
  bool animate(Milliseconds elapsed) override { return step(elapsed); }
  double max_offset() const { return std::max(0, content_height_ - rect_.height); }
  double offset() const { return state_->offset; }
  // Scrolls so that `target` (canvas coordinates of a descendant) is inside the viewport.
  void reveal(Rect target);

 private:
  void move_content(double new_offset);
  ScrollState* state_;
  int content_height_ = 0;
};

// "Something is happening": a ring of dots turning, for any wait the citizen cannot see the end of
// (loading, a platform call, a print). It asks for frames only while it is on screen; with a
// label it says what is being waited for.
class Spinner : public Widget {
 public:
  explicit Spinner(std::string label = {});
  Size measure(UiContext& context, int width) override;
  void draw(Canvas& canvas, UiContext& context) override;
  std::string_view text() const override { return label_; }
  bool animating() const override { return true; }
  bool animate(Milliseconds elapsed) override;
  Milliseconds frame_interval() const override { return kStepMs; }
  int step_index() const { return static_cast<int>(phase_ / kStepMs) % kDots; }

  static constexpr int kDots = 8;
  static constexpr Milliseconds kStepMs = 100;  // one dot every 100 ms: a turn per 0.8 s

 private:
  int diameter(const Theme& theme) const;
  std::string label_;
  Milliseconds phase_ = 0;
  std::optional<TextLayout> layout_;
  int layout_width_ = -1;
};

}  // namespace kiosk::ui
