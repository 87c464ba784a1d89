#pragma once
// Private key files: the outbox's seal key (and later the terminal's TLS key) must be readable by
// the kiosk's user only. The kiosk refuses to start its platform channel with a key that group or
// others can read or write. Part of kiosk_crypto_common (no backend needed).
//
// Errors: not_found when the file does not exist; io for a file that is not a regular file, has
// group/other permissions, or cannot be read or written (errno text); parse for wrong contents.
// Messages name the path and mode, never key bytes.

#include <filesystem>

#include "kiosk/core/result.h"
#include "kiosk/crypto/crypto.h"

namespace kiosk::crypto {

// Refuses a path (symlinks followed) that is not a regular file, or whose mode grants any
// permission to group or others, e.g.
//   "/etc/kiosk/seal.key: mode 0644 gives group/others access; run chmod 600 /etc/kiosk/seal.key"
Status check_private_file(const std::filesystem::path& path);

// The contents of a seal key file: exactly 32 raw bytes, or 64 hex digits with an optional
// trailing newline ("\n" or "\r\n").
Result<SealKey> parse_seal_key(ByteView contents);

// Opens without following into FIFOs or devices, checks the mode on the opened file (no race
// between check and read), reads and parses it, and wipes the read buffer.
Result<SealKey> load_seal_key(const std::filesystem::path& path);

// Writes a new random key (32 raw bytes) with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600 whatever the
// umask, and fsyncs the file and its directory. Fails (io) if the path already exists.
Result<SealKey> create_seal_key(Crypto& crypto, const std::filesystem::path& path);

// Loads the key; creates one only if the file does not exist (a world-readable or malformed key is
// an error, never silently replaced — the outbox's sealed rows depend on it).
Result<SealKey> load_or_create_seal_key(Crypto& crypto, const std::filesystem::path& path);

}  // namespace kiosk::crypto
