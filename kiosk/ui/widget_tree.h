#pragma once
// Walking a widget tree: hit testing, visible-widget queries (for the script driver and checks of
// the MIIT rules) and the pointer router that turns touch or mouse into taps, drags and flings.

#include <functional>
#include <optional>
#include <vector>

#include "kiosk/ui/widget.h"

namespace kiosk::ui {

struct VisibleWidget {
  Widget* widget;
  Rect visible;  // the part of the widget on screen, after every clip
};

// Every widget whose visible part is non-empty, in drawing order (later = on top).
std::vector<VisibleWidget> visible_widgets(Widget& root, Rect screen);

// The chain of widgets under `point`, from root to the innermost.
std::vector<Widget*> hit_path(Widget& root, Point point, Rect screen);

// Advances every animating widget (flinging scroll views, spinners) by `elapsed` ms (> 0); true
// while any still moves.
bool step_animations(Widget& root, Milliseconds elapsed);
// True if any widget in the tree wants animation frames.
bool any_animating(const Widget& root);
// The shortest frame interval any animating widget asks for (nullopt: none animates).
std::optional<Milliseconds> animation_interval(const Widget& root);

// A widget that keeps a finger to itself (a signature pad) derives from this as well as from Widget.
// From the press to the lift it gets every point of that finger, in canvas coordinates, and the
// finger neither taps anything nor scrolls the view around it. The router picks the innermost such
// widget under the press, unless a tappable widget or a scroll view lies inside it. UI thread only;
// the router may forget a capture without pointer_up (the tree is rebuilt), so whatever a capture
// builds up must already be kept when pointer_move returns.
class PointerCapture {
 public:
  virtual ~PointerCapture() = default;
  virtual void pointer_down(Point point) = 0;
  virtual void pointer_move(Point point) = 0;
  virtual void pointer_up(Point point) = 0;
};

class PointerRouter {
 public:
  static constexpr int touch_slop = 16;  // px a finger may wander before a press becomes a drag

  // The tree may be rebuilt after a tap (a screen change), so the router forgets its widgets
  // whenever the app rebuilds.
  void reset();
  void down(Widget& root, Rect screen, Point point, Milliseconds now);
  void move(Point point, Milliseconds now);
  // Returns the widget to tap (the caller calls tap() after it stops touching the router); never
  // one when a PointerCapture had the finger.
  Widget* up(Widget& root, Rect screen, Point point, Milliseconds now);
  bool active() const { return pressed_ != nullptr || scroll_ != nullptr || capture_ != nullptr; }
  // Where a finger went down that has not moved beyond the slop yet (a press that may still
  // become a tap), or nullopt.
  std::optional<Point> press_point() const {
    if (!active() || dragging_ || capture_ != nullptr) return std::nullopt;
    return down_point_;
  }

 private:
  struct Sample {
    Point point;
    Milliseconds time;
  };
  Widget* pressed_ = nullptr;
  ScrollView* scroll_ = nullptr;
  PointerCapture* capture_ = nullptr;
  Point down_point_;
  Point last_point_;
  bool dragging_ = false;
  std::vector<Sample> samples_;
};

}  // namespace kiosk::ui
