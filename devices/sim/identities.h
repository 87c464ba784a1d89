#pragma once
// Sample identities for the sim card reader (assets/identities/<name>.json): fictional people with
// valid GB 11643 check digits. The same validation applies to any identity a test loads.

#include <filesystem>
#include <string_view>

#include "hal/card_reader.h"
#include "kiosk/core/result.h"

namespace kiosk::devices::sim {

// Fields as in hal::IdentityCard; "photo" (optional) is a file path relative to `base_dir`.
// Errors name the field: `identity: id_number: check digit does not match`.
Result<hal::IdentityCard> parse_identity(std::string_view json, const std::filesystem::path& base_dir = {});
Result<hal::IdentityCard> load_identity(const std::filesystem::path& path);
Result<hal::IdentityCard> load_sample_identity(const std::filesystem::path& assets_dir, const std::string& name);

}  // namespace kiosk::devices::sim
