// Fuzz target: the ID card text block and read answer data (devices/idcard/id_text.h). A block
// that decodes must encode back and decode to the same fields.
#include <cstdint>
#include <span>

#include "devices/idcard/id_text.h"

using namespace kiosk::devices::idcard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  auto card = size == kTextBlockSize ? decode_text(input) : decode_text_photo(input);
  if (!card.ok()) return 0;
  auto block = encode_text(*card);
  if (!block.ok()) __builtin_trap();
  auto again = decode_text(*block);
  if (!again.ok() || again->name != card->name || again->address != card->address ||
      again->id_number != card->id_number || again->nation != card->nation || again->valid_until != card->valid_until) {
    __builtin_trap();
  }
  card->wipe();
  again->wipe();
  return 0;
}
