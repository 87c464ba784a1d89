// Fuzz target: the control socket's request line (kiosk/ops/control_protocol.h), written by any
// peer allowed on the socket, and the answer line kioskctl reads back.
#include <cstdint>
#include <string_view>

#include "kiosk/ops/control_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto request = kiosk::ops::parse_control_request(text);
  if (request.ok()) {
    // What parses must survive the client's own encoding unchanged.
    const auto line = kiosk::ops::control_request_line(request.value());
    auto again = kiosk::ops::parse_control_request(std::string_view(line).substr(0, line.size() - 1));
    if (!again.ok() || again.value().command != request.value().command || again.value().limit != request.value().limit ||
        again.value().force != request.value().force || again.value().dir != request.value().dir) {
      __builtin_trap();
    }
    if (request.value().limit < 1 || request.value().limit > kiosk::ops::kMaxLogLines) __builtin_trap();
  }
  auto answer = kiosk::ops::parse_control_answer(text);
  if (!answer.ok() && answer.error().message.empty()) __builtin_trap();
  return 0;
}
