#pragma once
// Shared by the ui tests: one glyph atlas on Noto Sans CJK (as the kiosk uses).
#include <SDL.h>
#include <gtest/gtest.h>

#include "kiosk/ui/glyph_atlas.h"

namespace kiosk::ui {

class AtlasTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto created = GlyphAtlas::create(default_regular_font(), default_bold_font());
    ASSERT_TRUE(created.ok()) << created.error().message;
    atlas_ = created.release_value().release();
  }
  static void TearDownTestSuite() {
    delete atlas_;
    atlas_ = nullptr;
  }
  static GlyphAtlas* atlas_;
};

}  // namespace kiosk::ui
