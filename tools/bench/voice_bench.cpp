// Voice guidance benchmark (not a test): how soon a tap is followed by speech, and how fast
// espeak-ng synthesises. Prints "name value" lines like kiosk_bench.
//  - create_ms: Voice::create (espeak-ng data and both voices, SDL's audio subsystem);
//  - speak_call_us: what speak() costs the calling (UI) thread;
//  - first_queued_ms: speak() to the prompt's first samples in the queue (the `started` event),
//    the device already open; first_prompt_queued_ms: the same for the first prompt, which opens
//    the device;
//  - first_played_ms: speak() to the device's first pull of those samples (adds up to one device
//    buffer, 23 ms, and the driver's wait);
//  - *_real_time_factor: synthesis time / length of the speech (espeak-ng alone, one thread).
// Plays through SDL's disk driver into /dev/null at real-time pace unless SDL_AUDIODRIVER is set.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "kiosk/voice/espeak_synthesizer.h"
#include "kiosk/voice/voice.h"

namespace {

using namespace kiosk;
using namespace kiosk::voice;
using Clock = std::chrono::steady_clock;

constexpr const char* kTypicalPrompt = "请将身份证放在读卡区";
constexpr const char* kLongPrompt =
    "欢迎使用政务服务自助终端。请将身份证放在读卡区，然后按照屏幕上的提示办理业务。"
    "如需帮助，请点击呼叫工作人员。办理完成后，请取走您的身份证和回执。";
constexpr const char* kEnglishPrompt = "Please place your ID card on the reader.";

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Synthesis alone: best of `runs` (ms) and the speech's length (s).
void real_time_factor(const char* name, const char* text, Language language) {
  auto synthesizer = EspeakSynthesizer::create("", VoiceOptions{}.words_per_minute);
  if (!synthesizer.ok()) {
    std::fprintf(stderr, "voice_bench: %s\n", synthesizer.error().message.c_str());
    std::exit(1);
  }
  const std::string spoken = speech_text(text, language);
  double best_ms = 1e9;
  std::size_t samples = 0;
  for (int run = 0; run < 20; ++run) {
    samples = 0;
    const auto start = Clock::now();
    Status status = synthesizer.value()->synthesize(spoken, language, [&](auto chunk) {
      samples += chunk.size();
      return true;
    });
    best_ms = std::min(best_ms, ms_since(start));
    if (!status.ok()) std::exit(1);
  }
  const double seconds = static_cast<double>(samples) / synthesizer.value()->sample_rate();
  std::printf("%s_speech_s %.2f\n", name, seconds);
  std::printf("%s_synthesis_ms %.2f\n", name, best_ms);
  std::printf("%s_real_time_factor %.4f\n", name, best_ms / 1000.0 / seconds);
}

struct Started {
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t prompt = 0;
  Clock::time_point at;
};

}  // namespace

int main() {
  if (std::getenv("SDL_AUDIODRIVER") == nullptr) {
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", "/dev/null", 1);
  }
  // The Voice first, so create() loads espeak-ng's data in this process for the first time.
  Started started;
  VoiceOptions options;
  options.on_event = [&](const VoiceEvent& event) {
    if (event.kind != VoiceEvent::Kind::started) return;
    std::lock_guard lock(started.mutex);
    started.prompt = event.prompt;
    started.at = Clock::now();
    started.changed.notify_all();
  };
  const auto create_start = Clock::now();
  auto created = Voice::create(std::move(options));
  if (!created.ok()) {
    std::fprintf(stderr, "voice_bench: %s\n", created.error().message.c_str());
    return 1;
  }
  std::printf("create_ms %.1f\n", ms_since(create_start));
  Voice& voice = *created.value();  // NOLINT: lives until the reset below

  constexpr int kRuns = 30;
  std::vector<double> call_us, queued_ms, played_ms;
  double first_prompt_queued_ms = 0;
  for (int run = 0; run <= kRuns; ++run) {
    const std::uint64_t played_before = voice.statistics().samples_played;
    const auto start = Clock::now();
    auto prompt = voice.speak(kTypicalPrompt, Language::zh);
    const double call = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (!prompt.ok()) return 1;
    Clock::time_point queued_at;
    {
      std::unique_lock lock(started.mutex);
      if (!started.changed.wait_for(lock, std::chrono::seconds(5), [&] { return started.prompt == prompt.value(); })) {
        std::fprintf(stderr, "voice_bench: no started event\n");
        return 1;
      }
      queued_at = started.at;
    }
    while (voice.statistics().samples_played == played_before && ms_since(start) < 5000) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const double played = ms_since(start);
    const double queued = std::chrono::duration<double, std::milli>(queued_at - start).count();
    if (run == 0) {
      first_prompt_queued_ms = queued;  // opened the device
    } else {
      call_us.push_back(call);
      queued_ms.push_back(queued);
      played_ms.push_back(played);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // part of it plays; the next replaces it
  }
  created.value().reset();  // one espeak-ng user at a time: the synthesiser alone comes next
  std::printf("first_prompt_queued_ms %.2f\n", first_prompt_queued_ms);
  std::printf("speak_call_p50_us %.1f\n", percentile(call_us, 0.5));
  std::printf("speak_call_max_us %.1f\n", percentile(call_us, 1.0));
  std::printf("first_queued_p50_ms %.2f\n", percentile(queued_ms, 0.5));
  std::printf("first_queued_p99_ms %.2f\n", percentile(queued_ms, 0.99));
  std::printf("first_played_p50_ms %.2f\n", percentile(played_ms, 0.5));
  std::printf("first_played_p99_ms %.2f\n", percentile(played_ms, 0.99));
  real_time_factor("zh_typical", kTypicalPrompt, Language::zh);
  real_time_factor("zh_long", kLongPrompt, Language::zh);
  real_time_factor("en_typical", kEnglishPrompt, Language::en);
  return 0;
}
