#include "kiosk/ops/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace kiosk::ops {
namespace {

using nlohmann::json;

// The MAC covers the record without its "mac" field, serialised the one way nlohmann does
// (sorted keys), so verify() recomputes exactly what append() signed.
std::string mac_of(crypto::Crypto& crypto, const crypto::SealKey& key, const json& record) {
  json body = record;
  body.erase("mac");
  const std::string text = body.dump();
  return crypto::to_hex(crypto.hmac_sha256(crypto::ByteView(key.bytes.data(), key.bytes.size()), crypto::as_bytes(text)));
}

Result<AuditReport> check(const std::filesystem::path& path, const crypto::SealKey& key, crypto::Crypto& crypto) {
  AuditReport report;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path)) {
      report.intact = true;
      return report;
    }
    return Error::make(ErrorKind::io, "audit log " + path.string() + ": cannot read");
  }
  std::string line;
  std::int64_t number = 0;
  auto bad = [&](const std::string& problem) {
    report.intact = false;
    report.first_bad_line = number;
    report.problem = problem;
    return report;
  };
  while (std::getline(in, line)) {
    ++number;
    const json record = json::parse(line, nullptr, false);
    if (!record.is_object()) return bad("not a JSON record");
    if (!record.contains("seq") || !record["seq"].is_number_integer() || !record.contains("prev") ||
        !record["prev"].is_string() || !record.contains("mac") || !record["mac"].is_string() ||
        !record.contains("event") || !record["event"].is_string()) {
      return bad("a field is missing");
    }
    if (record["seq"].get<std::int64_t>() != report.head.sequence + 1) return bad("sequence broken (a record was removed or moved)");
    if (record["prev"].get<std::string>() != report.head.mac) return bad("does not follow the record before it");
    if (record["mac"].get<std::string>() != mac_of(crypto, key, record)) return bad("MAC does not match (the record was changed)");
    report.head.sequence = record["seq"].get<std::int64_t>();
    report.head.mac = record["mac"].get<std::string>();
    ++report.records;
  }
  report.intact = true;
  return report;
}

}  // namespace

Result<AuditReport> verify_audit_log(const std::filesystem::path& path, const crypto::SealKey& key,
                                     crypto::Crypto& crypto) {
  return check(path, key, crypto);
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(const std::filesystem::path& path, crypto::SealKey key,
                                                 crypto::Crypto& crypto) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Error::make(ErrorKind::io, "audit log " + path.string() + ": " + std::strerror(errno));
  ::close(fd);
  const AuditReport report = TRY(check(path, key, crypto));
  if (!report.intact) {
    return Error::make(ErrorKind::parse, "audit log " + path.string() + ": line " + std::to_string(report.first_bad_line) +
                                             ": " + report.problem);
  }
  return std::unique_ptr<AuditLog>(new AuditLog(path, key, crypto, report.head));
}

AuditHead AuditLog::head() const {
  std::lock_guard lock(mutex_);
  return head_;
}

Result<AuditHead> AuditLog::append(const std::string& event, const nlohmann::json& detail, const std::string& time) {
  std::lock_guard lock(mutex_);
  json record = {{"seq", head_.sequence + 1}, {"time", time}, {"event", event}, {"detail", detail}, {"prev", head_.mac}};
  record["mac"] = mac_of(crypto_, key_, record);
  const std::string line = record.dump() + "\n";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Error::make(ErrorKind::io, "audit log: " + std::string(std::strerror(errno)));
  const ssize_t written = ::write(fd, line.data(), line.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size()) || !synced) {
    return Error::make(ErrorKind::io, "audit log: the record was not written whole");
  }
  head_ = {record["seq"].get<std::int64_t>(), record["mac"].get<std::string>()};
  return head_;
}

}  // namespace kiosk::ops
