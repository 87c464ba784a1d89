#pragma once
// Playback for Voice: the samples waiting to be played (SampleQueue) and the SDL audio device that
// pulls them (AudioOutput). Nothing else should include this.
//
// The device is opened with a callback that pulls from our queue, not fed by SDL_QueueAudio: the
// gain is applied as samples leave the queue, so a volume step takes effect within one device
// buffer even though a whole prompt is synthesised (and queued) in a few milliseconds; and
// clearing the queue takes only our mutex, which the callback holds for one copy.

#include <SDL.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::voice {

// 16-bit mono samples for one prompt at a time. Every call is thread-safe and short: the voice
// thread pushes, the SDL audio thread pulls, the caller's thread clears.
class SampleQueue {
 public:
  // Drops every sample and starts prompt `generation`: from now on only pushes for it are taken.
  void restart(std::uint64_t generation);
  // Appends samples of prompt `generation`; false (and nothing appended) when another prompt has
  // started since.
  bool push(std::uint64_t generation, std::span<const std::int16_t> samples);
  // No more samples will come for `generation`.
  void finish(std::uint64_t generation);
  // `generation` is finished and all its samples have been pulled.
  bool drained(std::uint64_t generation) const;

  // Fills `out` with queued samples times the gain, then silence. Returns how many were samples.
  std::size_t pull(std::span<std::int16_t> out);

  // Gain in 1/32768 (32768 = unchanged); takes effect at the next pull.
  void set_gain(int gain_q15) { gain_q15_.store(gain_q15); }
  // Samples pulled since the queue was made (silence not counted).
  std::uint64_t samples_pulled() const { return samples_pulled_.load(); }

 private:
  mutable std::mutex mutex_;
  std::vector<std::int16_t> samples_;
  std::size_t read_ = 0;
  std::uint64_t generation_ = 0;
  bool finished_ = false;
  std::atomic<int> gain_q15_{32768};
  std::atomic<std::uint64_t> samples_pulled_{0};
};

// SDL's audio subsystem and one output device. Construction and destruction, open() and close()
// belong to one thread (the voice thread); the queue is shared.
class AudioOutput {
 public:
  // Starts SDL's audio subsystem (SDL_InitSubSystem(SDL_INIT_AUDIO): reference-counted, the app's
  // video is not touched) and checks that its driver reports an output device.
  // Errors: device (no driver started, or it lists no output device).
  static Result<std::unique_ptr<AudioOutput>> create(SampleQueue& queue, int sample_rate, std::string device_name);
  ~AudioOutput();  // closes the device and quits the audio subsystem (once for the one init)
  AudioOutput(const AudioOutput&) = delete;
  AudioOutput& operator=(const AudioOutput&) = delete;

  // Opens the device if it is not open (may block while the driver connects). The device plays
  // the queue, or silence, until close(). Errors: device (SDL's message).
  Status open();
  void close();
  bool is_open() const { return device_ != 0; }
  // The open device has stopped for good (unplugged, or the driver failed): close() it.
  bool lost() const;
  // The driver SDL picked ("pulseaudio", "alsa", "disk" …), for logs.
  std::string driver() const;

 private:
  AudioOutput(SampleQueue& queue, int sample_rate, std::string device_name)
      : queue_(queue), sample_rate_(sample_rate), device_name_(std::move(device_name)) {}
  static void SDLCALL fill(void* queue, Uint8* stream, int length);

  SampleQueue& queue_;
  const int sample_rate_;
  const std::string device_name_;
  SDL_AudioDeviceID device_ = 0;
};

// Frees what SDL keeps for the calling thread (its SDL_GetError buffer): SDL does it for threads
// it creates, not for ours. Call last on a thread that used SDL.
void release_sdl_thread_state();

}  // namespace kiosk::voice
