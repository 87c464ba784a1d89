#pragma once
// Decodes a captured ESC/POS byte stream (what a driver sent to a printer) back into what the paper
// would show: raster pages split at cuts, with feeds as blank rows. Used by escpos2png and by the
// tests, which assert on the paper rather than on bytes. Outside data: never crashes, never reads
// past the end; truncated commands are an error with their offset, commands it does not know are
// reported and skipped.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "hal/receipt_printer.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::escpos {

struct CutMark {
  int page = -1;          // index of the page this cut ended; -1 when nothing was printed since the last cut
  bool partial = false;   // GS V 1/49/66: a tab of paper is left so the receipt does not fall
  std::size_t offset = 0; // of the GS V command in the capture
};

struct UnknownCommand {
  std::size_t offset = 0;
  std::string what;  // "ESC 0x74 (not decoded)", "text of 12 bytes (not rendered)"
};

struct DecodedCapture {
  std::vector<hal::RasterPage> pages;  // each ends at a cut or at the end of the capture
  std::vector<CutMark> cuts;
  std::vector<int> status_queries;     // n of every DLE EOT n, in order
  int initializations = 0;             // ESC @
  std::vector<UnknownCommand> unknown;  // the first kMaxReportedUnknown
  std::size_t unknown_count = 0;

  // True when the last page was ended by a cut (data after it printed nothing).
  bool ends_with_cut() const;
};

inline constexpr std::size_t kMaxReportedUnknown = 64;
inline constexpr int kMaxPageRows = 100'000;     // 12.5 m of paper at 8 dots/mm: no receipt is longer
inline constexpr std::size_t kMaxRasterBytes = std::size_t{64} << 20;  // all pages of one capture
inline constexpr int kDefaultLineSpacing = 30;   // dots per LF until ESC 3 n (ESC 2 restores it)

// Errors (ErrorKind::parse): a truncated command ("GS v 0 at offset 1234: truncated (needs 9216
// data bytes, 100 left)"), a page longer than kMaxPageRows, more than kMaxRasterBytes in all.
Result<DecodedCapture> decode_capture(std::span<const std::uint8_t> bytes);

}  // namespace kiosk::devices::escpos
