#include "devices/escpos/escpos_decoder.h"

#include <algorithm>
#include <cstdio>

namespace kiosk::devices::escpos {
namespace {

constexpr std::uint8_t kLf = 0x0A, kCr = 0x0D, kDle = 0x10, kEsc = 0x1B, kFs = 0x1C, kGs = 0x1D;

std::string hex(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", static_cast<unsigned>(byte));
  return text;
}

// Rows of the page being printed; blank (fed) rows are empty vectors. Bounds what a capture can
// make us allocate: kMaxPageRows per page, kMaxRasterBytes for all pages together.
class PageBuilder {
 public:
  Status add_blank(int rows, std::size_t offset) {
    TRY_STATUS(check(static_cast<std::size_t>(rows), 0, offset));
    rows_.resize(rows_.size() + static_cast<std::size_t>(rows));
    return {};
  }
  Status add_row(std::vector<std::uint8_t> row, std::size_t offset) {
    TRY_STATUS(check(1, row.size(), offset));
    width_bytes_ = std::max(width_bytes_, row.size());
    rows_.push_back(std::move(row));
    return {};
  }
  bool has_ink() const { return width_bytes_ > 0; }
  // The finished page: as wide as its widest band, narrower rows padded white on the right (as a
  // printer prints a narrow image at the left margin).
  hal::RasterPage finish() {
    hal::RasterPage page;
    page.width_dots = static_cast<int>(width_bytes_ * 8);
    page.height = static_cast<int>(rows_.size());
    page.bits.assign(width_bytes_ * rows_.size(), 0);
    for (std::size_t y = 0; y < rows_.size(); ++y) {
      std::copy(rows_[y].begin(), rows_[y].end(), page.bits.begin() + static_cast<std::ptrdiff_t>(y * width_bytes_));
    }
    finished_bytes_ += page.bits.size();
    discard();
    return page;
  }
  void discard() {
    rows_.clear();
    width_bytes_ = 0;
  }

 private:
  Status check(std::size_t more_rows, std::size_t row_bytes, std::size_t offset) const {
    const std::size_t rows = rows_.size() + more_rows;
    if (rows > static_cast<std::size_t>(kMaxPageRows)) {
      return Error::make(ErrorKind::parse, "page longer than " + std::to_string(kMaxPageRows) + " rows at offset " +
                                               std::to_string(offset));
    }
    if (finished_bytes_ + rows * std::max(width_bytes_, row_bytes) > kMaxRasterBytes) {
      return Error::make(ErrorKind::parse, "capture decodes to more than " + std::to_string(kMaxRasterBytes >> 20) +
                                               " MiB of raster at offset " + std::to_string(offset));
    }
    return {};
  }
  std::vector<std::vector<std::uint8_t>> rows_;
  std::size_t width_bytes_ = 0;
  std::size_t finished_bytes_ = 0;
};

// Doubles every dot of a row horizontally (GS v 0 modes 1 and 3).
std::vector<std::uint8_t> double_width(const std::uint8_t* row, std::size_t width_bytes) {
  std::vector<std::uint8_t> out(width_bytes * 2, 0);
  for (std::size_t x = 0; x < width_bytes * 8; ++x) {
    if (((row[x / 8] >> (7 - x % 8)) & 1u) == 0) continue;
    for (std::size_t copy = 0; copy < 2; ++copy) {
      const std::size_t target = x * 2 + copy;
      out[target / 8] = static_cast<std::uint8_t>(out[target / 8] | (0x80u >> (target % 8)));
    }
  }
  return out;
}

class Decoder {
 public:
  explicit Decoder(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  Result<DecodedCapture> run() {
    while (position_ < bytes_.size()) TRY_STATUS(step());
    if (page_.has_ink()) result_.pages.push_back(page_.finish());
    return std::move(result_);
  }

 private:
  std::size_t left() const { return bytes_.size() - position_; }
  std::uint8_t at(std::size_t index) const { return bytes_[position_ + index]; }

  Status need(std::size_t count, const char* command) const {
    if (left() >= count) return {};
    return Error::make(ErrorKind::parse, std::string(command) + " at offset " + std::to_string(position_) +
                                             ": truncated (needs " + std::to_string(count) + " bytes, " +
                                             std::to_string(left()) + " left)");
  }

  void report(std::size_t offset, std::string what) {
    ++result_.unknown_count;
    if (result_.unknown.size() < kMaxReportedUnknown) result_.unknown.push_back({offset, std::move(what)});
  }

  Status step() {
    switch (at(0)) {
      case kEsc: return escape();
      case kGs: return group_separator();
      case kDle: return data_link_escape();
      case kFs: return file_separator();
      case kLf:
        ++position_;
        return page_.add_blank(line_spacing_, position_ - 1);
      case kCr:
        ++position_;  // carriage return alone moves no paper
        return {};
      default: return text();
    }
  }

  Status escape() {
    TRY_STATUS(need(2, "ESC"));
    const std::size_t offset = position_;
    switch (at(1)) {
      case '@':
        ++result_.initializations;
        line_spacing_ = kDefaultLineSpacing;
        position_ += 2;
        return {};
      case '2':
        line_spacing_ = kDefaultLineSpacing;
        position_ += 2;
        return {};
      case '3':
        TRY_STATUS(need(3, "ESC 3"));
        line_spacing_ = at(2);
        position_ += 3;
        return {};
      case 'J':
        TRY_STATUS(need(3, "ESC J"));
        position_ += 3;
        return page_.add_blank(bytes_[position_ - 1], offset);
      case 'd':
        TRY_STATUS(need(3, "ESC d"));
        position_ += 3;
        return page_.add_blank(bytes_[position_ - 1] * line_spacing_, offset);
      case 'a': case 'E': case '!': case '-': case 'M': case 't': case 'R': case ' ': case 'G': case '{':
        // One-parameter text settings: they change nothing in a raster.
        TRY_STATUS(need(3, "ESC"));
        report(offset, "ESC " + hex(at(1)) + " (text setting, ignored)");
        position_ += 3;
        return {};
      default:
        report(offset, "ESC " + hex(at(1)) + " (not decoded)");
        position_ += 2;
        return {};
    }
  }

  Status group_separator() {
    TRY_STATUS(need(2, "GS"));
    switch (at(1)) {
      case 'v': return raster();
      case 'V': return cut();
      case '(': return skip_with_length("GS (");
      default:
        report(position_, "GS " + hex(at(1)) + " (not decoded)");
        position_ += 2;
        return {};
    }
  }

  Status file_separator() {
    TRY_STATUS(need(2, "FS"));
    if (at(1) == '(') return skip_with_length("FS (");
    report(position_, "FS " + hex(at(1)) + " (not decoded)");
    position_ += 2;
    return {};
  }

  // GS ( x pL pH … and FS ( x pL pH …: functions with a length (printer-side QR codes, settings).
  Status skip_with_length(const char* command) {
    TRY_STATUS(need(5, command));
    const std::size_t length = at(3) | (static_cast<std::size_t>(at(4)) << 8);
    TRY_STATUS(need(5 + length, command));
    report(position_, std::string(command) + " " + hex(at(2)) + " (function not rendered)");
    position_ += 5 + length;
    return {};
  }

  Status data_link_escape() {
    TRY_STATUS(need(2, "DLE"));
    if (at(1) == 0x04) {
      TRY_STATUS(need(3, "DLE EOT"));
      const int n = at(2);
      if (n >= 1 && n <= 4) {
        result_.status_queries.push_back(n);
      } else {
        report(position_, "DLE EOT " + std::to_string(n) + " (not a status query)");
      }
      position_ += 3;
      return {};
    }
    report(position_, "DLE " + hex(at(1)) + " (not decoded)");
    position_ += 2;
    return {};
  }

  // GS v 0 m xL xH yL yH d1…dk: k = (xL + xH·256) × (yL + yH·256).
  Status raster() {
    TRY_STATUS(need(8, "GS v 0"));
    const std::size_t offset = position_;
    if (at(2) != '0') {
      report(offset, "GS v " + hex(at(2)) + " (not decoded)");
      position_ += 3;
      return {};
    }
    const int mode = at(3);
    const std::size_t width_bytes = at(4) | (static_cast<std::size_t>(at(5)) << 8);
    const std::size_t rows = at(6) | (static_cast<std::size_t>(at(7)) << 8);
    const std::size_t data = width_bytes * rows;
    if (left() - 8 < data) {
      return Error::make(ErrorKind::parse, "GS v 0 at offset " + std::to_string(offset) + ": truncated (needs " +
                                               std::to_string(data) + " data bytes, " + std::to_string(left() - 8) +
                                               " left)");
    }
    const bool known_mode = (mode >= 0 && mode <= 3) || (mode >= 48 && mode <= 51);
    if (!known_mode) report(offset, "GS v 0 mode " + std::to_string(mode) + " (decoded as normal)");
    const bool wide = known_mode && (mode & 1) != 0;
    const bool tall = known_mode && (mode & 2) != 0;
    const std::uint8_t* first = bytes_.data() + position_ + 8;
    for (std::size_t y = 0; y < rows && width_bytes > 0; ++y) {
      const std::uint8_t* row = first + y * width_bytes;
      std::vector<std::uint8_t> line = wide ? double_width(row, width_bytes) : std::vector<std::uint8_t>(row, row + width_bytes);
      if (tall) TRY_STATUS(page_.add_row(line, offset));
      TRY_STATUS(page_.add_row(std::move(line), offset));
    }
    position_ += 8 + data;
    return {};
  }

  // GS V m (0, 1, 48, 49) or GS V m n (65, 66, 97, 98, 103, 104: feed n dots, then cut).
  Status cut() {
    TRY_STATUS(need(3, "GS V"));
    const std::size_t offset = position_;
    const int mode = at(2);
    int feed = 0;
    std::size_t length = 3;
    bool partial = false;
    switch (mode) {
      case 0: case 48: break;
      case 1: case 49: partial = true; break;
      case 65: case 97: case 103:
      case 66: case 98: case 104:
        TRY_STATUS(need(4, "GS V"));
        feed = at(3);
        partial = mode == 66 || mode == 98 || mode == 104;
        length = 4;
        break;
      default:
        report(offset, "GS V mode " + std::to_string(mode) + " (not decoded)");
        position_ += 3;
        return {};
    }
    TRY_STATUS(page_.add_blank(feed, offset));
    CutMark mark{-1, partial, offset};
    if (page_.has_ink()) {
      result_.pages.push_back(page_.finish());
      mark.page = static_cast<int>(result_.pages.size()) - 1;
    } else {
      page_.discard();
    }
    result_.cuts.push_back(mark);
    position_ += length;
    return {};
  }

  // Printable bytes outside any command: text in the printer's own font, which we never send.
  Status text() {
    const std::size_t offset = position_;
    while (position_ < bytes_.size()) {
      const std::uint8_t byte = at(0);
      if (byte == kEsc || byte == kGs || byte == kDle || byte == kFs || byte == kLf || byte == kCr) break;
      ++position_;
    }
    report(offset, "text of " + std::to_string(position_ - offset) + " bytes (not rendered)");
    return {};
  }

  std::span<const std::uint8_t> bytes_;
  std::size_t position_ = 0;
  int line_spacing_ = kDefaultLineSpacing;
  PageBuilder page_;
  DecodedCapture result_;
};

}  // namespace

bool DecodedCapture::ends_with_cut() const {
  if (pages.empty()) return false;
  const int last = static_cast<int>(pages.size()) - 1;
  return std::any_of(cuts.begin(), cuts.end(), [last](const CutMark& cut) { return cut.page == last; });
}

Result<DecodedCapture> decode_capture(std::span<const std::uint8_t> bytes) { return Decoder(bytes).run(); }

}  // namespace kiosk::devices::escpos
