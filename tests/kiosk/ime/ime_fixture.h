#pragma once
// Shared by the ime tests: one pinyin engine per test binary (the library allows one per process).
#include <gtest/gtest.h>

#include "kiosk/ime/pinyin_engine.h"

namespace kiosk::ime {

class EngineTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto opened = PinyinEngine::open(PinyinEngine::default_system_dictionary(), "");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    engine_ = opened.release_value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(engine_, nullptr); }
  static PinyinEngine* engine_;
};

}  // namespace kiosk::ime
