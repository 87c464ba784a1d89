#include "kiosk/voice/espeak_synthesizer.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <cerrno>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace kiosk::voice {
namespace {

// The library's process-wide state, as far as we track it (espeak_synthesizer.h).
struct Library {
  std::mutex mutex;
  bool loaded = false;            // initialised once, never terminated
  std::string data_path;          // as given to the create() that loaded it
  int sample_rate = 0;
  bool synthesizer_exists = false;
};

Library& library() {
  static Library state;
  return state;
}

// The synthesis in progress; the library's callback has no context of ours but the events' user
// data, and only the one synthesizer's thread synthesises, so a pointer set around the call is
// enough.
struct Synthesis {
  const EspeakSynthesizer::Sink* sink = nullptr;
  bool aborted = false;
};
Synthesis* current_synthesis = nullptr;

int on_samples(short* samples, int count, espeak_EVENT* /*events*/) {
  Synthesis* synthesis = current_synthesis;
  if (synthesis == nullptr) return 1;
  if (samples == nullptr || count <= 0) return 0;  // events only, or the end
  if (!(*synthesis->sink)(std::span<const std::int16_t>(samples, static_cast<std::size_t>(count)))) {
    synthesis->aborted = true;
    return 1;  // the library stops synthesising
  }
  return 0;
}

std::string status_message(espeak_ng_STATUS status) {
  char buffer[256] = {};
  espeak_ng_GetStatusCodeMessage(status, buffer, sizeof buffer);
  return buffer;
}

ErrorKind kind_of(espeak_ng_STATUS status) {
  if (status == ENOENT) return ErrorKind::not_found;
  if (status == ENS_VERSION_MISMATCH) return ErrorKind::parse;
  if (status == ENS_VOICE_NOT_FOUND) return ErrorKind::not_found;
  return ErrorKind::io;
}

// The library falls back to its built-in path when the one it is given does not hold its data,
// so a wrong path would silently load other data: refuse it here.
Status check_data_path(const std::string& data_path) {
  if (data_path.empty()) return Ok{};
  std::error_code error;
  const std::filesystem::path path(data_path);
  if (std::filesystem::is_regular_file(path / "espeak-ng-data" / "phontab", error) ||
      std::filesystem::is_regular_file(path / "phontab", error)) {
    return Ok{};
  }
  return Error::make(ErrorKind::not_found, "no espeak-ng data (phontab) in " + data_path);
}

}  // namespace

const char* espeak_voice_name(Language language) {
  return language == Language::zh ? "cmn-Latn-pinyin" : "en";
}

Result<std::unique_ptr<EspeakSynthesizer>> EspeakSynthesizer::create(const std::string& data_path,
                                                                     int words_per_minute) {
  Library& state = library();
  std::lock_guard lock(state.mutex);
  if (state.synthesizer_exists) {
    return Error::make(ErrorKind::unsupported, "espeak-ng: another synthesizer exists (the library is one per process)");
  }
  TRY_STATUS(check_data_path(data_path));
  if (state.loaded && state.data_path != data_path) {
    return Error::make(ErrorKind::unsupported, "espeak-ng: already loaded from '" + state.data_path +
                                                   "' in this process, cannot load '" + data_path + "'");
  }
  if (!state.loaded) {
    espeak_ng_InitializePath(data_path.empty() ? nullptr : data_path.c_str());
    espeak_ng_ERROR_CONTEXT context = nullptr;
    const espeak_ng_STATUS status = espeak_ng_Initialize(&context);
    if (status != ENS_OK) {
      espeak_ng_ClearErrorContext(&context);
      return Error::make(kind_of(status), "espeak-ng: cannot load its data from '" +
                                              (data_path.empty() ? std::string("the default path") : data_path) +
                                              "': " + status_message(status));
    }
    const espeak_ng_STATUS output = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, kChunkMilliseconds, nullptr);
    if (output != ENS_OK) return Error::make(ErrorKind::io, "espeak-ng: output: " + status_message(output));
    state.loaded = true;
    state.data_path = data_path;
    state.sample_rate = espeak_ng_GetSampleRate();
  }
  espeak_SetSynthCallback(on_samples);
  std::unique_ptr<EspeakSynthesizer> synthesizer(new EspeakSynthesizer(state.sample_rate, words_per_minute));
  // Both voices must load now, not at the first prompt (the Mandarin one needs cmn_dict).
  for (Language language : {Language::en, Language::zh}) TRY_STATUS(synthesizer->select_voice(language));
  state.synthesizer_exists = true;
  return synthesizer;
}

EspeakSynthesizer::~EspeakSynthesizer() {
  Library& state = library();
  std::lock_guard lock(state.mutex);
  state.synthesizer_exists = false;
}

Status EspeakSynthesizer::select_voice(Language language) {
  if (voice_selected_ && voice_ == language) return Ok{};
  voice_selected_ = false;
  const espeak_ng_STATUS status = espeak_ng_SetVoiceByName(espeak_voice_name(language));
  if (status != ENS_OK) {
    return Error::make(kind_of(status), std::string("espeak-ng: voice ") + espeak_voice_name(language) + ": " +
                                            status_message(status));
  }
  // Set after every change: a voice file may bring its own speed.
  const espeak_ng_STATUS rate = espeak_ng_SetParameter(espeakRATE, words_per_minute_, 0);
  if (rate != ENS_OK) return Error::make(ErrorKind::invalid_argument, "espeak-ng: rate: " + status_message(rate));
  voice_selected_ = true;
  voice_ = language;
  return Ok{};
}

Status EspeakSynthesizer::synthesize(const std::string& text, Language language, const Sink& sink) {
  TRY_STATUS(select_voice(language));
  Synthesis synthesis{&sink, false};
  current_synthesis = &synthesis;
  const espeak_ng_STATUS status = espeak_ng_Synthesize(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                                       espeakCHARS_UTF8, nullptr, nullptr);
  current_synthesis = nullptr;
  if (synthesis.aborted) return Error::make(ErrorKind::cancelled, "espeak-ng: synthesis aborted");
  if (status != ENS_OK) return Error::make(ErrorKind::io, "espeak-ng: synthesis: " + status_message(status));
  return Ok{};
}

}  // namespace kiosk::voice
