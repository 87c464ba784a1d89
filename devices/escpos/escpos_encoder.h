#pragma once
// ESC/POS command bytes for printing our raster receipts: ESC @ (initialise), GS v 0 (raster bit
// image) in bands, ESC J (feed) and GS V 66 (feed to the cutter and cut). Only these commands are
// sent: text, code pages and the printers' own QR functions are never used (see receipt_layout.h).

#include <cstdint>
#include <vector>

#include "hal/receipt_printer.h"

namespace kiosk::devices::escpos {

using Bytes = std::vector<std::uint8_t>;

// Rows per GS v 0 band. 128 rows at 80 mm are 9 KB: at 150–250 mm/s that is 16 mm of paper, about
// 0.1 s of printing, so between two bands the driver looks at the cancel token and the deadline
// about every 100 ms even when the printer's buffer is full and writes wait for the head. Bands
// that size are far below the ≤ 960-row limit some firmware has, keep the head streaming (the
// 8-byte header is 0.1 % overhead), and bound how much of a cancelled receipt still comes out.
inline constexpr int kBandRows = 128;

// Extra feed after the last row before the cut (GS V 66 n feeds to the cutter plus n dots).
inline constexpr int kCutFeedDots = 0;

Bytes encode_initialize();                                                // 1B 40
// GS v 0 0 xL xH yL yH d…: `rows` rows of `page` from `first_row`. rows in 1..65535.
Bytes encode_raster_band(const hal::RasterPage& page, int first_row, int rows);
Bytes encode_feed(int dots);                                              // ESC J n, split at 255
Bytes encode_cut(int feed_dots = kCutFeedDots);                           // 1D 56 42 n (partial cut)

// The job as the chunks the driver sends one by one: initialise, the bands, then the cut when
// job.cut. The page must be valid().
std::vector<Bytes> encode_job(const hal::ReceiptJob& job, int band_rows = kBandRows);

// Printers execute real-time commands (DLE EOT 10 04, DLE ENQ 10 05, DLE DC4 10 14 — the last
// one can pulse a cash drawer or clear the buffer) wherever they appear in the byte stream, image
// data included. This clears the single dot of each 0x10 data byte that is followed by 04, 05 or
// 14, so no band can hold such a sequence; one isolated dot is invisible on paper. Returns the
// number of bytes changed.
int escape_realtime_sequences(hal::RasterPage& page);

// True when `data` contains 10 04, 10 05 or 10 14 anywhere.
bool contains_realtime_sequence(const std::vector<std::uint8_t>& data);

}  // namespace kiosk::devices::escpos
