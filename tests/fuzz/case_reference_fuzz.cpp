// Fuzz target: case and receipt numbers as typed or read from a QR code, and the platform's case
// answers as the progress query reads them (kiosk/platform/progress.h).
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/platform/progress.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiosk::platform;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A number that passes goes into a request path: it must be short, of [A-Z0-9-] only, and
  // canonical (normalising it again changes nothing).
  if (auto reference = normalize_case_reference(text)) {
    if (reference->size() < 4 || reference->size() > kMaxCaseReference) __builtin_trap();
    for (const char c : *reference) {
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) __builtin_trap();
    }
    if (normalize_case_reference(*reference) != reference) __builtin_trap();
  }
  HttpResponse response;
  response.status = 200;
  response.body = std::string(text);
  const ProgressAnswer one = read_case_answer(response);
  const ProgressAnswer list = read_case_list_answer(response);
  // Found or a bad answer, nothing else; a found case has its number.
  for (const ProgressAnswer* answer : {&one, &list}) {
    if (answer->kind != ProgressAnswer::Kind::found && answer->kind != ProgressAnswer::Kind::bad_answer) __builtin_trap();
    for (const CaseInfo& info : answer->cases) {
      if (info.case_number.empty()) __builtin_trap();
    }
  }
  if (one.kind == ProgressAnswer::Kind::found && one.cases.size() != 1) __builtin_trap();
  return 0;
}
