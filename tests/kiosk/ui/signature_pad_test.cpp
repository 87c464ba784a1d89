#include "kiosk/ui/signature_pad.h"

#include <gtest/gtest.h>

#include <cmath>

#include "kiosk/ui/png.h"
#include "kiosk/ui/widget_tree.h"
#include "tests/kiosk/ui/ui_fixture.h"

namespace kiosk::ui {
namespace {

class SignaturePadTest : public AtlasTest {
 protected:
  SignaturePadTest() : theme_(Theme::standard({})), context_{*atlas_, theme_, [this] { ++redraws_; }} {}

  // A 600 px tall scroll view: 10 rows, the pad (id "pad", 300 px tall), 30 rows; row taps count.
  std::unique_ptr<ScrollView> make_screen() {
    auto column = std::make_unique<Column>(10, 0);
    for (int i = 0; i < 10; ++i) column->add(std::make_unique<Button>("事项", ButtonKind::row, [this] { ++taps_; }));
    pad_ = column->add(std::make_unique<SignaturePad>(&signature_, "请在此处签名", 300, [this] { ++strokes_; }));
    pad_->set_id("pad");
    for (int i = 0; i < 30; ++i) column->add(std::make_unique<Button>("事项", ButtonKind::row, [this] { ++taps_; }));
    // The whole screen is also a tap area: the pad's finger must not reach it either.
    auto tap_area = std::make_unique<TapArea>(std::move(column), [this] { ++taps_; });
    auto scroll = std::make_unique<ScrollView>(std::move(tap_area), &scroll_state_);
    scroll->arrange(context_, screen_);
    scroll->reveal(pad_->rect());
    return scroll;
  }

  // A finger drawn along `points` (canvas coordinates), 16 ms apart.
  Widget* drag(Widget& root, const std::vector<Point>& points) {
    Milliseconds now = 0;
    router_.down(root, screen_, points.front(), now);
    for (std::size_t i = 1; i < points.size(); ++i) router_.move(points[i], now += 16);
    return router_.up(root, screen_, points.back(), now + 16);
  }

  // A wave across most of the pad: a signature, as far as signed_enough() can tell.
  std::vector<Point> wave(const Rect& pad, int y_fraction_percent = 50) const {
    std::vector<Point> points;
    for (int i = 0; i <= 60; ++i) {
      const double t = i / 60.0;
      points.push_back({pad.x + static_cast<int>(pad.width * (0.1 + 0.8 * t)),
                        pad.y + pad.height * y_fraction_percent / 100 + static_cast<int>(40 * std::sin(t * 12))});
    }
    return points;
  }

  Theme theme_;
  UiContext context_;
  ScrollState scroll_state_;
  SignatureState signature_;
  SignaturePad* pad_ = nullptr;
  PointerRouter router_;
  Rect screen_{0, 0, 800, 600};
  int taps_ = 0;
  int strokes_ = 0;
  int redraws_ = 0;
};

TEST_F(SignaturePadTest, ADragOnThePadDrawsAndDoesNotScroll) {
  auto screen = make_screen();
  const double offset = scroll_state_.offset;
  const Rect pad = pad_->rect();
  ASSERT_TRUE(pad.intersect(screen_) == pad) << "the pad is wholly on screen";
  // Mostly vertical: this drag would scroll the list anywhere else.
  std::vector<Point> points;
  for (int i = 0; i <= 20; ++i) points.push_back({pad.x + 100 + i * 5, pad.y + 20 + i * 12});
  EXPECT_EQ(drag(*screen, points), nullptr);
  EXPECT_EQ(scroll_state_.offset, offset);
  EXPECT_FALSE(scroll_state_.animating());  // no fling either
  EXPECT_EQ(taps_, 0);
  ASSERT_EQ(signature_.strokes.size(), 1u);
  EXPECT_GE(signature_.strokes[0].size(), 15u);
  EXPECT_EQ(strokes_, 1);
  EXPECT_GT(redraws_, 0);
  // Points are pad-relative.
  EXPECT_NEAR(signature_.strokes[0].front().x, 100, 1);
  EXPECT_NEAR(signature_.strokes[0].front().y, 20, 1);
  EXPECT_EQ(signature_.pad_size.width, pad.width);

  // The ink is drawn where the finger went, and not elsewhere on the pad.
  Canvas canvas(screen_.width, screen_.height);
  canvas.clear(theme_.palette().background);
  screen->draw(canvas, context_);
  const Point middle = points[10];
  EXPECT_LT(canvas.pixel(middle.x, middle.y) & 0xFF, 0x40u);               // dark ink
  EXPECT_EQ(canvas.pixel(pad.right() - 40, pad.y + 20) & 0xFFFFFFu, 0xFFFFFFu);  // white paper
  // The same list still scrolls when the drag starts off the pad (on the rows above it).
  ASSERT_GE(pad.y, 140);
  ASSERT_GE(offset, 110);
  std::vector<Point> off_pad;
  for (int i = 0; i <= 10; ++i) off_pad.push_back({400, pad.y - 130 + i * 11});
  for (int i = 0; i < 8; ++i) off_pad.push_back(off_pad.back());  // held still: no fling
  drag(*screen, off_pad);
  EXPECT_NEAR(scroll_state_.offset, offset - 110, PointerRouter::touch_slop);  // less the slop
  EXPECT_EQ(signature_.strokes.size(), 1u);
}

TEST_F(SignaturePadTest, ATapOnThePadIsNoTapAndLeavesADot) {
  auto screen = make_screen();
  const Point point = pad_->rect().center();
  router_.down(*screen, screen_, point, 0);
  EXPECT_TRUE(router_.active());
  EXPECT_EQ(router_.up(*screen, screen_, point, 80), nullptr);
  EXPECT_EQ(taps_, 0);
  ASSERT_EQ(signature_.strokes.size(), 1u);
  EXPECT_EQ(signature_.strokes[0].size(), 1u);
  EXPECT_FALSE(signature_.signed_enough());
  EXPECT_FALSE(pad_->signed_enough());
  // A dot is still ink: it is drawn, as a disc.
  Canvas canvas(screen_.width, screen_.height);
  screen->draw(canvas, context_);
  EXPECT_LT(canvas.pixel(point.x, point.y) & 0xFF, 0x40u);
}

TEST_F(SignaturePadTest, SignedEnoughNeedsRealStrokes) {
  auto screen = make_screen();
  const Rect pad = pad_->rect();
  EXPECT_FALSE(pad_->signed_enough());  // nothing
  drag(*screen, {{pad.x + 300, pad.y + 150}, {pad.x + 303, pad.y + 151}});
  EXPECT_FALSE(pad_->signed_enough());  // a stray touch
  // A short scribble in one place is long but not wide.
  std::vector<Point> scribble;
  for (int i = 0; i < 40; ++i) scribble.push_back({pad.x + 300 + (i % 2) * 30, pad.y + 150 + (i % 3) * 10});
  drag(*screen, scribble);
  EXPECT_GT(signature_.ink_length(), 0.4 * pad.width);
  EXPECT_FALSE(pad_->signed_enough());
  drag(*screen, wave(pad));
  EXPECT_TRUE(pad_->signed_enough());
  EXPECT_EQ(strokes_, 3);

  pad_->clear();
  EXPECT_TRUE(signature_.empty());
  EXPECT_FALSE(pad_->signed_enough());
  EXPECT_EQ(strokes_, 4);
  EXPECT_EQ(pad_->text(), "请在此处签名");  // the hint is back
}

TEST_F(SignaturePadTest, TheInkSurvivesARebuildAndALayoutAtAnotherSize) {
  {
    auto screen = make_screen();
    drag(*screen, wave(pad_->rect()));
  }
  ASSERT_TRUE(signature_.signed_enough());
  const Size signed_at = signature_.pad_size;
  // The screen rebuilds its tree; the new pad is narrower (say, a side panel appeared).
  SignaturePad pad(&signature_, "请在此处签名", 200);
  pad.arrange(context_, {0, 0, signed_at.width / 2, 200});
  Canvas canvas(signed_at.width / 2, 200);
  canvas.clear(Color::rgb(0x808080));
  pad.draw(canvas, context_);
  // The wave's first point, at half scale.
  const InkPoint first = signature_.strokes[0].front();
  EXPECT_LT(canvas.pixel(static_cast<int>(first.x / 2), static_cast<int>(first.y / 2)) & 0xFF, 0x60u);
  EXPECT_EQ(signature_.pad_size.width, signed_at.width);  // the state's space did not change
  // New ink on the smaller pad goes into the same space.
  PointerRouter router;
  router.down(pad, {0, 0, 2000, 2000}, {100, 100}, 0);
  router.up(pad, {0, 0, 2000, 2000}, {100, 100}, 10);
  ASSERT_EQ(signature_.strokes.size(), 2u);
  EXPECT_NEAR(signature_.strokes[1].front().x, 100.0 * signed_at.width / (signed_at.width / 2), 2);
}

TEST_F(SignaturePadTest, ToPngIsTheInkCroppedAtHalfScale) {
  EXPECT_FALSE(signature_.to_png().ok());  // no ink, no picture
  auto screen = make_screen();
  const Rect pad = pad_->rect();
  drag(*screen, wave(pad));
  // A second stroke: a horizontal line under it.
  drag(*screen, {{pad.x + 200, pad.y + 250}, {pad.x + 400, pad.y + 250}, {pad.x + 600, pad.y + 250}});
  auto png = pad_->to_png();
  ASSERT_TRUE(png.ok()) << png.error().message;
  ASSERT_GT(png->size(), 8u);
  EXPECT_EQ((*png)[1], 'P');
  EXPECT_LT(png->size(), 20'000u);  // compact: grey, cropped, half scale
  auto decoded = decode_png(*png);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;

  // Ink spans x 0.1…0.8 of the pad and y from the wave's top to the line: at half scale plus
  // a margin and half a line width on each side.
  const double scale = SignatureState::png_scale;
  double left = 1e9, top = 1e9, right = -1e9, bottom = -1e9;
  for (const auto& stroke : signature_.strokes) {
    for (const InkPoint& p : stroke) {
      left = std::min<double>(left, p.x);
      right = std::max<double>(right, p.x);
      top = std::min<double>(top, p.y);
      bottom = std::max<double>(bottom, p.y);
    }
  }
  const double slack = 2 * SignatureState::png_margin + signature_.ink_width() * scale + 4;
  EXPECT_NEAR(decoded->width(), (right - left) * scale + slack, 3);
  EXPECT_NEAR(decoded->height(), (bottom - top) * scale + slack, 3);

  // Every stroke point is ink in the picture; the corners (margin) are paper; all pixels grey.
  const double origin = SignatureState::png_margin + std::max(2.0, signature_.ink_width() * scale) / 2 + 1;
  for (const auto& stroke : signature_.strokes) {
    for (const InkPoint& p : stroke) {
      const int x = static_cast<int>(origin + (p.x - left) * scale);
      const int y = static_cast<int>(origin + (p.y - top) * scale);
      ASSERT_LT(decoded->pixel(x, y) & 0xFF, 0x80u) << "no ink at " << x << "," << y;
    }
  }
  EXPECT_EQ(decoded->pixel(1, 1) & 0xFFFFFFu, 0xFFFFFFu);
  EXPECT_EQ(decoded->pixel(decoded->width() - 2, decoded->height() - 2) & 0xFFFFFFu, 0xFFFFFFu);
  for (int y = 0; y < decoded->height(); ++y) {
    for (int x = 0; x < decoded->width(); ++x) {
      const std::uint32_t pixel = decoded->pixel(x, y);
      ASSERT_EQ((pixel >> 16) & 0xFF, pixel & 0xFF);
      ASSERT_EQ((pixel >> 8) & 0xFF, pixel & 0xFF);
    }
  }
}

TEST_F(SignaturePadTest, ATouchThatCatchesAFlingOnlyCatchesIt) {
  auto screen = make_screen();
  scroll_state_.velocity = 2.0;
  const Point point = pad_->rect().center();
  router_.down(*screen, screen_, point, 0);
  EXPECT_FALSE(scroll_state_.animating());
  router_.up(*screen, screen_, point, 50);
  EXPECT_TRUE(signature_.empty());
  EXPECT_EQ(taps_, 0);
}

// --- PNG bytes and the coverage mask --------------------------------------------------------------

TEST(PngBytesTest, ColourRoundTripsAndMatchesTheFileWriter) {
  Canvas canvas(31, 17);
  for (int y = 0; y < canvas.height(); ++y) {
    for (int x = 0; x < canvas.width(); ++x) {
      canvas.pixels()[y * canvas.width() + x] = 0xFF000000u | (static_cast<std::uint32_t>(x * 8) << 16) |
                                                (static_cast<std::uint32_t>(y * 15) << 8) | 0x42u;
    }
  }
  auto bytes = encode_png(canvas);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto decoded = decode_png(*bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(compare_images(*decoded, canvas, 0).differing_fraction, 0.0);

  const auto path = std::filesystem::path(testing::TempDir()) / "png_bytes_test.png";
  ASSERT_TRUE(save_png(canvas, path).ok());
  auto loaded = load_png(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(compare_images(*loaded, canvas, 0).differing_fraction, 0.0);
  std::filesystem::remove(path);

  EXPECT_FALSE(decode_png(std::vector<std::uint8_t>{1, 2, 3}).ok());
}

TEST(PngBytesTest, GreyIsSmallerAndKeepsLuma) {
  Canvas canvas(64, 64);
  canvas.clear(Color::rgb(0xFFFFFF));
  canvas.fill_rect({10, 10, 20, 20}, Color::rgb(0x000000));
  canvas.fill_rect({40, 40, 10, 10}, Color::rgb(0x808080));
  auto grey = encode_png(canvas, PngColour::grey);
  auto colour = encode_png(canvas, PngColour::rgb);
  ASSERT_TRUE(grey.ok() && colour.ok());
  auto decoded = decode_png(*grey);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->pixel(15, 15) & 0xFFFFFFu, 0x000000u);
  EXPECT_EQ(decoded->pixel(45, 45) & 0xFFFFFFu, 0x808080u);
  EXPECT_EQ(decoded->pixel(5, 5) & 0xFFFFFFu, 0xFFFFFFu);
}

TEST(CoverageMaskTest, ThickLineHasSolidCoreSoftEdgeAndRoundCaps) {
  CoverageMask mask(100, 40);
  mask.add_line(20, 20, 80, 20, 7);  // centre line on a pixel boundary, 3.5 px each side
  EXPECT_EQ(mask.at(50, 19), 255);   // the core
  EXPECT_EQ(mask.at(50, 17), 255);   // 2.5 px from the centre line
  EXPECT_EQ(mask.at(50, 23), 128);   // the anti-aliased edge: half covered
  EXPECT_EQ(mask.at(50, 16), 128);
  EXPECT_EQ(mask.at(50, 24), 0);
  EXPECT_EQ(mask.at(17, 19), 255);   // the round cap reaches past the end point
  EXPECT_EQ(mask.at(16, 15), 0);     // but not to the square corner
  // A joint takes the larger coverage: drawing the same line again changes nothing.
  std::vector<std::uint8_t> before(mask.data(), mask.data() + 100 * 40);
  mask.add_line(20, 20, 80, 20, 7);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), mask.data()));
  // Off the mask is clipped, not a crash.
  mask.add_line(-50, -50, 150, 90, 10);
  mask.add_line(500, 500, 500, 500, 4);
}

}  // namespace
}  // namespace kiosk::ui
