#include "devices/escpos/escpos_encoder.h"

#include <algorithm>
#include <cassert>

namespace kiosk::devices::escpos {
namespace {

constexpr std::uint8_t kEsc = 0x1B, kGs = 0x1D, kDle = 0x10;

bool is_realtime_command(std::uint8_t byte) { return byte == 0x04 || byte == 0x05 || byte == 0x14; }

}  // namespace

Bytes encode_initialize() { return {kEsc, '@'}; }

Bytes encode_raster_band(const hal::RasterPage& page, int first_row, int rows) {
  assert(page.valid() && first_row >= 0 && rows > 0 && rows <= 65535 && first_row + rows <= page.height);
  const int width_bytes = page.bytes_per_row();
  const std::size_t data = static_cast<std::size_t>(rows) * static_cast<std::size_t>(width_bytes);
  Bytes bytes(8 + data);
  bytes[0] = kGs;
  bytes[1] = 'v';
  bytes[2] = '0';
  bytes[3] = 0;  // m = 0: normal density
  bytes[4] = static_cast<std::uint8_t>(width_bytes & 0xFF);
  bytes[5] = static_cast<std::uint8_t>(width_bytes >> 8);
  bytes[6] = static_cast<std::uint8_t>(rows & 0xFF);
  bytes[7] = static_cast<std::uint8_t>(rows >> 8);
  const auto begin = page.bits.begin() + static_cast<std::ptrdiff_t>(first_row) * width_bytes;
  std::copy(begin, begin + static_cast<std::ptrdiff_t>(data), bytes.begin() + 8);
  return bytes;
}

Bytes encode_feed(int dots) {
  Bytes bytes;
  while (dots > 0) {
    const int step = std::min(dots, 255);
    bytes.insert(bytes.end(), {kEsc, 'J', static_cast<std::uint8_t>(step)});
    dots -= step;
  }
  return bytes;
}

Bytes encode_cut(int feed_dots) {
  return {kGs, 'V', 66, static_cast<std::uint8_t>(std::clamp(feed_dots, 0, 255))};
}

std::vector<Bytes> encode_job(const hal::ReceiptJob& job, int band_rows) {
  assert(job.page.valid() && band_rows > 0);
  std::vector<Bytes> chunks;
  chunks.push_back(encode_initialize());
  for (int row = 0; row < job.page.height; row += band_rows) {
    chunks.push_back(encode_raster_band(job.page, row, std::min(band_rows, job.page.height - row)));
  }
  if (job.cut) chunks.push_back(encode_cut());
  return chunks;
}

int escape_realtime_sequences(hal::RasterPage& page) {
  int changed = 0;
  for (std::size_t i = 0; i + 1 < page.bits.size(); ++i) {
    if (page.bits[i] == kDle && is_realtime_command(page.bits[i + 1])) {
      page.bits[i] = 0;
      ++changed;
    }
  }
  return changed;
}

bool contains_realtime_sequence(const std::vector<std::uint8_t>& data) {
  for (std::size_t i = 0; i + 1 < data.size(); ++i) {
    if (data[i] == kDle && is_realtime_command(data[i + 1])) return true;
  }
  return false;
}

}  // namespace kiosk::devices::escpos
