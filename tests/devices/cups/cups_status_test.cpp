// The CUPS driver's pure parts: printer-state-reasons keywords (RFC 8011 §5.4.12), their mapping
// to the hal status, print errors, job titles, the PDF check, queue names, server addresses and
// the registry options.

#include "devices/cups/cups_status.h"

#include <gtest/gtest.h>

#include "devices/cups/cups_ipp.h"
#include "devices/cups/cups_printer.h"
#include "devices/registry.h"

namespace kiosk::devices::cups {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using hal::Supply;

TEST(CupsStateReason, SuffixGivesTheSeverity) {
  const auto error = parse_state_reason("media-empty-error");
  EXPECT_EQ(error.keyword, "media-empty");
  EXPECT_EQ(error.severity, ReasonSeverity::error);
  const auto warning = parse_state_reason("toner-low-warning");
  EXPECT_EQ(warning.keyword, "toner-low");
  EXPECT_EQ(warning.severity, ReasonSeverity::warning);
  const auto report = parse_state_reason("offline-report");
  EXPECT_EQ(report.keyword, "offline");
  EXPECT_EQ(report.severity, ReasonSeverity::report);
  // No suffix counts as an error (RFC 8011 §5.4.12).
  const auto bare = parse_state_reason("media-jam");
  EXPECT_EQ(bare.keyword, "media-jam");
  EXPECT_EQ(bare.severity, ReasonSeverity::error);
  // A suffix alone is a keyword, not an empty keyword with a severity.
  EXPECT_EQ(parse_state_reason("-error").keyword, "-error");
  EXPECT_EQ(parse_state_reason("").keyword, "");
}

struct StatusCase {
  const char* name;
  PrinterState state;
  bool accepting;
  std::vector<std::string> reasons;
  DeviceState expected;
  Supply paper;
  bool cover_open;
};

void PrintTo(const StatusCase& status_case, std::ostream* out) { *out << status_case.name; }

class CupsStatusMapping : public testing::TestWithParam<StatusCase> {};

TEST_P(CupsStatusMapping, MapsToTheHalStatus) {
  const StatusCase& c = GetParam();
  const PrinterSnapshot printer{c.state, c.accepting, c.reasons, "the printer says so"};
  const hal::DeviceStatus status = status_from_printer(printer, "licence");
  EXPECT_EQ(status.state, c.expected) << hal::describe(status);
  EXPECT_EQ(status.paper, c.paper) << hal::describe(status);
  EXPECT_EQ(status.cover_open, c.cover_open) << hal::describe(status);
  EXPECT_NE(status.detail.find("cups queue \"licence\""), std::string::npos) << status.detail;
  EXPECT_NE(status.detail.find("\"the printer says so\""), std::string::npos) << status.detail;
  for (const auto& reason : c.reasons) {
    if (reason != "none") {
      EXPECT_NE(status.detail.find(reason), std::string::npos) << status.detail;
    }
  }
  EXPECT_EQ(status.detail.find("none"), std::string::npos) << status.detail;
  // A status that may not print gives the matching print error; one that may, none.
  const auto blocked = printing_blocked(status);
  EXPECT_EQ(blocked.has_value(), c.expected != DeviceState::online && c.expected != DeviceState::busy);
}

using S = std::vector<std::string>;
INSTANTIATE_TEST_SUITE_P(
    Reasons, CupsStatusMapping,
    testing::Values(
        StatusCase{"idle_none", PrinterState::idle, true, S{"none"}, DeviceState::online, Supply::ok, false},
        StatusCase{"processing", PrinterState::processing, true, S{"none"}, DeviceState::busy, Supply::ok, false},
        StatusCase{"media_empty_error", PrinterState::idle, true, S{"media-empty-error"}, DeviceState::user_error,
                   Supply::out, false},
        StatusCase{"media_needed_bare", PrinterState::processing, true, S{"media-needed"}, DeviceState::user_error,
                   Supply::out, false},
        StatusCase{"media_empty_warning_is_near_end", PrinterState::idle, true, S{"media-empty-warning"},
                   DeviceState::online, Supply::near_end, false},
        StatusCase{"media_low", PrinterState::idle, true, S{"media-low-warning"}, DeviceState::online,
                   Supply::near_end, false},
        StatusCase{"media_empty_report_is_information", PrinterState::idle, true, S{"media-empty-report"},
                   DeviceState::online, Supply::ok, false},
        StatusCase{"cover_open", PrinterState::idle, true, S{"cover-open-error"}, DeviceState::user_error, Supply::ok,
                   true},
        StatusCase{"door_open_bare", PrinterState::idle, true, S{"door-open"}, DeviceState::user_error, Supply::ok,
                   true},
        StatusCase{"jam", PrinterState::idle, true, S{"media-jam-error"}, DeviceState::hardware_error, Supply::ok,
                   false},
        StatusCase{"toner_empty", PrinterState::idle, true, S{"toner-empty-error"}, DeviceState::hardware_error,
                   Supply::ok, false},
        StatusCase{"toner_low_is_a_warning", PrinterState::idle, true, S{"toner-low-warning"}, DeviceState::online,
                   Supply::ok, false},
        StatusCase{"unknown_error", PrinterState::idle, true, S{"fuser-melted-error"}, DeviceState::hardware_error,
                   Supply::ok, false},
        StatusCase{"cups_information_without_suffix", PrinterState::processing, true, S{"connecting-to-device"},
                   DeviceState::busy, Supply::ok, false},
        StatusCase{"offline", PrinterState::idle, true, S{"offline"}, DeviceState::offline, Supply::ok, false},
        StatusCase{"offline_report_is_information", PrinterState::processing, true, S{"offline-report"},
                   DeviceState::busy, Supply::ok, false},
        StatusCase{"stopped_queue", PrinterState::stopped, true, S{"paused"}, DeviceState::offline, Supply::ok, false},
        StatusCase{"stopped_without_reason", PrinterState::stopped, true, S{"none"}, DeviceState::offline, Supply::ok,
                   false},
        StatusCase{"not_accepting", PrinterState::idle, false, S{"none"}, DeviceState::offline, Supply::ok, false},
        // A person's fault comes first, then the printer's, then the queue's.
        StatusCase{"paper_out_on_a_stopped_queue", PrinterState::stopped, true, S{"media-empty-error", "paused"},
                   DeviceState::user_error, Supply::out, false},
        StatusCase{"jam_on_a_stopped_queue", PrinterState::stopped, true, S{"paused", "media-jam-error"},
                   DeviceState::hardware_error, Supply::ok, false},
        StatusCase{"paper_out_and_jam", PrinterState::idle, true, S{"media-jam-error", "media-empty-error"},
                   DeviceState::user_error, Supply::out, false}),
    [](const testing::TestParamInfo<StatusCase>& param_info) { return std::string(param_info.param.name); });

TEST(CupsStatus, PrintErrorsMatchTheFault) {
  auto blocked_code = [](PrinterState state, S reasons) {
    const auto status = status_from_printer(PrinterSnapshot{state, true, std::move(reasons), ""}, "q");
    const auto blocked = printing_blocked(status);
    return blocked ? blocked->code : DeviceErrorCode::io;
  };
  EXPECT_EQ(blocked_code(PrinterState::idle, {"media-empty-error"}), DeviceErrorCode::paper_out);
  EXPECT_EQ(blocked_code(PrinterState::idle, {"cover-open-error"}), DeviceErrorCode::cover_open);
  EXPECT_EQ(blocked_code(PrinterState::idle, {"media-jam-error"}), DeviceErrorCode::hardware);
  EXPECT_EQ(blocked_code(PrinterState::stopped, {"paused"}), DeviceErrorCode::offline);
  hal::DeviceStatus gone;
  gone.state = DeviceState::no_device;
  ASSERT_TRUE(printing_blocked(gone).has_value());
  EXPECT_EQ(printing_blocked(gone)->code, DeviceErrorCode::no_device);
}

TEST(CupsStatus, JobFailureNamesTheReasons) {
  const JobSnapshot job{JobState::aborted, {"aborted-by-system"}, "paper jam"};
  const auto jam = job_failure("licence-7", job, PrinterSnapshot{PrinterState::idle, true, {"media-jam-error"}, ""},
                               "licence");
  EXPECT_EQ(jam.code, DeviceErrorCode::hardware);
  EXPECT_NE(jam.message.find("licence-7 aborted"), std::string::npos) << jam.message;
  EXPECT_NE(jam.message.find("aborted-by-system"), std::string::npos) << jam.message;
  EXPECT_NE(jam.message.find("media-jam-error"), std::string::npos) << jam.message;
  EXPECT_NE(jam.message.find("\"paper jam\""), std::string::npos) << jam.message;

  const auto paper = job_failure("licence-8", job, PrinterSnapshot{PrinterState::idle, true, {"media-empty"}, ""},
                                 "licence");
  EXPECT_EQ(paper.code, DeviceErrorCode::paper_out) << paper.message;

  // Aborted on a printer that reports nothing: still a failure the technician can read.
  const auto bare = job_failure("licence-9", JobSnapshot{JobState::canceled, {}, ""}, PrinterSnapshot{}, "licence");
  EXPECT_EQ(bare.code, DeviceErrorCode::hardware);
  EXPECT_NE(bare.message.find("licence-9 canceled (job reasons: none"), std::string::npos) << bare.message;
}

TEST(CupsStatus, JobStates) {
  EXPECT_TRUE(job_finished(JobState::completed));
  EXPECT_TRUE(job_finished(JobState::aborted));
  EXPECT_TRUE(job_finished(JobState::canceled));
  EXPECT_FALSE(job_finished(JobState::pending));
  EXPECT_FALSE(job_finished(JobState::pending_held));
  EXPECT_FALSE(job_finished(JobState::processing));
  EXPECT_FALSE(job_finished(JobState::processing_stopped));
  EXPECT_STREQ(to_string(JobState::processing_stopped), "stopped");
}

TEST(CupsJobTitle, OnlyShortPlainTitlesReachCups) {
  EXPECT_EQ(safe_job_title("licence"), "licence");
  EXPECT_EQ(safe_job_title("tax-certificate 2024"), "tax-certificate 2024");
  // Personal data never leaves as a job title (CUPS keeps titles in its spool, logs and queue views).
  EXPECT_EQ(safe_job_title("张三的营业执照"), "document");
  EXPECT_EQ(safe_job_title("licence 11010519491231002X"), "document");
  EXPECT_EQ(safe_job_title("13800138000"), "document");
  EXPECT_EQ(safe_job_title("Zhang San <zs@example.com>"), "document");
  EXPECT_EQ(safe_job_title(std::string(49, 'a')), "document");
  EXPECT_EQ(safe_job_title(""), "document");
  EXPECT_EQ(safe_job_title(std::string("lic\0ence", 8)), "document");
}

TEST(CupsPdfCheck, NeedsThePdfHeader) {
  auto bytes = [](std::string_view text) { return std::vector<std::uint8_t>(text.begin(), text.end()); };
  EXPECT_TRUE(looks_like_pdf(bytes("%PDF-1.7\n")));
  EXPECT_TRUE(looks_like_pdf(bytes("%PDF-")));
  EXPECT_FALSE(looks_like_pdf(bytes("%PDF")));  // truncated
  EXPECT_FALSE(looks_like_pdf(bytes("")));
  EXPECT_FALSE(looks_like_pdf(bytes(" %PDF-1.7")));
  EXPECT_FALSE(looks_like_pdf(bytes("%!PS-Adobe-3.0")));
  EXPECT_FALSE(looks_like_pdf(bytes("\x89PNG\r\n")));
}

TEST(CupsQueueName, FollowsCupsRules) {
  EXPECT_TRUE(valid_queue_name("licence"));
  EXPECT_TRUE(valid_queue_name("HP_LaserJet-2"));
  EXPECT_FALSE(valid_queue_name(""));
  EXPECT_FALSE(valid_queue_name("two words"));
  EXPECT_FALSE(valid_queue_name("a/b"));
  EXPECT_FALSE(valid_queue_name("a#b"));
  EXPECT_FALSE(valid_queue_name("证照"));
  EXPECT_FALSE(valid_queue_name(std::string(128, 'q')));
  EXPECT_TRUE(valid_queue_name(std::string(127, 'q')));
}

TEST(CupsBoundedText, CutsOnCharacterBoundariesAndDropsControls) {
  EXPECT_EQ(bounded_text("out of paper", 160), "out of paper");
  EXPECT_EQ(bounded_text("line\nbreak\x1b[31m", 160), "linebreak[31m");
  EXPECT_EQ(bounded_text("纸张用完", 7), "纸张");  // 3 bytes each: the third would not fit
  EXPECT_EQ(bounded_text(std::string(1000, 'x'), 160).size(), 160u);
  const std::string invalid = bounded_text("a\xff\xfe" "b", 160);
  EXPECT_TRUE(invalid.starts_with("a"));
  EXPECT_TRUE(invalid.ends_with("b"));
  EXPECT_EQ(invalid.find('\xff'), std::string::npos);
}

TEST(CupsServerAddress, Parses) {
  auto host_port = parse_server_address("127.0.0.1:8631");
  ASSERT_TRUE(host_port.ok());
  EXPECT_EQ(host_port->host, "127.0.0.1");
  EXPECT_EQ(host_port->port, 8631);
  EXPECT_EQ(host_port->text(), "127.0.0.1:8631");
  auto host = parse_server_address("printserver");
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->port, 631);
  auto socket = parse_server_address("/run/cups/cups.sock");
  ASSERT_TRUE(socket.ok());
  EXPECT_EQ(socket->text(), "/run/cups/cups.sock");
  auto v6 = parse_server_address("[::1]:631");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 631);
  EXPECT_FALSE(parse_server_address("host:").ok());
  EXPECT_FALSE(parse_server_address("host:99999").ok());
  EXPECT_FALSE(parse_server_address("host:12ab").ok());
  EXPECT_FALSE(parse_server_address(":631").ok());
  EXPECT_TRUE(parse_server_address("").ok());  // the system default
}

TEST(CupsOptions, RegistryOptionsAreChecked) {
  using nlohmann::json;
  auto parsed = parse_options(json{{"printer", "licence"}, {"server", "127.0.0.1:631"}, {"job_timeout_s", 30}});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->queue, "licence");
  EXPECT_EQ(parsed->server, "127.0.0.1:631");
  EXPECT_EQ(parsed->job_timeout, std::chrono::seconds(30));
  EXPECT_EQ(parse_options(json{{"printer", "licence"}})->job_timeout, std::chrono::seconds(120));

  auto error_of = [](const json& options) {
    auto result = parse_options(options);
    return result.ok() ? std::string("accepted") : result.error().message;
  };
  EXPECT_EQ(error_of(json::object()), "devices.document_printer.printer: expected a CUPS queue name");
  EXPECT_EQ(error_of(json{{"printer", "a b"}}), "devices.document_printer.printer: expected a CUPS queue name");
  EXPECT_EQ(error_of(json{{"printer", 7}}), "devices.document_printer.printer: expected a CUPS queue name");
  EXPECT_EQ(error_of(json{{"printer", "q"}, {"server", 631}}),
            "devices.document_printer.server: expected \"host:port\" or a socket path");
  EXPECT_NE(error_of(json{{"printer", "q"}, {"server", "host:x"}}).find("devices.document_printer.server: "),
            std::string::npos);
  EXPECT_EQ(error_of(json{{"printer", "q"}, {"job_timeout_s", 0}}),
            "devices.document_printer.job_timeout_s: expected whole seconds 1–3600");
  EXPECT_EQ(error_of(json{{"printer", "q"}, {"job_timeout_s", 2.5}}),
            "devices.document_printer.job_timeout_s: expected whole seconds 1–3600");
}

TEST(CupsOptions, TheRegistryBuildsTheCupsDriver) {
  // Nothing listens on port 1: the driver is made all the same and says offline.
  auto devices = make_devices(
      nlohmann::json{{"document_printer", {{"driver", "cups"}, {"printer", "licence"}, {"server", "127.0.0.1:1"}}}},
      DriverContext{});
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  ASSERT_NE(devices->document_printer, nullptr);
  EXPECT_EQ(devices->document_printer->driver(), "cups");
  EXPECT_EQ(devices->document_printer->status().state, DeviceState::offline);

  auto bad = make_devices(nlohmann::json{{"document_printer", {{"driver", "cups"}}}}, DriverContext{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "devices.document_printer.printer: expected a CUPS queue name");
}

}  // namespace
}  // namespace kiosk::devices::cups
