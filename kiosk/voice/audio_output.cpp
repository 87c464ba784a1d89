#include "kiosk/voice/audio_output.h"

#include <algorithm>

namespace kiosk::voice {
namespace {

// Samples per device buffer: 23 ms at 22 050 Hz. The latency from a queued sample to the driver
// is at most this; small enough for a tap-to-speech delay nobody notices.
constexpr Uint16 kDeviceBufferSamples = 512;

}  // namespace

void SampleQueue::restart(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  samples_.clear();
  read_ = 0;
  generation_ = generation;
  finished_ = false;
}

bool SampleQueue::push(std::uint64_t generation, std::span<const std::int16_t> samples) {
  std::lock_guard lock(mutex_);
  if (generation != generation_ || finished_) return false;
  if (read_ == samples_.size()) {  // all played: reuse the buffer from its start
    samples_.clear();
    read_ = 0;
  }
  samples_.insert(samples_.end(), samples.begin(), samples.end());
  return true;
}

void SampleQueue::finish(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation == generation_) finished_ = true;
}

bool SampleQueue::drained(std::uint64_t generation) const {
  std::lock_guard lock(mutex_);
  return generation == generation_ && finished_ && read_ == samples_.size();
}

std::size_t SampleQueue::pull(std::span<std::int16_t> out) {
  const int gain = gain_q15_.load();
  std::size_t taken = 0;
  {
    std::lock_guard lock(mutex_);
    taken = std::min(out.size(), samples_.size() - read_);
    const std::int16_t* from = samples_.data() + read_;
    for (std::size_t i = 0; i < taken; ++i) {
      // |sample × gain| ≤ 32768 × 32768: fits in 32 bits before the shift; gain ≤ 1 never clips.
      out[i] = static_cast<std::int16_t>((static_cast<std::int32_t>(from[i]) * gain) / 32768);
    }
    read_ += taken;
  }
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(taken), out.end(), std::int16_t{0});
  samples_pulled_.fetch_add(taken);
  return taken;
}

Result<std::unique_ptr<AudioOutput>> AudioOutput::create(SampleQueue& queue, int sample_rate, std::string device_name) {
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    return Error::make(ErrorKind::device, std::string("SDL audio: no driver started: ") + SDL_GetError());
  }
  // -1: the driver cannot tell (it may still open); 0: it can, and has no output.
  if (SDL_GetNumAudioDevices(0) == 0) {
    const std::string driver = SDL_GetCurrentAudioDriver() != nullptr ? SDL_GetCurrentAudioDriver() : "?";
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
    return Error::make(ErrorKind::device, "SDL audio: driver " + driver + " lists no output device");
  }
  return std::unique_ptr<AudioOutput>(new AudioOutput(queue, sample_rate, std::move(device_name)));
}

AudioOutput::~AudioOutput() {
  close();
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

Status AudioOutput::open() {
  if (device_ != 0) return Ok{};
  SDL_AudioSpec wanted{};
  wanted.freq = sample_rate_;
  wanted.format = AUDIO_S16SYS;
  wanted.channels = 1;
  wanted.samples = kDeviceBufferSamples;
  wanted.callback = &AudioOutput::fill;
  wanted.userdata = &queue_;
  SDL_AudioSpec obtained{};
  // No changes allowed: SDL converts to whatever the hardware wants, so `fill` always writes
  // 16-bit mono at the synthesiser's rate.
  device_ = SDL_OpenAudioDevice(device_name_.empty() ? nullptr : device_name_.c_str(), 0, &wanted, &obtained, 0);
  if (device_ == 0) {
    return Error::make(ErrorKind::device, "SDL audio: cannot open " +
                                              (device_name_.empty() ? std::string("the default device") : "'" + device_name_ + "'") +
                                              " (" + driver() + "): " + SDL_GetError());
  }
  SDL_PauseAudioDevice(device_, 0);
  return Ok{};
}

void AudioOutput::close() {
  if (device_ == 0) return;
  SDL_CloseAudioDevice(device_);  // waits for a running callback to return
  device_ = 0;
}

bool AudioOutput::lost() const {
  return device_ != 0 && SDL_GetAudioDeviceStatus(device_) == SDL_AUDIO_STOPPED;
}

std::string AudioOutput::driver() const {
  const char* name = SDL_GetCurrentAudioDriver();
  return name != nullptr ? name : "none";
}

void SDLCALL AudioOutput::fill(void* queue, Uint8* stream, int length) {
  // The device format is AUDIO_S16SYS mono: `length` is an even number of bytes, suitably aligned.
  auto* samples = reinterpret_cast<std::int16_t*>(stream);  // NOLINT: SDL hands bytes
  static_cast<SampleQueue*>(queue)->pull(std::span<std::int16_t>(samples, static_cast<std::size_t>(length) / 2));
}

void release_sdl_thread_state() { SDL_TLSCleanup(); }

}  // namespace kiosk::voice
