// Voice end to end: real espeak-ng, real SDL audio through SDL's "disk" driver, which writes every
// sample the device plays into a file (SDL_DISKAUDIOFILE). SDL_DISKAUDIODELAY shortens the
// driver's wait per buffer, so the file fills about five times faster than real time and each test
// takes well under a second of audio time per second.
#include "kiosk/voice/voice.h"

#include <SDL.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/voice/espeak_synthesizer.h"

namespace kiosk::voice {
namespace {

using namespace std::chrono_literals;

constexpr double kRate = 22050.0;
constexpr const char* kCardPrompt = "请将身份证放在读卡区";
constexpr const char* kEnglishPrompt = "Please place your ID card on the reader.";
// About 23 s of speech at 150 words per minute.
constexpr const char* kLongPrompt =
    "欢迎使用政务服务自助终端。请将身份证放在读卡区，然后按照屏幕上的提示办理业务。"
    "如需帮助，请点击呼叫工作人员。办理完成后，请取走您的身份证和回执。";

// Events as the app would receive them (on the voice thread), with waiting.
class EventLog {
 public:
  void add(const VoiceEvent& event) {
    std::lock_guard lock(mutex_);
    events_.push_back(event);
    changed_.notify_all();
  }
  bool wait_for(VoiceEvent::Kind kind, std::uint64_t prompt, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return has_locked(kind, prompt); });
  }
  bool has(VoiceEvent::Kind kind, std::uint64_t prompt) const {
    std::lock_guard lock(mutex_);
    return has_locked(kind, prompt);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

 private:
  bool has_locked(VoiceEvent::Kind kind, std::uint64_t prompt) const {
    return std::any_of(events_.begin(), events_.end(),
                       [&](const VoiceEvent& e) { return e.kind == kind && e.prompt == prompt; });
  }
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<VoiceEvent> events_;
};

// Stretches of sound in the played file, split at silences of at least 0.2 s (prompts end with a
// shorter pause of espeak's own).
struct Segment {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last non-zero sample
  int peak = 0;
  double seconds() const { return static_cast<double>(end - begin) / kRate; }
};

struct Recording {
  std::vector<std::int16_t> samples;
  std::vector<Segment> segments;

  int peak() const {
    int peak = 0;
    for (const Segment& s : segments) peak = std::max(peak, s.peak);
    return peak;
  }
  // From the first to the last non-zero sample.
  double sounding_seconds() const {
    return segments.empty() ? 0.0 : static_cast<double>(segments.back().end - segments.front().begin) / kRate;
  }
};

Recording read_recording(const std::filesystem::path& path) {
  Recording recording;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  recording.samples.resize(bytes.size() / 2);
  for (std::size_t i = 0; i < recording.samples.size(); ++i) {
    recording.samples[i] = static_cast<std::int16_t>(static_cast<unsigned char>(bytes[2 * i]) |
                                                     (static_cast<unsigned char>(bytes[2 * i + 1]) << 8));
  }
  const std::size_t gap = static_cast<std::size_t>(0.2 * kRate);
  Segment current;
  bool open = false;
  for (std::size_t i = 0; i < recording.samples.size(); ++i) {
    const int value = std::abs(static_cast<int>(recording.samples[i]));
    if (value == 0) {
      if (open && i - current.end >= gap) {
        recording.segments.push_back(current);
        open = false;
      }
      continue;
    }
    if (!open) {
      current = Segment{i, i + 1, 0};
      open = true;
    }
    current.end = i + 1;
    current.peak = std::max(current.peak, value);
  }
  if (open) recording.segments.push_back(current);
  return recording;
}

VoiceOptions options_with_volume(int step) {
  VoiceOptions options;
  options.volume_step = step;
  return options;
}
VoiceOptions options_with_rate(int words_per_minute) {
  VoiceOptions options;
  options.words_per_minute = words_per_minute;
  return options;
}
VoiceOptions options_with_data(std::string path) {
  VoiceOptions options;
  options.espeak_data_path = std::move(path);
  return options;
}

// Length in seconds of `text` as the synthesiser makes it (needs no Voice to exist).
double synthesised_seconds(const std::string& text, Language language) {
  auto synthesizer = EspeakSynthesizer::create("", VoiceOptions{}.words_per_minute);
  EXPECT_TRUE(synthesizer.ok()) << synthesizer.error().message;
  if (!synthesizer.ok()) return 0;
  std::size_t samples = 0;
  Status status = synthesizer.value()->synthesize(speech_text(text, language), language, [&](auto chunk) {
    samples += chunk.size();
    return true;
  });
  EXPECT_TRUE(status.ok());
  return static_cast<double>(samples) / kRate;
}

// Each Voice quits the audio subsystem it started, but SDL frees the rest of its state (the TLS
// slot of SDL_GetError, hint lists) only in SDL_Quit, which the app's main() calls at exit and a
// Voice must not (it would end the app's video): do as main() does.
class SdlQuitAtExit : public ::testing::Environment {
 public:
  void TearDown() override { SDL_Quit(); }
};
const auto* const sdl_quit_at_exit = ::testing::AddGlobalTestEnvironment(new SdlQuitAtExit);

class VoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kiosk-voice-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
    recording_path_ = directory_ / "played.raw";
    // Every test's Voice starts and quits SDL's audio subsystem, so each one reads these anew.
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", recording_path_.c_str(), 1);
    setenv("SDL_DISKAUDIODELAY", "5", 1);  // ms per 512-sample buffer (23 ms of audio)
  }
  void TearDown() override {
    voice_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  Voice& make_voice(VoiceOptions options = {}) {
    options.on_event = [this](const VoiceEvent& event) { events_.add(event); };
    auto voice = Voice::create(std::move(options));
    if (!voice.ok()) {  // every test below needs it: stop here, saying why
      std::fprintf(stderr, "Voice::create failed: %s\n", voice.error().message.c_str());
      std::abort();
    }
    voice_ = voice.release_value();
    return *voice_;
  }

  // Destroys the Voice (closing the device closes the file) and reads what was played.
  Recording played() {
    voice_.reset();
    return read_recording(recording_path_);
  }

  std::uint64_t speak(const std::string& text, Language language) {
    auto number = voice_->speak(text, language);
    EXPECT_TRUE(number.ok());
    return number.ok() ? number.value() : 0;
  }

  std::filesystem::path directory_;
  std::filesystem::path recording_path_;
  EventLog events_;
  std::unique_ptr<Voice> voice_;
};

TEST_F(VoiceTest, SpeaksAChinesePrompt) {
  Voice& voice = make_voice();
  const std::uint64_t prompt = speak(kCardPrompt, Language::zh);
  EXPECT_GT(prompt, 0u);
  EXPECT_TRUE(voice.speaking());
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, prompt));
  EXPECT_TRUE(events_.has(VoiceEvent::Kind::started, prompt));
  EXPECT_FALSE(voice.speaking());
  const Voice::Statistics statistics = voice.statistics();
  EXPECT_EQ(statistics.sample_rate, 22050);
  EXPECT_EQ(statistics.prompts, 1u);
  EXPECT_EQ(statistics.samples_played, statistics.samples_synthesised);

  const Recording recording = played();
  // Ten syllables at 150 words per minute: about 3.4 s (espeak-ng's own end pause included).
  EXPECT_GT(recording.sounding_seconds(), 1.5);
  EXPECT_LT(recording.sounding_seconds(), 6.0);
  EXPECT_GT(recording.peak(), 8000);  // speech, not a click
  EXPECT_LE(recording.sounding_seconds() * kRate, static_cast<double>(statistics.samples_played) + 1);
}

TEST_F(VoiceTest, SpeaksAnEnglishPrompt) {
  Voice& voice = make_voice();
  const std::uint64_t prompt = speak(kEnglishPrompt, Language::en);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, prompt));
  EXPECT_FALSE(voice.speaking());
  const Recording recording = played();
  EXPECT_GT(recording.sounding_seconds(), 1.0);
  EXPECT_LT(recording.sounding_seconds(), 6.0);
  EXPECT_GT(recording.peak(), 8000);
}

TEST_F(VoiceTest, StopRightAfterSpeakCutsThePrompt) {
  const double full = synthesised_seconds(kLongPrompt, Language::zh);
  ASSERT_GT(full, 8.0);
  Voice& voice = make_voice();
  const std::uint64_t prompt = speak(kLongPrompt, Language::zh);
  voice.stop();
  EXPECT_FALSE(voice.speaking());
  std::this_thread::sleep_for(300ms);  // the whole prompt would take ~5 s of wall time here
  EXPECT_FALSE(events_.has(VoiceEvent::Kind::finished, prompt));
  const Recording recording = played();
  EXPECT_LT(recording.sounding_seconds(), 0.5) << "of " << full << " s";
}

TEST_F(VoiceTest, StopWhilePlayingCutsAtOnce) {
  const double full = synthesised_seconds(kLongPrompt, Language::zh);
  Voice& voice = make_voice();
  const std::uint64_t prompt = speak(kLongPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::started, prompt));
  std::this_thread::sleep_for(100ms);
  voice.stop();
  const double played_at_stop = static_cast<double>(voice.statistics().samples_played) / kRate;
  EXPECT_TRUE(events_.wait_for(VoiceEvent::Kind::interrupted, prompt, 2s));
  std::this_thread::sleep_for(200ms);
  EXPECT_NEAR(static_cast<double>(voice.statistics().samples_played) / kRate, played_at_stop, 0.001)
      << "samples played after stop()";
  const Recording recording = played();
  EXPECT_GT(recording.sounding_seconds(), 0.1);
  // What had played when stop() returned, plus at most the buffer SDL was writing.
  EXPECT_LT(recording.sounding_seconds(), played_at_stop + 0.05) << "of " << full << " s";
  EXPECT_LT(recording.sounding_seconds(), full / 2);
}

TEST_F(VoiceTest, ASecondPromptReplacesTheFirst) {
  const double first_full = synthesised_seconds(kLongPrompt, Language::zh);
  const double second_full = synthesised_seconds(kCardPrompt, Language::zh);
  Voice& voice = make_voice();
  const std::uint64_t first = speak(kLongPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::started, first));
  std::this_thread::sleep_for(60ms);
  const double first_played = static_cast<double>(voice.statistics().samples_played) / kRate;
  const std::uint64_t second = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, second));
  EXPECT_TRUE(events_.has(VoiceEvent::Kind::interrupted, first));
  EXPECT_FALSE(events_.has(VoiceEvent::Kind::finished, first));
  EXPECT_FALSE(voice.speaking());
  const Recording recording = played();
  // The piece of the first that had played, then all of the second: near the second's length,
  // far from the sum.
  EXPECT_GT(recording.sounding_seconds(), second_full * 0.9);
  EXPECT_LT(recording.sounding_seconds(), first_played + second_full + 0.1)
      << "first alone " << first_full << " s, of which " << first_played << " s played; second alone "
      << second_full << " s";
  EXPECT_LT(recording.sounding_seconds(), (first_full + second_full) / 3);
}

TEST_F(VoiceTest, RepeatPlaysTheLastPromptAgain) {
  Voice& voice = make_voice();
  EXPECT_EQ(voice.repeat(), 0u);  // nothing said yet
  const std::uint64_t first = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, first));
  std::this_thread::sleep_for(100ms);  // a silence between the two in the file
  const std::uint64_t again = voice.repeat();
  EXPECT_GT(again, first);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, again));
  const Recording recording = played();
  ASSERT_EQ(recording.segments.size(), 2u);
  EXPECT_NEAR(recording.segments[1].seconds(), recording.segments[0].seconds(), 0.05);
  // espeak-ng's voicing has a little randomness: the same prompt is not bit-identical.
  EXPECT_NEAR(recording.segments[1].peak, recording.segments[0].peak, recording.segments[0].peak * 0.03);
}

TEST_F(VoiceTest, ForgottenPromptIsNotRepeated) {
  Voice& voice = make_voice();
  const std::uint64_t first = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::started, first));
  voice.forget_last_prompt();
  EXPECT_FALSE(voice.speaking());
  EXPECT_EQ(voice.repeat(), 0u);
}

TEST_F(VoiceTest, VolumeStepsScaleThePeak) {
  Voice& voice = make_voice(options_with_volume(Voice::kVolumeSteps));
  const std::uint64_t loud = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, loud));
  EXPECT_EQ(voice.volume_down(), 4);
  EXPECT_EQ(voice.volume_down(), 3);
  EXPECT_EQ(voice.volume_down(), 2);
  EXPECT_EQ(voice.volume_down(), 1);
  EXPECT_EQ(voice.volume_down(), 1);  // clamped
  std::this_thread::sleep_for(100ms);
  const std::uint64_t quiet = voice.repeat();
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, quiet));
  const Recording recording = played();
  ASSERT_EQ(recording.segments.size(), 2u);
  const double ratio = static_cast<double>(recording.segments[1].peak) / recording.segments[0].peak;
  EXPECT_NEAR(ratio, Voice::gain_for_step(1), 0.01);
  EXPECT_NEAR(Voice::gain_for_step(1), 0.158, 0.001);  // 16 dB below the loudest step
}

TEST(VoiceVolume, StepsAreClamped) {
  EXPECT_DOUBLE_EQ(Voice::gain_for_step(Voice::kVolumeSteps), 1.0);
  EXPECT_DOUBLE_EQ(Voice::gain_for_step(99), 1.0);
  EXPECT_DOUBLE_EQ(Voice::gain_for_step(-3), Voice::gain_for_step(1));
  for (int step = 1; step < Voice::kVolumeSteps; ++step) {
    EXPECT_LT(Voice::gain_for_step(step), Voice::gain_for_step(step + 1));
  }
}

TEST_F(VoiceTest, VolumeUpStopsAtTheTop) {
  Voice& voice = make_voice(options_with_volume(4));
  EXPECT_EQ(voice.volume_step(), 4);
  EXPECT_EQ(voice.volume_up(), 5);
  EXPECT_EQ(voice.volume_up(), 5);
  EXPECT_EQ(voice.set_volume_step(0), 1);
  EXPECT_EQ(voice.volume_step(), 1);
}

TEST_F(VoiceTest, DestroyingWhileSpeakingReturnsPromptly) {
  Voice& voice = make_voice();
  const std::uint64_t prompt = speak(kLongPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::started, prompt));
  EXPECT_TRUE(voice.speaking());
  const auto start = std::chrono::steady_clock::now();
  voice_.reset();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 500ms);
  EXPECT_TRUE(events_.has(VoiceEvent::Kind::interrupted, prompt));
}

TEST_F(VoiceTest, EmptyTextDoesNothing) {
  Voice& voice = make_voice();
  auto empty = voice.speak("", Language::zh);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value(), 0u);
  auto blank = voice.speak(" \t\n ", Language::en);
  ASSERT_TRUE(blank.ok());
  EXPECT_EQ(blank.value(), 0u);
  EXPECT_FALSE(voice.speaking());
  EXPECT_EQ(voice.repeat(), 0u);

  // Nor does it stop a prompt that is playing.
  const std::uint64_t prompt = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(voice.speak("", Language::zh).ok());
  EXPECT_TRUE(voice.speaking());
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, prompt));
  EXPECT_EQ(events_.size(), 2u);  // started, finished
}

TEST_F(VoiceTest, RefusesMalformedText) {
  Voice& voice = make_voice();
  auto not_utf8 = voice.speak("\xff\xfe", Language::zh);
  ASSERT_FALSE(not_utf8.ok());
  EXPECT_EQ(not_utf8.error().kind, ErrorKind::invalid_argument);
  auto too_long = voice.speak(std::string(Voice::kMaxTextBytes + 1, 'a'), Language::en);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().kind, ErrorKind::invalid_argument);
  EXPECT_FALSE(voice.speaking());
}

TEST_F(VoiceTest, OnlyOneVoiceAtATime) {
  make_voice();
  auto second = Voice::create({});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().kind, ErrorKind::unsupported);
  voice_.reset();
  auto after = Voice::create({});
  EXPECT_TRUE(after.ok()) << after.error().message;
}

TEST_F(VoiceTest, MissingEspeakDataIsATypedError) {
  auto missing = Voice::create(options_with_data((directory_ / "no-such-folder").string()));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);

  // Data the library itself rejects (wrong version). ctest runs each test in a process of its
  // own, where this reaches espeak-ng; run with the others in one process, it is refused before
  // (the library was loaded from its default path by an earlier test: unsupported).
  std::filesystem::create_directories(directory_ / "bad");
  for (const char* name : {"phontab", "phonindex", "phondata", "intonations"}) {
    std::ofstream(directory_ / "bad" / name) << std::string(4000, '\x5a');
  }
  auto bad = Voice::create(options_with_data((directory_ / "bad").string()));
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().kind == ErrorKind::parse || bad.error().kind == ErrorKind::unsupported)
      << bad.error().message;

  // Nothing is left broken: the default data loads and speaks.
  Voice& voice = make_voice();
  const std::uint64_t prompt = speak(kCardPrompt, Language::zh);
  EXPECT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, prompt));
  (void)voice;
}

TEST_F(VoiceTest, NoAudioDriverIsATypedError) {
  setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
  auto voice = Voice::create({});
  ASSERT_FALSE(voice.ok());
  EXPECT_EQ(voice.error().kind, ErrorKind::device);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  EXPECT_TRUE(Voice::create({}).ok());
}

TEST_F(VoiceTest, AnIdleDeviceIsClosedAndReopened) {
  VoiceOptions options;
  options.idle_close = 200ms;
  Voice& voice = make_voice(std::move(options));
  const std::uint64_t first = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, first));
  std::this_thread::sleep_for(400ms);
  // Closed: the disk driver no longer writes (an open device writes silence all the time).
  const auto size = std::filesystem::file_size(recording_path_);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(std::filesystem::file_size(recording_path_), size);
  // The next prompt opens it again (the disk driver starts the file anew).
  const std::uint64_t second = speak(kCardPrompt, Language::zh);
  ASSERT_TRUE(events_.wait_for(VoiceEvent::Kind::finished, second));
  (void)voice;
  const Recording recording = played();
  ASSERT_EQ(recording.segments.size(), 1u);
  EXPECT_GT(recording.sounding_seconds(), 1.5);
}

TEST_F(VoiceTest, OptionsOutOfRange) {
  auto slow = Voice::create(options_with_rate(10));
  ASSERT_FALSE(slow.ok());
  EXPECT_EQ(slow.error().kind, ErrorKind::invalid_argument);
  auto loud = Voice::create(options_with_volume(9));
  ASSERT_FALSE(loud.ok());
  EXPECT_EQ(loud.error().kind, ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace kiosk::voice
