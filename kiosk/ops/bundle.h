#pragma once
// Helpers for the diagnostics bundle a technician takes away on a USB stick (the bundle's contents
// are assembled by the kiosk's Operations, kiosk/ops/service): a minimal ustar writer, the config
// with its secrets taken out, and the bundle's file name.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"

namespace kiosk::ops {

struct TarEntry {
  std::string name;          // relative, ≤ 100 bytes, no ".." part ("status.json", "logs/kiosk.log")
  std::string data;
  std::int64_t mtime = 0;    // Unix seconds
};

// Writes `entries` as a POSIX ustar archive (regular files, mode 0640, owner 0/0, no user names)
// into `file`: to a temporary name in the same folder, fsync'd, then renamed. Any failure (a
// missing folder, a full or read-only stick, a file-size limit) leaves neither `file` nor the
// temporary behind. A bad entry name or a duplicate is invalid_argument; nothing is written then.
Status write_tar(const std::filesystem::path& file, const std::vector<TarEntry>& entries);

// The config as a technician may share it. Replaced by "[redacted]": technician.pin_hash,
// platform.pinned_public_key, and any member whose name contains "key", "secret", "password",
// "token" or "credential", or has a word "pin"/"pins"/"pinned" ("pin_hash", not "pinyin") — at
// any depth, whatever its value. Kept: members whose name ends in "_file", "_dir" or "_path"
// ("key_file", "audit_key_file"): where a key lives is what a technician needs to check, and the
// path reveals nothing of the key (the files themselves never go into a bundle). URLs keep their
// host but lose any "user:password@".
nlohmann::json redacted_config(const nlohmann::json& config);

// "kiosk-diag-<terminal>-<UTC time>.tar", e.g. "kiosk-diag-510502-HALL-0001-20261125T060300Z.tar".
// No ':' (FAT sticks refuse it); terminal id characters outside [A-Za-z0-9._-] become '_'.
std::string bundle_file_name(const std::string& terminal_id, std::int64_t unix_time);

}  // namespace kiosk::ops
