#include "kiosk/ui/widget.h"

#include <gtest/gtest.h>

#include "kiosk/ui/dialog.h"
#include "kiosk/ui/widget_tree.h"
#include "tests/kiosk/ui/ui_fixture.h"

namespace kiosk::ui {
namespace {

class WidgetTest : public AtlasTest {
 protected:
  WidgetTest() : theme_(Theme::standard({})), context_{*atlas_, theme_, [] {}} {}

  // A 600 px tall scroll view over 40 rows; row i counts its taps in taps_[i].
  std::unique_ptr<ScrollView> make_list() {
    auto column = std::make_unique<Column>(10, 0);
    for (int i = 0; i < 40; ++i) {
      column->add(std::make_unique<Button>("事项 " + std::to_string(i), ButtonKind::row, [this, i] { ++taps_[i]; }));
    }
    auto scroll = std::make_unique<ScrollView>(std::move(column), &state_);
    scroll->arrange(context_, screen_);
    return scroll;
  }

  Theme theme_;
  UiContext context_;
  ScrollState state_;
  int taps_[40] = {};
  Rect screen_{0, 0, 800, 600};
};

TEST_F(WidgetTest, ButtonsAreAtLeastTheMinimumTouchTarget) {
  Button button("好", ButtonKind::secondary, [] {});
  EXPECT_GE(button.measure(context_, 400).height, theme_.min_touch_target());
  Theme elderly = Theme::elderly({});
  UiContext elderly_context{*atlas_, elderly, [] {}};
  EXPECT_GE(button.measure(elderly_context, 400).height, elderly.min_touch_target());
}

TEST_F(WidgetTest, TapHitsTheButtonUnderTheFinger) {
  auto list = make_list();
  PointerRouter router;
  const Point point{100, list->children()[0]->children()[2]->rect().y + 10};
  router.down(*list, screen_, point, 0);
  Widget* tapped = router.up(*list, screen_, point, 80);
  ASSERT_NE(tapped, nullptr);
  tapped->tap();
  EXPECT_EQ(taps_[2], 1);
}

TEST_F(WidgetTest, DragScrollsInsteadOfTapping) {
  auto list = make_list();
  PointerRouter router;
  router.down(*list, screen_, {100, 500}, 0);
  for (int i = 1; i <= 10; ++i) router.move({100, 500 - i * 30}, i * 50);  // slow drag: 300 px
  Widget* tapped = router.up(*list, screen_, {100, 200}, 600);
  EXPECT_EQ(tapped, nullptr);
  EXPECT_NEAR(list->offset(), 300, 1);
  for (int count : taps_) EXPECT_EQ(count, 0);
}

TEST_F(WidgetTest, FlingKeepsMovingThenStops) {
  auto list = make_list();
  PointerRouter router;
  router.down(*list, screen_, {100, 500}, 0);
  for (int i = 1; i <= 5; ++i) router.move({100, 500 - i * 40}, i * 10);  // fast: 4 px/ms
  router.up(*list, screen_, {100, 300}, 50);
  const double released_at = list->offset();
  EXPECT_TRUE(state_.animating());
  int frames = 0;
  while (list->step(16) && frames < 1000) ++frames;
  EXPECT_GT(list->offset(), released_at + 100);  // it coasted
  EXPECT_LT(frames, 400);                         // and came to rest
  EXPECT_LE(list->offset(), list->max_offset());
}

TEST_F(WidgetTest, ScrollStopsAtTheEnds) {
  auto list = make_list();
  list->scroll_by(-500);
  EXPECT_EQ(list->offset(), 0);
  list->scroll_by(1e6);
  EXPECT_EQ(list->offset(), list->max_offset());
}

TEST_F(WidgetTest, ModalDialogTakesEveryTouch) {
  int pressed = 0;
  auto dialog = make_dialog(theme_, "您还在办理吗？", "30 秒后结束", {{"继续办理", ButtonKind::primary, [&pressed] { ++pressed; }}});
  dialog->arrange(context_, screen_);
  const auto visible = visible_widgets(*dialog, screen_);
  Widget* button = nullptr;
  for (const auto& entry : visible) {
    if (entry.widget->text() == "继续办理") button = entry.widget;
  }
  ASSERT_NE(button, nullptr);
  button->tap();
  EXPECT_EQ(pressed, 1);
  // A touch outside the card hits the dialog layer, not anything below it.
  const auto path = hit_path(*dialog, {2, 2}, screen_);
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(path.front(), dialog.get());
}

TEST_F(WidgetTest, TextFieldShowsPlaceholderUntilTyped) {
  std::string value;
  TextField field(&value, "请输入", [] {});
  EXPECT_EQ(field.text(), "请输入");
  value = "sfz";
  EXPECT_EQ(field.text(), "sfz");
}

}  // namespace
}  // namespace kiosk::ui

namespace kiosk::ui {
namespace {

TEST_F(WidgetTest, SpinnerTurnsAndAsksForFramesOnlyWhileShown) {
  auto column = std::make_unique<Column>(10, 0);
  column->add(std::make_unique<Label>("正在加载", TextRole::body));
  EXPECT_FALSE(any_animating(*column));
  EXPECT_FALSE(animation_interval(*column).has_value());

  auto* spinner = column->add(std::make_unique<Spinner>("正在加载事项，请稍候…"));
  EXPECT_TRUE(any_animating(*column));
  EXPECT_EQ(animation_interval(*column), Spinner::kStepMs);  // 10 frames a second, not 60
  column->arrange(context_, screen_);

  Canvas first(screen_.width, screen_.height), second(screen_.width, screen_.height);
  first.clear(theme_.palette().background);
  second.clear(theme_.palette().background);
  column->draw(first, context_);
  EXPECT_TRUE(step_animations(*column, Spinner::kStepMs));
  EXPECT_EQ(spinner->step_index(), 1);
  column->draw(second, context_);
  int differing = 0;
  for (int y = 0; y < screen_.height; ++y) {
    for (int x = 0; x < screen_.width; ++x) differing += first.pixel(x, y) != second.pixel(x, y) ? 1 : 0;
  }
  EXPECT_GT(differing, 0);  // the ring turned
  // A full turn comes back to the first dot.
  step_animations(*column, Spinner::kStepMs * (Spinner::kDots - 1));
  EXPECT_EQ(spinner->step_index(), 0);
}

TEST_F(WidgetTest, AFlingAsksForEveryDisplayFrame) {
  auto list = make_list();
  EXPECT_FALSE(any_animating(*list));
  list->fling(2.0);
  EXPECT_TRUE(any_animating(*list));
  EXPECT_EQ(animation_interval(*list), 16);
}

}  // namespace
}  // namespace kiosk::ui
