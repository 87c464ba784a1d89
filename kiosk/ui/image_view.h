#pragma once
// Pictures on screen: a photo or camera frame with marks on it (ImageView), and a QR code's module
// matrix (QrView). Both take plain pixel data, so kiosk_ui needs neither the device layer, OpenCV
// nor libqrencode: the screen converts a hal frame into a Canvas, or a receipt::QrCode into bits.

#include <memory>
#include <string>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/ui/widget.h"

namespace kiosk::ui {

// A rectangle drawn as a frame over the image (a detected face), in image pixels.
struct ImageOverlay {
  Rect rect;
  Color color;

  // Colours for the face gate's box: the face is good / the citizen should move.
  static constexpr Color good = Color::rgb(0x1E8E3E);
  static constexpr Color attention = Color::rgb(0xE8A100);
};

// Shows `image` as wide as the widget allows and no taller than `max_height`, keeping its aspect
// ratio, centred; with frames over it and an optional caption below (a Label child, so scripts
// can `expect` it). The image is shared, not copied: a camera preview passes each new frame in a
// new widget. The scaled copy is made once per layout size; the image's alpha is ignored.
class ImageView : public Widget {
 public:
  ImageView(std::shared_ptr<const Canvas> image, int max_height, std::vector<ImageOverlay> overlays = {},
            std::string caption = {});

  Size measure(UiContext& context, int width) override;
  void arrange(UiContext& context, Rect rect) override;
  void draw(Canvas& canvas, UiContext& context) override;

  // Where the image is drawn, in canvas coordinates (after arrange).
  Rect image_rect() const;
  // An image-pixel rectangle in canvas coordinates (after arrange).
  Rect to_canvas(Rect image_pixels) const;

 private:
  Size fitted_size(int width) const;

  std::shared_ptr<const Canvas> image_;
  int max_height_;
  std::vector<ImageOverlay> overlays_;
  Widget* caption_ = nullptr;
  Size fitted_;  // the image's size on screen, from the last arrange
  std::unique_ptr<Canvas> scaled_;
};

// A square module matrix (a QR code) drawn black on white with a quiet zone, centred, at the
// largest whole number of pixels per module that fits in min(width, max_side): scanners read
// whole-pixel modules reliably, and blurred module edges are what phone cameras misread.
class QrView : public Widget {
 public:
  // `modules`: size × size, row-major, true = dark. `quiet_zone` in modules (the standard's 4).
  // Errors: invalid_argument when the matrix is not size × size or sizes are not positive.
  static Result<std::unique_ptr<QrView>> create(int size, std::vector<bool> modules, int max_side,
                                                int quiet_zone = 4);

  Size measure(UiContext& context, int width) override;
  void draw(Canvas& canvas, UiContext& context) override;

  // Pixels per module at the current layout (0 when even one pixel per module does not fit).
  int module_pixels() const { return module_pixels_at(rect_.width); }
  // The white square including the quiet zone, in canvas coordinates.
  Rect code_rect() const;

 private:
  QrView(int size, std::vector<bool> modules, int max_side, int quiet_zone)
      : size_(size), modules_(std::move(modules)), max_side_(max_side), quiet_zone_(quiet_zone) {}
  int module_pixels_at(int width) const;

  int size_;
  std::vector<bool> modules_;
  int max_side_;
  int quiet_zone_;
};

}  // namespace kiosk::ui
