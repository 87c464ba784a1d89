#pragma once
// The running kiosk's Operations (kiosk/ops/operations.h): built by main() from the devices, the
// platform channel, the audit log and the app's snapshot, and handed to technician mode (through
// Services) and to the control socket (kioskctl). Self-tests drive the real devices: a status
// query, then one real action each (a card read, a printed test receipt, a printed test page, a
// camera frame judged by its own face gate, a page read by OCR) — and never report personal data.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "hal/devices.h"
#include "kiosk/core/config.h"
#include "kiosk/core/time_zone.h"
#include "kiosk/ops/audit_log.h"
#include "kiosk/ops/operations.h"

namespace kiosk {
namespace platform {
class Channel;
}
namespace ocr {
class OcrService;
}
}  // namespace kiosk

namespace kiosk::ops {

struct AppView {
  std::string screen;
  bool session_active = false;
  bool staff_needed = false;
  std::size_t catalog_items = 0;
};

struct OperationsDependencies {
  Config config;                       // a copy: the bundle includes it redacted
  TimeZone time_zone;                  // the terminal's (config.time_zone): self-test pages and receipts
  std::filesystem::path config_file;   // "" when the kiosk runs on defaults
  hal::Devices* devices = nullptr;
  platform::Channel* channel = nullptr;     // null: no platform
  AuditLog* audit = nullptr;                // null: no audit trail configured
  crypto::Crypto* crypto = nullptr;
  ocr::OcrService* ocr = nullptr;           // null: the document camera self-test skips OCR
  std::function<AppView()> app_view;        // any thread
  std::function<std::string()> metrics_text;  // the Prometheus text now, for bundles; may be empty
  // Every audited event, also when no audit trail is configured (main counts technician entries
  // and PIN failures for the metrics). Any thread.
  std::function<void(const std::string& event, const nlohmann::json& detail)> on_audit;
  std::int64_t restarts = 0;
  bool crash_loop = false;
  std::string version;
};

class KioskOperations final : public Operations {
 public:
  explicit KioskOperations(OperationsDependencies dependencies);

  StatusReport status() override;
  std::vector<DeviceReport> devices() override;
  Result<SelfTestReport> selftest(hal::DeviceClass device, bool force, CancelToken cancel) override;
  NetworkReport check_network(CancelToken cancel) override;
  OutboxReport outbox() override;
  Status retry_outbox() override;
  std::vector<std::string> log_lines(int limit) override;
  Result<std::filesystem::path> write_bundle(const std::filesystem::path& dir, const std::string& who) override;
  Status audit(const std::string& event, const nlohmann::json& detail) override;
  Result<nlohmann::json> verify_audit() override;

 private:
  SelfTestReport test_card_reader(hal::CardReader& reader, const CancelToken& cancel);
  SelfTestReport test_receipt_printer(hal::ReceiptPrinter& printer, const CancelToken& cancel);
  SelfTestReport test_document_printer(hal::DocumentPrinter& printer, const CancelToken& cancel);
  SelfTestReport test_face_camera(hal::FaceCamera& camera, const CancelToken& cancel);
  SelfTestReport test_document_camera(hal::DocumentCamera& camera, const CancelToken& cancel);

  OperationsDependencies d_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex selftest_mutex_;  // one self-test at a time: devices are not shared between them
};

// Restarts and crash loops, from a small state file in the state dir: each start is recorded,
// a clean stop marks it so. A start that finds the previous run did not stop cleanly counts as a
// crash; `crash_loop` is set when 3 or more such crashes fell within the last 10 minutes.
struct StartRecord {
  std::int64_t starts = 1;      // this one included
  std::int64_t crashes = 0;     // starts after an unclean end, ever
  bool crash_loop = false;
};
StartRecord record_start(const std::filesystem::path& state_dir, std::int64_t now_unix_s);
void record_clean_stop(const std::filesystem::path& state_dir);

// Config and certificate changes for the audit trail: the SHA-256 of each watched file (by name:
// "config", "certificate", "platform_ca") is compared with the one remembered in
// <state_dir>/fingerprints.json from the previous start, then remembered. Returns one change per
// file that differs ({"file", "before", "after"}: short fingerprints, never content; a missing
// file is ""). The first start remembers without reporting. Nothing without a state dir.
struct FileChange {
  std::string file;
  std::string before;
  std::string after;
};
std::vector<FileChange> detect_file_changes(const std::filesystem::path& state_dir,
                                            const std::vector<std::pair<std::string, std::filesystem::path>>& files,
                                            crypto::Crypto& crypto);

}  // namespace kiosk::ops
