// kioskctl's operations commands, run as a process the way a technician runs them over SSH: the
// real binary against a real control socket (kiosk/ops/control_server.h) served in this test with
// a scripted Operations, a real audit trail on disk for `audit verify`, and `nobody` (setpriv)
// for the permission message.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <mutex>

#include <nlohmann/json.hpp>

#include "kiosk/crypto/crypto.h"
#include "kiosk/crypto/key_file.h"
#include "kiosk/ops/audit_log.h"
#include "kiosk/ops/control_server.h"
#include "kiosk/ops/technician_pin.h"

namespace kiosk {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ScriptedOperations : public ops::Operations {
 public:
  ops::StatusReport status() override {
    ops::StatusReport report;
    report.terminal_id = "510502-HALL-0001";
    report.version = "0.1.0";
    report.uptime_s = 3 * 3600 + 5 * 60;
    report.screen = "attract";
    report.platform_configured = true;
    report.platform_reachable = false;
    report.platform_error = "timeout";
    report.outbox = outbox();
    report.devices = devices();
    report.certificate_days_left = 12;
    return report;
  }
  std::vector<ops::DeviceReport> devices() override {
    return {{"card_reader", "serial", "online", true, "", "", 0},
            {"receipt_printer", "escpos", "user_error", false, "paper out", "paper out", 1'795'000'000'000}};
  }
  Result<ops::SelfTestReport> selftest(hal::DeviceClass device, bool force, CancelToken) override {
    ops::SelfTestReport report;
    report.device = hal::to_string(device);
    report.passed = device == hal::DeviceClass::card_reader;
    report.summary = report.passed ? "card read, checksums held" : "paper out";
    report.steps = {"status query: online", force ? "forced" : "not forced"};
    return report;
  }
  ops::NetworkReport check_network(CancelToken) override {
    ops::NetworkReport report;
    report.steps = {{"dns", true, "127.0.0.1", 1}, {"tcp", true, "connected", 1},
                    {"tls", false, "TLS: the server's certificate is not signed by the platform CA", 3}};
    return report;
  }
  ops::OutboxReport outbox() override { return {true, 3, 1, 720, "platform unreachable"}; }
  Status retry_outbox() override { return {}; }
  std::vector<std::string> log_lines(int limit) override {
    std::vector<std::string> lines;
    for (int i = 0; i < limit; ++i) lines.push_back("log line " + std::to_string(i));
    return lines;
  }
  Result<fs::path> write_bundle(const fs::path& dir, const std::string&) override {
    std::lock_guard lock(mutex_);
    bundle_dir_ = dir;
    return dir / "kiosk-diag-510502-HALL-0001-20261124T060000Z.tar";
  }
  Status audit(const std::string&, const json&) override { return {}; }
  Result<json> verify_audit() override { return json{{"intact", true}}; }

  fs::path bundle_dir() {
    std::lock_guard lock(mutex_);
    return bundle_dir_;
  }

 private:
  std::mutex mutex_;
  fs::path bundle_dir_;
};

class KioskctlOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/kioskctl-ops-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ::chmod(dir_.c_str(), 0755);
    socket_ = dir_ / "control.sock";
    auto server = ops::ControlServer::start(socket_, "kiosk-admin", operations_);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_ = server.release_value();
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }

  // `prefix` goes before the binary (setpriv …); `input` is fed to standard input.
  CliRun kioskctl(const std::vector<std::string>& arguments, const std::string& input = "", const std::string& prefix = "") const {
    std::string command = prefix + KIOSKCTL_BINARY;
    for (const auto& argument : arguments) command += " '" + argument + "'";
    const fs::path in = dir_ / "stdin", out = dir_ / "stdout", err = dir_ / "stderr";
    std::ofstream(in) << input;
    ::chmod(in.c_str(), 0644);
    command += " <'" + in.string() + "' >'" + out.string() + "' 2>'" + err.string() + "'";
    CliRun run;
    const int status = std::system(command.c_str());
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = slurp(out);
    run.err = slurp(err);
    return run;
  }
  CliRun ask(std::vector<std::string> arguments) const {
    arguments.insert(arguments.begin(), {"--socket", socket_.string()});
    return kioskctl(arguments);
  }
  static void expect_one_line_failure(const CliRun& run, const std::string& says) {
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find(says), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << "one line: " << run.err;
  }

  fs::path dir_, socket_;
  ScriptedOperations operations_;
  std::unique_ptr<ops::ControlServer> server_;
};

TEST_F(KioskctlOpsTest, StatusReadsAtAGlanceAndAsOneJsonLine) {
  const CliRun human = ask({"status"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("510502-HALL-0001"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("up 3 h 5 min"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("UNREACHABLE: timeout"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("3 pending, oldest 12 min; 1 set aside"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("12 days left   RENEW SOON"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("receipt_printer"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("paper out"), std::string::npos) << human.out;
  const CliRun compact = ask({"--json", "status"});
  ASSERT_EQ(compact.exit_code, 0) << compact.err;
  EXPECT_EQ(std::count(compact.out.begin(), compact.out.end(), '\n'), 1);
  const json parsed = json::parse(compact.out, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << compact.out;
  EXPECT_EQ(parsed["terminal_id"], "510502-HALL-0001");
  EXPECT_EQ(parsed["devices"].size(), 2u);
}

TEST_F(KioskctlOpsTest, EveryCommandOverTheSocket) {
  const CliRun devices = ask({"devices"});
  ASSERT_EQ(devices.exit_code, 0) << devices.err;
  EXPECT_EQ(std::count(devices.out.begin(), devices.out.end(), '\n'), 3) << devices.out;  // header + 2
  const CliRun passed = ask({"selftest", "card_reader", "--force"});
  ASSERT_EQ(passed.exit_code, 0) << passed.err;
  EXPECT_NE(passed.out.find("card_reader: PASSED"), std::string::npos) << passed.out;
  EXPECT_NE(passed.out.find("  - forced"), std::string::npos) << passed.out;
  const CliRun failed_test = ask({"selftest", "receipt_printer"});
  EXPECT_NE(failed_test.out.find("receipt_printer: FAILED"), std::string::npos) << failed_test.out;
  expect_one_line_failure(failed_test, "self-test failed: paper out");
  const CliRun network = ask({"network"});
  EXPECT_NE(network.out.find("FAIL  tls"), std::string::npos) << network.out;
  expect_one_line_failure(network, "failed at tls: TLS: the server's certificate is not signed by the platform CA");
  const CliRun outbox = ask({"outbox"});
  ASSERT_EQ(outbox.exit_code, 0);
  EXPECT_NE(outbox.out.find("last error: platform unreachable"), std::string::npos) << outbox.out;
  const CliRun retry = ask({"--json", "outbox", "retry"});
  ASSERT_EQ(retry.exit_code, 0);
  EXPECT_EQ(json::parse(retry.out)["pending"], 3);
  const CliRun logs = ask({"logs", "4"});
  ASSERT_EQ(logs.exit_code, 0);
  EXPECT_EQ(logs.out, "log line 0\nlog line 1\nlog line 2\nlog line 3\n");
  // A relative folder is made absolute: the kiosk does not share our working folder.
  const CliRun bundle = kioskctl({"--socket", socket_.string(), "bundle", "usb/../stick"});
  ASSERT_EQ(bundle.exit_code, 0) << bundle.err;
  EXPECT_EQ(operations_.bundle_dir(), fs::current_path() / "stick");
  EXPECT_NE(bundle.out.find("bundle written: " + (fs::current_path() / "stick").string() + "/kiosk-diag-"), std::string::npos);
}

TEST_F(KioskctlOpsTest, UsageMistakesExitTwo) {
  for (const auto& words : std::vector<std::vector<std::string>>{
           {"selftest"}, {"selftest", "toaster"}, {"selftest", "card_reader", "--hard"}, {"logs", "0"}, {"logs", "ten"},
           {"logs", "10001"}, {"outbox", "flush"}, {"status", "now"}, {"audit"}, {"audit", "fix"}, {"--socket"},
           {"bundle", "a", "b"}, {"pin-hash", "123456"}}) {
    const CliRun run = kioskctl(words);
    EXPECT_EQ(run.exit_code, 2) << words[0] << ": " << run.err;
    EXPECT_NE(run.err.find("usage: kioskctl"), std::string::npos) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
}

TEST_F(KioskctlOpsTest, SaysPlainlyWhenTheKioskIsNotRunningOrRefuses) {
  const CliRun missing = kioskctl({"--socket", (dir_ / "gone.sock").string(), "status"});
  expect_one_line_failure(missing, "kiosk is not running (no socket at " + (dir_ / "gone.sock").string() + ")");
  EXPECT_TRUE(missing.out.empty());
  // The socket path from the config file.
  const fs::path config = dir_ / "config.json";
  std::ofstream(config) << json{{"ops", {{"control_socket", (dir_ / "other.sock").string()}}}}.dump();
  expect_one_line_failure(kioskctl({"--config", config.string(), "status"}), "no socket at " + (dir_ / "other.sock").string());
  std::ofstream(config) << json{{"ops", {{"control_socket", socket_.string()}}}}.dump();
  EXPECT_EQ(kioskctl({"--config", config.string(), "status"}).exit_code, 0);
  expect_one_line_failure(kioskctl({"--config", (dir_ / "none.json").string(), "status"}), "cannot read the config");
  // Neither root nor in kiosk-admin.
  ::chmod(config.c_str(), 0644);
  const CliRun stranger = kioskctl({"--config", config.string(), "status"}, "", "setpriv --reuid=65534 --regid=65534 --clear-groups ");
  expect_one_line_failure(stranger, "permission denied: run as root or as a member of kiosk-admin");
}

TEST_F(KioskctlOpsTest, AuditVerifyWorksWithoutTheKioskAndNamesTheFirstBadLine) {
  auto crypto = crypto::make_crypto();
  const fs::path log = dir_ / "audit.log", key_file = dir_ / "audit.key";
  auto key = crypto::create_seal_key(*crypto, key_file);
  ASSERT_TRUE(key.ok()) << key.error().message;
  {
    auto audit = ops::AuditLog::open(log, *key, *crypto);
    ASSERT_TRUE(audit.ok()) << audit.error().message;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*audit)->append("technician_entry", {{"try", i}}, "2026-11-25T14:03:00+08:00").ok());
  }
  const fs::path config = dir_ / "config.json";
  std::ofstream(config) << json{{"ops", {{"audit_log", log.string()}, {"audit_key_file", key_file.string()}}}}.dump();
  server_.reset();  // no kiosk
  const CliRun intact = kioskctl({"--config", config.string(), "audit", "verify"});
  ASSERT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_NE(intact.out.find("audit trail intact: 3 records"), std::string::npos) << intact.out;
  // Edit the second record.
  std::string text = slurp(log);
  const auto second = text.find('\n') + 1;
  const auto value = text.find("\"try\":1", second);
  ASSERT_NE(value, std::string::npos) << text;
  text.replace(value, 7, "\"try\":7");
  std::ofstream(log, std::ios::trunc) << text;
  const CliRun broken = kioskctl({"--json", "--config", config.string(), "audit", "verify"});
  expect_one_line_failure(broken, "broken at line 2");
  EXPECT_EQ(json::parse(broken.out, nullptr, false).value("first_bad_line", 0), 2) << broken.out;
  // No audit trail configured.
  std::ofstream(config, std::ios::trunc) << "{}";
  expect_one_line_failure(kioskctl({"--config", config.string(), "audit", "verify"}), "no audit trail is configured");
}

TEST_F(KioskctlOpsTest, PinHashMakesAHashThePinMatches) {
  const CliRun made = kioskctl({"pin-hash"}, "24681357\n");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string hash = made.out;
  ASSERT_FALSE(hash.empty());
  hash.pop_back();
  EXPECT_EQ(hash.rfind("pbkdf2-sha256$", 0), 0u) << hash;
  EXPECT_EQ(made.out.find("24681357"), std::string::npos);
  auto crypto = crypto::make_crypto();
  auto matches = ops::pin_matches(*crypto, "24681357", hash);
  ASSERT_TRUE(matches.ok());
  EXPECT_TRUE(*matches);
  EXPECT_FALSE(*ops::pin_matches(*crypto, "24681358", hash));
  expect_one_line_failure(kioskctl({"pin-hash"}, "12ab\n"), "6 to 12 digits");
  expect_one_line_failure(kioskctl({"pin-hash"}, ""), "no PIN");
}

}  // namespace
}  // namespace kiosk
