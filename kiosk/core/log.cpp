#include "kiosk/core/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace kiosk::log {
namespace {
std::atomic<Level> g_min_level{Level::info};  // process-wide filter, set once by main()
std::mutex g_write_mutex;

const char* level_name(Level level) {
  switch (level) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "?";
}
}  // namespace

void set_min_level(Level level) { g_min_level = level; }

void write(Level level, std::string_view module, std::string_view message) {
  if (level < g_min_level.load()) return;
  std::lock_guard lock(g_write_mutex);
  std::fprintf(stderr, "%s %.*s: %.*s\n", level_name(level), static_cast<int>(module.size()), module.data(),
               static_cast<int>(message.size()), message.data());
}

}  // namespace kiosk::log
