#include "kiosk/ime/text_keyboard.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "kiosk/ui/png.h"
#include "kiosk/ui/glyph_atlas.h"
#include "tests/kiosk/ime/ime_fixture.h"

namespace kiosk::ime {
namespace {

using ui::Button;
using ui::Widget;

constexpr int kPanelWidth = 1080;

void collect(Widget& widget, std::vector<Widget*>& out) {
  out.push_back(&widget);
  for (const auto& child : widget.children()) collect(*child, out);
}

std::vector<Button*> buttons(Widget& root) {
  std::vector<Widget*> all;
  collect(root, all);
  std::vector<Button*> found;
  for (Widget* widget : all) {
    if (auto* button = dynamic_cast<Button*>(widget)) found.push_back(button);
  }
  return found;
}

Widget* find_id(Widget& root, std::string_view id) {
  std::vector<Widget*> all;
  collect(root, all);
  for (Widget* widget : all) {
    if (widget->id() == id) return widget;
  }
  return nullptr;
}

Widget* find_text(Widget& root, std::string_view text) {
  std::vector<Widget*> all;
  collect(root, all);
  for (Widget* widget : all) {
    if (widget->tappable() && widget->text() == text) return widget;
  }
  return nullptr;
}

// The keyboard as a screen uses it: the screen owns the value and the composer, every change
// rebuilds the tree, which is laid out at the panel's width.
class TextKeyboardTest : public EngineTest {
 protected:
  static void SetUpTestSuite() {
    EngineTest::SetUpTestSuite();
    // Noto Sans CJK, as the kiosk uses (tests/kiosk/ui/ui_fixture.h does the same for ui_test).
    auto created = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
    ASSERT_TRUE(created.ok()) << created.error().message;
    atlas_ = created.release_value().release();
  }
  static void TearDownTestSuite() {
    delete atlas_;
    atlas_ = nullptr;
    EngineTest::TearDownTestSuite();
  }
  static ui::GlyphAtlas* atlas_;

  TextKeyboardTest() : composer_(engine_, &value_) {}

  TextKeyboardSpec spec() {
    return {"空格", "删除", "完成", "中", "英", "123", "‹", "›", [this] { ++changes_; }, [this] { ++done_; }};
  }

  // Builds and lays out the keyboard for `theme`; returns its height.
  int build(const ui::Theme& theme) {
    context_ = std::make_unique<ui::UiContext>(ui::UiContext{*atlas_, theme, [] {}});
    keyboard_ = make_text_keyboard(theme, composer_, spec());
    const int height = keyboard_->measure(*context_, kPanelWidth).height;
    keyboard_->arrange(*context_, {0, 0, kPanelWidth, height});
    return height;
  }

  void tap(std::string_view text) {
    Widget* widget = find_text(*keyboard_, text);
    ASSERT_NE(widget, nullptr) << "no key " << text;
    widget->tap();
    build(*theme_);
  }

  // Every key at least the minimum touch target, and no caption wrapped (a wrapped caption makes
  // its button taller than a key).
  void expect_keys_large_enough(const ui::Theme& theme, const std::string& state) {
    for (Button* button : buttons(*keyboard_)) {
      const ui::Rect& rect = button->rect();
      EXPECT_GE(rect.width, theme.min_touch_target()) << state << ": " << button->id() << " " << button->text();
      EXPECT_GE(rect.height, theme.min_touch_target()) << state << ": " << button->id();
      EXPECT_EQ(button->measure(*context_, rect.width).height, theme.min_touch_target())
          << state << ": caption of " << button->id() << " \"" << button->text() << "\" wraps";
      EXPECT_LE(rect.right(), kPanelWidth) << state << ": " << button->id();
    }
  }

  ui::Theme standard_ = ui::Theme::standard({});
  ui::Theme elderly_ = ui::Theme::elderly({});
  const ui::Theme* theme_ = &standard_;
  std::string value_;
  Composer composer_;
  std::unique_ptr<ui::UiContext> context_;
  std::unique_ptr<Widget> keyboard_;
  int changes_ = 0;
  int done_ = 0;
};

ui::GlyphAtlas* TextKeyboardTest::atlas_ = nullptr;

TEST_F(TextKeyboardTest, TypingAndTappingACandidate) {
  build(*theme_);
  for (const char* key : {"Z", "H", "A", "N", "G", "S", "A", "N"}) tap(key);
  EXPECT_EQ(changes_, 8);
  EXPECT_EQ(composer_.preedit(), "zhangsan");
  EXPECT_EQ(find_id(*keyboard_, "preedit")->text(), "zhangsan");
  // Candidates are buttons captioned with the candidate, with ids by position.
  const auto page = composer_.candidates();
  ASSERT_FALSE(page.empty());
  for (std::size_t i = 0; i < page.size(); ++i) {
    Widget* candidate = find_id(*keyboard_, "cand-" + std::to_string(i));
    ASSERT_NE(candidate, nullptr);
    EXPECT_EQ(candidate->text(), page[i]);
  }
  tap("张三");
  EXPECT_EQ(value_, "张三");
  EXPECT_EQ(composer_.preedit(), "");
  EXPECT_EQ(find_id(*keyboard_, "cand-0"), nullptr);
}

TEST_F(TextKeyboardTest, PartOfTheInputThenTheRest) {
  build(*theme_);
  for (const char* key : {"Z", "H", "A", "N", "G", "S", "A", "N", "F", "E", "N", "G"}) tap(key);
  EXPECT_EQ(find_id(*keyboard_, "cand-0")->text(), "张三丰");
  tap("张三");
  EXPECT_EQ(value_, "张三");
  EXPECT_EQ(find_id(*keyboard_, "preedit")->text(), "feng");
  while (find_text(*keyboard_, "丰") == nullptr && composer_.has_more()) tap("›");
  tap("丰");
  EXPECT_EQ(value_, "张三丰");
}

TEST_F(TextKeyboardTest, MorePagesThroughTheCandidates) {
  build(*theme_);
  for (const char* key : {"Z", "H", "A", "N", "G"}) tap(key);
  EXPECT_EQ(composer_.page_size(), kStandardCandidatesPerPage);
  EXPECT_EQ(find_id(*keyboard_, "cand-previous"), nullptr);  // first page
  const std::string first = std::string(find_id(*keyboard_, "cand-0")->text());
  find_id(*keyboard_, "cand-more")->tap();
  build(*theme_);
  EXPECT_EQ(composer_.page(), 1u);
  EXPECT_NE(find_id(*keyboard_, "cand-0")->text(), first);
  EXPECT_EQ(find_id(*keyboard_, "cand-0")->text(), composer_.candidates()[0]);
  find_id(*keyboard_, "cand-previous")->tap();
  build(*theme_);
  EXPECT_EQ(find_id(*keyboard_, "cand-0")->text(), first);
  while (composer_.has_more()) composer_.next_page();
  build(*theme_);
  EXPECT_EQ(find_id(*keyboard_, "cand-more"), nullptr);  // last page
  EXPECT_NE(find_id(*keyboard_, "cand-previous"), nullptr);
}

TEST_F(TextKeyboardTest, DoneCommitsThePinyin) {
  build(*theme_);
  for (const char* key : {"C", "H", "E", "N", "G", "D", "U"}) tap(key);
  find_id(*keyboard_, "key-done")->tap();
  EXPECT_EQ(done_, 1);
  EXPECT_EQ(value_, "程度");
  EXPECT_EQ(composer_.preedit(), "");
}

TEST_F(TextKeyboardTest, DigitsModeIsAPhonePadWithX) {
  build(*theme_);
  tap("123");
  EXPECT_EQ(composer_.mode(), InputMode::digits);
  EXPECT_EQ(find_id(*keyboard_, "preedit"), nullptr);
  EXPECT_EQ(find_id(*keyboard_, "key-Q"), nullptr);
  EXPECT_EQ(find_id(*keyboard_, "key-space"), nullptr);
  for (const char* key : {"5", "1", "0", "X"}) tap(key);
  EXPECT_EQ(value_, "510X");
  // Three keys a row, four rows, centred.
  const ui::Rect one = find_id(*keyboard_, "key-1")->rect();
  const ui::Rect three = find_id(*keyboard_, "key-3")->rect();
  const ui::Rect x = find_id(*keyboard_, "key-X")->rect();
  EXPECT_EQ(one.y, three.y);
  EXPECT_EQ(one.x, x.x);
  EXPECT_NEAR(one.x, kPanelWidth - three.right(), 2);
}

TEST_F(TextKeyboardTest, WithoutAnEngineThereIsNoPinyinKey) {
  std::string value;
  Composer latin_only(nullptr, &value);
  ui::UiContext context{*atlas_, standard_, [] {}};
  auto keyboard = make_text_keyboard(standard_, latin_only, spec());
  keyboard->arrange(context, {0, 0, kPanelWidth, keyboard->measure(context, kPanelWidth).height});
  EXPECT_EQ(find_id(*keyboard, "mode-pinyin"), nullptr);
  EXPECT_EQ(find_id(*keyboard, "preedit"), nullptr);
  find_text(*keyboard, "Q")->tap();
  EXPECT_EQ(value, "Q");
}

TEST_F(TextKeyboardTest, EveryKeyIsAtLeastTheMinimumTargetInBothThemes) {
  for (const ui::Theme* theme : {&standard_, &elderly_}) {
    theme_ = theme;
    const std::string name = theme->elderly_mode() ? "elderly" : "standard";
    composer_.clear();
    ASSERT_TRUE(composer_.set_mode(InputMode::pinyin));
    build(*theme);
    expect_keys_large_enough(*theme, name + " pinyin, empty");
    for (const char* key : {"Z", "H", "A", "N", "G", "S", "A", "N", "F", "E", "N", "G"}) tap(key);
    EXPECT_EQ(composer_.page_size(), theme->elderly_mode() ? kElderlyCandidatesPerPage : kStandardCandidatesPerPage);
    expect_keys_large_enough(*theme, name + " pinyin, candidates");
    composer_.clear();
    for (char letter : std::string("sichuanshengluzhoushi")) composer_.key(std::string(1, letter));
    build(*theme);
    expect_keys_large_enough(*theme, name + " pinyin, a long phrase");
    ASSERT_TRUE(composer_.set_mode(InputMode::latin));
    build(*theme);
    expect_keys_large_enough(*theme, name + " latin");
    ASSERT_TRUE(composer_.set_mode(InputMode::digits));
    build(*theme);
    expect_keys_large_enough(*theme, name + " digits");
  }
}

// Draws the keyboard in both themes, with candidates showing and as the digit pad (exercising
// every draw path); with KIOSK_IME_PNG_DIR set, writes ime-standard.png, ime-elderly.png,
// ime-standard-digits.png and ime-elderly-digits.png there to look at.
TEST_F(TextKeyboardTest, Renders) {
  for (const ui::Theme* theme : {&standard_, &elderly_}) {
    theme_ = theme;
    const std::string name = theme->elderly_mode() ? "ime-elderly" : "ime-standard";
    for (const InputMode mode : {InputMode::pinyin, InputMode::digits}) {
      composer_.clear();
      ASSERT_TRUE(composer_.set_mode(InputMode::pinyin));
      for (char letter : std::string("sichuanchengdu")) composer_.key(std::string(1, letter));
      ASSERT_TRUE(composer_.set_mode(mode));
      const int height = build(*theme);
      ui::Canvas canvas(kPanelWidth, height);
      canvas.clear(theme->palette().background);
      keyboard_->draw(canvas, *context_);
      // Something was drawn where the first key is: its border.
      const ui::Rect first = find_id(*keyboard_, mode == InputMode::pinyin ? "cand-0" : "key-1")->rect();
      EXPECT_NE(canvas.pixel(first.x + first.width / 2, first.y + 1), canvas.pixel(2, 2));
      if (const char* directory = std::getenv("KIOSK_IME_PNG_DIR")) {
        const auto path = std::filesystem::path(directory) / (name + (mode == InputMode::digits ? "-digits.png" : ".png"));
        ASSERT_TRUE(ui::save_png(canvas, path).ok());
      }
    }
  }
}

}  // namespace
}  // namespace kiosk::ime
