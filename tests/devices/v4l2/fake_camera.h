#pragma once
// The test's handle on the fake UVC camera (fake_v4l2.h), found in the preloaded library with
// dlsym: the test binary does not link it. Also: YUYV frames made from pictures, and waits for a
// device's status.

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hal/device.h"
#include "hal/image.h"
#include "tests/devices/v4l2/fake_v4l2.h"

namespace kiosk::devices::v4l2 {

class FakeCamera {
 public:
  explicit FakeCamera(int index) : index_(index) {
    reset_ = lookup<decltype(reset_)>("fake_v4l2_reset");
    get_ = lookup<decltype(get_)>("fake_v4l2_get");
    set_ = lookup<decltype(set_)>("fake_v4l2_set");
    set_frame_ = lookup<decltype(set_frame_)>("fake_v4l2_set_frame");
    counters_ = lookup<decltype(counters_)>("fake_v4l2_read_counters");
    if (available()) reset_(index_);
  }
  // False when the test runs without LD_PRELOAD=libfake_v4l2.so (ctest sets it).
  bool available() const { return reset_ && get_ && set_ && set_frame_ && counters_; }
  std::string path() const { return "/dev/video-fake" + std::to_string(index_); }

  fake_v4l2_settings settings() const {
    fake_v4l2_settings settings{};
    get_(index_, &settings);
    return settings;
  }
  // Changes some settings: change([](auto& s) { s.stalled = 1; }).
  void change(const std::function<void(fake_v4l2_settings&)>& edit) {
    fake_v4l2_settings settings = this->settings();
    edit(settings);
    set_(index_, &settings);
  }
  void set_frame(const std::vector<std::uint8_t>& bytes) { set_frame_(index_, bytes.data(), bytes.size()); }
  fake_v4l2_counters counters() const {
    fake_v4l2_counters counters{};
    counters_(index_, &counters);
    return counters;
  }

 private:
  template <typename Function>
  static Function lookup(const char* name) {
    return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
  }

  int index_;
  void (*reset_)(int) = nullptr;
  void (*get_)(int, fake_v4l2_settings*) = nullptr;
  void (*set_)(int, const fake_v4l2_settings*) = nullptr;
  void (*set_frame_)(int, const void*, size_t) = nullptr;
  void (*counters_)(int, fake_v4l2_counters*) = nullptr;
};

#define REQUIRE_FAKE_CAMERA(camera) \
  ASSERT_TRUE((camera).available()) << "run with LD_PRELOAD=<build>/tests/devices/v4l2/libfake_v4l2.so (ctest does)"

// rgb24 → YUYV (BT.601 limited range), what a UVC camera would send of the picture. Each pair of
// pixels shares the average chroma.
inline std::vector<std::uint8_t> to_yuyv(const hal::Image& rgb) {
  std::vector<std::uint8_t> out;
  out.reserve(static_cast<std::size_t>(rgb.width * rgb.height * 2));
  auto clamp = [](int value) { return static_cast<std::uint8_t>(std::clamp(value, 0, 255)); };
  for (int y = 0; y < rgb.height; ++y) {
    for (int x = 0; x + 1 < rgb.width; x += 2) {
      int luma[2];
      int u = 0;
      int v = 0;
      for (int i = 0; i < 2; ++i) {
        const std::uint8_t* p = &rgb.pixels[static_cast<std::size_t>((y * rgb.width + x + i) * 3)];
        luma[i] = ((66 * p[0] + 129 * p[1] + 25 * p[2] + 128) >> 8) + 16;
        u += ((-38 * p[0] - 74 * p[1] + 112 * p[2] + 128) >> 8) + 128;
        v += ((112 * p[0] - 94 * p[1] - 18 * p[2] + 128) >> 8) + 128;
      }
      out.insert(out.end(), {clamp(luma[0]), clamp(u / 2), clamp(luma[1]), clamp(v / 2)});
    }
  }
  return out;
}

// Mean absolute difference per byte of two images of one size.
inline double mean_difference(const hal::Image& a, const hal::Image& b) {
  if (a.pixels.size() != b.pixels.size() || a.pixels.empty()) return 1e9;
  long total = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) total += std::abs(a.pixels[i] - b.pixels[i]);
  return static_cast<double>(total) / static_cast<double>(a.pixels.size());
}

// Waits (polling every 10 ms, at most `limit`) until `device` is in `state`; returns how long it
// took, or nothing.
inline std::optional<std::chrono::milliseconds> wait_for_state(const hal::Device& device, hal::DeviceState state,
                                                               std::chrono::milliseconds limit) {
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < limit) {
    if (device.status().state == state) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

}  // namespace kiosk::devices::v4l2
