// The demo panel's strip and menu (demo_panel.h).
#include "kiosk/app/demo_panel.h"

#include <algorithm>

#include "kiosk/ui/dialog.h"

namespace kiosk {
namespace {

// Purple, a colour no screen uses, with white text (contrast 8.6:1): plainly not the product.
constexpr ui::Color kStripColor = ui::Color::rgb(0x6a1b9a);
constexpr ui::Color kStripStripe = ui::Color::rgb(0xffd600);
constexpr ui::Color kStripText = ui::Color::rgb(0xffffff);

// A thin bar: the label on one line, at least one touch target high, yellow stripes at both ends.
class DemoStrip final : public ui::Widget {
 public:
  DemoStrip(std::unique_ptr<ui::Widget> label, std::function<void()> on_tap) : on_tap_(std::move(on_tap)) {
    add_child(std::move(label));
  }
  ui::Size measure(ui::UiContext& context, int width) override {
    const int stripe = stripe_width(context);
    const int text = children_.front()->measure(context, width - 2 * stripe).height;
    return {width, std::max(text + context.theme.spacing() / 2, context.theme.min_touch_target())};
  }
  void arrange(ui::UiContext& context, ui::Rect rect) override {
    rect_ = rect;
    const int stripe = stripe_width(context);
    const int width = rect.width - 2 * stripe;
    const int height = children_.front()->measure(context, width).height;
    children_.front()->arrange(context, {rect.x + stripe, rect.y + (rect.height - height) / 2, width, height});
  }
  void draw(ui::Canvas& canvas, ui::UiContext& context) override {
    canvas.fill_rect(rect_, kStripColor);
    const int stripe = stripe_width(context);
    const int band = std::max(4, stripe / 6);
    for (int x = 0; x < stripe; x += 2 * band) {
      canvas.fill_rect({rect_.x + x, rect_.y, band, rect_.height}, kStripStripe);
      canvas.fill_rect({rect_.right() - x - band, rect_.y, band, rect_.height}, kStripStripe);
    }
    Widget::draw(canvas, context);
  }
  bool tappable() const override { return static_cast<bool>(on_tap_); }
  void tap() override {
    if (on_tap_) on_tap_();
  }

 private:
  static int stripe_width(ui::UiContext& context) { return context.theme.padding() * 2; }
  std::function<void()> on_tap_;
};

// The menu's card: a head (title, keys) and a foot (close) at their natural heights, and between
// them the buttons, scrolling when the panel is too short for all of them (landscape, elderly).
class MenuCard final : public ui::Widget {
 public:
  MenuCard(std::unique_ptr<ui::Widget> head, std::unique_ptr<ui::Widget> buttons, std::unique_ptr<ui::Widget> foot,
           ui::Color background, int radius, int padding, int gap)
      : background_(background), radius_(radius), padding_(padding), gap_(gap) {
    add_child(std::move(head));
    add_child(std::make_unique<ui::ScrollView>(std::move(buttons), &scroll_));
    add_child(std::move(foot));
  }
  ui::Size measure(ui::UiContext& context, int width) override {
    int height = 2 * padding_ + 2 * gap_;
    for (const auto& child : children_) height += child->measure(context, width - 2 * padding_).height;
    return {width, height};
  }
  void arrange(ui::UiContext& context, ui::Rect rect) override {
    rect_ = rect;
    const ui::Rect inner = rect.inset(padding_, padding_);
    const int head = children_[0]->measure(context, inner.width).height;
    const int foot = children_[2]->measure(context, inner.width).height;
    children_[0]->arrange(context, {inner.x, inner.y, inner.width, head});
    const int middle = std::max(0, inner.height - head - foot - 2 * gap_);
    children_[1]->arrange(context, {inner.x, inner.y + head + gap_, inner.width, middle});
    children_[2]->arrange(context, {inner.x, inner.bottom() - foot, inner.width, foot});
  }
  void draw(ui::Canvas& canvas, ui::UiContext& context) override {
    canvas.fill_rounded_rect(rect_, radius_, background_);
    Widget::draw(canvas, context);
  }

 private:
  ui::ScrollState scroll_;
  ui::Color background_;
  int radius_, padding_, gap_;
};

}  // namespace

std::string demo_action_label(const Strings& strings, const DemoAction& action) {
  const std::string argument = action.translate_argument ? strings.get(action.argument) : action.argument;
  return strings.format(action.label_key, {argument});
}

std::unique_ptr<ui::Widget> make_demo_strip(const ui::Theme& theme, std::string text, std::function<void()> on_tap) {
  (void)theme;
  auto label = std::make_unique<ui::Label>(std::move(text), ui::TextRole::caption, kStripText, ui::Align::center, 1);
  auto strip = std::make_unique<DemoStrip>(std::move(label), std::move(on_tap));
  strip->set_id("demo-strip");
  return strip;
}

std::unique_ptr<ui::Widget> make_demo_menu(const ui::Theme& theme, const Strings& strings,
                                           const std::vector<DemoAction>& actions,
                                           const std::function<void(std::size_t)>& on_pick, std::function<void()> on_close) {
  auto head = std::make_unique<ui::Column>(theme.spacing() / 2);
  head->add(make_demo_strip(theme, strings.get("demo.menu.title"), nullptr))->set_id("demo-menu-title");
  head->add(std::make_unique<ui::Label>(strings.get("demo.menu.keys"), ui::TextRole::caption));
  auto grid = std::make_unique<ui::Column>(theme.spacing() / 2);
  // Three buttons a row (two in elderly mode, whose text is larger), so the whole menu fits a
  // landscape panel.
  const std::size_t columns = theme.elderly_mode() ? 2 : theme.display().portrait() ? 3 : 4;
  for (std::size_t first = 0; first < actions.size(); first += columns) {
    auto row = std::make_unique<ui::Row>(theme.spacing() / 2);
    for (std::size_t i = first; i < first + columns; ++i) {
      if (i >= actions.size()) {
        row->add(std::make_unique<ui::Spacer>(0));
        continue;
      }
      const std::string label = demo_action_label(strings, actions[i]) +
                                (actions[i].key.empty() ? "" : " [" + actions[i].key + "]");
      row->add(std::make_unique<ui::Button>(label, ui::ButtonKind::key, [on_pick, i] { on_pick(i); }))
          ->set_id("demo-" + actions[i].id);
    }
    grid->add(std::move(row));
  }
  auto close = std::make_unique<ui::Button>(strings.get("demo.close"), ui::ButtonKind::primary, std::move(on_close));
  close->set_id("demo-close");
  auto card = std::make_unique<MenuCard>(std::move(head), std::move(grid), std::move(close), theme.palette().surface,
                                         theme.corner_radius() * 2, theme.padding(), theme.spacing() / 2);
  card->set_id("demo-menu");
  return std::make_unique<ui::ModalLayer>(std::move(card));
}

}  // namespace kiosk
