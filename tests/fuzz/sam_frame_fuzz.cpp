// Fuzz target: the SAM frame parser (devices/idcard/sam_frame.h) fed the input in chunks whose
// sizes come from the input itself, as a serial port delivers them; every frame it yields is
// decoded as an answer and a command, checked against each command's answer shape, and read
// answers decoded as card text and photo.
#include <cstdint>
#include <span>

#include "devices/idcard/id_text.h"
#include "devices/idcard/sam_frame.h"

using namespace kiosk::devices::idcard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;  // first byte: the chunk size
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  FrameParser parser;
  FrameParser commands(3);
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    const auto piece = stream.subspan(at, std::min(chunk, stream.size() - at));
    parser.feed(piece);
    commands.feed(piece);
    while (auto frame = parser.next()) {
      if (!frame->ok()) continue;
      auto answer = decode_answer(frame->value());
      if (!answer.ok()) continue;
      (void)sw3_meaning(answer->status);
      for (Command command : {kSamStatus, kReadSamId, kFindCard, kSelectCard, kReadTextPhoto}) {
        (void)answer_fits(command, *answer);
      }
      (void)decode_sam_id(answer->data);
      auto card = decode_text_photo(answer->data);
      if (card.ok()) card->wipe();
    }
    while (auto frame = commands.next()) {
      if (frame->ok()) (void)decode_command(frame->value());
    }
    // The parser never holds more than one frame's worth of bytes.
    if (parser.frame_bytes_received() > kHeaderSize + kMaxFrameLength) __builtin_trap();
  }
  return 0;
}
