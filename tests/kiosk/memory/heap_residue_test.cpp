// Personal data in memory after a session (issue 5, "nothing of the citizen stays in memory").
// It reads glibc's main arena ([heap] in /proc/self/maps) and relies on glibc's M_PERTURB, so it
// does not run under AddressSanitizer, which replaces the allocator (label no-sanitizer).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string_view>

#include "kiosk/core/secure_memory.h"
#include "tests/kiosk/app/app_fixture.h"

namespace kiosk {
namespace {

// Every place in the UI thread's heap (glibc's main arena, [heap]) where `needle` occurs.
std::size_t occurrences_in_heap(std::string_view needle) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  std::size_t found = 0;
  while (std::getline(maps, line)) {
    if (line.find("[heap]") == std::string::npos) continue;
    unsigned long start = 0, end = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx", &start, &end) != 2) continue;
    const char* begin = reinterpret_cast<const char*>(start);
    std::string_view heap(begin, end - start);
    for (auto at = heap.find(needle); at != std::string_view::npos; at = heap.find(needle, at + 1)) ++found;
  }
  return found;
}

// Text typed in a session (a search for something the catalog does not have, so it is echoed in
// the "nothing found" message) is gone from the heap once the session ends: the session's own
// buffer is wiped, and every copy made on the way (widget labels, search terms) is in blocks the
// allocator scrubs when they are freed (scrub_freed_memory, as main() sets it).
TEST_F(AppTest, NothingTypedInASessionStaysInTheHeapAfterIt) {
  ASSERT_TRUE(scrub_freed_memory());
  start();
  // Built at run time on the stack, so neither the test's constant nor its needle is in the heap;
  // 24 letters, too long for a string's inline buffer.
  char letters[25] = {};
  std::snprintf(letters, sizeof letters, "qzx%s%s%s", "vbnmqzxv", "bnmqzxvb", "nmqzx");
  const std::string_view marker(letters, 24);
  ASSERT_TRUE(run("tap id=start\ntap id=search\ntype \"" + std::string(marker) + "\""));
  ASSERT_EQ(app_->session().search_query, marker);
  ASSERT_GT(occurrences_in_heap(marker), 0u) << "the scan sees the heap";
  ASSERT_TRUE(run("key Home\nwait 1000"));
  app_->end_session();
  ASSERT_TRUE(run("wait 1000\nexpect-screen attract"));  // retired screens are freed on the next tick
  // Most of it, so a copy whose first byte was overwritten (a cleared string) still counts.
  const std::size_t left = occurrences_in_heap(marker.substr(4));
  secure_clear(letters, sizeof letters);
  EXPECT_EQ(left, 0u);
}

}  // namespace
}  // namespace kiosk
