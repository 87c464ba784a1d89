// The emulated SAM reader's protocol side: answers for the card on it and the fault switches.
#include "devices/idcard/emulator.h"

#include <algorithm>
#include <cstdio>

#include "kiosk/core/secure_memory.h"

namespace kiosk::devices::idcard {
namespace {

using std::chrono::milliseconds;

constexpr std::pair<Fault, const char*> kFaultNames[] = {
    {Fault::checksum, "checksum"},   {Fault::garbage, "garbage"},     {Fault::split, "split"},
    {Fault::pull, "pull"},           {Fault::no_answer, "no_answer"}, {Fault::duplicate, "duplicate"},
    {Fault::late_duplicate, "late_duplicate"}, {Fault::unknown_card, "unknown_card"}, {Fault::sam_fail, "sam_fail"}};

// Noise with broken preambles (AA AA AA 96 00, AA AA 13 96 69) and a trailing AA that runs into
// the real preamble: the parser must skip all of it.
constexpr std::uint8_t kGarbage[] = {0x00, 0xFF, 0xAA, 0xAA, 0x13, 0x96, 0x69, 0xAA, 0xAA,
                                     0xAA, 0x96, 0x00, 0x55, 0x69, 0x96, 0xAA};
constexpr std::size_t kSplitSizes[] = {1, 2, 3, 5, 7};

// SAM id: 05.01-20260101-0012345678-0000000042.
constexpr std::uint8_t kSamIdBytes[16] = {0x05, 0x00, 0x01, 0x00, 0x05, 0x25, 0x35, 0x01,
                                          0x4E, 0x61, 0xBC, 0x00, 0x2A, 0x00, 0x00, 0x00};

}  // namespace

std::optional<Fault> fault_from_name(std::string_view name) {
  for (const auto& [fault, fault_name] : kFaultNames) {
    if (name == fault_name) return fault;
  }
  return std::nullopt;
}

const char* to_string(Fault fault) {
  for (const auto& [candidate, name] : kFaultNames) {
    if (candidate == fault) return name;
  }
  return "unknown";
}

bool is_switch(Fault fault) { return fault == Fault::unknown_card || fault == Fault::sam_fail; }

SamEmulator::SamEmulator() = default;

Bytes SamEmulator::photo_for(const hal::IdentityCard& card) {
  if (!card.photo.empty()) return card.photo;
  // Opaque bytes derived from the ID number (FNV-1a seed, xorshift), with a whole preamble and a
  // plausible length inside: a parser that resyncs within a frame would break the photo.
  std::uint32_t state = 2166136261u;
  for (char c : card.id_number) state = (state ^ static_cast<std::uint8_t>(c)) * 16777619u;
  Bytes photo(kPhotoSize);
  for (auto& byte : photo) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<std::uint8_t>(state >> 24);
  }
  const std::uint8_t fake_frame[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08};
  std::copy(std::begin(fake_frame), std::end(fake_frame), photo.begin() + 100);
  return photo;
}

std::string SamEmulator::sam_id() const { return decode_sam_id(kSamIdBytes).value(); }

Status SamEmulator::place(const hal::IdentityCard& card) {
  if (!card.photo.empty() && card.photo.size() != kPhotoSize) {
    return Error::make(ErrorKind::invalid_argument, "photo: a card's photo is 1024 bytes, not " +
                                                        std::to_string(card.photo.size()));
  }
  auto text = encode_text(card);
  if (!text.ok()) return Error::make(ErrorKind::invalid_argument, "identity: " + text.error().message);
  Bytes data = encode_text_photo(*text, photo_for(card));
  secure_clear(text->data(), text->size());
  std::lock_guard lock(mutex_);
  if (text_photo_) secure_clear(text_photo_->data(), text_photo_->size());
  text_photo_ = std::move(data);
  record("card placed");
  return {};
}

void SamEmulator::remove() {
  std::lock_guard lock(mutex_);
  if (!text_photo_) return;
  secure_clear(text_photo_->data(), text_photo_->size());
  text_photo_.reset();
  record("card removed");
}

bool SamEmulator::card_present() const {
  std::lock_guard lock(mutex_);
  return text_photo_.has_value();
}

void SamEmulator::inject(Fault fault, FaultTarget target) {
  std::lock_guard lock(mutex_);
  if (fault == Fault::unknown_card) unknown_card_ = true;
  else if (fault == Fault::sam_fail) sam_failed_ = true;
  else pending_.push_back({fault, target});
}

void SamEmulator::clear_faults() {
  std::lock_guard lock(mutex_);
  pending_.clear();
  if (late_) secure_clear(late_->data(), late_->size());
  late_.reset();
  unknown_card_ = false;
  sam_failed_ = false;
}

std::vector<std::string> SamEmulator::history() const {
  std::lock_guard lock(mutex_);
  return history_;
}

int SamEmulator::count(Command command) const {
  std::lock_guard lock(mutex_);
  for (const auto& [candidate, number] : counts_) {
    if (candidate == command) return number;
  }
  return 0;
}

void SamEmulator::record(std::string entry) {
  if (history_.size() >= kHistoryLimit) history_.erase(history_.begin());
  history_.push_back(std::move(entry));
}

std::vector<EmulatorOutput> SamEmulator::receive(std::span<const std::uint8_t> bytes) {
  std::lock_guard lock(mutex_);
  std::vector<EmulatorOutput> outputs;
  parser_.feed(bytes);
  while (auto frame = parser_.next()) {
    if (!frame->ok()) {
      // What a module says to a garbled command: SW3 10 for the XOR, 11 for the length.
      const bool checksum = frame->error().problem == FrameError::Problem::bad_checksum;
      record(std::string("garbled command → ") + (checksum ? "SW3 0x10" : "SW3 0x11"));
      outputs.push_back({encode_answer(checksum ? sw3::kChecksumError : sw3::kLengthError), milliseconds{0}});
      continue;
    }
    auto command = decode_command(frame->value());
    if (!command.ok()) {
      outputs.push_back({encode_answer(sw3::kLengthError), milliseconds{0}});
      continue;
    }
    auto counted = std::find_if(counts_.begin(), counts_.end(),
                                [&](const auto& entry) { return entry.first == command->command; });
    if (counted == counts_.end()) counts_.emplace_back(command->command, 1);
    else ++counted->second;
    Bytes answer = answer_for(*command);
    char status[8];
    std::snprintf(status, sizeof status, "0x%02X", answer[kHeaderSize + 2]);
    record(describe(command->command) + " → SW3 " + status);
    for (auto& output : deliver(command->command, std::move(answer))) outputs.push_back(std::move(output));
  }
  return outputs;
}

Bytes SamEmulator::answer_for(const CommandFrame& frame) {
  const Command command = frame.command;
  if (sam_failed_ && command != kResetSam) return encode_answer(sw3::kSelfTestFailed);
  if (command == kResetSam || command == kSamStatus) return encode_answer(sw3::kOk);
  if (command == kReadSamId) return encode_answer(sw3::kOk, kSamIdBytes);
  if (command == kFindCard) {
    const std::uint8_t found[4] = {0, 0, 0, 0};
    return text_photo_ ? encode_answer(sw3::kFindOk, found) : encode_answer(sw3::kNoCard);
  }
  if (command == kSelectCard) {
    const std::uint8_t selected[8] = {};
    return text_photo_ ? encode_answer(sw3::kOk, selected) : encode_answer(sw3::kSelectFailed);
  }
  if (command == kReadTextPhoto) {
    if (!text_photo_) return encode_answer(sw3::kReadFailed);
    if (unknown_card_) return encode_answer(sw3::kUnknownCard);
    return encode_answer(sw3::kOk, *text_photo_);
  }
  // 30 10 included: this module reads no fingerprints and says so as such modules do.
  return encode_answer(sw3::kBadCommand);
}

std::optional<Fault> SamEmulator::take_fault(Command command) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    const bool read = command == kReadTextPhoto;
    if ((it->fault == Fault::pull || it->target == FaultTarget::next_read) && !read) continue;
    const Fault fault = it->fault;
    pending_.erase(it);
    return fault;
  }
  return std::nullopt;
}

std::vector<EmulatorOutput> SamEmulator::deliver(Command command, Bytes answer) {
  std::vector<EmulatorOutput> outputs;
  if (late_) {
    // A late_duplicate copy of an earlier answer goes out just before this command's own answer.
    outputs.push_back({std::move(*late_), milliseconds{0}});
    late_.reset();
    record("late answer replayed");
  }
  const auto fault = take_fault(command);
  if (!fault) {
    outputs.push_back({std::move(answer), milliseconds{0}});
    return outputs;
  }
  record(std::string("fault ") + to_string(*fault));
  switch (*fault) {
    case Fault::checksum:
      answer.back() ^= 0x5A;
      outputs.push_back({std::move(answer), milliseconds{0}});
      break;
    case Fault::garbage:
      outputs.push_back({Bytes(std::begin(kGarbage), std::end(kGarbage)), milliseconds{0}});
      outputs.push_back({std::move(answer), milliseconds{0}});
      break;
    case Fault::split:
      for (std::size_t at = 0, i = 0; at < answer.size(); ++i) {
        const std::size_t size = std::min(kSplitSizes[i % std::size(kSplitSizes)], answer.size() - at);
        outputs.push_back({Bytes(answer.begin() + static_cast<std::ptrdiff_t>(at),
                                 answer.begin() + static_cast<std::ptrdiff_t>(at + size)),
                           milliseconds{1}});
        at += size;
      }
      break;
    case Fault::pull:
      answer.resize(answer.size() / 2);
      outputs.push_back({std::move(answer), milliseconds{0}});
      if (text_photo_) secure_clear(text_photo_->data(), text_photo_->size());
      text_photo_.reset();
      record("card removed");
      break;
    case Fault::no_answer: break;
    case Fault::duplicate:
      outputs.push_back({answer, milliseconds{0}});
      outputs.push_back({std::move(answer), milliseconds{0}});
      break;
    case Fault::late_duplicate:
      late_ = answer;
      outputs.push_back({std::move(answer), milliseconds{0}});
      break;
    case Fault::unknown_card:
    case Fault::sam_fail: break;  // switches, never pending
  }
  return outputs;
}

}  // namespace kiosk::devices::idcard
