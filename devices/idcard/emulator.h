#pragma once
// An emulated SAM card reader (tools/idcard-emu; the SamReader's end-to-end tests): it answers
// real command frames for the card lying on it, with fault switches that make it misbehave the
// way real readers do. SamEmulator is the protocol alone (bytes in → timed chunks out);
// PtyEmulator serves it on a pseudo-terminal the real serial driver opens like a tty, and can be
// unplugged (master closed: the driver sees hang-up / EIO) and plugged back (a new pty, the stable
// link re-pointed).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "devices/idcard/id_text.h"
#include "devices/idcard/sam_frame.h"
#include "hal/card_reader.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::idcard {

enum class Fault {
  checksum,      // the next answer has a wrong XOR byte
  garbage,       // noise (with broken preambles) before the next answer
  split,         // the next answer comes in 1–7 byte chunks, 1 ms apart
  pull,          // the card is pulled during the next read: the answer stops half-way
  no_answer,     // the next command gets no answer at all
  duplicate,     // the next answer is sent twice (a replayed frame)
  late_duplicate,  // the next answer is sent again late: right before the answer to the command after it
  unknown_card,  // switch: the card on the reader is not a resident ID card (reads answer SW3 40)
  sam_fail,      // switch: the SAM failed its self-test (everything but reset answers SW3 60)
};
std::optional<Fault> fault_from_name(std::string_view name);
const char* to_string(Fault fault);
bool is_switch(Fault fault);  // stays on until clear_faults()

// Which answer a one-shot fault hits: the next one, or the next answer to read text+photo (so a
// test is not at the mercy of the driver's polling).
enum class FaultTarget { next_answer, next_read };

struct EmulatorOutput {
  Bytes bytes;
  std::chrono::milliseconds delay_before{0};
};

class SamEmulator {
 public:
  SamEmulator();

  // Puts a card on the reader. A card without a photo gets a generated opaque 1024-byte blob
  // (photo_for); one with a photo must have exactly 1024 bytes.
  Status place(const hal::IdentityCard& card);
  void remove();
  bool card_present() const;
  // The photo blob the reader serves for `card`.
  static Bytes photo_for(const hal::IdentityCard& card);
  std::string sam_id() const;  // what the SAM id answer decodes to

  void inject(Fault fault, FaultTarget target = FaultTarget::next_answer);
  void clear_faults();

  // Bytes from the driver → what to send back, in order (possibly nothing).
  std::vector<EmulatorOutput> receive(std::span<const std::uint8_t> bytes);

  // "find card (20 01) → SW3 0x9F" per command answered; "fault checksum" when one fires. The
  // last kHistoryLimit entries.
  std::vector<std::string> history() const;
  int count(Command command) const;  // commands of this kind received so far
  static constexpr std::size_t kHistoryLimit = 1000;

 private:
  struct Pending {
    Fault fault;
    FaultTarget target;
  };
  Bytes answer_for(const CommandFrame& command);
  std::vector<EmulatorOutput> deliver(Command command, Bytes answer);
  std::optional<Fault> take_fault(Command command);
  void record(std::string entry);

  mutable std::mutex mutex_;
  FrameParser parser_{3};
  std::optional<Bytes> text_photo_;  // the read answer's data for the card on the reader
  std::vector<Pending> pending_;
  std::optional<Bytes> late_;  // a late_duplicate copy, sent before the next answer
  bool unknown_card_ = false;
  bool sam_failed_ = false;
  std::vector<std::string> history_;
  std::vector<std::pair<Command, int>> counts_;
};

class PtyEmulator {
 public:
  // Opens a pty and starts serving; `link` (optional) becomes a symlink to the slave's path.
  static Result<std::unique_ptr<PtyEmulator>> create(const std::filesystem::path& link = {});
  ~PtyEmulator();
  PtyEmulator(const PtyEmulator&) = delete;
  PtyEmulator& operator=(const PtyEmulator&) = delete;

  SamEmulator& emulator() { return emulator_; }
  std::string slave_path() const;
  // The path a driver should open: the link if there is one, else the slave.
  std::string device_path() const;

  // Closes the pty (the driver's fd hangs up) and removes the link.
  void unplug();
  // A fresh pty; the link points at it.
  Status plug();
  bool plugged() const;

 private:
  explicit PtyEmulator(std::filesystem::path link);
  Status open_pty();
  void close_pty();
  void serve();
  void write_out(const EmulatorOutput& output);

  SamEmulator emulator_;
  const std::filesystem::path link_;
  mutable std::mutex pty_mutex_;
  int master_ = -1;
  int slave_ = -1;  // held open so the pty lives (and keeps raw mode) while no driver has it
  std::string slave_path_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kiosk::devices::idcard
