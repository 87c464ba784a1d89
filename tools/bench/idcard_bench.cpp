// Benchmark: the decode cost of one ID card read — a full read text+photo answer frame (1 295
// bytes) through the frame parser, the answer decoder and the text decoder, as the driver does it.
// Prints ns per decode, best of several runs. Run: build/tools/bench/idcard_bench
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "devices/idcard/emulator.h"
#include "devices/idcard/id_text.h"
#include "devices/idcard/sam_frame.h"

using namespace kiosk::devices::idcard;

namespace {

// A fictional card (valid check digit), encoded as a reader would send it.
Bytes read_answer_frame() {
  kiosk::hal::IdentityCard card;
  card.name = "阿合木呷";
  card.sex = "男";
  card.nation = "彝";
  card.birth_date = "19681225";
  card.address = "四川省凉山彝族自治州昭觉县新城镇解放路9号";
  card.id_number = "51343119681225031X";
  card.authority = "昭觉县公安局";
  card.valid_from = "20180309";
  card.valid_until = "20380309";
  auto text = encode_text(card);
  if (!text.ok()) return {};
  return encode_answer(sw3::kOk, encode_text_photo(*text, SamEmulator::photo_for(card)));
}

// One decode: parse the frame (in 64-byte reads, as a UART delivers it), decode the answer and text.
bool decode_once(const Bytes& frame, FrameParser& parser) {
  parser.reset();
  std::optional<kiosk::Result<Bytes, FrameError>> body;
  for (std::size_t at = 0; at < frame.size() && !body; at += 64) {
    parser.feed(std::span(frame).subspan(at, std::min<std::size_t>(64, frame.size() - at)));
    body = parser.next();
  }
  if (!body || !body->ok()) return false;
  auto answer = decode_answer(body->value());
  if (!answer.ok()) return false;
  auto card = decode_text_photo(answer->data);
  return card.ok() && card->photo.size() == kPhotoSize;
}

}  // namespace

int main() {
  const Bytes frame = read_answer_frame();
  FrameParser parser;
  if (!decode_once(frame, parser)) {
    std::fprintf(stderr, "idcard_bench: the sample frame did not decode\n");
    return 1;
  }
  constexpr int kRuns = 7;
  constexpr int kIterations = 2000;
  double best = 1e30;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = std::chrono::steady_clock::now();
    int decoded = 0;
    for (int i = 0; i < kIterations; ++i) decoded += decode_once(frame, parser) ? 1 : 0;
    const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
    if (decoded != kIterations) return 1;
    best = std::min(best, elapsed.count() / kIterations);
  }
  std::printf("idcard_bench: read text+photo answer (%zu bytes): parse + decode %.0f ns per card (best of %d runs "
              "of %d)\n",
              frame.size(), best, kRuns, kIterations);
  return 0;
}
