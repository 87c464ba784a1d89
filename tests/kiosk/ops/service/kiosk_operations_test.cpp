// The running kiosk's Operations against the sim twins: reports, each device's self-test doing
// its one real action (and refusing while a citizen is there), the audit trail they write, and
// the start record that finds crash loops.
#include "kiosk/ops/service/kiosk_operations.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <map>
#include <sstream>

#include "devices/registry.h"
#include "devices/sim/identities.h"
#include "devices/sim/sim_camera.h"
#include "devices/sim/sim_card_reader.h"
#include "devices/sim/sim_printers.h"
#include "kiosk/core/log.h"
#include "kiosk/crypto/crypto.h"
#include "kiosk/face/face_image.h"
#include "kiosk/ocr/ocr_service.h"

namespace kiosk::ops {
namespace {

using devices::sim::SimCardReader;
using devices::sim::SimDocumentPrinter;
using devices::sim::SimReceiptPrinter;

class KioskOperationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ops-service-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    directory_ = pattern;
    nlohmann::json config = nlohmann::json::object();
    for (hal::DeviceClass device : hal::kAllDeviceClasses) config[hal::to_string(device)] = {{"driver", "sim"}};
    config["document_camera"]["frames"] = {"images/document-page.pgm"};  // a printed page to read
    auto made = devices::make_devices(config, devices::DriverContext{KIOSK_TEST_ASSETS});
    ASSERT_TRUE(made.ok()) << made.error().message;
    devices_ = made.release_value();
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  KioskOperations& operations() {
    if (!operations_) {
      OperationsDependencies d;
      d.config.terminal_id = "SIM-0042";
      d.devices = &devices_;
      d.crypto = crypto_.get();
      d.audit = audit_.get();
      d.app_view = [this] { return view_; };
      d.ocr = ocr_.get();
      d.restarts = 2;
      d.config_file = config_file_;
      d.metrics_text = [] { return std::string("kiosk_up 1\n"); };
      d.on_audit = [this](const std::string& event, const nlohmann::json&) { audited_.push_back(event); };
      d.version = "test";
      operations_ = std::make_unique<KioskOperations>(std::move(d));
    }
    return *operations_;
  }
  SimReceiptPrinter& receipt_printer() { return static_cast<SimReceiptPrinter&>(*devices_.receipt_printer); }
  SimDocumentPrinter& document_printer() { return static_cast<SimDocumentPrinter&>(*devices_.document_printer); }
  SimCardReader& card_reader() { return static_cast<SimCardReader&>(*devices_.card_reader); }

  std::filesystem::path directory_;
  hal::Devices devices_;
  std::unique_ptr<crypto::Crypto> crypto_ = crypto::make_crypto();
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<ocr::OcrService> ocr_;
  AppView view_;
  std::filesystem::path config_file_;
  std::vector<std::string> audited_;
  std::unique_ptr<KioskOperations> operations_;
};

std::string joined(const SelfTestReport& report) {
  std::string text = report.summary;
  for (const auto& step : report.steps) text += "\n" + step;
  return text;
}

TEST_F(KioskOperationsTest, ReportsEveryDeviceAndRemembersTheLastProblem) {
  auto before = operations().devices();
  ASSERT_EQ(before.size(), hal::kDeviceClassCount);
  for (const auto& device : before) {
    EXPECT_EQ(device.driver, "sim") << device.device;
    EXPECT_TRUE(device.last_problem.empty()) << device.device;
  }
  SimReceiptPrinter::Faults faults;
  faults.paper_out = true;
  receipt_printer().set_faults(faults);
  receipt_printer().set_faults({});  // recovered: the problem is still remembered
  const auto after = operations().devices();
  const auto& printer = after[static_cast<std::size_t>(hal::DeviceClass::receipt_printer)];
  EXPECT_EQ(printer.device, "receipt_printer");
  EXPECT_TRUE(printer.up);
  EXPECT_NE(printer.last_problem.find("paper out"), std::string::npos) << printer.last_problem;
  EXPECT_GT(printer.last_problem_at_ms, 1'700'000'000'000);
}

TEST_F(KioskOperationsTest, ReceiptPrinterSelfTestPrintsOneTestReceipt) {
  auto report = operations().selftest(hal::DeviceClass::receipt_printer, false, {});
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->passed) << joined(*report);
  ASSERT_EQ(receipt_printer().printed().size(), 1u);
  EXPECT_TRUE(receipt_printer().printed()[0].page.valid());
  EXPECT_GT(receipt_printer().printed()[0].page.height, 200);
}

TEST_F(KioskOperationsTest, ReceiptPrinterSelfTestFailsPlainlyWithoutPaper) {
  SimReceiptPrinter::Faults faults;
  faults.paper_out = true;
  receipt_printer().set_faults(faults);
  auto report = operations().selftest(hal::DeviceClass::receipt_printer, false, {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->passed);
  EXPECT_EQ(report->summary, "the receipt printer is not ready");
  EXPECT_NE(joined(*report).find("paper out"), std::string::npos) << joined(*report);
  EXPECT_TRUE(receipt_printer().printed().empty());
}

TEST_F(KioskOperationsTest, DocumentPrinterSelfTestPrintsAPdfTestPage) {
  auto report = operations().selftest(hal::DeviceClass::document_printer, false, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->passed) << joined(*report);
  ASSERT_EQ(document_printer().printed().size(), 1u);
  const auto pdf = document_printer().printed()[0].pdf;
  ASSERT_GT(pdf.size(), 500u);
  EXPECT_EQ(std::string(pdf.begin(), pdf.begin() + 5), "%PDF-");
}

TEST_F(KioskOperationsTest, CardReaderSelfTestReadsACardWithoutReportingIt) {
  auto empty = operations().selftest(hal::DeviceClass::card_reader, false, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->passed) << joined(*empty);
  EXPECT_NE(empty->summary.find("no card read"), std::string::npos);

  auto card = devices::sim::load_sample_identity(KIOSK_TEST_ASSETS, "zhangsan");
  ASSERT_TRUE(card.ok()) << card.error().message;
  const std::string name = card->name, id_number = card->id_number, address = card->address;
  card_reader().place_card(card.release_value());
  auto read = operations().selftest(hal::DeviceClass::card_reader, false, {});
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->passed) << joined(*read);
  EXPECT_NE(joined(*read).find("a card was read"), std::string::npos);
  const std::string text = joined(*read) + nlohmann::json(*read).dump();
  EXPECT_EQ(text.find(name), std::string::npos);
  EXPECT_EQ(text.find(id_number), std::string::npos);
  EXPECT_EQ(text.find(id_number.substr(0, 6)), std::string::npos);
  EXPECT_EQ(text.find(address), std::string::npos);
}

TEST_F(KioskOperationsTest, FaceCameraSelfTestFindsTheFace) {
  auto face = face::load_image(std::filesystem::path(KIOSK_TEST_ASSETS) / "images/face-ok.ppm");
  ASSERT_TRUE(face.ok()) << face.error().message;
  devices_.face_camera = std::make_unique<devices::sim::SimCamera<hal::FaceCamera>>(std::vector<hal::Image>{*face});
  auto report = operations().selftest(hal::DeviceClass::face_camera, false, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->passed) << joined(*report);
  EXPECT_NE(joined(*report).find("face found at"), std::string::npos) << joined(*report);
}

TEST_F(KioskOperationsTest, DocumentCameraSelfTestCountsTextWithoutReportingIt) {
  ocr_ = std::make_unique<ocr::OcrService>();
  auto report = operations().selftest(hal::DeviceClass::document_camera, false, {});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->passed) << joined(*report);
  EXPECT_NE(joined(*report).find("OCR read "), std::string::npos) << joined(*report);
}

TEST_F(KioskOperationsTest, ACameraWithoutPicturesFails) {
  devices_.face_camera = std::make_unique<devices::sim::SimCamera<hal::FaceCamera>>(std::vector<hal::Image>{});
  auto report = operations().selftest(hal::DeviceClass::face_camera, false, {});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->passed) << joined(*report);
}

TEST_F(KioskOperationsTest, SelfTestsWaitForTheCitizenUnlessForced) {
  view_.session_active = true;
  auto refused = operations().selftest(hal::DeviceClass::receipt_printer, false, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::busy);
  EXPECT_TRUE(receipt_printer().printed().empty());
  auto forced = operations().selftest(hal::DeviceClass::receipt_printer, true, {});
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->passed);
}

TEST_F(KioskOperationsTest, AMissingDeviceIsNotFound) {
  devices_.document_camera.reset();
  auto report = operations().selftest(hal::DeviceClass::document_camera, true, {});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::not_found);
  EXPECT_EQ(operations().devices()[static_cast<std::size_t>(hal::DeviceClass::document_camera)].state, "no_device");
}

TEST_F(KioskOperationsTest, SelfTestsAreAuditedAndTheChainVerifies) {
  crypto::SealKey key;
  key.bytes.fill(7);
  auto opened = AuditLog::open(directory_ / "audit.log", key, *crypto_);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  audit_ = opened.release_value();
  ASSERT_TRUE(operations().selftest(hal::DeviceClass::receipt_printer, false, {}).ok());
  ASSERT_TRUE(operations().audit("technician_entry", {{"result", "ok"}}).ok());
  EXPECT_EQ(audit_->head().sequence, 2);
  auto verdict = verify_audit_log(directory_ / "audit.log", key, *crypto_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->intact);
  std::ifstream in(directory_ / "audit.log");
  std::string first;
  std::getline(in, first);
  EXPECT_NE(first.find("\"selftest\""), std::string::npos) << first;
}

TEST_F(KioskOperationsTest, StatusCarriesTheAppViewAndNoPlatform) {
  view_.screen = "home";
  view_.staff_needed = true;
  const StatusReport status = operations().status();
  EXPECT_EQ(status.terminal_id, "SIM-0042");
  EXPECT_EQ(status.screen, "home");
  EXPECT_TRUE(status.staff_needed);
  EXPECT_EQ(status.restarts, 2);
  EXPECT_FALSE(status.platform_configured);
  EXPECT_FALSE(status.outbox.configured);
  EXPECT_EQ(status.catalog.version, "factory");
  const nlohmann::json json = status;
  EXPECT_EQ(json["devices"].size(), hal::kDeviceClassCount);
  EXPECT_FALSE(operations().retry_outbox().ok());
}

// The names of the members of a ustar archive (each 512-byte header, then the data padded).
std::map<std::string, std::string> untar(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  const std::string tar = content.str();
  std::map<std::string, std::string> members;
  for (std::size_t at = 0; at + 512 <= tar.size();) {
    const std::string name(tar.c_str() + at);
    if (name.empty()) break;
    const std::size_t size = std::stoul(std::string(tar, at + 124, 12), nullptr, 8);
    members[name] = tar.substr(at + 512, size);
    at += 512 + (size + 511) / 512 * 512;
  }
  return members;
}

TEST_F(KioskOperationsTest, BundleHoldsTheRedactedStateAndIsAudited) {
  config_file_ = directory_ / "config.json";
  std::ofstream(config_file_) << R"({"terminal_id": "SIM-0042", "technician": {"pin_hash": "pbkdf2$secret"},
                                    "platform": {"url": "https://user:pw@platform.example:8443", "key_file": "k.pem"}})";
  log::info("ops-test", "citizen 110101199003071234 placed a card");  // redacted in the bundle's log
  const auto out = directory_ / "stick";
  std::filesystem::create_directories(out);
  auto written = operations().write_bundle(out, "test");
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_EQ(written->parent_path(), out);
  EXPECT_NE(written->filename().string().find("kiosk-diag-SIM-0042-"), std::string::npos);
  const auto members = untar(*written);
  for (const char* name : {"status.json", "devices.json", "outbox.json", "network.json", "logs.txt", "config.json",
                           "audit.json", "metrics.prom", "README.txt"}) {
    EXPECT_EQ(members.count(name), 1u) << name;
  }
  const auto config = nlohmann::json::parse(members.at("config.json"));
  EXPECT_EQ(config["technician"]["pin_hash"], "[redacted]");
  EXPECT_EQ(config["platform"]["key_file"], "k.pem");
  EXPECT_EQ(members.at("config.json").find("pw@"), std::string::npos);
  EXPECT_EQ(members.at("logs.txt").find("110101199003071234"), std::string::npos);
  EXPECT_NE(members.at("logs.txt").find("placed a card"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(members.at("status.json"))["terminal_id"], "SIM-0042");
  EXPECT_FALSE(nlohmann::json::parse(members.at("network.json"))["ok"].get<bool>());
  EXPECT_EQ(members.at("metrics.prom"), "kiosk_up 1\n");
  ASSERT_FALSE(audited_.empty());
  EXPECT_EQ(audited_.back(), "bundle");
}

TEST_F(KioskOperationsTest, BundleToAMissingFolderFailsPlainly) {
  auto written = operations().write_bundle(directory_ / "no-stick", "test");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().kind, ErrorKind::not_found);
  EXPECT_NE(written.error().message.find("USB"), std::string::npos);
}

TEST_F(KioskOperationsTest, NetworkCheckWithoutAPlatformSaysSo) {
  const NetworkReport report = operations().check_network({});
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.steps.size(), 1u);
  EXPECT_NE(report.steps[0].detail.find("platform.url"), std::string::npos);
}

TEST_F(KioskOperationsTest, LogLinesAreRecentAndRedacted) {
  log::warning("ops-test", "phone 13812345678 called");
  const auto lines = operations().log_lines(5);
  ASSERT_FALSE(lines.empty());
  EXPECT_LE(lines.size(), 5u);
  EXPECT_NE(lines.back().find("called"), std::string::npos);
  EXPECT_EQ(lines.back().find("13812345678"), std::string::npos);
  EXPECT_TRUE(operations().log_lines(0).empty());
}

TEST(FileChanges, ReportsChangedConfigAndCertificateByFingerprintOnly) {
  char pattern[] = "/tmp/changes-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path dir = pattern;
  auto crypto = crypto::make_crypto();
  std::ofstream(dir / "config.json") << R"({"a": 1})";
  std::ofstream(dir / "cert.pem") << "CERT ONE";
  const std::vector<std::pair<std::string, std::filesystem::path>> files{{"config", dir / "config.json"},
                                                                          {"certificate", dir / "cert.pem"}};
  EXPECT_TRUE(detect_file_changes(dir, files, *crypto).empty());  // first start: remembered only
  EXPECT_TRUE(detect_file_changes(dir, files, *crypto).empty());  // unchanged
  std::ofstream(dir / "cert.pem") << "CERT TWO";
  auto changes = detect_file_changes(dir, files, *crypto);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].file, "certificate");
  EXPECT_EQ(changes[0].before.size(), 16u);
  EXPECT_EQ(changes[0].after.size(), 16u);
  EXPECT_NE(changes[0].before, changes[0].after);
  std::filesystem::remove(dir / "config.json");
  changes = detect_file_changes(dir, files, *crypto);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].file, "config");
  EXPECT_EQ(changes[0].after, "");
  EXPECT_TRUE(detect_file_changes({}, files, *crypto).empty());
  std::filesystem::remove_all(dir);
}

TEST(StartRecord, ThreeUncleanEndsInTenMinutesAreACrashLoop) {
  char pattern[] = "/tmp/starts-test-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path dir = pattern;
  std::int64_t t = 1'800'000'000;
  auto first = record_start(dir, t);
  EXPECT_EQ(first.starts, 1);
  EXPECT_FALSE(first.crash_loop);
  record_clean_stop(dir);
  auto second = record_start(dir, t += 60);  // after a clean stop: no crash
  EXPECT_EQ(second.crashes, 0);
  // Killed three times (no clean stop) within ten minutes.
  EXPECT_FALSE(record_start(dir, t += 10).crash_loop);
  EXPECT_FALSE(record_start(dir, t += 10).crash_loop);
  auto looping = record_start(dir, t += 10);
  EXPECT_TRUE(looping.crash_loop);
  EXPECT_EQ(looping.crashes, 3);
  EXPECT_EQ(looping.starts, 5);
  // Much later, one more crash is not a loop.
  auto later = record_start(dir, t += 3600);
  EXPECT_FALSE(later.crash_loop);
  EXPECT_EQ(later.crashes, 4);
  // A corrupted file counts from zero rather than failing the start.
  std::ofstream(dir / "starts.json") << "{{{";
  EXPECT_EQ(record_start(dir, t += 10).starts, 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kiosk::ops
