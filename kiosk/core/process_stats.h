#pragma once
// Memory figures of this process from /proc, for the benchmark and (later) metrics.

namespace kiosk {

struct MemoryStats {
  long pss_kib = -1;       // proportional set size now (/proc/self/smaps_rollup)
  long peak_rss_kib = -1;  // VmHWM (/proc/self/status)
};

MemoryStats read_memory_stats();

}  // namespace kiosk
