#include "screens/common.h"

#include "kiosk/core/text.h"

namespace screens {

using namespace kiosk;

PageBody make_page(AppContext& app) {
  const ui::Theme& theme = app.theme();
  return PageBody{std::make_unique<ui::Column>(theme.spacing(), theme.padding())};
}

std::unique_ptr<ui::Widget> scrolling(PageBody page, ui::ScrollState* state) {
  return std::make_unique<ui::ScrollView>(std::move(page.column), state);
}

std::unique_ptr<ui::Column> make_card(AppContext& app, const std::string& heading) {
  const ui::Theme& theme = app.theme();
  auto card = std::make_unique<ui::Column>(theme.spacing() / 2, theme.padding() * 3 / 4);
  card->set_background(theme.palette().surface, theme.corner_radius()).set_border(theme.palette().border);
  if (!heading.empty()) card->add(std::make_unique<ui::Label>(heading, ui::TextRole::heading));
  return card;
}

void add_field(AppContext& app, ui::Column& card, const std::string& label, const std::string& value) {
  if (value.empty()) return;
  card.add(std::make_unique<ui::Label>(label, ui::TextRole::caption, app.theme().palette().text_secondary));
  card.add(std::make_unique<ui::Label>(value, ui::TextRole::body));
}

namespace {

// Drawn with the canvas, not a font glyph: the same strokes whatever fonts the terminal has.
class StatusSymbol final : public ui::Widget {
 public:
  explicit StatusSymbol(Tone tone) : tone_(tone) {}
  ui::Size measure(ui::UiContext& context, int width) override {
    return {width, diameter(context.theme) + context.theme.spacing() / 2};
  }
  void draw(ui::Canvas& canvas, ui::UiContext& context) override {
    const ui::Palette& palette = context.theme.palette();
    const int size = diameter(context.theme);
    const int x = rect_.x + (rect_.width - size) / 2;
    const int y = rect_.y;
    const ui::Color fill = tone_ == Tone::success ? palette.success : tone_ == Tone::caution ? palette.caution : palette.failure;
    canvas.fill_circle({x + size / 2, y + size / 2}, size / 2, fill);
    ui::CoverageMask mask(size, size);
    const double d = size;
    const double stroke = d * 0.1;
    switch (tone_) {
      case Tone::success:
        mask.add_line(d * 0.28, d * 0.52, d * 0.44, d * 0.68, stroke);
        mask.add_line(d * 0.44, d * 0.68, d * 0.73, d * 0.36, stroke);
        break;
      case Tone::caution:
        mask.add_line(d * 0.5, d * 0.24, d * 0.5, d * 0.56, stroke);
        mask.add_line(d * 0.5, d * 0.74, d * 0.5, d * 0.74, stroke * 1.2);
        break;
      case Tone::failure:
        mask.add_line(d * 0.34, d * 0.34, d * 0.66, d * 0.66, stroke);
        mask.add_line(d * 0.66, d * 0.34, d * 0.34, d * 0.66, stroke);
        break;
    }
    canvas.draw_mask(x, y, size, size, mask.data(), size, palette.on_symbol);
  }

 private:
  static int diameter(const ui::Theme& theme) { return theme.font_size(ui::TextRole::display) * 3 / 2; }
  Tone tone_;
};

}  // namespace

std::unique_ptr<ui::Widget> make_status_symbol(AppContext&, Tone tone) {
  auto symbol = std::make_unique<StatusSymbol>(tone);
  symbol->set_id(tone == Tone::success ? "outcome-symbol-success"
                 : tone == Tone::caution ? "outcome-symbol-caution"
                                         : "outcome-symbol-failure");
  return symbol;
}

masking::PersonalKind personal_kind(const catalog::FormField& field) {
  return masking::personal_kind_of_field(catalog::to_string(field.type), field.name, field.label, field.prefill);
}

int tiles_per_row(const AppContext& app) { return app.theme().display().portrait() ? 2 : 4; }

}  // namespace screens
