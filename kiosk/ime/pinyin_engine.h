#pragma once
// Pinyin to Chinese characters: Google's pinyin decoder (Debian libgooglepinyin0, the engine of
// Android's old PinyinIME) behind our types. UTF-8 in and out; the library's UTF-16 stays inside.
//
// The decoder runs in a child process of its own, forked by open(). Two library facts force it:
//  - it aborts the process on ordinary input: its search has room for 100 "milestones", and when
//    a string is ambiguous enough to need more, an assert() fires ("zzzzzzzzzzzzzz" — z tapped 14
//    times —, "anananananananan", 27 × "a"; Debian builds it with assertions on), after writing
//    past the end of that array. A citizen tapping a key must not take the kiosk down, and no
//    check on the input can predict this without the dictionary's trie.
//  - its state is process-wide (im_open_decoder / im_search / im_close_decoder take no handle).
// In the child a crash costs only the candidates for that input: the call returns none, the child
// is reaped and the next call starts a new one (~30 ms to load the dictionary). The child keeps
// nothing but the library and its socket (other descriptors closed, killed with its parent).
//
// At most one engine is open at a time: a second open() returns ErrorKind::unsupported (there is
// no "busy" kind). The library's process-wide state is what this guarded when it ran in process;
// the kiosk needs one decoder, and refusing a second keeps a forgotten engine from doubling it.
// Create the engine once in main() and pass it to the screens. Any thread may call it; calls are
// serialised by the engine (a search takes well under a millisecond plus a socket round trip).
//
// Nothing is learned and nothing is written: the library would add every phrase a citizen picks
// to a user dictionary, rank it first for the next citizen and write it to disk on close, which is
// personal data (names, addresses) leaking from one citizen to the next. The decoder is given a
// user-dictionary path that can never be opened or created, so it runs without one (measured:
// with a user dictionary, choosing 张三 + 冯 makes 张三冯 the first candidate for "zhangsanfeng"
// in the next process; without one 张三丰 stays first). The decoder process keeps the last pinyin
// searched in its memory until the next search.

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::ime {

class PinyinEngine {
 public:
  // Longest pinyin accepted (letters and apostrophes); the library decodes up to 39.
  static constexpr std::size_t kMaxPinyinLength = 32;
  // Most candidates one call returns (bounds the decoder's reply).
  static constexpr std::size_t kMaxCandidates = 400;

  // Where the Debian package puts the system dictionary (found through pkg-config at build time).
  static std::string default_system_dictionary();

  // Starts the decoder on `system_dictionary` (dict_pinyin.dat) and waits until it has loaded.
  // `user_dictionary` must be empty: the engine never learns (see above), and a path is refused
  // rather than silently ignored. Errors: not_found (no such file), invalid_argument (a user
  // dictionary was given, or the path is not a regular file), parse (the library could not load
  // the file as a dictionary), unsupported (another engine is open), io (no process or socket).
  static Result<std::unique_ptr<PinyinEngine>> open(const std::string& system_dictionary,
                                                    const std::string& user_dictionary = {});
  ~PinyinEngine();  // stops the decoder; another engine may be opened after this
  PinyinEngine(const PinyinEngine&) = delete;
  PinyinEngine& operator=(const PinyinEngine&) = delete;

  // Up to `max` (≤ kMaxCandidates) candidates for `pinyin`, best first, as the library ranks
  // them: the first is its reading of the whole decodable input (张三丰 for "zhangsanfeng"), then
  // words and characters that start at the beginning (张三, 张, 章 …). Letters are
  // case-insensitive; an apostrophe separates syllables ("xi'an"). Empty, longer than
  // kMaxPinyinLength, anything but letters and apostrophes, nothing decodable, or input that
  // crashed the decoder: no candidates. Letters the library cannot decode at the end ("zhangi":
  // the "i") are left out of every candidate.
  std::vector<std::string> candidates(std::string_view pinyin, std::size_t max);

  struct Choice {
    std::string text;              // the chosen candidate
    std::string remaining_pinyin;  // what it did not cover, to type on with ("feng"); may be empty
  };
  // Takes candidate `index` of candidates(pinyin, …) (same pinyin, so the same list): choosing
  // 张三 for "zhangsanfeng" leaves "feng". Errors: invalid_argument (pinyin not valid as for
  // candidates(), or no candidate `index`), io (the decoder failed on this input).
  Result<Choice> choose(std::string_view pinyin, std::size_t index);

  // How many decoder processes have ended abnormally (crashed, hung) since open (for tests/logs).
  int decoder_failures() const;

 private:
  explicit PinyinEngine(std::string system_dictionary) : system_dictionary_(std::move(system_dictionary)) {}
  Status start_decoder();
  void stop_decoder();
  // One request and its reply; restarts the decoder first if it is not running.
  Result<std::string> exchange(const std::string& request);

  const std::string system_dictionary_;
  mutable std::mutex mutex_;  // one request at a time on the socket
  int socket_ = -1;
  pid_t decoder_ = -1;
  int failures_ = 0;
};

}  // namespace kiosk::ime
