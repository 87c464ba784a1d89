// escpos2png: turns captured ESC/POS bytes (what a driver sent to a printer, e.g. an escpos-serial
// capture file) back into a PNG of the paper (escpos_paper.h). Prints a summary; exits 1 on a
// capture that does not decode (truncated command: the offset is named) or prints nothing, 2 on
// usage or I/O. `kioskctl device escpos2png` does the same with JSON output.
//
//   escpos2png capture.bin out.png
#include <cstdio>

#include "tools/escpos2png/escpos_paper.h"

int main(int argc, char** argv) {
  using namespace kiosk;
  if (argc != 3) {
    std::fprintf(stderr, "usage: escpos2png CAPTURE.bin OUT.png\n");
    return 2;
  }
  auto decoded = devices::escpos::read_capture(argv[1]);
  if (!decoded.ok()) {
    std::fprintf(stderr, "escpos2png: %s\n", decoded.error().message.c_str());
    return decoded.error().kind == ErrorKind::io ? 2 : 1;
  }
  const auto& capture = decoded.value();
  for (const auto& unknown : capture.unknown) {
    std::fprintf(stderr, "escpos2png: offset %zu: %s\n", unknown.offset, unknown.what.c_str());
  }
  auto saved = devices::escpos::write_paper_png(capture, argv[2]);
  if (!saved.ok()) {
    const bool nothing_printed = saved.error().kind == ErrorKind::parse;
    std::fprintf(stderr, "escpos2png: %s%s%s\n", nothing_printed ? argv[1] : "", nothing_printed ? ": " : "",
                 saved.error().message.c_str());
    return nothing_printed ? 1 : 2;
  }
  for (std::size_t i = 0; i < capture.pages.size(); ++i) {
    std::printf("page %zu: %d x %d dots\n", i + 1, capture.pages[i].width_dots, capture.pages[i].height);
  }
  std::printf("%zu cuts, %zu status queries, %d initialisations, %zu unknown commands, ends with cut: %s\n",
              capture.cuts.size(), capture.status_queries.size(), capture.initializations, capture.unknown_count,
              capture.ends_with_cut() ? "yes" : "no");
  return 0;
}
