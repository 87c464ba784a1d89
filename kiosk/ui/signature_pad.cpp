#include "kiosk/ui/signature_pad.h"

#include <algorithm>
#include <cmath>

#include "kiosk/ui/png.h"

namespace kiosk::ui {
namespace {

constexpr Color kPaper = Color::rgb(0xFFFFFF);
constexpr Color kInk = Color::rgb(0x111111);
// A finger reports a point per pixel it moves; closer points add nothing to the line's shape.
constexpr double kMinPointDistance = 1.5;

double distance(InkPoint a, InkPoint b) { return std::hypot(double{b.x} - a.x, double{b.y} - a.y); }

std::size_t point_count(const SignatureState& state) {
  std::size_t count = 0;
  for (const auto& stroke : state.strokes) count += stroke.size();
  return count;
}

}  // namespace

// --- SignatureState ---------------------------------------------------------------------------

double SignatureState::ink_width() const { return std::clamp(pad_size.width / 160.0, 4.0, 10.0); }

double SignatureState::ink_length() const {
  double length = 0;
  for (const auto& stroke : strokes) {
    for (std::size_t i = 1; i < stroke.size(); ++i) length += distance(stroke[i - 1], stroke[i]);
  }
  return length;
}

bool SignatureState::signed_enough() const {
  if (strokes.empty() || pad_size.width <= 0) return false;
  float left = strokes.front().front().x, right = left;
  float top = strokes.front().front().y, bottom = top;
  for (const auto& stroke : strokes) {
    for (const InkPoint& point : stroke) {
      left = std::min(left, point.x);
      right = std::max(right, point.x);
      top = std::min(top, point.y);
      bottom = std::max(bottom, point.y);
    }
  }
  const double spread = std::max(right - left, bottom - top);
  return ink_length() >= 0.4 * pad_size.width && spread >= 0.15 * pad_size.width;
}

Result<std::vector<std::uint8_t>> SignatureState::to_png() const {
  if (strokes.empty()) return Error::make(ErrorKind::invalid_argument, "no signature to encode");
  double left = strokes.front().front().x, right = left;
  double top = strokes.front().front().y, bottom = top;
  for (const auto& stroke : strokes) {
    for (const InkPoint& point : stroke) {
      left = std::min<double>(left, point.x);
      right = std::max<double>(right, point.x);
      top = std::min<double>(top, point.y);
      bottom = std::max<double>(bottom, point.y);
    }
  }
  const double thickness = std::max(2.0, ink_width() * png_scale);
  // Ink reaches half a line width (and the anti-aliased pixel) beyond the points.
  const double reach = thickness / 2 + 1;
  const int width = static_cast<int>(std::ceil((right - left) * png_scale + 2 * reach)) + 2 * png_margin;
  const int height = static_cast<int>(std::ceil((bottom - top) * png_scale + 2 * reach)) + 2 * png_margin;
  const double origin = png_margin + reach;
  CoverageMask mask(width, height);
  for (const auto& stroke : strokes) {
    for (std::size_t i = 0; i < stroke.size(); ++i) {
      const InkPoint& from = stroke[i == 0 ? 0 : i - 1];
      const InkPoint& to = stroke[i];
      if (i > 0 || stroke.size() == 1) {
        mask.add_line(origin + (from.x - left) * png_scale, origin + (from.y - top) * png_scale,
                      origin + (to.x - left) * png_scale, origin + (to.y - top) * png_scale, thickness);
      }
    }
  }
  Canvas canvas(width, height);
  canvas.clear(kPaper);
  canvas.draw_mask(0, 0, width, height, mask.data(), width, Color::rgb(0x000000));
  return encode_png(canvas, PngColour::grey);
}

// --- SignaturePad -----------------------------------------------------------------------------

SignaturePad::SignaturePad(SignatureState* state, std::string hint, int height, std::function<void()> on_stroke)
    : state_(state), hint_(std::move(hint)), height_(height), on_stroke_(std::move(on_stroke)) {}

Size SignaturePad::measure(UiContext& context, int width) {
  if (height_ > 0) return {width, height_};
  return {width, std::max(width / 3, 3 * context.theme.min_touch_target())};
}

void SignaturePad::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  // Kept for input: the router calls the pointer hooks without a context.
  request_redraw_ = context.request_redraw;
}

double SignaturePad::scale_to_state() const {
  if (state_->pad_size.width <= 0 || rect_.width <= 0) return 1.0;
  return static_cast<double>(state_->pad_size.width) / rect_.width;
}

void SignaturePad::redraw() const {
  if (request_redraw_) request_redraw_();
}

void SignaturePad::add_point(Point point) {
  // A finger that slides off the pad keeps drawing along its edge rather than outside it.
  const double x = std::clamp(point.x - rect_.x, 0, std::max(0, rect_.width - 1)) * scale_to_state();
  const double y = std::clamp(point.y - rect_.y, 0, std::max(0, rect_.height - 1)) * scale_to_state();
  const InkPoint ink{static_cast<float>(x), static_cast<float>(y)};
  auto& stroke = state_->strokes.back();
  if (!stroke.empty() && distance(stroke.back(), ink) < kMinPointDistance) return;
  if (point_count(*state_) >= SignatureState::max_points) return;
  stroke.push_back(ink);
  redraw();
}

void SignaturePad::pointer_down(Point point) {
  if (point_count(*state_) >= SignatureState::max_points) return;
  if (state_->strokes.empty()) state_->pad_size = {rect_.width, rect_.height};
  state_->strokes.emplace_back();
  drawing_ = true;
  add_point(point);
}

void SignaturePad::pointer_move(Point point) {
  if (drawing_) add_point(point);
}

void SignaturePad::pointer_up(Point point) {
  if (!drawing_) return;
  add_point(point);
  drawing_ = false;
  if (on_stroke_) on_stroke_();
}

void SignaturePad::clear() {
  state_->clear();
  drawing_ = false;
  redraw();
  if (on_stroke_) on_stroke_();
}

void SignaturePad::update_mask() {
  const auto& strokes = state_->strokes;
  const bool resized = mask_.width() != rect_.width || mask_.height() != rect_.height;
  const bool shrunk = strokes.size() < masked_strokes_ ||
                      (masked_strokes_ < strokes.size() && strokes[masked_strokes_].size() < masked_points_);
  if (resized) mask_ = CoverageMask(rect_.width, rect_.height);
  if (resized || shrunk) {
    mask_.clear();
    masked_strokes_ = 0;
    masked_points_ = 0;
  }
  if (strokes.empty()) return;
  const double to_pad = 1.0 / scale_to_state();
  const double thickness = state_->ink_width() * to_pad;
  for (; masked_strokes_ < strokes.size(); ++masked_strokes_, masked_points_ = 0) {
    const auto& stroke = strokes[masked_strokes_];
    for (; masked_points_ < stroke.size(); ++masked_points_) {
      const InkPoint& to = stroke[masked_points_];
      const InkPoint& from = stroke[masked_points_ == 0 ? 0 : masked_points_ - 1];
      mask_.add_line(from.x * to_pad, from.y * to_pad, to.x * to_pad, to.y * to_pad, thickness);
    }
    // The stroke a finger is still drawing stays open: its next points continue from here.
    if (masked_strokes_ + 1 == strokes.size()) break;
  }
}

void SignaturePad::draw(Canvas& canvas, UiContext& context) {
  const Theme& theme = context.theme;
  const Palette& palette = theme.palette();
  canvas.fill_rounded_rect(rect_, theme.corner_radius(), kPaper);
  canvas.stroke_rounded_rect(rect_, theme.corner_radius(), 2, palette.border);
  // The baseline a signature sits on, as on paper forms.
  const int margin = theme.padding();
  const int baseline = rect_.y + rect_.height * 3 / 4;
  canvas.fill_rect({rect_.x + margin, baseline, rect_.width - 2 * margin, 2}, palette.border);
  if (state_->empty() && !hint_.empty()) {
    if (!hint_layout_ || hint_width_ != rect_.width) {
      TextStyle style = theme.text(TextRole::body, palette.text_secondary);
      style.align = Align::center;
      style.max_lines = 1;
      hint_layout_ = layout_text(context.atlas, hint_, style, rect_.width - 2 * margin);
      hint_width_ = rect_.width;
    }
    draw_text(canvas, context.atlas, *hint_layout_,
              {rect_.x + margin, baseline - theme.spacing() - hint_layout_->height}, palette.text_secondary);
  }
  update_mask();
  if (state_->empty()) return;
  canvas.push_clip(rect_);
  canvas.draw_mask(rect_.x, rect_.y, mask_.width(), mask_.height(), mask_.data(), mask_.width(), kInk);
  canvas.pop_clip();
}

}  // namespace kiosk::ui
