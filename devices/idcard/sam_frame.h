#pragma once
// The SAM module's frame layer (GA 467; DOMAIN.md "Resident ID card reader"): encoding command and
// answer frames, an incremental parser that takes the byte stream in arbitrary chunks, and what
// each SW3 status byte means.
//
//   command: AA AA AA 96 69 | LEN_hi LEN_lo | CMD PARA DATA… | CHK
//   answer:  AA AA AA 96 69 | LEN_hi LEN_lo | SW1 SW2 SW3 DATA… | CHK
// LEN counts every byte after the length field, CHK included; CHK is the XOR of the length bytes
// and everything after them, CHK excluded.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hal/device.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::idcard {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::array<std::uint8_t, 5> kPreamble = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
inline constexpr std::size_t kHeaderSize = kPreamble.size() + 2;  // preamble + LEN
// The largest LEN a reader sends: text + photo + fingerprint (256 + 1024 + 1024 and their length
// fields) is 2 314 bytes; anything past 4 KiB is corruption, not a frame worth waiting for.
inline constexpr std::size_t kMaxFrameLength = 4096;

// A command: CMD and PARA bytes (DOMAIN.md "Commands").
struct Command {
  std::uint8_t code = 0;
  std::uint8_t parameter = 0;
  bool operator==(const Command&) const = default;
};
inline constexpr Command kResetSam{0x10, 0xFF};
inline constexpr Command kSamStatus{0x11, 0xFF};
inline constexpr Command kReadSamId{0x12, 0xFF};
inline constexpr Command kFindCard{0x20, 0x01};
inline constexpr Command kSelectCard{0x20, 0x02};
inline constexpr Command kReadTextPhoto{0x30, 0x01};
inline constexpr Command kReadTextPhotoFingerprint{0x30, 0x10};
std::string describe(Command command);  // "find card (20 01)"

// SW3 status bytes.
namespace sw3 {
inline constexpr std::uint8_t kOk = 0x90;
inline constexpr std::uint8_t kFindOk = 0x9F;
inline constexpr std::uint8_t kNoCard = 0x80;
inline constexpr std::uint8_t kSelectFailed = 0x81;
inline constexpr std::uint8_t kReadFailed = 0x41;
inline constexpr std::uint8_t kUnknownCard = 0x40;
inline constexpr std::uint8_t kChecksumError = 0x10;
inline constexpr std::uint8_t kLengthError = 0x11;
inline constexpr std::uint8_t kBadCommand = 0x21;
inline constexpr std::uint8_t kUnauthorised = 0x23;
inline constexpr std::uint8_t kUnknownError = 0x24;
inline constexpr std::uint8_t kCardAuthenticationFailed = 0x31;
inline constexpr std::uint8_t kSamAuthenticationFailed = 0x32;
inline constexpr std::uint8_t kVerificationFailed = 0x33;
inline constexpr std::uint8_t kSelfTestFailed = 0x60;
inline constexpr std::uint8_t kSamNotAuthorised = 0x66;
}  // namespace sw3

// "find card failed (no card)" …, or "unknown status" for a byte outside the table.
const char* sw3_meaning(std::uint8_t status);
// The device error a failing SW3 maps to (no_card, card_removed, hardware, bad_data …).
hal::DeviceErrorCode sw3_error_code(std::uint8_t status);
// True for the statuses that mean the SAM module itself is broken or not allowed to work.
bool sw3_is_module_fault(std::uint8_t status);
// "SW3 0x80: find card failed (no card)".
std::string describe_sw3(std::uint8_t status);

// A whole frame: the bytes between the length field and CHK (command: CMD PARA DATA; answer:
// SW1 SW2 SW3 DATA).
Bytes encode_frame(std::span<const std::uint8_t> body);
Bytes encode_command(Command command, std::span<const std::uint8_t> data = {});
Bytes encode_answer(std::uint8_t status, std::span<const std::uint8_t> data = {});

struct Answer {
  std::uint8_t sw1 = 0;
  std::uint8_t sw2 = 0;
  std::uint8_t status = 0;  // SW3
  Bytes data;
};

struct FrameError {
  enum class Problem { bad_length, bad_checksum, too_short };
  Problem problem = Problem::bad_length;
  std::string message;  // "bad XOR check 0x12 (computed 0x34)"
};

// Splits a byte stream into frames. Feed it chunks of any size; next() returns each complete frame
// in order, a FrameError for a frame that cannot be right (length out of range, XOR mismatch), or
// nothing while more bytes are needed. Bytes before a preamble are skipped (and counted); after an
// error the parser resyncs on the next preamble. Memory is bounded by the max length.
class FrameParser {
 public:
  // `min_length` is the smallest LEN the stream's frames can have (answers 4, commands 3).
  explicit FrameParser(std::size_t min_length = 4, std::size_t max_length = kMaxFrameLength);

  void feed(std::span<const std::uint8_t> bytes);
  std::optional<Result<Bytes, FrameError>> next();
  void reset();

  // True while part of a frame (at least a whole preamble) waits for its remaining bytes.
  bool in_frame() const;
  // Bytes of the frame under way and how long it claims to be (0 if the length is not in yet).
  std::size_t frame_bytes_received() const;
  std::size_t frame_bytes_expected() const;
  std::size_t skipped_bytes() const { return skipped_; }

 private:
  void skip_to_preamble();
  void drop_front(std::size_t count);

  std::size_t min_length_;
  std::size_t max_length_;
  Bytes buffer_;
  std::size_t skipped_ = 0;
};

// An answer frame's body → SW1 SW2 SW3 DATA (needs at least the three status bytes).
Result<Answer, FrameError> decode_answer(std::span<const std::uint8_t> body);

// Whether `answer` can be the answer to `command`: a status that command gives, with the data that
// status carries (find ok 4 bytes, select ok 8, SAM id 16, text+photo at least its lengths and
// text block, SAM status and reset none, a failure none). A late or replayed answer to an earlier
// command fails this, so the driver drops it instead of taking it for this command's answer.
// Commands outside the table accept any answer.
bool answer_fits(Command command, const Answer& answer);
// A command frame's body → the command and its data.
struct CommandFrame {
  Command command;
  Bytes data;
};
Result<CommandFrame, FrameError> decode_command(std::span<const std::uint8_t> body);

// The SAM id answer's 16 data bytes → "05.01-20101010-0012345678-0000000042".
Result<std::string, FrameError> decode_sam_id(std::span<const std::uint8_t> data);

}  // namespace kiosk::devices::idcard
