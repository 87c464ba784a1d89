#pragma once
// Between 1-bit raster pages (what a printer prints) and ARGB canvases (what we draw on and save
// as PNG): thresholding a drawn receipt, and showing printed paper as an image for people and tests.

#include "hal/receipt_printer.h"
#include "kiosk/ui/canvas.h"

namespace kiosk::receipt {

// Pixels darker than `threshold` (0–255, by luminance) become black dots. The canvas width must be
// a multiple of 8.
hal::RasterPage threshold_canvas(const ui::Canvas& canvas, int threshold);

// Black dots on white, one pixel per dot.
ui::Canvas raster_to_canvas(const hal::RasterPage& page);

}  // namespace kiosk::receipt
