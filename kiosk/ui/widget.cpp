#include "kiosk/ui/widget.h"

#include <cmath>
#include <numeric>

namespace kiosk::ui {

// --- Widget ---------------------------------------------------------------------------------

void Widget::arrange(UiContext&, Rect rect) { rect_ = rect; }

void Widget::draw(Canvas& canvas, UiContext& context) {
  canvas.push_clip(child_clip());
  for (auto& child : children_) {
    if (!child->rect().intersect(canvas.clip()).empty()) child->draw(canvas, context);
  }
  canvas.pop_clip();
}

Widget* Widget::add_child(std::unique_ptr<Widget> child) {
  children_.push_back(std::move(child));
  return children_.back().get();
}

void Widget::translate(int dx, int dy) {
  rect_.x += dx;
  rect_.y += dy;
  for (auto& child : children_) child->translate(dx, dy);
}

// --- Column ---------------------------------------------------------------------------------

Size Column::measure(UiContext& context, int width) {
  const int inner = width - 2 * padding_;
  int height = 2 * padding_;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    height += children_[i]->measure(context, inner).height;
    if (i + 1 < children_.size()) height += spacing_;
  }
  return {width, height};
}

void Column::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  const int inner = rect.width - 2 * padding_;
  int y = rect.y + padding_;
  for (auto& child : children_) {
    const int height = child->measure(context, inner).height;
    child->arrange(context, {rect.x + padding_, y, inner, height});
    y += height + spacing_;
  }
}

void Column::draw(Canvas& canvas, UiContext& context) {
  if (background_) canvas.fill_rounded_rect(rect_, corner_radius_, *background_);
  if (border_) canvas.stroke_rounded_rect(rect_, corner_radius_, 2, *border_);
  Widget::draw(canvas, context);
}

// --- FlexColumn -----------------------------------------------------------------------------

void FlexColumn::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  std::vector<int> heights(children_.size(), 0);
  int fixed = 0, total_weight = 0;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (weights_[i] == 0) {
      heights[i] = children_[i]->measure(context, rect.width).height;
      fixed += heights[i];
    }
    total_weight += weights_[i];
  }
  const int remaining = std::max(0, rect.height - fixed);
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (weights_[i] > 0) heights[i] = remaining * weights_[i] / std::max(1, total_weight);
  }
  int y = rect.y;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    children_[i]->arrange(context, {rect.x, y, rect.width, heights[i]});
    y += heights[i];
  }
}

void FlexColumn::draw(Canvas& canvas, UiContext& context) {
  if (background_) canvas.fill_rect(rect_, *background_);
  Widget::draw(canvas, context);
}

// --- Row ------------------------------------------------------------------------------------

std::vector<int> Row::child_widths(int width) const {
  std::vector<int> widths;
  const int total_weight = std::max(1, std::accumulate(weights_.begin(), weights_.end(), 0));
  const int available = width - spacing_ * std::max<int>(0, static_cast<int>(children_.size()) - 1);
  int used = 0;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    const int w = i + 1 == children_.size() ? available - used : available * weights_[i] / total_weight;
    widths.push_back(w);
    used += w;
  }
  return widths;
}

Size Row::measure(UiContext& context, int width) {
  const auto widths = child_widths(width);
  int height = 0;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    height = std::max(height, children_[i]->measure(context, widths[i]).height);
  }
  return {width, height};
}

void Row::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  const auto widths = child_widths(rect.width);
  int x = rect.x;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    children_[i]->arrange(context, {x, rect.y, widths[i], rect.height});
    x += widths[i] + spacing_;
  }
}

// --- Label ----------------------------------------------------------------------------------

Label::Label(std::string text, TextRole role, std::optional<Color> color, Align align, int max_lines)
    : text_(std::move(text)), role_(role), color_(color), align_(align), max_lines_(max_lines) {}

const TextLayout& Label::layout_for(UiContext& context, int width) {
  if (!layout_ || layout_width_ != width) {
    TextStyle style = context.theme.text(role_);
    style.align = align_;
    style.max_lines = max_lines_;
    layout_ = layout_text(context.atlas, text_, style, width);
    layout_width_ = width;
  }
  return *layout_;
}

Size Label::measure(UiContext& context, int width) { return {width, layout_for(context, width).height}; }

void Label::draw(Canvas& canvas, UiContext& context) {
  const TextLayout& layout = layout_for(context, rect_.width);
  // A label given more height than it needs (a title beside taller buttons) sits in the middle.
  const int y = rect_.y + std::max(0, (rect_.height - layout.height) / 2);
  draw_text(canvas, context.atlas, layout, {rect_.x, y}, color_.value_or(context.theme.palette().text));
}

// --- Button ---------------------------------------------------------------------------------

Button::Button(std::string text, ButtonKind kind, std::function<void()> on_tap, std::string detail)
    : text_(std::move(text)), kind_(kind), on_tap_(std::move(on_tap)), detail_(std::move(detail)) {}

TextRole Button::text_role() const {
  switch (kind_) {
    case ButtonKind::tile: return TextRole::heading;
    case ButtonKind::row: return TextRole::body;
    default: return TextRole::button;
  }
}

Size Button::measure(UiContext& context, int width) {
  const Theme& theme = context.theme;
  const int horizontal = kind_ == ButtonKind::row ? theme.padding() + 48 : theme.padding() / 2;
  const int inner = std::max(1, width - 2 * horizontal);
  TextStyle title = theme.text(text_role());
  if (kind_ != ButtonKind::row) title.align = Align::center;
  title_layout_ = layout_text(context.atlas, text_, title, inner);
  int content = title_layout_->height;
  if (!detail_.empty()) {
    TextStyle detail = theme.text(detail_role(), theme.palette().text_secondary);
    detail.align = title.align;
    detail.max_lines = kind_ == ButtonKind::tile ? 2 : 3;
    detail_layout_ = layout_text(context.atlas, detail_, detail, inner);
    content += detail_layout_->height;
  } else {
    detail_layout_.reset();
  }
  layout_width_ = width;
  const int vertical = kind_ == ButtonKind::header || kind_ == ButtonKind::key ? 8 : theme.spacing();
  // Keys are as small as a touch target allows, so a keyboard leaves room for what it types into.
  const int minimum = kind_ == ButtonKind::tile  ? theme.button_height() * 2
                      : kind_ == ButtonKind::key ? theme.min_touch_target()
                                                 : theme.button_height();
  return {width, std::max({minimum, theme.min_touch_target(), content + 2 * vertical})};
}

void Button::draw(Canvas& canvas, UiContext& context) {
  const Theme& theme = context.theme;
  const Palette& palette = theme.palette();
  if (layout_width_ != rect_.width) measure(context, rect_.width);
  Color fill = palette.secondary, ink = palette.on_secondary;
  switch (kind_) {
    case ButtonKind::primary: fill = palette.primary; ink = palette.on_primary; break;
    case ButtonKind::warning: fill = palette.warning; ink = palette.on_warning; break;
    case ButtonKind::row:
    case ButtonKind::tile: fill = palette.surface; ink = palette.text; break;
    case ButtonKind::header: fill = Color{255, 255, 255, 40}; ink = palette.on_header; break;
    case ButtonKind::secondary:
    case ButtonKind::key: break;
  }
  if (!enabled_) {
    fill = palette.border;
    ink = palette.text_secondary;
  }
  canvas.fill_rounded_rect(rect_, theme.corner_radius(), fill);
  if (kind_ == ButtonKind::row || kind_ == ButtonKind::tile || kind_ == ButtonKind::secondary || kind_ == ButtonKind::key) {
    canvas.stroke_rounded_rect(rect_, theme.corner_radius(), selected_ ? 4 : 2,
                               selected_ ? palette.primary : palette.border);
  }
  if (pressed_) canvas.fill_rounded_rect(rect_, theme.corner_radius(), Color{0, 0, 0, 40});

  const int horizontal = kind_ == ButtonKind::row ? theme.padding() : theme.padding() / 2;
  const int content = title_layout_->height + (detail_layout_ ? detail_layout_->height : 0);
  int y = rect_.y + (rect_.height - content) / 2;
  draw_text(canvas, context.atlas, *title_layout_, {rect_.x + horizontal, y}, ink);
  if (detail_layout_) {
    y += title_layout_->height;
    draw_text(canvas, context.atlas, *detail_layout_, {rect_.x + horizontal, y},
              kind_ == ButtonKind::primary || kind_ == ButtonKind::warning ? ink : palette.text_secondary);
  }
  if (kind_ == ButtonKind::row) {  // chevron: two strokes drawn as small rotated squares
    const int cx = rect_.right() - theme.padding();
    const int cy = rect_.y + rect_.height / 2;
    for (int i = -10; i <= 10; ++i) {
      const int dx = 10 - std::abs(i);
      canvas.fill_rect({cx - 12 + dx, cy + i - 2, 5, 4}, palette.text_secondary);
    }
  }
}

void Button::tap() {
  if (enabled_ && on_tap_) on_tap_();
}

// --- TextField ------------------------------------------------------------------------------

TextField::TextField(std::string* value, std::string placeholder, std::function<void()> on_focus)
    : value_(value), placeholder_(std::move(placeholder)), on_focus_(std::move(on_focus)) {}

Size TextField::measure(UiContext& context, int width) {
  return {width, std::max(context.theme.min_touch_target(), context.theme.button_height())};
}

void TextField::draw(Canvas& canvas, UiContext& context) {
  const Theme& theme = context.theme;
  const Palette& palette = theme.palette();
  canvas.fill_rounded_rect(rect_, theme.corner_radius(), palette.surface);
  canvas.stroke_rounded_rect(rect_, theme.corner_radius(), focused_ ? 4 : 2, focused_ ? palette.primary : palette.border);
  const bool empty = value_->empty();
  TextStyle style = theme.text(TextRole::body, empty ? palette.text_secondary : palette.text);
  style.max_lines = 1;
  const int inner = rect_.width - 2 * theme.padding() / 2 - 8;
  // Show the end of long input: the caret sits there.
  const TextLayout layout = layout_text(context.atlas, empty ? std::string_view(placeholder_) : shown(), style, 0);
  const int x0 = rect_.x + theme.padding() / 2;
  const int shift = std::max(0, layout.width - inner);
  const int y = rect_.y + (rect_.height - layout.height) / 2;
  canvas.push_clip(rect_.inset(theme.padding() / 2, 0));
  draw_text(canvas, context.atlas, layout, {x0 - shift, y}, style.color);
  canvas.pop_clip();
  if (focused_) {
    const int caret_x = x0 + (empty ? 0 : layout.width - shift) + 2;
    canvas.fill_rect({caret_x, y + layout.height / 6, 3, layout.height * 2 / 3}, palette.primary);
  }
}

void TextField::tap() {
  if (on_focus_) on_focus_();
}

// --- ScrollView -----------------------------------------------------------------------------

ScrollView::ScrollView(std::unique_ptr<Widget> child, ScrollState* state) : state_(state) {
  add_child(std::move(child));
}

Size ScrollView::measure(UiContext& context, int width) {
  return {width, children_.front()->measure(context, width).height};
}

void ScrollView::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  content_height_ = children_.front()->measure(context, rect.width).height;
  state_->offset = std::clamp(state_->offset, 0.0, max_offset());
  children_.front()->arrange(context, {rect.x, rect.y - static_cast<int>(std::lround(state_->offset)), rect.width,
                                       content_height_});
}

void ScrollView::move_content(double new_offset) {
  new_offset = std::clamp(new_offset, 0.0, max_offset());
  const int before = static_cast<int>(std::lround(state_->offset));
  const int after = static_cast<int>(std::lround(new_offset));
  state_->offset = new_offset;
  if (after != before) children_.front()->translate(0, before - after);
}

void ScrollView::scroll_by(double delta) { move_content(state_->offset + delta); }

void ScrollView::fling(double velocity) {
  state_->velocity = std::abs(velocity) < 0.05 ? 0 : std::clamp(velocity, -8.0, 8.0);
}

bool ScrollView::step(Milliseconds elapsed) {
  if (state_->velocity == 0) return false;
  // Exponential friction: velocity halves about every 325 ms (iOS-like feel), stops under 0.02 px/ms.
  const double decay = std::exp(-static_cast<double>(elapsed) / 470.0);
  const double travelled = state_->velocity * 470.0 * (1 - decay);
  state_->velocity *= decay;
  const double before = state_->offset;
  move_content(state_->offset + travelled);
  if (std::abs(state_->velocity) < 0.02 || state_->offset == before) state_->velocity = 0;
  return state_->velocity != 0;
}

void ScrollView::reveal(Rect target) {
  if (target.y < rect_.y) scroll_by(target.y - rect_.y);
  else if (target.bottom() > rect_.bottom()) scroll_by(std::min(target.bottom() - rect_.bottom(), target.y - rect_.y));
}

void ScrollView::draw(Canvas& canvas, UiContext& context) {
  Widget::draw(canvas, context);
  if (max_offset() > 0) {  // scroll indicator, so citizens see there is more below
    const Palette& palette = context.theme.palette();
    const int track = rect_.height - 16;
    const int thumb = std::max(60, track * rect_.height / std::max(1, content_height_));
    const int y = rect_.y + 8 + static_cast<int>((track - thumb) * (state_->offset / max_offset()));
    canvas.fill_rounded_rect({rect_.right() - 14, y, 8, thumb}, 4, palette.text_secondary.with_alpha(150));
  }
}

// --- Spinner --------------------------------------------------------------------------------

Spinner::Spinner(std::string label) : label_(std::move(label)) {}

int Spinner::diameter(const Theme& theme) const { return theme.min_touch_target(); }

Size Spinner::measure(UiContext& context, int width) {
  int height = diameter(context.theme) + 2 * context.theme.spacing();
  if (!label_.empty()) {
    TextStyle style = context.theme.text(TextRole::body, context.theme.palette().text_secondary);
    style.align = Align::center;
    layout_ = layout_text(context.atlas, label_, style, width);
    layout_width_ = width;
    height += layout_->height;
  }
  return {width, height};
}

void Spinner::draw(Canvas& canvas, UiContext& context) {
  const Theme& theme = context.theme;
  if (!label_.empty() && layout_width_ != rect_.width) measure(context, rect_.width);
  const int size = diameter(theme);
  const Point centre{rect_.x + rect_.width / 2, rect_.y + theme.spacing() + size / 2};
  const int dot = std::max(4, size / 9);
  const double ring = size / 2.0 - dot;
  const int lead = step_index();
  for (int i = 0; i < kDots; ++i) {
    // The leading dot is solid; the ones behind it fade, so the ring reads as turning.
    const int behind = (lead - i + kDots) % kDots;
    const auto alpha = static_cast<std::uint8_t>(255 - behind * 200 / kDots);
    const double angle = 2 * 3.14159265358979 * i / kDots - 3.14159265358979 / 2;
    const Point at{centre.x + static_cast<int>(std::lround(ring * std::cos(angle))),
                   centre.y + static_cast<int>(std::lround(ring * std::sin(angle)))};
    canvas.fill_circle(at, dot, theme.palette().primary.with_alpha(alpha));
  }
  if (layout_) {
    draw_text(canvas, context.atlas, *layout_, {rect_.x, rect_.y + size + 2 * theme.spacing()},
              theme.palette().text_secondary);
  }
}

bool Spinner::animate(Milliseconds elapsed) {
  phase_ = (phase_ + elapsed) % (kStepMs * kDots);
  return true;
}

}  // namespace kiosk::ui
