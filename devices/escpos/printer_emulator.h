#pragma once
// An ESC/POS printer for tests (test support: only tests and tools link it). EmulatedPrinter is
// the printer's logic: it keeps every byte the host sent and answers each DLE EOT n from a state
// with fault switches. Like many real printers it acts on 10 04 n wherever it appears, image data
// included — which is why the driver escapes those bytes in rasters. PtyPrinterEmulator puts it
// behind a pseudo-terminal, so the real serial transport and driver run against it; it can vanish
// (mid-job, too) and come back behind the same path. The USB twin lives in the umockdev test.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "hal/device.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::escpos {

struct EmulatorState {
  bool paper_near_end = false;
  bool paper_out = false;
  bool cover_open = false;
  bool cutter_error = false;
  bool unrecoverable_error = false;
  bool auto_recoverable_error = false;
  bool offline = false;           // offline for another reason (the others imply it, as on real printers)
  bool garbage_status = false;    // answers 0xFF, which fails the fixed bits 0xx1xx10
  bool no_answer = false;         // ignores status queries
};

// The byte a printer in `state` answers to DLE EOT n (n = 1…4), or nothing.
std::optional<std::uint8_t> status_answer(const EmulatorState& state, int n);

// Thread-safe.
class EmulatedPrinter {
 public:
  void set_state(const EmulatorState& state);
  EmulatorState state() const;

  // Takes bytes the host wrote; returns the answers to send back.
  std::vector<std::uint8_t> receive(std::span<const std::uint8_t> bytes);

  std::vector<std::uint8_t> captured() const;
  std::size_t captured_size() const;
  std::vector<int> status_queries() const;  // n of every DLE EOT seen, in order
  void clear();
  // Waits until at least `size` bytes were captured (false on timeout).
  bool wait_for_captured(std::size_t size, hal::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable grew_;
  EmulatorState state_;
  std::vector<std::uint8_t> captured_;
  std::vector<int> queries_;
};

class PtyPrinterEmulator {
 public:
  static Result<std::unique_ptr<PtyPrinterEmulator>> create();
  ~PtyPrinterEmulator();
  PtyPrinterEmulator(const PtyPrinterEmulator&) = delete;
  PtyPrinterEmulator& operator=(const PtyPrinterEmulator&) = delete;

  // A symlink to the current pty: what the driver opens. Removed while vanished; the same path
  // again after reappear().
  const std::filesystem::path& path() const { return link_; }
  EmulatedPrinter& printer() { return printer_; }

  // Closes the pty now: the driver sees a hang-up.
  void vanish();
  // Closes the pty once `captured_size` bytes were captured in all (and reads nothing more).
  void vanish_after(std::size_t captured_size);
  bool present() const;
  // Takes data no faster than a printer prints (0: as fast as it comes).
  void set_bytes_per_second(std::size_t rate);
  // A new pty behind path().
  Status reappear();

 private:
  PtyPrinterEmulator(std::filesystem::path directory);
  Status open_pty();
  void run();
  void close_master_locked();

  std::filesystem::path directory_;
  std::filesystem::path link_;
  EmulatedPrinter printer_;

  mutable std::mutex mutex_;
  std::condition_variable closed_;
  int master_ = -1;
  bool close_requested_ = false;
  std::size_t vanish_at_ = 0;  // 0: never
  std::size_t bytes_per_second_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace kiosk::devices::escpos
