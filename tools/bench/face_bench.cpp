// Benchmark: the face quality gate on a 640×480 frame (what a face camera delivers), plus the
// camera-side conversion of such a frame from YUYV. Prints ms per assess() and per conversion,
// best of several runs. Run: build/tools/bench/face_bench [picture]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "devices/v4l2/v4l2_frame.h"
#include "kiosk/face/face_gate.h"
#include "kiosk/face/face_image.h"

namespace {

using Clock = std::chrono::steady_clock;

// The 320×240 sample picture doubled to 640×480 (each pixel four times).
kiosk::hal::Image doubled(const kiosk::hal::Image& small) {
  kiosk::hal::Image big;
  big.width = small.width * 2;
  big.height = small.height * 2;
  big.format = small.format;
  const int channels = small.bytes_per_pixel();
  big.pixels.resize(static_cast<std::size_t>(big.width * big.height * channels));
  for (int y = 0; y < big.height; ++y) {
    for (int x = 0; x < big.width; ++x) {
      for (int c = 0; c < channels; ++c) {
        big.pixels[static_cast<std::size_t>((y * big.width + x) * channels + c)] =
            small.pixels[static_cast<std::size_t>(((y / 2) * small.width + x / 2) * channels + c)];
      }
    }
  }
  return big;
}

// Best-of-runs milliseconds per call of `work`.
template <typename Work>
double best_ms(int runs, int iterations, Work&& work) {
  double best = 1e30;
  for (int run = 0; run < runs; ++run) {
    const auto start = Clock::now();
    for (int i = 0; i < iterations; ++i) work();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - start).count() / iterations);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const char* picture = argc > 1 ? argv[1] : KIOSK_FACE_BENCH_PICTURE;
  auto small = kiosk::face::load_image(picture);
  if (!small.ok()) {
    std::fprintf(stderr, "face_bench: %s\n", small.error().message.c_str());
    return 1;
  }
  const kiosk::hal::Image frame = small->width < 640 ? doubled(*small) : *small;
  auto gate = kiosk::face::FaceGate::create();
  if (!gate.ok()) {
    std::fprintf(stderr, "face_bench: %s\n", gate.error().message.c_str());
    return 1;
  }
  auto verdict = gate->assess(frame);
  if (!verdict.ok() || !verdict->ok) {
    std::fprintf(stderr, "face_bench: the sample frame does not qualify (%s)\n",
                 verdict.ok() ? kiosk::face::to_string(verdict->reason) : verdict.error().message.c_str());
    return 1;
  }
  const double assess = best_ms(5, 10, [&] { (void)gate->assess(frame); });
  // The same frame as a camera sends it: YUYV 4:2:2, converted to rgb24 by the driver.
  std::vector<std::uint8_t> yuyv(static_cast<std::size_t>(frame.width * frame.height * 2), 128);
  const kiosk::devices::v4l2::FrameLayout layout{kiosk::devices::v4l2::FrameEncoding::yuyv, frame.width, frame.height, 0};
  const double convert = best_ms(5, 50, [&] {
    (void)kiosk::devices::v4l2::convert_yuyv(yuyv, layout, kiosk::hal::PixelFormat::rgb24);
  });
  std::printf("face gate assess() %dx%d: %.2f ms (best of 5 runs x 10)\n", frame.width, frame.height, assess);
  std::printf("YUYV -> rgb24 %dx%d: %.3f ms (best of 5 runs x 50)\n", frame.width, frame.height, convert);
  return 0;
}
