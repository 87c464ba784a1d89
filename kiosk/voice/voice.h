#pragma once
// Voice guidance: spoken prompts in Mandarin or English, synthesised by espeak-ng and played
// through SDL audio, on a thread of the Voice's own. Every public method may be called from any
// thread and returns at once (a mutex held for a string move at most; speak() measured ~20 µs):
// the UI thread calls them from its event handlers.
//
// One Voice per process: espeak-ng is a set of process-wide globals, so create() refuses a second
// Voice while one exists (ErrorKind::unsupported). main() creates it (or a Lazy<Voice>) and
// passes it down; a null Voice means a silent kiosk, and the app goes on without speech.
//
// SDL: the audio subsystem is started with SDL_InitSubSystem(SDL_INIT_AUDIO) on the voice thread
// and quit (once, balancing it) when the Voice is destroyed; the app's video is not touched. SDL's
// init and quit are not thread-safe against each other, so create the Voice after the app's
// SDL_Init and destroy it before SDL_Quit. The output device is opened at the first prompt and
// closed after VoiceOptions::idle_close without one, so an idle kiosk has no audio thread waking.
// SDL_AUDIODRIVER picks the driver as usual (tests use "disk").
//
// Privacy: a prompt may carry a citizen's masked name. Its text is never logged, and the Voice
// keeps only the last prompt (for repeat()) until forget_last_prompt() or the next speak().

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "kiosk/core/result.h"
#include "kiosk/voice/speech_text.h"

namespace kiosk::voice {

class AudioOutput;
class EspeakSynthesizer;
class SampleQueue;

// What happened to a prompt, for the app to post to its UI thread. A prompt replaced before the
// voice thread took it up (speak, then speak or stop within microseconds) gets no event at all.
struct VoiceEvent {
  enum class Kind {
    started,      // its first samples are queued for the device
    finished,     // its last sample went to the device
    interrupted,  // cut by stop(), a newer prompt, or the Voice being destroyed
    failed,       // it could not be played (error says why: the audio device, the synthesiser)
  };
  Kind kind;
  std::uint64_t prompt = 0;  // the number speak() / repeat() returned
  std::optional<Error> error;  // for failed
};

struct VoiceOptions {
  // Folder holding espeak-ng-data/ (or that folder itself). Empty: the library's own path
  // (Debian: /usr/lib/<arch>/espeak-ng-data), or $ESPEAK_DATA_PATH.
  std::string espeak_data_path;
  // Speech rate in espeak's words per minute (its default 175; 80 … 450). A little slower than
  // the default for elderly listeners: 150 reads 请将身份证放在读卡区 in about 3.5 s.
  int words_per_minute = 150;
  // Volume step at start, 1 … Voice::kVolumeSteps.
  int volume_step = 4;
  // SDL output device name; empty: the default device.
  std::string audio_device;
  // The device is closed after this long without a prompt (reopening costs the first prompt a
  // few milliseconds with PulseAudio or ALSA).
  std::chrono::milliseconds idle_close{30'000};
  // Called on the voice thread, never while a Voice lock is held. It must not block and must not
  // destroy the Voice; it may call the Voice (no call blocks). The app posts the event to its UI
  // thread (to redraw a speaking indicator, say). May be empty.
  std::function<void(const VoiceEvent&)> on_event;
};

class Voice {
 public:
  static constexpr int kVolumeSteps = 5;
  // Longest prompt accepted, in bytes of UTF-8 (a screen's prompt is a sentence or two).
  static constexpr std::size_t kMaxTextBytes = 2000;

  // Loads espeak-ng (both voices) and starts SDL's audio subsystem, on the new voice thread;
  // returns when both are ready (about 10 ms with the data in the page cache, plus whatever the
  // audio driver takes to connect: build it after the first frame, e.g. through a Lazy).
  // Errors: not_found (no espeak-ng data at the path, or a voice missing), parse (data of another
  // espeak-ng version), device (no audio driver, or no output device listed), unsupported
  // (another Voice exists, or espeak-ng was loaded from another path earlier in this process),
  // invalid_argument (options out of range), io (anything else).
  static Result<std::unique_ptr<Voice>> create(VoiceOptions options);
  // Cuts any prompt (an `interrupted` event), closes the device and joins the thread: returns
  // within a few milliseconds even while speaking.
  ~Voice();
  Voice(const Voice&) = delete;
  Voice& operator=(const Voice&) = delete;

  // Speaks `text` in `language`, replacing whatever is playing or waiting. Returns the prompt's
  // number (for events); whitespace-only text does nothing and returns 0. Errors:
  // invalid_argument (not UTF-8, or longer than kMaxTextBytes); nothing is stopped then.
  Result<std::uint64_t> speak(std::string_view text, Language language);
  // Speaks the last prompt again (from its start). Returns its new number, or 0 when there is
  // none yet.
  std::uint64_t repeat();
  // Cuts the prompt at once: nothing more of it reaches the device than the buffer the device is
  // playing (at most 23 ms).
  void stop();
  // Stops and drops the last prompt (end of a session): repeat() has nothing to say after it.
  void forget_last_prompt();

  // Volume in kVolumeSteps steps (1 quietest … kVolumeSteps loudest, about 4 dB apart); clamped.
  // Applies to the prompt playing too, within one device buffer. Return the new step.
  int volume_up();
  int volume_down();
  int set_volume_step(int step);
  int volume_step() const { return volume_step_.load(); }
  static double gain_for_step(int step);

  // True from speak() / repeat() until its prompt has finished, been stopped or failed.
  bool speaking() const { return speaking_.load(); }

  // For tests and metrics.
  struct Statistics {
    std::uint64_t prompts = 0;             // prompts started on the device
    std::uint64_t samples_synthesised = 0;
    std::uint64_t samples_played = 0;       // handed to the device (silence not counted)
    int sample_rate = 0;
  };
  Statistics statistics() const;

 private:
  struct Prompt {
    std::string text;
    Language language = Language::zh;
  };
  explicit Voice(VoiceOptions options);
  Status start_on_thread();          // voice thread: the synthesiser and the audio subsystem
  void run();                        // voice thread: the loop
  bool play(std::uint64_t number, const Prompt& prompt);  // voice thread: synthesise into the queue
  void emit(VoiceEvent::Kind kind, std::uint64_t prompt, std::optional<Error> error = std::nullopt);
  void finish_speaking(std::uint64_t prompt);
  std::uint64_t request(std::optional<Prompt> prompt);  // caller's thread; mutex_ held

  const VoiceOptions options_;
  std::unique_ptr<SampleQueue> queue_;
  std::unique_ptr<EspeakSynthesizer> synthesizer_;  // voice thread only
  std::unique_ptr<AudioOutput> audio_;              // voice thread only

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t requested_ = 0;           // number of the newest speak / repeat / stop
  std::optional<Prompt> pending_;         // what requested_ asks for (none: silence)
  std::optional<Prompt> last_;            // for repeat()
  bool stopping_ = false;

  int sample_rate_ = 0;                   // set before create() returns
  std::atomic<std::uint64_t> wanted_{0};  // requested_, for the synthesis to check without the mutex
  std::atomic<bool> speaking_{false};
  std::atomic<int> volume_step_{4};
  std::atomic<std::uint64_t> prompts_{0};
  std::atomic<std::uint64_t> samples_synthesised_{0};
  std::thread thread_;
};

}  // namespace kiosk::voice
