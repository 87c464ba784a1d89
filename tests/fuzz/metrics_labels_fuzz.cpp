// Fuzz target: label values reaching the metrics registry (kiosk/ops/metrics.h). Whatever the
// bytes, nothing crashes, and a value with a run of 9+ digits or a byte outside [A-Za-z0-9_.:-]
// never reaches the rendered text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kiosk/ops/metrics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  // The first byte picks the label name's length, the rest is split into name and value.
  const std::size_t name_length = size == 0 ? 0 : data[0] % 16;
  const std::string label = input.substr(size == 0 ? 0 : 1, name_length);
  const std::string value = input.size() > 1 + name_length ? input.substr(1 + name_length) : "";
  kiosk::ops::Metrics metrics;
  if (!kiosk::ops::describe_kiosk_metrics(metrics).ok()) __builtin_trap();
  const bool taken = metrics.add(kiosk::ops::metric::kSessions, {{label, value}});
  metrics.observe(kiosk::ops::metric::kFrameTime, {{label, value}}, 0.01);
  const std::string text = metrics.render();
  std::size_t run = 0;
  for (const char c : value) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                         c == '.' || c == ':' || c == '-';
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (taken && (!allowed || run >= 9 || value.size() > 64)) __builtin_trap();
  }
  if (!taken && !value.empty() && text.find("\"" + value + "\"") != std::string::npos) __builtin_trap();
  return 0;
}
