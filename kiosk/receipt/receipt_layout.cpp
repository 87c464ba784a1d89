#include "kiosk/receipt/receipt_layout.h"

#include <algorithm>

#include "kiosk/core/text.h"
#include "kiosk/receipt/qr_code.h"
#include "kiosk/receipt/raster_image.h"
#include "kiosk/ui/text_layout.h"

namespace kiosk::receipt {
namespace {

constexpr ui::Color kInk{0, 0, 0, 255};
constexpr ui::Color kPaper{255, 255, 255, 255};
constexpr double kLineSpacing = 1.3;  // MIIT's floor for screens; paper is read close up
constexpr int kSectionGap = 12;       // dots above and below a separator
constexpr int kColumnGap = 8;         // between a field's label and its value
constexpr int kBottomMargin = 16;     // the encoder feeds the paper on to the cutter

struct TextOperation {
  ui::TextLayout layout;
  ui::Point origin;
};

// The page is planned top to bottom first (so the canvas is allocated once at its final height),
// then drawn.
class PagePlan {
 public:
  PagePlan(ui::GlyphAtlas& atlas, int width_dots, const ReceiptStyle& style)
      : atlas_(atlas), width_(width_dots), style_(style), y_(style.margin_dots) {}

  int content_width() const { return width_ - 2 * style_.margin_dots; }
  int y() const { return y_; }
  void advance(int dots) { y_ += dots; }

  // A paragraph across the content width; returns its area.
  ui::Rect add_paragraph(std::string_view text, ui::FontKey font, ui::Align align) {
    return add_text(text, font, align, style_.margin_dots, content_width(), y_, true);
  }

  ui::Rect add_text(std::string_view text, ui::FontKey font, ui::Align align, int x, int width, int top, bool move) {
    ui::TextStyle text_style{font, kInk, kLineSpacing, align, 0};
    ui::TextLayout layout = ui::layout_text(atlas_, text, text_style, width);
    const ui::Rect area{x, top, width, layout.height};
    texts_.push_back({std::move(layout), {x, top}});
    if (move) y_ = area.bottom();
    return area;
  }

  // Natural (unwrapped) width of one line of text.
  int measure(std::string_view text, ui::FontKey font) {
    return ui::layout_text(atlas_, text, ui::TextStyle{font, kInk, kLineSpacing, ui::Align::start, 0}, 0).width;
  }

  void add_rect(ui::Rect rect) { rects_.push_back(rect); }

  // A dashed rule across the content width with a gap above and below.
  void add_separator() {
    y_ += kSectionGap;
    constexpr int kDash = 8, kSpace = 6, kThickness = 2;
    for (int x = style_.margin_dots; x < width_ - style_.margin_dots; x += kDash + kSpace) {
      add_rect({x, y_, std::min(kDash, width_ - style_.margin_dots - x), kThickness});
    }
    y_ += kThickness + kSectionGap;
  }

  void add_region(std::string name, ui::Rect rect) { regions_.push_back({std::move(name), rect}); }

  RenderedReceipt draw(int threshold) const {
    ui::Canvas canvas(width_, y_ + kBottomMargin);
    canvas.clear(kPaper);
    for (const auto& text : texts_) ui::draw_text(canvas, atlas_, text.layout, text.origin, kInk);
    for (const auto& rect : rects_) canvas.fill_rect(rect, kInk);
    RenderedReceipt rendered;
    rendered.page = threshold_canvas(canvas, threshold);
    rendered.regions = regions_;
    return rendered;
  }

 private:
  ui::GlyphAtlas& atlas_;
  int width_;
  const ReceiptStyle& style_;
  int y_;
  std::vector<TextOperation> texts_;
  std::vector<ui::Rect> rects_;
  std::vector<ReceiptRegion> regions_;
};

std::string label_text(const std::string& label) {
  if (label.empty()) return label;
  const bool has_colon = label.back() == ':' || (label.size() >= 3 && label.compare(label.size() - 3, 3, "：") == 0);
  return has_colon ? label : label + "：";
}

// Text with no CJK in it breaks only at spaces; when it does not fit its column it is better
// moved than broken.
bool should_stack(PagePlan& plan, const std::string& value, ui::FontKey font, int column_width) {
  const std::u32string decoded = text::decode_utf8(value);
  if (std::any_of(decoded.begin(), decoded.end(), [](char32_t c) { return text::is_cjk_breakable(c); })) return false;
  const int width = plan.measure(value, font);
  return width > column_width && width <= plan.content_width() - font.size_px;
}

void plan_fields(PagePlan& plan, const std::vector<ReceiptField>& fields, const ReceiptStyle& style) {
  const ui::FontKey body{style.body_px, false};
  // The label column is as wide as the longest label, but never more than 2/5 of the paper:
  // a long label wraps rather than squeezing the value.
  int label_width = 0;
  for (const auto& field : fields) label_width = std::max(label_width, plan.measure(label_text(field.label), body));
  label_width = std::min(label_width, plan.content_width() * 2 / 5);
  const int value_x = style.margin_dots + label_width + kColumnGap;
  const int value_width = plan.content_width() - label_width - kColumnGap;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const int top = plan.y();
    const std::string& value = fields[i].value;
    const ui::Rect label =
        plan.add_text(label_text(fields[i].label), body, ui::Align::start, style.margin_dots, label_width, top, false);
    ui::Rect value_area;
    if (should_stack(plan, value, body, value_width)) {
      // A code or time wider than its column goes whole under its label rather than breaking
      // inside ("LZ20261125-000 / 123"), as happens on 58 mm paper.
      const int indent = style.body_px;
      value_area = plan.add_text(value, body, ui::Align::start, style.margin_dots + indent, plan.content_width() - indent,
                                 label.bottom(), false);
    } else {
      value_area = plan.add_text(value, body, ui::Align::start, value_x, value_width, top, false);
    }
    const int bottom = std::max(label.bottom(), value_area.bottom());
    plan.add_region("field " + std::to_string(i), {style.margin_dots, top, plan.content_width(), bottom - top});
    plan.advance(bottom - top);
  }
}

Result<int> plan_qr(PagePlan& plan, const Receipt& receipt, int width_dots, const ReceiptStyle& style) {
  const QrCode code = TRY(encode_qr(receipt.qr_payload));
  const int total_modules = code.size + 2 * style.qr_quiet_modules;
  const int module = std::min(style.max_module_dots, plan.content_width() / total_modules);
  if (module < style.min_module_dots) {
    return Error::make(ErrorKind::invalid_argument,
                       "QR code of " + std::to_string(code.size) + " modules does not fit " +
                           std::to_string(width_dots) + " dots at " + std::to_string(style.min_module_dots) +
                           " dots a module (payload too long)");
  }
  const int side = total_modules * module;
  const int left = (width_dots - side) / 2;
  const int top = plan.y();
  const int origin_x = left + style.qr_quiet_modules * module;
  const int origin_y = top + style.qr_quiet_modules * module;
  for (int y = 0; y < code.size; ++y) {
    // Runs of dark modules become one rectangle each.
    for (int x = 0; x < code.size;) {
      if (!code.dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < code.size && code.dark(x + run, y)) ++run;
      plan.add_rect({origin_x + x * module, origin_y + y * module, run * module, module});
      x += run;
    }
  }
  plan.add_region("qr", {left, top, side, side});
  plan.advance(side);
  return module;
}

}  // namespace

const ReceiptRegion* RenderedReceipt::region(std::string_view name) const {
  for (const auto& candidate : regions) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

Result<RenderedReceipt> render_receipt(ui::GlyphAtlas& atlas, const Receipt& receipt, int width_dots,
                                       const ReceiptStyle& style) {
  if (width_dots <= 0 || width_dots % 8 != 0 || width_dots > 4096 || width_dots <= 2 * style.margin_dots + 64) {
    return Error::make(ErrorKind::invalid_argument,
                       "receipt width " + std::to_string(width_dots) + " dots: expected a multiple of 8 (576, 384)");
  }
  PagePlan plan(atlas, width_dots, style);
  if (!receipt.title.empty()) {
    plan.add_region("title", plan.add_paragraph(receipt.title, {style.title_px, true}, ui::Align::center));
  }
  if (!receipt.subtitle.empty()) {
    plan.add_region("subtitle", plan.add_paragraph(receipt.subtitle, {style.body_px, false}, ui::Align::center));
  }
  if (!receipt.fields.empty()) {
    plan.add_separator();
    plan_fields(plan, receipt.fields, style);
  }
  int module = 0;
  if (!receipt.qr_payload.empty()) {
    plan.add_separator();
    module = TRY(plan_qr(plan, receipt, width_dots, style));
    if (!receipt.qr_caption.empty()) {
      plan.add_region("qr caption",
                      plan.add_paragraph(receipt.qr_caption, {style.footer_px, false}, ui::Align::center));
    }
  }
  if (!receipt.footer.empty()) {
    plan.add_separator();
    for (std::size_t i = 0; i < receipt.footer.size(); ++i) {
      plan.add_region("footer " + std::to_string(i),
                      plan.add_paragraph(receipt.footer[i], {style.footer_px, false}, ui::Align::center));
    }
  }
  RenderedReceipt rendered = plan.draw(style.threshold);
  rendered.qr_module_dots = module;
  return rendered;
}

}  // namespace kiosk::receipt
