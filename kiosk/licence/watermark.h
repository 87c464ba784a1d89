#pragma once
// The government-use watermark of a printed licence (DOMAIN.md: "此件由××机构提供，仅供办理政务服务
// 事项时使用，有效期至…"): every page of the verified PDF is drawn again, as vectors, onto a new PDF
// (poppler onto a cairo PDF surface, so the licence's text stays text), with the platform's
// watermark text over it twice — one legible line across the top margin and faint diagonal rows
// over the whole page, so no part of the page can be cut off without it. Noto Sans CJK SC.
//
// CPU work of a few tens of milliseconds a page: run it on a worker. The result is personal data
// (the licence): wipe it once printed.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kiosk/core/cancel.h"
#include "kiosk/licence/licence_error.h"
#include "kiosk/licence/pdf_document.h"

namespace kiosk::licence {

// Errors: malformed (empty watermark, or one over 500 bytes), cancelled (checked between pages),
// render (poppler or cairo failed).
LicenceResult<std::vector<std::uint8_t>> stamp_watermark(const PdfDocument& document, std::string_view watermark,
                                                         const CancelToken& cancel);
// The same from PDF bytes (opened first: too_large and malformed as PdfDocument::open).
LicenceResult<std::vector<std::uint8_t>> stamp_watermark(std::span<const std::uint8_t> pdf, std::string_view watermark,
                                                         const CancelToken& cancel);

}  // namespace kiosk::licence
