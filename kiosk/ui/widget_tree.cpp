#include "kiosk/ui/widget_tree.h"

#include <algorithm>

#include <cstdlib>

namespace kiosk::ui {
namespace {

void collect_visible(Widget& widget, Rect clip, std::vector<VisibleWidget>& out) {
  const Rect visible = widget.rect().intersect(clip);
  if (visible.empty()) return;
  out.push_back({&widget, visible});
  const Rect child_clip = clip.intersect(widget.child_clip());
  for (const auto& child : widget.children()) collect_visible(*child, child_clip, out);
}

bool collect_path(Widget& widget, Point point, Rect clip, std::vector<Widget*>& path) {
  if (!widget.rect().intersect(clip).contains(point)) return false;
  path.push_back(&widget);
  const Rect child_clip = clip.intersect(widget.child_clip());
  const auto& children = widget.children();
  for (auto it = children.rbegin(); it != children.rend(); ++it) {  // topmost first
    if (collect_path(**it, point, child_clip, path)) break;
  }
  return true;
}

}  // namespace

std::vector<VisibleWidget> visible_widgets(Widget& root, Rect screen) {
  std::vector<VisibleWidget> out;
  collect_visible(root, screen, out);
  return out;
}

std::vector<Widget*> hit_path(Widget& root, Point point, Rect screen) {
  std::vector<Widget*> path;
  collect_path(root, point, screen, path);
  return path;
}

bool step_animations(Widget& root, Milliseconds elapsed) {
  bool moving = root.animating() && root.animate(elapsed);
  for (const auto& child : root.children()) moving = step_animations(*child, elapsed) || moving;
  return moving;
}

std::optional<Milliseconds> animation_interval(const Widget& root) {
  std::optional<Milliseconds> interval;
  if (root.animating()) interval = root.frame_interval();
  for (const auto& child : root.children()) {
    if (auto inner = animation_interval(*child)) interval = interval ? std::min(*interval, *inner) : *inner;
  }
  return interval;
}

bool any_animating(const Widget& root) { return animation_interval(root).has_value(); }

void PointerRouter::reset() {
  pressed_ = nullptr;
  scroll_ = nullptr;
  capture_ = nullptr;
  dragging_ = false;
  samples_.clear();
}

void PointerRouter::down(Widget& root, Rect screen, Point point, Milliseconds now) {
  reset();
  const auto path = hit_path(root, point, screen);
  PointerCapture* capture = nullptr;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    if (capture == nullptr && pressed_ == nullptr && scroll_ == nullptr) capture = dynamic_cast<PointerCapture*>(*it);
    if (capture == nullptr && pressed_ == nullptr && (*it)->tappable()) pressed_ = *it;
    if (scroll_ == nullptr) scroll_ = dynamic_cast<ScrollView*>(*it);
  }
  if (scroll_ != nullptr) {
    // A touch catches a flinging list. It only catches it: the pad under the finger was moving,
    // so ink from this touch would land where the citizen did not mean it; a drag scrolls on.
    if (scroll_->animating()) capture = nullptr;
    scroll_->stop();
  }
  if (capture != nullptr) {
    capture_ = capture;
    scroll_ = nullptr;
    down_point_ = last_point_ = point;
    capture_->pointer_down(point);
    return;
  }
  if (pressed_ != nullptr) pressed_->set_pressed(true);
  down_point_ = last_point_ = point;
  samples_.push_back({point, now});
}

void PointerRouter::move(Point point, Milliseconds now) {
  if (!active()) return;
  if (capture_ != nullptr) {
    capture_->pointer_move(point);
    last_point_ = point;
    return;
  }
  if (!dragging_ && scroll_ != nullptr &&
      (std::abs(point.y - down_point_.y) > touch_slop || std::abs(point.x - down_point_.x) > touch_slop)) {
    dragging_ = true;
    if (pressed_ != nullptr) pressed_->set_pressed(false);
    pressed_ = nullptr;
  }
  if (dragging_) scroll_->scroll_by(last_point_.y - point.y);
  last_point_ = point;
  samples_.push_back({point, now});
  if (samples_.size() > 16) samples_.erase(samples_.begin());
}

Widget* PointerRouter::up(Widget& root, Rect screen, Point point, Milliseconds now) {
  Widget* tapped = nullptr;
  if (capture_ != nullptr) {
    capture_->pointer_up(point);
  } else if (dragging_) {
    move(point, now);
    // Velocity over the last 100 ms of the drag decides the fling.
    const Sample& last = samples_.back();
    const Sample* first = &samples_.front();
    for (const Sample& sample : samples_) {
      if (last.time - sample.time <= 100) {
        first = &sample;
        break;
      }
    }
    const Milliseconds span = last.time - first->time;
    if (span > 0) scroll_->fling(static_cast<double>(first->point.y - last.point.y) / static_cast<double>(span));
  } else if (pressed_ != nullptr) {
    pressed_->set_pressed(false);
    const auto path = hit_path(root, point, screen);
    for (Widget* widget : path) {
      if (widget == pressed_) tapped = pressed_;
    }
  }
  reset();
  return tapped;
}

}  // namespace kiosk::ui
