#pragma once
// The audit trail of security events (technician entries, config changes, licence prints,
// certificate changes): an append-only file of JSON lines, each carrying the HMAC-SHA256 of its
// own content chained to the previous record's, keyed with a root-only key. Editing, deleting or
// reordering any record — or rewriting the chain without the key — is found by verify()
// (`kioskctl audit verify`). Cutting records off the end leaves a valid shorter chain: the head
// (sequence number and MAC) goes out with every heartbeat so the platform can tell. Records never
// hold personal data.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "kiosk/core/result.h"
#include "kiosk/crypto/crypto.h"

namespace kiosk::ops {

struct AuditHead {
  std::int64_t sequence = 0;  // records so far
  std::string mac;            // hex MAC of the last record; "" when empty
};

class AuditLog {
 public:
  // Opens (creating, mode 0600) and checks the whole chain; a broken chain is an error naming the
  // first bad line — the kiosk then reports it rather than appending to it.
  static Result<std::unique_ptr<AuditLog>> open(const std::filesystem::path& path, crypto::SealKey key,
                                                crypto::Crypto& crypto);
  // Appends one record (fsync'd before it returns). `time` is RFC 3339.
  Result<AuditHead> append(const std::string& event, const nlohmann::json& detail, const std::string& time);
  AuditHead head() const;

 private:
  AuditLog(std::filesystem::path path, crypto::SealKey key, crypto::Crypto& crypto, AuditHead head)
      : path_(std::move(path)), key_(key), crypto_(crypto), head_(std::move(head)) {}
  std::filesystem::path path_;
  crypto::SealKey key_;
  crypto::Crypto& crypto_;
  mutable std::mutex mutex_;
  AuditHead head_;
};

struct AuditReport {
  bool intact = false;
  std::int64_t records = 0;    // records that verified
  std::int64_t first_bad_line = 0;  // 1-based; 0 when intact
  std::string problem;         // what is wrong with that line
  AuditHead head;
};

// Checks every record's MAC, sequence and link to the one before.
Result<AuditReport> verify_audit_log(const std::filesystem::path& path, const crypto::SealKey& key,
                                     crypto::Crypto& crypto);

}  // namespace kiosk::ops
