#pragma once
// Shared by the receipt and ESC/POS tests: one glyph atlas, a typical case receipt, reading a QR
// code back from a PNG with zbarimg (Debian zbar-tools, the "test" group of tools/install-deps),
// and counting ink on a raster page.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "hal/receipt_printer.h"
#include "kiosk/receipt/raster_image.h"
#include "kiosk/receipt/receipt_layout.h"
#include "kiosk/ui/geometry.h"
#include "kiosk/ui/glyph_atlas.h"
#include "kiosk/ui/png.h"

namespace kiosk::receipt::testing_support {

inline ui::GlyphAtlas& shared_atlas() {
  static std::unique_ptr<ui::GlyphAtlas> atlas = [] {
    auto created = ui::GlyphAtlas::create(ui::default_regular_font(), ui::default_bold_font());
    if (!created.ok()) ADD_FAILURE() << created.error().message;
    return created.ok() ? created.release_value() : nullptr;
  }();
  return *atlas;
}

inline Receipt case_receipt(const std::string& case_number = "LZ20261125-000123") {
  Receipt receipt;
  receipt.title = "受理回执";
  receipt.subtitle = "泸州市政务服务中心";
  receipt.fields = {{"办件编号", case_number},
                    {"事项名称", "城乡居民基本养老保险参保登记（含户籍迁移后的关系转续）"},
                    {"受理时间", "2026-11-25 10:42"},
                    {"承诺时限", "5个工作日"}};
  receipt.qr_payload = case_number;
  receipt.qr_caption = "扫码查询办理进度";
  receipt.footer = {"咨询电话 0830-12345", "监督投诉 12345"};
  return receipt;
}

// A fresh directory under the system temp dir, removed with the object.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kiosk-receipt-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data()) ? std::filesystem::path(pattern) : std::filesystem::path();
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// What zbarimg reads from the image (the raw payload of the one code in it), or "zbarimg: …" when
// it cannot run or finds nothing.
inline std::string scan_qr(const std::filesystem::path& png) {
  const std::string command = "zbarimg -q --raw '" + png.string() + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "zbarimg: cannot start";
  std::string output;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return "zbarimg: not installed (tools/install-deps test)";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "zbarimg: no code found (exit " + std::to_string(WEXITSTATUS(status)) + ")";
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

// Saves `page` as a PNG (one pixel per dot) and scans it.
inline std::string scan_qr(const hal::RasterPage& page, const std::filesystem::path& directory) {
  const auto png = directory / "page.png";
  auto saved = ui::save_png(raster_to_canvas(page), png);
  if (!saved.ok()) return "save: " + saved.error().message;
  return scan_qr(png);
}

// Black dots in `area` (clipped to the page).
inline int ink(const hal::RasterPage& page, ui::Rect area) {
  const ui::Rect clipped = area.intersect({0, 0, page.width_dots, page.height});
  int count = 0;
  for (int y = clipped.y; y < clipped.bottom(); ++y) {
    for (int x = clipped.x; x < clipped.right(); ++x) count += page.black(x, y) ? 1 : 0;
  }
  return count;
}

}  // namespace kiosk::receipt::testing_support
