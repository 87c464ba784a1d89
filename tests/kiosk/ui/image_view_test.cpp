#include "kiosk/ui/image_view.h"

#include <gtest/gtest.h>

#include "kiosk/ui/widget_tree.h"
#include "tests/kiosk/ui/ui_fixture.h"

namespace kiosk::ui {
namespace {

class ImageViewTest : public AtlasTest {
 protected:
  ImageViewTest() : theme_(Theme::standard({})), context_{*atlas_, theme_, [] {}} {}

  // A 640×480 "camera frame": left half red, right half blue.
  static std::shared_ptr<const Canvas> frame() {
    auto image = std::make_shared<Canvas>(640, 480);
    image->fill_rect({0, 0, 320, 480}, Color::rgb(0xC00000));
    image->fill_rect({320, 0, 320, 480}, Color::rgb(0x0000C0));
    return image;
  }

  Canvas draw(Widget& widget, Rect rect) {
    widget.arrange(context_, rect);
    Canvas canvas(800, 1000);
    canvas.clear(theme_.palette().background);
    widget.draw(canvas, context_);
    return canvas;
  }

  Theme theme_;
  UiContext context_;
};

TEST_F(ImageViewTest, FitsTheWidthKeepingTheAspectRatio) {
  ImageView view(frame(), 900);
  EXPECT_EQ(view.measure(context_, 400).height, 300);  // 4:3 at 400 wide
  const Canvas canvas = draw(view, {0, 0, 400, 300});
  EXPECT_EQ(view.image_rect(), (Rect{0, 0, 400, 300}));
  EXPECT_EQ(canvas.pixel(100, 150) & 0xFFFFFFu, 0xC00000u);
  EXPECT_EQ(canvas.pixel(300, 150) & 0xFFFFFFu, 0x0000C0u);
}

TEST_F(ImageViewTest, MaxHeightLimitsAndCentres) {
  ImageView view(frame(), 240);
  EXPECT_EQ(view.measure(context_, 800).height, 240);
  const Canvas canvas = draw(view, {0, 100, 800, 240});
  EXPECT_EQ(view.image_rect(), (Rect{240, 100, 320, 240}));  // 320×240, centred in 800
  EXPECT_EQ(canvas.pixel(230, 200), canvas.pixel(5, 5));        // background beside the image
  EXPECT_EQ(canvas.pixel(250, 200) & 0xFFFFFFu, 0xC00000u);
  EXPECT_EQ(canvas.pixel(550, 200) & 0xFFFFFFu, 0x0000C0u);
  EXPECT_EQ(canvas.pixel(570, 200), canvas.pixel(5, 5));
}

TEST_F(ImageViewTest, OverlayFramesSitOnTheScaledImage) {
  // A face box at (200, 120) 160×200 in the frame, shown at half size.
  ImageView view(frame(), 1000, {{{200, 120, 160, 200}, ImageOverlay::good}, {{500, 20, 100, 100}, ImageOverlay::attention}});
  const Canvas canvas = draw(view, {0, 0, 320, 240});
  const Rect box = view.to_canvas({200, 120, 160, 200});
  EXPECT_EQ(box, (Rect{100, 60, 80, 100}));
  auto rgb = [&](int x, int y) { return canvas.pixel(x, y) & 0xFFFFFFu; };
  const std::uint32_t green = 0x1E8E3E, amber = 0xE8A100;
  EXPECT_EQ(rgb(box.x, box.y), green);                    // corner
  EXPECT_EQ(rgb(box.x + 40, box.y + 1), green);           // top edge
  EXPECT_EQ(rgb(box.right() - 1, box.y + 50), green);     // right edge
  EXPECT_EQ(rgb(box.x + 40, box.bottom() - 1), green);    // bottom edge
  EXPECT_EQ(rgb(box.x + 40, box.y + 50), 0xC00000u);      // inside: the photo shows through
  EXPECT_EQ(rgb(box.x - 2, box.y + 50), 0xC00000u);       // outside
  const Rect second = view.to_canvas({500, 20, 100, 100});
  EXPECT_EQ(rgb(second.x + 2, second.y + 20), amber);
  EXPECT_EQ(rgb(second.x + 20, second.y + 20), 0x0000C0u);
}

TEST_F(ImageViewTest, CaptionGoesBelowAndScrollingMovesEverything) {
  ImageView view(frame(), 300, {}, "请正对摄像头");
  const int height = view.measure(context_, 400).height;
  EXPECT_GT(height, 300 + theme_.spacing());
  view.arrange(context_, {0, 0, 400, height});
  const auto visible = visible_widgets(view, {0, 0, 800, 1000});
  const Widget* caption = nullptr;
  for (const auto& entry : visible) {
    if (entry.widget->text() == "请正对摄像头") caption = entry.widget;
  }
  ASSERT_NE(caption, nullptr);
  EXPECT_GE(caption->rect().y, 300);
  view.translate(0, 50);  // as a scroll view moves content
  EXPECT_EQ(view.image_rect(), (Rect{0, 50, 400, 300}));
  Canvas canvas(800, 1000);
  view.draw(canvas, context_);
  EXPECT_EQ(canvas.pixel(100, 60) & 0xFFFFFFu, 0xC00000u);
}

TEST_F(ImageViewTest, ShrinkingAveragesInsteadOfSampling) {
  // One-pixel black and white stripes shrunk 4×: grey, not black or white.
  auto stripes = std::make_shared<Canvas>(400, 100);
  for (int y = 0; y < 100; ++y) {
    for (int x = 0; x < 400; ++x) stripes->pixels()[y * 400 + x] = x % 2 ? 0xFFFFFFFFu : 0xFF000000u;
  }
  ImageView view(stripes, 1000);
  const Canvas canvas = draw(view, {0, 0, 100, 25});
  const std::uint32_t pixel = canvas.pixel(50, 12);
  EXPECT_NEAR(static_cast<int>(pixel & 0xFF), 128, 2);
}

TEST_F(ImageViewTest, NoImageTakesNoSpace) {
  ImageView view(nullptr, 300);
  EXPECT_EQ(view.measure(context_, 400).height, 0);
  draw(view, {0, 0, 400, 0});
}

// --- QrView ---------------------------------------------------------------------------------------

// A 21×21 matrix with the three finder patterns and a diagonal, enough to locate every module.
std::vector<bool> test_matrix() {
  std::vector<bool> modules(21 * 21, false);
  auto finder = [&](int left, int top) {
    for (int y = 0; y < 7; ++y) {
      for (int x = 0; x < 7; ++x) {
        const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
        const bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        modules[(top + y) * 21 + left + x] = ring || core;
      }
    }
  };
  finder(0, 0);
  finder(14, 0);
  finder(0, 14);
  for (int i = 8; i < 21; ++i) modules[i * 21 + i] = true;
  return modules;
}

TEST_F(ImageViewTest, QrViewDrawsWholePixelModulesCentredWithAQuietZone) {
  auto created = QrView::create(21, test_matrix(), 300);
  ASSERT_TRUE(created.ok()) << created.error().message;
  QrView& view = **created;
  // 300 px for 21 + 2·4 = 29 modules: 10 px each, a 290 px square.
  EXPECT_EQ(view.measure(context_, 700).height, 290);
  const Canvas canvas = draw(view, {0, 0, 700, 290});
  EXPECT_EQ(view.module_pixels(), 10);
  const Rect code = view.code_rect();
  EXPECT_EQ(code, (Rect{205, 0, 290, 290}));
  const std::vector<bool> modules = test_matrix();
  const int origin_x = code.x + 40, origin_y = code.y + 40;
  for (int my = 0; my < 21; ++my) {
    for (int mx = 0; mx < 21; ++mx) {
      const std::uint32_t expected = modules[my * 21 + mx] ? 0x000000u : 0xFFFFFFu;
      // Every pixel of the module, corners included: no blur between modules.
      for (const auto& [dx, dy] : {std::pair{0, 0}, std::pair{9, 0}, std::pair{0, 9}, std::pair{9, 9}, std::pair{5, 5}}) {
        ASSERT_EQ(canvas.pixel(origin_x + mx * 10 + dx, origin_y + my * 10 + dy) & 0xFFFFFFu, expected)
            << "module " << mx << "," << my;
      }
    }
  }
  // The quiet zone is white; beside the code is the background.
  for (int i = 0; i < 290; i += 7) {
    EXPECT_EQ(canvas.pixel(code.x + i, code.y + 5) & 0xFFFFFFu, 0xFFFFFFu);
    EXPECT_EQ(canvas.pixel(code.x + 5, code.y + i) & 0xFFFFFFu, 0xFFFFFFu);
  }
  EXPECT_EQ(canvas.pixel(code.x - 3, 100), canvas.pixel(2, 2));

  // Narrower than max_side: the width decides (200 / 29 → 6 px modules).
  EXPECT_EQ(view.measure(context_, 200).height, 6 * 29);
}

TEST_F(ImageViewTest, QrViewRefusesAMatrixOfTheWrongSize) {
  EXPECT_FALSE(QrView::create(21, std::vector<bool>(20 * 20), 300).ok());
  EXPECT_FALSE(QrView::create(0, {}, 300).ok());
}

}  // namespace
}  // namespace kiosk::ui
