#pragma once
// Structured logging to stderr (journald picks stderr up under systemd). Never pass personal
// data (ID fields, names, addresses, face images) to these functions: log ids and kinds only.

#include <string_view>

namespace kiosk::log {

enum class Level { debug, info, warning, error };

void set_min_level(Level level);
void write(Level level, std::string_view module, std::string_view message);

inline void debug(std::string_view module, std::string_view message) { write(Level::debug, module, message); }
inline void info(std::string_view module, std::string_view message) { write(Level::info, module, message); }
inline void warning(std::string_view module, std::string_view message) { write(Level::warning, module, message); }
inline void error(std::string_view module, std::string_view message) { write(Level::error, module, message); }

}  // namespace kiosk::log
