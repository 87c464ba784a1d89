#pragma once
// Printing a slip on the receipt printer from any screen (case receipts, reprints from the progress
// query, queue tickets), and showing its QR code on screen. Layout and printing run on the worker
// with the receipt fonts (Services::receipt_atlas), never on the UI thread.

#include <functional>
#include <memory>
#include <string>

#include "kiosk/app/screen.h"
#include "kiosk/core/cancel.h"
#include "kiosk/receipt/receipt_layout.h"

namespace screens {

// Lays `slip` out and prints it; then `done` runs on the UI thread with an empty string when it
// printed, or a plain-language reason (paper out, cover open, no printer …) when it did not. The
// caller guards `done` against its screen being gone (a weak_ptr), as with run_in_background.
void print_receipt(kiosk::AppContext& app, kiosk::receipt::Receipt slip, kiosk::CancelToken cancel,
                   std::function<void(const std::string& failure)> done);

// The slip's QR code on screen (id "receipt-qr") with `caption` under it, a third of the panel wide.
void add_qr_view(kiosk::AppContext& app, kiosk::ui::Column& page, const std::string& payload, const std::string& caption);

}  // namespace screens
