#pragma once
// The signature pad: the citizen signs a 告知承诺书 (or any form) with a finger. The ink lives in a
// SignatureState the screen owns, so it survives rebuilds of the widget tree (a language switch, a
// notice appearing) and can be turned into a PNG when the case is submitted, after the pad is gone.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/ui/widget.h"
#include "kiosk/ui/widget_tree.h"

namespace kiosk::ui {

struct InkPoint {
  float x = 0;
  float y = 0;
};

struct SignatureState {
  using Stroke = std::vector<InkPoint>;

  // Each stroke is one finger from press to lift, in pixels relative to the pad's top-left corner
  // at the size the pad had when the first stroke began (`pad_size`); a pad laid out at another
  // size later scales them, so this space never changes once there is ink.
  std::vector<Stroke> strokes;
  Size pad_size;

  // The PNG is drawn at this many pixels per pad pixel: a 1000 px pad gives at most 500 px.
  static constexpr double png_scale = 0.5;
  // Blank border around the ink in the PNG, in PNG pixels.
  static constexpr int png_margin = 8;
  // At most this many points are kept (about 10 minutes of scribbling); later ones are dropped.
  static constexpr std::size_t max_points = 20'000;

  bool empty() const { return strokes.empty(); }
  void clear() {
    strokes.clear();
    pad_size = {};
  }
  // Ink line width in `pad_size` pixels.
  double ink_width() const;
  // Total length of all strokes, in `pad_size` pixels.
  double ink_length() const;
  // Enough ink to count as a signature, not a stray touch: strokes at least 40 % of the pad's
  // width long in total, spread over at least 15 % of its width (or height, for vertical names).
  bool signed_enough() const;
  // Black ink on white, cropped to the ink plus `png_margin`, at `png_scale`, 8-bit grey.
  // Errors: invalid_argument when there is no ink; io when encoding fails.
  Result<std::vector<std::uint8_t>> to_png() const;
};

// A white, bordered area with a baseline and a hint ("请在此处签名") until the first stroke. A finger
// that goes down on the pad draws (PointerCapture): it does not scroll the screen or tap.
class SignaturePad : public Widget, public PointerCapture {
 public:
  // `height` in pixels (0: a third of the width, at least three touch targets). `on_stroke` runs
  // after each finger lifts and after clear(), e.g. to enable "确认签名" once signed_enough().
  SignaturePad(SignatureState* state, std::string hint, int height = 0, std::function<void()> on_stroke = {});

  Size measure(UiContext& context, int width) override;
  void arrange(UiContext& context, Rect rect) override;
  void draw(Canvas& canvas, UiContext& context) override;
  std::string_view text() const override { return state_->empty() ? std::string_view(hint_) : std::string_view(); }

  void pointer_down(Point point) override;
  void pointer_move(Point point) override;
  void pointer_up(Point point) override;

  void clear();
  bool signed_enough() const { return state_->signed_enough(); }
  Result<std::vector<std::uint8_t>> to_png() const { return state_->to_png(); }
  const SignatureState& state() const { return *state_; }

 private:
  // Pad pixels now → the state's space, and back.
  double scale_to_state() const;
  void add_point(Point point);
  // Brings the ink mask up to date with the state: only segments added since the last call are
  // drawn, unless the ink was cleared or the pad changed size.
  void update_mask();
  void redraw() const;

  SignatureState* state_;
  std::string hint_;
  int height_;
  std::function<void()> on_stroke_;
  std::function<void()> request_redraw_;
  bool drawing_ = false;
  CoverageMask mask_;
  std::size_t masked_strokes_ = 0;  // strokes wholly in the mask
  std::size_t masked_points_ = 0;   // points of the next stroke already in the mask
  std::optional<TextLayout> hint_layout_;
  int hint_width_ = -1;
};

}  // namespace kiosk::ui
