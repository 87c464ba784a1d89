#include "kiosk/ime/pinyin_engine.h"

#include <pinyinime.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <system_error>

#include "kiosk/core/log.h"
#include "kiosk/core/text.h"

namespace kiosk::ime {
namespace {

// The one-engine rule (pinyin_engine.h).
std::mutex& open_mutex() {
  static std::mutex mutex;
  return mutex;
}
bool engine_open = false;  // guarded by open_mutex()

// A path that can be neither opened nor created (/dev/null is not a directory, for anyone), so
// the library's user dictionary fails to load and the library runs without one: it then neither
// learns from choices nor writes anything (its MatrixSearch::init drops a user dictionary that
// does not load). An empty path would not do: the library refuses to open at all without one.
constexpr const char* kNoUserDictionary = "/dev/null/kiosk-never-a-user-dictionary";

// Loading the 1 MB dictionary takes ~30 ms; a search well under 1 ms. The margins are for a
// loaded 2-core terminal and for sanitizer builds.
constexpr int kStartTimeoutMs = 10000;
constexpr int kReplyTimeoutMs = 2000;
// Largest message either way: kMaxCandidates × (2 + 3 × 40) bytes fits.
constexpr std::size_t kMaxMessage = 64 * 1024;
// Longest candidate the library returns: a sentence of at most one character per spelling.
constexpr std::size_t kCandidateBufferLength = ime_pinyin::kMaxSearchSteps + 1;

// Requests: one SOCK_SEQPACKET message each: op, a 32-bit number (max or index), the pinyin.
// Replies: one message, a status byte (1: answered) then length-prefixed texts; a message is
// never empty, since recv() returning 0 means the decoder has gone.
constexpr char kCandidatesRequest = 'C';
constexpr char kChooseRequest = 'H';

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void put_text(std::string& out, const std::string& text) {
  const auto length = static_cast<std::uint16_t>(std::min<std::size_t>(text.size(), 0xFFFF));
  out.push_back(static_cast<char>(length & 0xFF));
  out.push_back(static_cast<char>(length >> 8));
  out.append(text, 0, length);
}

// Reads a length-prefixed text at `offset`; false when the message is too short.
bool take_text(std::string_view message, std::size_t& offset, std::string& out) {
  if (offset + 2 > message.size()) return false;
  const std::size_t length = static_cast<unsigned char>(message[offset]) |
                             (static_cast<std::size_t>(static_cast<unsigned char>(message[offset + 1])) << 8);
  offset += 2;
  if (offset + length > message.size()) return false;
  out.assign(message.substr(offset, length));
  offset += length;
  return true;
}

// Lower-cased pinyin if it is something the engine accepts, else empty: letters and apostrophes,
// a letter first and no two apostrophes together (the library reads a run of them as one
// undecodable letter each and stops decoding there).
std::string normalized_pinyin(std::string_view pinyin) {
  if (pinyin.empty() || pinyin.size() > PinyinEngine::kMaxPinyinLength) return {};
  std::string out;
  out.reserve(pinyin.size());
  for (char c : pinyin) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') {
      out.push_back(c);
    } else if (c == '\'' && !out.empty() && out.back() != '\'') {
      out.push_back(c);
    } else {
      return {};
    }
  }
  return out;
}

// --- The decoder process -------------------------------------------------------------------
// Everything below up to the next marker runs in the forked child. It may use only the library,
// the heap and its socket: other threads of the parent do not exist there, so no logging and no
// locks the parent's threads may have held at fork time.

// UTF-16 from the library to UTF-8; a lone surrogate becomes U+FFFD.
std::string to_utf8(const ime_pinyin::char16* utf16) {
  std::string out;
  for (std::size_t i = 0; utf16[i] != 0; ++i) {
    char32_t c = utf16[i];
    if (c >= 0xD800 && c <= 0xDBFF && utf16[i + 1] >= 0xDC00 && utf16[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (utf16[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    text::append_utf8(out, c);
  }
  return out;
}

struct Candidate {
  std::string text;
  std::size_t library_id;
};

// Searches afresh (the library's search is incremental from its previous one) and lists up to
// `max` candidates. Candidates and choose share this, so an index means the same candidate.
std::vector<Candidate> search(const std::string& pinyin, std::size_t max) {
  std::vector<Candidate> found;
  ime_pinyin::im_reset_search();
  const std::size_t count = ime_pinyin::im_search(pinyin.data(), pinyin.size());
  ime_pinyin::char16 buffer[kCandidateBufferLength];
  for (std::size_t id = 0; id < count && found.size() < max; ++id) {
    if (ime_pinyin::im_get_candidate(id, buffer, kCandidateBufferLength) == nullptr) continue;
    std::string text = to_utf8(buffer);
    if (!text.empty()) found.push_back({std::move(text), id});
  }
  return found;
}

std::string candidates_reply(const std::string& pinyin, std::size_t max) {
  std::string reply(1, '\1');  // never an empty message: the parent would read it as the end
  for (const Candidate& candidate : search(pinyin, std::min(max, PinyinEngine::kMaxCandidates))) {
    put_text(reply, candidate.text);
  }
  return reply;
}

std::string choose_reply(const std::string& pinyin, std::size_t index) {
  std::vector<Candidate> found = search(pinyin, index + 1);
  if (index >= found.size()) return std::string(1, '\0');
  ime_pinyin::im_choose(found[index].library_id);
  // What is left starts at the first spelling the choice did not fix; letters the library could
  // not decode follow the decoded ones.
  const std::size_t fixed = ime_pinyin::im_get_fixed_len();
  const ime_pinyin::uint16* starts = nullptr;
  const std::size_t spellings = ime_pinyin::im_get_spl_start_pos(starts);
  std::size_t decoded = 0;
  ime_pinyin::im_get_sps_str(&decoded);
  std::size_t from = std::min(decoded, pinyin.size());
  if (starts != nullptr && fixed <= spellings) from = std::min<std::size_t>(starts[fixed], pinyin.size());
  std::string remaining = pinyin.substr(from);
  // A separator the choice stopped in front of means nothing on its own.
  remaining.erase(0, remaining.find_first_not_of('\''));
  ime_pinyin::im_reset_search();
  std::string reply(1, '\1');
  put_text(reply, found[index].text);
  put_text(reply, remaining);
  return reply;
}

// Keeps only the standard streams and the socket (as descriptor 3): a device or file the parent
// has open must not stay open in here after the parent closes it.
int keep_only(int socket) {
  if (socket != 3) {
    if (dup2(socket, 3) < 0) _exit(1);
    socket = 3;
  }
  if (close_range(4, ~0U, 0) != 0) {
    for (int fd = 4; fd < 65536; ++fd) close(fd);
  }
  return socket;
}

[[noreturn]] void run_decoder(int socket, const std::string& dictionary, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the kiosk
  prctl(PR_SET_NAME, "kiosk-pinyin");  // what ps and top show for it
  if (getppid() != parent) _exit(0);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) signal(sig, SIG_DFL);
  socket = keep_only(socket);
  try {
    const bool opened = ime_pinyin::im_open_decoder(dictionary.c_str(), kNoUserDictionary);
    const char ready = opened ? '\1' : '\0';
    send(socket, &ready, 1, MSG_NOSIGNAL);
    if (!opened) _exit(0);
    std::string request(kMaxMessage, '\0');
    while (true) {
      const ssize_t size = recv(socket, request.data(), request.size(), 0);
      if (size <= 0) _exit(0);  // the parent closed: done
      if (size < 5) _exit(1);
      std::uint32_t number = 0;
      for (int i = 0; i < 4; ++i) number |= static_cast<std::uint32_t>(static_cast<unsigned char>(request[1 + i])) << (8 * i);
      const std::string pinyin(request.data() + 5, static_cast<std::size_t>(size) - 5);
      if (pinyin.size() > PinyinEngine::kMaxPinyinLength) _exit(1);
      const std::string reply = request[0] == kChooseRequest ? choose_reply(pinyin, number) : candidates_reply(pinyin, number);
      if (send(socket, reply.data(), reply.size(), MSG_NOSIGNAL) < 0) _exit(1);
    }
  } catch (const std::exception&) {
    // A file that is not a dictionary: the library believes the sizes it reads from it and
    // allocates them (std::bad_alloc for /etc/passwd). The parent sees the socket close.
    _exit(1);
  }
}

// --- Back in the kiosk ---------------------------------------------------------------------

// Waits up to `timeout_ms` for one message. Errors: timeout, io (the decoder closed or died).
Result<std::string> receive(int socket, int timeout_ms) {
  pollfd ready{socket, POLLIN, 0};
  int polled;
  do {
    polled = poll(&ready, 1, timeout_ms);
  } while (polled < 0 && errno == EINTR);
  if (polled == 0) return Error::make(ErrorKind::timeout, "no answer in " + std::to_string(timeout_ms) + " ms");
  if (polled < 0) return Error::make(ErrorKind::io, std::string("poll: ") + std::strerror(errno));
  std::string message(kMaxMessage, '\0');
  ssize_t size;
  do {
    size = recv(socket, message.data(), message.size(), 0);
  } while (size < 0 && errno == EINTR);
  if (size < 0) return Error::make(ErrorKind::io, std::string("recv: ") + std::strerror(errno));
  if (size == 0) return Error::make(ErrorKind::io, "the decoder process ended");
  message.resize(static_cast<std::size_t>(size));
  return message;
}

}  // namespace

std::string PinyinEngine::default_system_dictionary() { return KIOSK_PINYIN_DICTIONARY; }

Result<std::unique_ptr<PinyinEngine>> PinyinEngine::open(const std::string& system_dictionary,
                                                         const std::string& user_dictionary) {
  if (!user_dictionary.empty()) {
    return Error::make(ErrorKind::invalid_argument,
                       "pinyin: user dictionary " + user_dictionary +
                           " refused: the kiosk never learns what citizens type (personal data)");
  }
  std::error_code error;
  const auto status = std::filesystem::status(system_dictionary, error);
  if (!std::filesystem::exists(status)) {
    return Error::make(ErrorKind::not_found, "pinyin: system dictionary " + system_dictionary +
                                                 " not found (install libgooglepinyin0)");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Error::make(ErrorKind::invalid_argument, "pinyin: system dictionary " + system_dictionary + " is not a file");
  }

  {
    std::lock_guard lock(open_mutex());
    if (engine_open) {
      return Error::make(ErrorKind::unsupported, "pinyin: an engine is already open in this process");
    }
    engine_open = true;  // taken now; the engine's destructor gives it back, also if starting fails
  }
  std::unique_ptr<PinyinEngine> engine(new PinyinEngine(system_dictionary));
  std::lock_guard engine_lock(engine->mutex_);
  if (Status started = engine->start_decoder(); !started.ok()) return started.release_error();
  return engine;
}

PinyinEngine::~PinyinEngine() {
  {
    std::lock_guard lock(mutex_);
    stop_decoder();
  }
  std::lock_guard lock(open_mutex());
  engine_open = false;
}

Status PinyinEngine::start_decoder() {
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets) != 0) {
    return Error::make(ErrorKind::io, std::string("pinyin: socketpair: ") + std::strerror(errno));
  }
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) {
    const int fork_errno = errno;
    close(sockets[0]);
    close(sockets[1]);
    return Error::make(ErrorKind::io, std::string("pinyin: fork: ") + std::strerror(fork_errno));
  }
  if (child == 0) {
    close(sockets[0]);
    run_decoder(sockets[1], system_dictionary_, parent);
  }
  close(sockets[1]);
  socket_ = sockets[0];
  decoder_ = child;
  auto ready = receive(socket_, kStartTimeoutMs);
  if (ready.ok() && *ready == std::string(1, '\1')) return {};
  stop_decoder();
  if (ready.ok() || ready.error().kind == ErrorKind::io) {
    return Error::make(ErrorKind::parse, "pinyin: " + system_dictionary_ + " is not a googlepinyin dictionary");
  }
  return Error::make(ready.error().kind, "pinyin: decoder start: " + ready.error().message);
}

void PinyinEngine::stop_decoder() {
  if (socket_ >= 0) close(socket_);
  socket_ = -1;
  if (decoder_ > 0) {
    kill(decoder_, SIGKILL);  // nothing to flush in there (no user dictionary)
    int status = 0;
    while (waitpid(decoder_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  decoder_ = -1;
}

Result<std::string> PinyinEngine::exchange(const std::string& request) {
  if (socket_ < 0) TRY_STATUS(start_decoder());
  Result<std::string> reply = Error::make(ErrorKind::io, "");
  if (send(socket_, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    reply = receive(socket_, kReplyTimeoutMs);
  } else {
    reply = Error::make(ErrorKind::io, std::string("send: ") + std::strerror(errno));
  }
  if (reply.ok()) return reply;
  // Crashed (the library's assert on too ambiguous input) or hung: the next call starts afresh.
  // The input is not logged: it is what a citizen typed.
  ++failures_;
  stop_decoder();
  log::warning("ime", "pinyin decoder stopped (" + reply.error().message + "); restarting on the next key");
  return Error::make(ErrorKind::io, "pinyin: decoder failed: " + reply.error().message);
}

std::vector<std::string> PinyinEngine::candidates(std::string_view pinyin, std::size_t max) {
  const std::string normalized = normalized_pinyin(pinyin);
  if (normalized.empty() || max == 0) return {};
  std::string request(1, kCandidatesRequest);
  put_u32(request, static_cast<std::uint32_t>(std::min(max, kMaxCandidates)));
  request += normalized;
  std::lock_guard lock(mutex_);
  auto reply = exchange(request);
  std::vector<std::string> texts;
  if (!reply.ok()) return texts;
  std::size_t offset = 1;
  std::string text;
  while (offset < reply->size() && take_text(*reply, offset, text)) texts.push_back(text);
  return texts;
}

Result<PinyinEngine::Choice> PinyinEngine::choose(std::string_view pinyin, std::size_t index) {
  const std::string normalized = normalized_pinyin(pinyin);
  if (normalized.empty()) return Error::make(ErrorKind::invalid_argument, "pinyin: not valid pinyin");
  if (index >= kMaxCandidates) return Error::make(ErrorKind::invalid_argument, "pinyin: no candidate " + std::to_string(index));
  std::string request(1, kChooseRequest);
  put_u32(request, static_cast<std::uint32_t>(index));
  request += normalized;
  std::lock_guard lock(mutex_);
  auto reply = exchange(request);
  if (!reply.ok()) return reply.release_error();
  Choice choice;
  std::size_t offset = 1;
  if (reply->empty() || (*reply)[0] != '\1') {
    return Error::make(ErrorKind::invalid_argument, "pinyin: no candidate " + std::to_string(index));
  }
  if (!take_text(*reply, offset, choice.text) || !take_text(*reply, offset, choice.remaining_pinyin)) {
    return Error::make(ErrorKind::io, "pinyin: malformed answer from the decoder");
  }
  return choice;
}

int PinyinEngine::decoder_failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

}  // namespace kiosk::ime
