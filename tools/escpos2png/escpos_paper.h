#pragma once
// Captured ESC/POS bytes → a PNG of the paper, shared by escpos2png and `kioskctl device
// escpos2png`: black dots on white, one pixel per dot, pages stacked top to bottom, and below each
// page a band showing how it ended (a red dashed line for a cut, dashes short for a partial cut;
// grey for no cut).

#include <filesystem>

#include "devices/escpos/escpos_decoder.h"
#include "kiosk/core/result.h"
#include "kiosk/ui/canvas.h"

namespace kiosk::devices::escpos {

inline constexpr int kPaperSeparatorRows = 12;

// Reads and decodes a capture file. Errors: io ("cannot read …"), parse (the decoder's, with the
// offset of a truncated command).
Result<DecodedCapture> read_capture(const std::filesystem::path& path);

ui::Canvas paper_image(const DecodedCapture& capture);

// Writes paper_image(capture) as a PNG. Errors: parse ("no page printed (2 status queries, 0
// unknown commands)") when the capture printed nothing, io when the PNG cannot be written.
Status write_paper_png(const DecodedCapture& capture, const std::filesystem::path& png);

}  // namespace kiosk::devices::escpos
