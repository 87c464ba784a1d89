// Fuzz target: status bytes a printer answers to DLE EOT 1–4 (devices/escpos/escpos_status). Each
// input byte is the answer to the next query in turn; a byte failing the mask must be refused and
// change nothing, and the mapped status must agree with the job refusal.
#include <cstdint>

#include "devices/escpos/escpos_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiosk::devices::escpos;
  PrinterStatus status;
  for (size_t i = 0; i < size; ++i) {
    const StatusQuery query = kAllStatusQueries[i % kAllStatusQueries.size()];
    const PrinterStatus before = status;
    const auto applied = apply_status_byte(query, data[i], status);
    if (applied.ok() != passes_status_mask(data[i])) __builtin_trap();
    if (!applied.ok() && !(status == before)) __builtin_trap();
  }
  const kiosk::hal::DeviceStatus device = to_device_status(status);
  const bool refused = job_refusal(status).has_value();
  // A printer that takes jobs is online; one that refuses them is not.
  if (refused == (device.state == kiosk::hal::DeviceState::online)) __builtin_trap();
  return 0;
}
