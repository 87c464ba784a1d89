// Receipt benchmark (not a test): the time from a receipt description to the ESC/POS bytes the
// printer gets — layout with our CJK text stack, rasterise, threshold to 1 bit, encode GS v 0
// bands and the cut — for a typical case receipt (case number, item, time, promised days, QR of
// the case number, hotline). "cold" includes opening the fonts and rasterising every glyph into a
// fresh atlas (the first receipt after start); "warm" reuses the atlas (every later receipt).
// Prints "name value" lines like kiosk_bench. Target: ≤ 20 ms warm.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "devices/escpos/escpos_encoder.h"
#include "kiosk/receipt/receipt_layout.h"
#include "kiosk/ui/glyph_atlas.h"

namespace {

using namespace kiosk;
using Clock = std::chrono::steady_clock;

receipt::Receipt typical_receipt() {
  receipt::Receipt r;
  r.title = "受理回执";
  r.subtitle = "泸州市政务服务中心";
  r.fields = {{"办件编号", "LZ20261125-000123"},
              {"事项名称", "城乡居民基本养老保险参保登记（含户籍迁移后的关系转续）"},
              {"受理时间", "2026-11-25 10:42"},
              {"承诺时限", "5个工作日"},
              {"取件方式", "邮寄送达"}};
  r.qr_payload = "LZ20261125-000123";
  r.qr_caption = "扫码查询办理进度";
  r.footer = {"咨询电话 0830-12345", "监督投诉 12345"};
  return r;
}

// Layout + raster + encoding; returns the bytes' size so nothing is optimised away.
std::size_t one_receipt(ui::GlyphAtlas& atlas, const receipt::Receipt& description) {
  auto rendered = receipt::render_receipt(atlas, description, 576);
  if (!rendered.ok()) {
    std::fprintf(stderr, "receipt_bench: %s\n", rendered.error().message.c_str());
    std::exit(1);
  }
  hal::ReceiptJob job{std::move(rendered.value().page), true};
  devices::escpos::escape_realtime_sequences(job.page);
  std::size_t bytes = 0;
  for (const auto& chunk : devices::escpos::encode_job(job)) bytes += chunk.size();
  return bytes;
}

double since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

std::unique_ptr<ui::GlyphAtlas> new_atlas() {
  auto atlas = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
  if (!atlas.ok()) {
    std::fprintf(stderr, "receipt_bench: %s\n", atlas.error().message.c_str());
    std::exit(1);
  }
  return atlas.release_value();
}

}  // namespace

int main() {
  const receipt::Receipt description = typical_receipt();
  constexpr int kColdRuns = 5, kWarmRuns = 50;
  std::vector<double> cold, warm;
  std::size_t bytes = 0;
  for (int i = 0; i < kColdRuns; ++i) {
    const auto start = Clock::now();
    auto atlas = new_atlas();
    bytes = one_receipt(*atlas, description);
    cold.push_back(since(start));
  }
  auto atlas = new_atlas();
  one_receipt(*atlas, description);
  for (int i = 0; i < kWarmRuns; ++i) {
    const auto start = Clock::now();
    bytes = one_receipt(*atlas, description);
    warm.push_back(since(start));
  }
  std::sort(cold.begin(), cold.end());
  std::sort(warm.begin(), warm.end());
  std::printf("receipt_bytes %zu\n", bytes);
  std::printf("receipt_cold_best_ms %.3f\n", cold.front());
  std::printf("receipt_cold_median_ms %.3f\n", cold[cold.size() / 2]);
  std::printf("receipt_warm_best_ms %.3f\n", warm.front());
  std::printf("receipt_warm_median_ms %.3f\n", warm[warm.size() / 2]);
  return 0;
}
