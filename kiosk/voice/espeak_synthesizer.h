#pragma once
// espeak-ng (Debian libespeak-ng1, 1.51) behind our types: text in, 16-bit mono PCM out, in chunks,
// abortable between chunks. Used by Voice on its thread; nothing else should include this.
//
// The library is one set of globals per process, and two facts of 1.51 shape this class:
//  - espeak_ng_Initialize starts an internal thread every time it succeeds, and a second
//    initialisation re-creates the mutex that the first thread waits on;
//  - espeak_ng_Terminate hangs for ever once the library has been initialised a second time
//    (measured: initialise, terminate, initialise, synthesise, terminate never returns).
// So the library is initialised once per process, on the first create() that succeeds, and never
// terminated: its data (~3 MB with the Mandarin dictionary) and its idle thread stay until the
// process exits. A later create() reuses it (and must name the same data path). At most one
// synthesizer exists at a time: its callback and voice settings are the library's globals.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "kiosk/core/result.h"
#include "kiosk/voice/speech_text.h"

namespace kiosk::voice {

class EspeakSynthesizer {
 public:
  // Length of the chunks handed to the sink: how often an abort is checked, and the audio that
  // must be synthesised before the first chunk.
  static constexpr int kChunkMilliseconds = 50;

  // Loads the library from `data_path` (a folder holding espeak-ng-data/, or that folder itself;
  // empty: the library's built-in path or $ESPEAK_DATA_PATH) and checks both voices.
  // Errors: not_found (no such data, or a voice missing from it), parse (data of another
  // version), io (anything else the library reports), unsupported (another synthesizer exists,
  // or the library was loaded from another path earlier in this process).
  static Result<std::unique_ptr<EspeakSynthesizer>> create(const std::string& data_path, int words_per_minute);
  ~EspeakSynthesizer();
  EspeakSynthesizer(const EspeakSynthesizer&) = delete;
  EspeakSynthesizer& operator=(const EspeakSynthesizer&) = delete;

  int sample_rate() const { return sample_rate_; }

  // Called with each chunk of samples; returning false aborts the synthesis.
  using Sink = std::function<bool(std::span<const std::int16_t>)>;
  // Synthesises `text` (UTF-8, already passed through speech_text) with the language's voice.
  // Blocks the calling thread for the synthesis only (about 1 ms per second of speech).
  // Errors: cancelled (the sink returned false), io (the library failed).
  Status synthesize(const std::string& text, Language language, const Sink& sink);

 private:
  EspeakSynthesizer(int sample_rate, int words_per_minute)
      : sample_rate_(sample_rate), words_per_minute_(words_per_minute) {}
  Status select_voice(Language language);

  const int sample_rate_;
  const int words_per_minute_;
  bool voice_selected_ = false;
  Language voice_ = Language::zh;
};

// The espeak-ng voice used for a language. Mandarin is "cmn-Latn-pinyin", not "cmn": in 1.51 the
// "cmn" voice reads most characters as pinyin spoken by the English voice with the tone as an
// English number (请 → "qing three"); "cmn-Latn-pinyin" has the same dictionary and reads them in
// Mandarin.
const char* espeak_voice_name(Language language);

}  // namespace kiosk::voice
