// The SAM frame layer: encoding, the incremental parser with resync, and the SW3 table.
#include "devices/idcard/sam_frame.h"

#include <algorithm>
#include <cstdio>

#include "kiosk/core/secure_memory.h"

namespace kiosk::devices::idcard {
namespace {

std::string hex_byte(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", byte);
  return text;
}

std::uint8_t xor_of(std::span<const std::uint8_t> bytes) {
  std::uint8_t check = 0;
  for (std::uint8_t byte : bytes) check = static_cast<std::uint8_t>(check ^ byte);
  return check;
}

FrameError frame_error(FrameError::Problem problem, std::string message) { return FrameError{problem, std::move(message)}; }

// Failures any command can get: the module did not understand it, or cannot work at all.
bool any_command_failure(std::uint8_t status) {
  switch (status) {
    case sw3::kChecksumError:
    case sw3::kLengthError:
    case sw3::kBadCommand:
    case sw3::kUnauthorised:
    case sw3::kUnknownError:
    case sw3::kSelfTestFailed:
    case sw3::kSamNotAuthorised: return true;
    default: return false;
  }
}

// Failures of talking to the card (select and read).
bool card_failure(std::uint8_t status) {
  return status == sw3::kCardAuthenticationFailed || status == sw3::kSamAuthenticationFailed ||
         status == sw3::kVerificationFailed;
}

// Text length, photo length and the text block: the least a text+photo(+fingerprint) answer holds.
constexpr std::size_t kMinReadData = 4 + 256;

}  // namespace

std::string describe(Command command) {
  const char* name = "unknown command";
  if (command == kResetSam) name = "reset SAM";
  if (command == kSamStatus) name = "SAM status";
  if (command == kReadSamId) name = "read SAM id";
  if (command == kFindCard) name = "find card";
  if (command == kSelectCard) name = "select card";
  if (command == kReadTextPhoto) name = "read text+photo";
  if (command == kReadTextPhotoFingerprint) name = "read text+photo+fingerprint";
  char codes[16];
  std::snprintf(codes, sizeof codes, " (%02X %02X)", command.code, command.parameter);
  return name + std::string(codes);
}

const char* sw3_meaning(std::uint8_t status) {
  switch (status) {
    case sw3::kOk: return "ok";
    case sw3::kFindOk: return "find card ok";
    case sw3::kNoCard: return "find card failed (no card)";
    case sw3::kSelectFailed: return "select card failed";
    case sw3::kReadFailed: return "read card failed";
    case sw3::kUnknownCard: return "unknown card type";
    case sw3::kChecksumError: return "the reader saw a checksum error";
    case sw3::kLengthError: return "the reader saw a length error";
    case sw3::kBadCommand: return "bad command";
    case sw3::kUnauthorised: return "unauthorised";
    case sw3::kUnknownError: return "unknown error";
    case sw3::kCardAuthenticationFailed: return "card authentication of the SAM failed";
    case sw3::kSamAuthenticationFailed: return "SAM authentication of the card failed";
    case sw3::kVerificationFailed: return "information verification failed";
    case sw3::kSelfTestFailed: return "SAM self-test failed";
    case sw3::kSamNotAuthorised: return "SAM not authorised";
    default: return "unknown status";
  }
}

hal::DeviceErrorCode sw3_error_code(std::uint8_t status) {
  using hal::DeviceErrorCode;
  switch (status) {
    case sw3::kNoCard:
    case sw3::kSelectFailed: return DeviceErrorCode::no_card;
    case sw3::kUnknownCard:
    case sw3::kBadCommand: return DeviceErrorCode::unsupported;
    case sw3::kUnauthorised:
    case sw3::kUnknownError:
    case sw3::kSelfTestFailed:
    case sw3::kSamNotAuthorised: return DeviceErrorCode::hardware;
    default: return DeviceErrorCode::bad_data;  // read failed, checksum/length, authentication
  }
}

bool sw3_is_module_fault(std::uint8_t status) {
  return status == sw3::kSelfTestFailed || status == sw3::kSamNotAuthorised;
}

std::string describe_sw3(std::uint8_t status) { return "SW3 " + hex_byte(status) + ": " + sw3_meaning(status); }

Bytes encode_frame(std::span<const std::uint8_t> body) {
  const std::size_t length = body.size() + 1;  // + CHK
  Bytes frame(kPreamble.begin(), kPreamble.end());
  frame.reserve(kHeaderSize + length);
  frame.push_back(static_cast<std::uint8_t>(length >> 8));
  frame.push_back(static_cast<std::uint8_t>(length & 0xFF));
  frame.insert(frame.end(), body.begin(), body.end());
  frame.push_back(xor_of(std::span(frame).subspan(kPreamble.size())));
  return frame;
}

Bytes encode_command(Command command, std::span<const std::uint8_t> data) {
  Bytes body{command.code, command.parameter};
  body.insert(body.end(), data.begin(), data.end());
  return encode_frame(body);
}

Bytes encode_answer(std::uint8_t status, std::span<const std::uint8_t> data) {
  Bytes body{0x00, 0x00, status};
  body.insert(body.end(), data.begin(), data.end());
  return encode_frame(body);
}

FrameParser::FrameParser(std::size_t min_length, std::size_t max_length)
    : min_length_(std::max<std::size_t>(min_length, 2)), max_length_(max_length) {}

void FrameParser::feed(std::span<const std::uint8_t> bytes) {
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  skip_to_preamble();
}

void FrameParser::reset() {
  // The buffer held card text: overwrite all of it, including what earlier frames left past size().
  buffer_.resize(buffer_.capacity());
  secure_clear(buffer_.data(), buffer_.size());
  buffer_.clear();
  skipped_ = 0;
}

void FrameParser::drop_front(std::size_t count) {
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(std::min(count, buffer_.size())));
}

// Leaves the buffer starting at a preamble, or holding only a tail that may be the start of one.
void FrameParser::skip_to_preamble() {
  std::size_t start = 0;
  while (start < buffer_.size()) {
    const std::size_t available = std::min(kPreamble.size(), buffer_.size() - start);
    if (std::equal(kPreamble.begin(), kPreamble.begin() + static_cast<std::ptrdiff_t>(available),
                   buffer_.begin() + static_cast<std::ptrdiff_t>(start))) {
      break;
    }
    ++start;
  }
  skipped_ += start;
  drop_front(start);
}

bool FrameParser::in_frame() const { return buffer_.size() >= kPreamble.size(); }

std::size_t FrameParser::frame_bytes_received() const { return in_frame() ? buffer_.size() : 0; }

std::size_t FrameParser::frame_bytes_expected() const {
  if (buffer_.size() < kHeaderSize) return 0;
  return kHeaderSize + ((std::size_t{buffer_[5]} << 8) | buffer_[6]);
}

std::optional<Result<Bytes, FrameError>> FrameParser::next() {
  if (buffer_.size() < kHeaderSize) return std::nullopt;
  const std::size_t length = (std::size_t{buffer_[5]} << 8) | buffer_[6];
  if (length < min_length_ || length > max_length_) {
    // Not a frame we can trust: drop one byte so the search resumes inside what looked like one.
    drop_front(1);
    skip_to_preamble();
    return Result<Bytes, FrameError>(frame_error(FrameError::Problem::bad_length,
        "frame length " + std::to_string(length) + " outside " + std::to_string(min_length_) + "…" +
            std::to_string(max_length_)));
  }
  if (buffer_.size() < kHeaderSize + length) return std::nullopt;
  const auto checked = std::span(buffer_).subspan(kPreamble.size(), 2 + length - 1);
  const std::uint8_t expected = xor_of(checked);
  const std::uint8_t received = buffer_[kHeaderSize + length - 1];
  if (expected != received) {
    drop_front(1);
    skip_to_preamble();
    return Result<Bytes, FrameError>(frame_error(FrameError::Problem::bad_checksum,
        "bad XOR check " + hex_byte(received) + " (computed " + hex_byte(expected) + ") in a " +
            std::to_string(length) + "-byte frame"));
  }
  Bytes body(buffer_.begin() + kHeaderSize, buffer_.begin() + static_cast<std::ptrdiff_t>(kHeaderSize + length - 1));
  drop_front(kHeaderSize + length);
  skip_to_preamble();
  return Result<Bytes, FrameError>(std::move(body));
}

Result<Answer, FrameError> decode_answer(std::span<const std::uint8_t> body) {
  if (body.size() < 3) {
    return frame_error(FrameError::Problem::too_short,
                       "answer of " + std::to_string(body.size()) + " bytes has no SW1 SW2 SW3");
  }
  return Answer{body[0], body[1], body[2], Bytes(body.begin() + 3, body.end())};
}

bool answer_fits(Command command, const Answer& answer) {
  const std::uint8_t status = answer.status;
  const std::size_t size = answer.data.size();
  if (any_command_failure(status)) return size == 0;
  if (command == kResetSam || command == kSamStatus) return status == sw3::kOk && size == 0;
  if (command == kReadSamId) return status == sw3::kOk && size == 16;
  if (command == kFindCard) return (status == sw3::kFindOk && size == 4) || (status == sw3::kNoCard && size == 0);
  if (command == kSelectCard) {
    if (status == sw3::kOk) return size == 8;
    return (status == sw3::kSelectFailed || card_failure(status)) && size == 0;
  }
  if (command == kReadTextPhoto || command == kReadTextPhotoFingerprint) {
    if (status == sw3::kOk) return size >= kMinReadData;
    return (status == sw3::kReadFailed || status == sw3::kUnknownCard || card_failure(status)) && size == 0;
  }
  return true;
}

Result<CommandFrame, FrameError> decode_command(std::span<const std::uint8_t> body) {
  if (body.size() < 2) {
    return frame_error(FrameError::Problem::too_short,
                       "command of " + std::to_string(body.size()) + " bytes has no CMD PARA");
  }
  return CommandFrame{Command{body[0], body[1]}, Bytes(body.begin() + 2, body.end())};
}

Result<std::string, FrameError> decode_sam_id(std::span<const std::uint8_t> data) {
  if (data.size() != 16) {
    return frame_error(FrameError::Problem::bad_length,
                       "SAM id of " + std::to_string(data.size()) + " bytes (expected 16)");
  }
  auto u16 = [&](std::size_t at) { return unsigned(data[at]) | (unsigned(data[at + 1]) << 8); };
  auto u32 = [&](std::size_t at) {
    return static_cast<unsigned long>(data[at]) | (static_cast<unsigned long>(data[at + 1]) << 8) |
           (static_cast<unsigned long>(data[at + 2]) << 16) | (static_cast<unsigned long>(data[at + 3]) << 24);
  };
  char text[64];
  std::snprintf(text, sizeof text, "%02u.%02u-%08lu-%010lu-%010lu", u16(0), u16(2), u32(4), u32(8), u32(12));
  return std::string(text);
}

}  // namespace kiosk::devices::idcard
