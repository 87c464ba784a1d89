// tools/escpos2png: a capture file in, a PNG of the paper out; bad captures give a non-zero exit
// and a message naming the problem and its offset.
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "devices/escpos/escpos_encoder.h"
#include "tests/kiosk/receipt/receipt_test_support.h"

namespace kiosk::devices::escpos {
namespace {

using receipt::testing_support::TemporaryDirectory;

struct ToolRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

ToolRun escpos2png(const std::filesystem::path& capture, const std::filesystem::path& png) {
  const std::string command = std::string(KIOSK_ESCPOS2PNG) + " '" + capture.string() + "' '" + png.string() + "' 2>&1";
  ToolRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) run.output += buffer;
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

void write(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes job_bytes(int width, int height) {
  hal::ReceiptJob job;
  job.page.width_dots = width;
  job.page.height = height;
  job.page.bits.assign(static_cast<std::size_t>(width / 8 * height), 0);
  for (int y = 0; y < height; y += 2) job.page.bits[static_cast<std::size_t>(y * width / 8)] = 0x80;  // a dotted left edge
  Bytes bytes;
  for (const auto& chunk : encode_job(job)) bytes.insert(bytes.end(), chunk.begin(), chunk.end());
  return bytes;
}

TEST(Escpos2png, WritesThePaperAsAPng) {
  TemporaryDirectory directory;
  write(directory.path() / "capture.bin", job_bytes(576, 300));
  const ToolRun run = escpos2png(directory.path() / "capture.bin", directory.path() / "out.png");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("page 1: 576 x 300 dots"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("ends with cut: yes"), std::string::npos) << run.output;
  auto png = ui::load_png(directory.path() / "out.png");
  ASSERT_TRUE(png.ok()) << png.error().message;
  EXPECT_EQ(png->width(), 576);
  EXPECT_EQ(png->height(), 300 + 12) << "the page and its cut band";
  EXPECT_EQ(png->pixel(0, 0) & 0xFFFFFF, 0x000000u);
  EXPECT_EQ(png->pixel(0, 1) & 0xFFFFFF, 0xFFFFFFu);
  EXPECT_EQ(png->pixel(5, 300 + 5) & 0xFFFFFF, 0xD01010u) << "the red cut line";
}

TEST(Escpos2png, TruncatedCaptureFailsWithTheOffset) {
  TemporaryDirectory directory;
  Bytes bytes = job_bytes(576, 300);
  bytes.resize(1000);
  write(directory.path() / "capture.bin", bytes);
  const ToolRun run = escpos2png(directory.path() / "capture.bin", directory.path() / "out.png");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("GS v 0 at offset 2: truncated"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(directory.path() / "out.png"));
}

TEST(Escpos2png, CaptureWithoutPaperOrFileFails) {
  TemporaryDirectory directory;
  write(directory.path() / "status.bin", Bytes{0x10, 0x04, 0x01, 0x10, 0x04, 0x04});
  ToolRun run = escpos2png(directory.path() / "status.bin", directory.path() / "out.png");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("no page printed (2 status queries"), std::string::npos) << run.output;
  run = escpos2png(directory.path() / "missing.bin", directory.path() / "out.png");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("cannot read"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace kiosk::devices::escpos
