#include "kiosk/ui/image_view.h"

#include <algorithm>
#include <cmath>

namespace kiosk::ui {
namespace {

// The source pixels [first, last) that one destination pixel covers along an axis.
struct Span {
  int first;
  int last;
};

std::vector<Span> spans(int source, int destination) {
  std::vector<Span> out(static_cast<std::size_t>(destination));
  for (int i = 0; i < destination; ++i) {
    const int first = static_cast<int>(static_cast<long long>(i) * source / destination);
    const int last = static_cast<int>((static_cast<long long>(i + 1) * source + destination - 1) / destination);
    out[static_cast<std::size_t>(i)] = {first, std::max(first + 1, std::min(last, source))};
  }
  return out;
}

std::uint32_t bilinear(const Canvas& image, double x, double y) {
  x = std::clamp(x, 0.0, image.width() - 1.0);
  y = std::clamp(y, 0.0, image.height() - 1.0);
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const int x1 = std::min(x0 + 1, image.width() - 1), y1 = std::min(y0 + 1, image.height() - 1);
  const double fx = x - x0, fy = y - y0;
  std::uint32_t out = 0xFF000000u;
  for (int shift = 0; shift < 24; shift += 8) {
    auto channel = [&](int px, int py) { return static_cast<double>((image.pixel(px, py) >> shift) & 0xFF); };
    const double top = channel(x0, y0) * (1 - fx) + channel(x1, y0) * fx;
    const double bottom = channel(x0, y1) * (1 - fx) + channel(x1, y1) * fx;
    out |= static_cast<std::uint32_t>(std::lround(top * (1 - fy) + bottom * fy)) << shift;
  }
  return out;
}

// Shrinking averages every source pixel a destination pixel covers (a camera frame or a document
// photo shrunk 3× would shimmer with point sampling); enlarging interpolates.
Canvas scale_image(const Canvas& image, int width, int height) {
  Canvas out(width, height);
  if (width >= image.width() && height >= image.height()) {
    const double sx = static_cast<double>(image.width()) / width, sy = static_cast<double>(image.height()) / height;
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        out.pixels()[static_cast<std::size_t>(y) * width + x] = bilinear(image, (x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5);
      }
    }
    return out;
  }
  const auto columns = spans(image.width(), width);
  const auto rows = spans(image.height(), height);
  for (int y = 0; y < height; ++y) {
    const Span row = rows[static_cast<std::size_t>(y)];
    for (int x = 0; x < width; ++x) {
      const Span column = columns[static_cast<std::size_t>(x)];
      unsigned long long sum[3] = {0, 0, 0};
      for (int sy = row.first; sy < row.last; ++sy) {
        for (int sx = column.first; sx < column.last; ++sx) {
          const std::uint32_t pixel = image.pixel(sx, sy);
          sum[0] += (pixel >> 16) & 0xFF;
          sum[1] += (pixel >> 8) & 0xFF;
          sum[2] += pixel & 0xFF;
        }
      }
      const unsigned long long count =
          static_cast<unsigned long long>(row.last - row.first) * static_cast<unsigned long long>(column.last - column.first);
      const auto average = [&](int i) { return static_cast<std::uint32_t>((sum[i] + count / 2) / count); };
      out.pixels()[static_cast<std::size_t>(y) * width + x] = 0xFF000000u | (average(0) << 16) | (average(1) << 8) | average(2);
    }
  }
  return out;
}

}  // namespace

// --- ImageView --------------------------------------------------------------------------------

ImageView::ImageView(std::shared_ptr<const Canvas> image, int max_height, std::vector<ImageOverlay> overlays,
                     std::string caption)
    : image_(std::move(image)), max_height_(max_height), overlays_(std::move(overlays)) {
  if (!caption.empty()) {
    caption_ = add_child(std::make_unique<Label>(std::move(caption), TextRole::caption, std::nullopt, Align::center));
  }
}

Size ImageView::fitted_size(int width) const {
  if (!image_ || image_->width() <= 0 || image_->height() <= 0 || width <= 0 || max_height_ <= 0) return {0, 0};
  const double scale = std::min(static_cast<double>(width) / image_->width(),
                                static_cast<double>(max_height_) / image_->height());
  return {std::clamp(static_cast<int>(std::lround(image_->width() * scale)), 1, width),
          std::clamp(static_cast<int>(std::lround(image_->height() * scale)), 1, max_height_)};
}

Size ImageView::measure(UiContext& context, int width) {
  int height = fitted_size(width).height;
  if (caption_ != nullptr) height += context.theme.spacing() + caption_->measure(context, width).height;
  return {width, height};
}

void ImageView::arrange(UiContext& context, Rect rect) {
  rect_ = rect;
  fitted_ = fitted_size(rect.width);
  if (caption_ != nullptr) {
    const int top = rect.y + fitted_.height + context.theme.spacing();
    caption_->arrange(context, {rect.x, top, rect.width, caption_->measure(context, rect.width).height});
  }
}

Rect ImageView::image_rect() const {
  // From rect_ each time: scrolling moves rect_ (translate) without a new layout.
  return {rect_.x + (rect_.width - fitted_.width) / 2, rect_.y, fitted_.width, fitted_.height};
}

Rect ImageView::to_canvas(Rect image_pixels) const {
  const Rect image_area = image_rect();
  if (!image_ || image_->width() <= 0 || image_->height() <= 0) return {};
  const double sx = static_cast<double>(image_area.width) / image_->width();
  const double sy = static_cast<double>(image_area.height) / image_->height();
  const int left = image_area.x + static_cast<int>(std::lround(image_pixels.x * sx));
  const int top = image_area.y + static_cast<int>(std::lround(image_pixels.y * sy));
  const int right = image_area.x + static_cast<int>(std::lround(image_pixels.right() * sx));
  const int bottom = image_area.y + static_cast<int>(std::lround(image_pixels.bottom() * sy));
  return {left, top, right - left, bottom - top};
}

void ImageView::draw(Canvas& canvas, UiContext& context) {
  const Rect image_area = image_rect();
  if (!image_area.empty()) {
    if (!scaled_ || scaled_->width() != image_area.width || scaled_->height() != image_area.height) {
      scaled_ = std::make_unique<Canvas>(scale_image(*image_, image_area.width, image_area.height));
    }
    canvas.draw_image(image_area.x, image_area.y, *scaled_);
    // Frames: thick enough to read from arm's length, inside the image (a face at the edge
    // keeps a whole frame on the photo, not half of one on the background).
    const int thickness = std::max(4, image_area.width / 120);
    canvas.push_clip(image_area);
    for (const ImageOverlay& overlay : overlays_) {
      const Rect frame = to_canvas(overlay.rect);
      if (frame.empty()) continue;
      canvas.fill_rect({frame.x, frame.y, frame.width, thickness}, overlay.color);
      canvas.fill_rect({frame.x, frame.bottom() - thickness, frame.width, thickness}, overlay.color);
      canvas.fill_rect({frame.x, frame.y + thickness, thickness, frame.height - 2 * thickness}, overlay.color);
      canvas.fill_rect({frame.right() - thickness, frame.y + thickness, thickness, frame.height - 2 * thickness},
                       overlay.color);
    }
    canvas.pop_clip();
  }
  Widget::draw(canvas, context);
}

// --- QrView -----------------------------------------------------------------------------------

Result<std::unique_ptr<QrView>> QrView::create(int size, std::vector<bool> modules, int max_side, int quiet_zone) {
  if (size <= 0 || max_side <= 0 || quiet_zone < 0) {
    return Error::make(ErrorKind::invalid_argument, "QR view: size, side and quiet zone must be positive");
  }
  if (modules.size() != static_cast<std::size_t>(size) * static_cast<std::size_t>(size)) {
    return Error::make(ErrorKind::invalid_argument, "QR view: " + std::to_string(modules.size()) + " modules for a " +
                                                        std::to_string(size) + "×" + std::to_string(size) + " code");
  }
  return std::unique_ptr<QrView>(new QrView(size, std::move(modules), max_side, quiet_zone));
}

int QrView::module_pixels_at(int width) const { return std::min(width, max_side_) / (size_ + 2 * quiet_zone_); }

Size QrView::measure(UiContext&, int width) { return {width, module_pixels_at(width) * (size_ + 2 * quiet_zone_)}; }

Rect QrView::code_rect() const {
  const int side = module_pixels() * (size_ + 2 * quiet_zone_);
  return {rect_.x + (rect_.width - side) / 2, rect_.y, side, side};
}

void QrView::draw(Canvas& canvas, UiContext&) {
  const int module = module_pixels();
  if (module <= 0) return;
  const Rect code = code_rect();
  canvas.fill_rect(code, Color::rgb(0xFFFFFF));
  const int origin_x = code.x + quiet_zone_ * module, origin_y = code.y + quiet_zone_ * module;
  for (int y = 0; y < size_; ++y) {
    for (int x = 0; x < size_;) {
      if (!modules_[static_cast<std::size_t>(y) * size_ + x]) {
        ++x;
        continue;
      }
      int run = 1;  // a run of dark modules is one rectangle
      while (x + run < size_ && modules_[static_cast<std::size_t>(y) * size_ + x + run]) ++run;
      canvas.fill_rect({origin_x + x * module, origin_y + y * module, run * module, module}, Color::rgb(0x000000));
      x += run;
    }
  }
}

}  // namespace kiosk::ui
