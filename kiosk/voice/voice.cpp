#include "kiosk/voice/voice.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>

#include "kiosk/core/log.h"
#include "kiosk/core/text.h"
#include "kiosk/voice/audio_output.h"
#include "kiosk/voice/espeak_synthesizer.h"

namespace kiosk::voice {
namespace {

using Clock = std::chrono::steady_clock;

// While a prompt plays, how often the thread looks whether the device has taken its last sample.
constexpr auto kDrainPoll = std::chrono::milliseconds(10);
// A device that takes no sample for this long while a prompt waits is stuck (a driver hung, a
// device gone without SDL noticing): the prompt fails and the device is reopened for the next.
constexpr auto kStalledDevice = std::chrono::seconds(3);
constexpr double kDecibelsPerStep = 4.0;
// espeak-ng's range (espeakRATE_MINIMUM, espeakRATE_MAXIMUM).
constexpr int kMinimumWordsPerMinute = 80;
constexpr int kMaximumWordsPerMinute = 450;

int clamp_step(int step) { return std::clamp(step, 1, Voice::kVolumeSteps); }

int gain_q15(int step) { return static_cast<int>(std::lround(Voice::gain_for_step(step) * 32768.0)); }

}  // namespace

double Voice::gain_for_step(int step) {
  return std::pow(10.0, -(kVolumeSteps - clamp_step(step)) * kDecibelsPerStep / 20.0);
}

Voice::Voice(VoiceOptions options) : options_(std::move(options)), queue_(std::make_unique<SampleQueue>()) {
  volume_step_.store(options_.volume_step);
  queue_->set_gain(gain_q15(options_.volume_step));
}

Result<std::unique_ptr<Voice>> Voice::create(VoiceOptions options) {
  if (options.words_per_minute < kMinimumWordsPerMinute || options.words_per_minute > kMaximumWordsPerMinute) {
    return Error::make(ErrorKind::invalid_argument,
                       "voice: words_per_minute " + std::to_string(options.words_per_minute) + " outside 80 … 450");
  }
  if (options.volume_step < 1 || options.volume_step > kVolumeSteps) {
    return Error::make(ErrorKind::invalid_argument, "voice: volume_step " + std::to_string(options.volume_step) +
                                                        " outside 1 … " + std::to_string(kVolumeSteps));
  }
  std::unique_ptr<Voice> voice(new Voice(std::move(options)));
  std::promise<Status> ready;
  std::future<Status> started = ready.get_future();
  // The promise moves into the thread, which alone touches it.
  voice->thread_ = std::thread([self = voice.get(), ready = std::move(ready)]() mutable {
    Status status = self->start_on_thread();
    const bool ok = status.ok();
    ready.set_value(std::move(status));
    if (ok) self->run();
    release_sdl_thread_state();
  });
  Status status = started.get();
  if (!status.ok()) {
    voice->thread_.join();
    return status.release_error();
  }
  return voice;
}

Status Voice::start_on_thread() {
  auto synthesizer = EspeakSynthesizer::create(options_.espeak_data_path, options_.words_per_minute);
  if (!synthesizer.ok()) return synthesizer.release_error();
  auto audio = AudioOutput::create(*queue_, synthesizer.value()->sample_rate(), options_.audio_device);
  if (!audio.ok()) return audio.release_error();  // the synthesizer is destroyed here, on this thread
  synthesizer_ = synthesizer.release_value();
  sample_rate_ = synthesizer_->sample_rate();
  audio_ = audio.release_value();
  log::info("voice", "ready: espeak-ng at " + std::to_string(synthesizer_->sample_rate()) + " Hz, SDL audio driver " +
                         audio_->driver());
  return Ok{};
}

Voice::~Voice() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    request(std::nullopt);
    last_.reset();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t Voice::request(std::optional<Prompt> prompt) {
  const std::uint64_t number = ++requested_;
  wanted_.store(number);
  pending_ = std::move(prompt);
  queue_->restart(number);  // what plays now stops reaching the device at its next buffer
  speaking_.store(pending_.has_value());
  return number;
}

Result<std::uint64_t> Voice::speak(std::string_view text, Language language) {
  if (text.size() > kMaxTextBytes) {
    return Error::make(ErrorKind::invalid_argument,
                       "voice: prompt of " + std::to_string(text.size()) + " bytes (at most " +
                           std::to_string(kMaxTextBytes) + ")");
  }
  if (!text::is_valid_utf8(text)) return Error::make(ErrorKind::invalid_argument, "voice: prompt is not UTF-8");
  std::string spoken = speech_text(text, language);
  if (spoken.empty()) return std::uint64_t{0};
  std::uint64_t number = 0;
  {
    std::lock_guard lock(mutex_);
    last_ = Prompt{spoken, language};
    number = request(Prompt{std::move(spoken), language});
  }
  wake_.notify_all();
  return number;
}

std::uint64_t Voice::repeat() {
  std::uint64_t number = 0;
  {
    std::lock_guard lock(mutex_);
    if (!last_) return 0;
    number = request(last_);
  }
  wake_.notify_all();
  return number;
}

void Voice::stop() {
  {
    std::lock_guard lock(mutex_);
    request(std::nullopt);
  }
  wake_.notify_all();
}

void Voice::forget_last_prompt() {
  {
    std::lock_guard lock(mutex_);
    last_.reset();
    request(std::nullopt);
  }
  wake_.notify_all();
}

int Voice::set_volume_step(int step) {
  step = clamp_step(step);
  volume_step_.store(step);
  queue_->set_gain(gain_q15(step));
  return step;
}

int Voice::volume_up() { return set_volume_step(volume_step_.load() + 1); }
int Voice::volume_down() { return set_volume_step(volume_step_.load() - 1); }

Voice::Statistics Voice::statistics() const {
  Statistics statistics;
  statistics.prompts = prompts_.load();
  statistics.samples_synthesised = samples_synthesised_.load();
  statistics.samples_played = queue_->samples_pulled();
  statistics.sample_rate = sample_rate_;
  return statistics;
}

void Voice::emit(VoiceEvent::Kind kind, std::uint64_t prompt, std::optional<Error> error) {
  if (options_.on_event) options_.on_event(VoiceEvent{kind, prompt, std::move(error)});
}

void Voice::finish_speaking(std::uint64_t prompt) {
  std::lock_guard lock(mutex_);
  if (requested_ == prompt) speaking_.store(false);
}

// Synthesises the prompt into the queue. True when all of it is queued (it plays on); false when
// it was cut by a newer request or failed (its event is sent).
bool Voice::play(std::uint64_t number, const Prompt& prompt) {
  if (!audio_->is_open()) {
    Status opened = audio_->open();
    if (!opened.ok()) {
      log::warning("voice", opened.error().message);
      finish_speaking(number);
      emit(VoiceEvent::Kind::failed, number, opened.release_error());
      return false;
    }
  }
  bool started = false;
  auto announce = [&] {
    if (started) return;
    started = true;
    prompts_.fetch_add(1);
    emit(VoiceEvent::Kind::started, number);
  };
  Status synthesised = synthesizer_->synthesize(prompt.text, prompt.language, [&](std::span<const std::int16_t> samples) {
    if (wanted_.load() != number || !queue_->push(number, samples)) return false;
    samples_synthesised_.fetch_add(samples.size());
    announce();
    return true;
  });
  if (synthesised.ok()) {
    announce();  // a prompt of punctuation only has no samples: started, then finished
    queue_->finish(number);
    return true;
  }
  if (synthesised.error().kind == ErrorKind::cancelled) {
    if (started) emit(VoiceEvent::Kind::interrupted, number);
    return false;
  }
  log::warning("voice", synthesised.error().message);
  finish_speaking(number);
  emit(VoiceEvent::Kind::failed, number, synthesised.release_error());
  return false;
}

void Voice::run() {
  std::uint64_t handled = 0;
  std::uint64_t playing = 0;  // queued whole, waiting for the device to take it (0: none)
  std::uint64_t pulled_before = 0;
  Clock::time_point progress_at = Clock::now();
  Clock::time_point active_at = Clock::now();

  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (requested_ != handled) {
      handled = requested_;
      std::optional<Prompt> prompt = std::move(pending_);
      pending_.reset();
      lock.unlock();
      if (playing != 0) emit(VoiceEvent::Kind::interrupted, playing);
      playing = 0;
      if (prompt && play(handled, *prompt)) {
        playing = handled;
        pulled_before = queue_->samples_pulled();
        progress_at = Clock::now();
      }
      active_at = Clock::now();
      lock.lock();
      continue;
    }
    if (playing != 0) {
      const std::uint64_t prompt = playing;
      if (queue_->drained(prompt)) {
        playing = 0;
        if (requested_ == prompt) speaking_.store(false);
        lock.unlock();
        emit(VoiceEvent::Kind::finished, prompt);
        active_at = Clock::now();
        lock.lock();
        continue;
      }
      const std::uint64_t pulled = queue_->samples_pulled();
      if (pulled != pulled_before) {
        pulled_before = pulled;
        progress_at = Clock::now();
      } else if (audio_->lost() || Clock::now() - progress_at > kStalledDevice) {
        playing = 0;
        if (requested_ == prompt) speaking_.store(false);
        lock.unlock();
        const std::string message = "voice: the audio device stopped taking samples (" + audio_->driver() + ")";
        log::warning("voice", message);
        audio_->close();  // reopened for the next prompt
        emit(VoiceEvent::Kind::failed, prompt, Error::make(ErrorKind::device, message));
        lock.lock();
        continue;
      }
      wake_.wait_for(lock, kDrainPoll);
      continue;
    }
    if (audio_->is_open()) {
      const auto close_at = active_at + options_.idle_close;
      if (Clock::now() >= close_at) {
        lock.unlock();
        audio_->close();
        lock.lock();
        continue;
      }
      wake_.wait_until(lock, close_at);
      continue;
    }
    wake_.wait(lock);
  }
  lock.unlock();
  if (playing != 0) emit(VoiceEvent::Kind::interrupted, playing);
  // SDL and espeak-ng are touched on this thread only.
  audio_.reset();
  synthesizer_.reset();
}

}  // namespace kiosk::voice
