// Fuzz target: every parser of the platform's answers (kiosk/platform/messages.h), the error body
// and Retry-After. The first byte picks the parser so one corpus covers them all.
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/platform/http_client.h"
#include "kiosk/platform/messages.h"

using namespace kiosk::platform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 12) {
    case 0: (void)parse_submit_answer(text, "case_number"); break;
    case 1: (void)parse_heartbeat_answer(text); break;
    case 2: (void)parse_verify_answer(text); break;
    case 3: (void)parse_case(text); break;
    case 4: (void)parse_case_list(text); break;
    case 5: (void)parse_ticket(text); break;
    case 6: (void)parse_licence_list(text); break;
    case 7: (void)parse_licence_document(text); break;
    case 8: (void)parse_issuers(text); break;
    case 9: {
      auto decoded = base64_decode(text);
      if (decoded.ok() && base64_encode(decoded.value()).size() != text.size()) __builtin_trap();
      break;
    }
    case 10: (void)error_from_answer(503, text, nullptr); break;
    case 11: (void)parse_retry_after(text, 1700000000); break;
  }
  return 0;
}
