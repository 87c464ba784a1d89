// The network and platform check against the real platform simulator over loopback mutual TLS,
// with a real PKI from tools/pki (a foreign CA, an expired terminal certificate) and faults from
// the simulator's admin port (clock offset, latency). Plus the parsers of the platform's answer.
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "kiosk/ops/network_check.h"
#include "tests/tools/platform_sim/sim_harness.h"

namespace kiosk::ops {
namespace {

using platform_sim_test::kTerminal;
using platform_sim_test::run_pki;
using platform_sim_test::SimFixture;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

std::vector<std::string> names_of(const NetworkReport& report) {
  std::vector<std::string> names;
  for (const auto& step : report.steps) names.push_back(step.name);
  return names;
}

std::string describe(const NetworkReport& report) {
  std::string text;
  for (const auto& step : report.steps) text += step.name + (step.ok ? " ok: " : " FAIL: ") + step.detail + "\n";
  return text;
}

// A loopback port nobody listens on (bound, then closed).
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

class NetworkCheckTest : public SimFixture {
 protected:
  NetworkCheckSettings settings(const std::string& terminal = kTerminal, const fs::path& pki = {}) const {
    const fs::path from = pki.empty() ? pki_ : pki;
    NetworkCheckSettings s;
    s.url = base_url();
    s.ca_file = pki_ / "ca.crt";
    s.cert_file = from / "terminals" / (terminal + ".crt");
    s.key_file = from / "terminals" / (terminal + ".key");
    s.dns_timeout = s.connect_timeout = std::chrono::milliseconds(3000);
    s.tls_timeout = s.request_timeout = std::chrono::milliseconds(5000);
    return s;
  }
  static const NetworkStep& last(const NetworkReport& report) { return report.steps.back(); }
};

TEST_F(NetworkCheckTest, AllGood) {
  const NetworkReport report = check_network(settings(), {});
  ASSERT_TRUE(report.ok) << describe(report);
  EXPECT_EQ(names_of(report), (std::vector<std::string>{"dns", "tcp", "tls", "certificate", "clock", "platform"}));
  for (const auto& step : report.steps) {
    EXPECT_TRUE(step.ok) << step.name;
    EXPECT_GE(step.duration_ms, 0) << step.name;
  }
  EXPECT_NE(report.steps[0].detail.find("127.0.0.1"), std::string::npos) << report.steps[0].detail;
  EXPECT_NE(report.steps[2].detail.find("TLSv1."), std::string::npos) << report.steps[2].detail;
  ASSERT_TRUE(report.certificate_days_left.has_value());
  EXPECT_GT(*report.certificate_days_left, 30);
  EXPECT_EQ(report.steps[3].detail.find("WARNING"), std::string::npos) << report.steps[3].detail;
  ASSERT_TRUE(report.clock_skew_s.has_value());
  EXPECT_LE(std::abs(*report.clock_skew_s), 2);
  EXPECT_NE(report.steps[5].detail.find("HTTP 200"), std::string::npos) << report.steps[5].detail;
  // The "localhost" name is checked against the certificate too (it carries DNS:localhost).
  NetworkCheckSettings by_name = settings();
  by_name.url = "https://localhost:" + std::to_string(sim_->port());
  const NetworkReport named = check_network(by_name, {});
  EXPECT_TRUE(named.ok) << describe(named);
}

TEST_F(NetworkCheckTest, UnknownHost) {
  NetworkCheckSettings s = settings();
  s.url = "https://platform.invalid:8443";  // RFC 6761: never resolves
  const NetworkReport report = check_network(s, {});
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.steps.size(), 1u) << describe(report);
  EXPECT_EQ(report.steps[0].name, "dns");
  EXPECT_NE(report.steps[0].detail.find("DNS: "), std::string::npos);
  EXPECT_NE(report.steps[0].detail.find("platform.invalid"), std::string::npos) << report.steps[0].detail;
}

TEST_F(NetworkCheckTest, ClosedPort) {
  NetworkCheckSettings s = settings();
  s.url = "https://127.0.0.1:" + std::to_string(closed_port());
  const NetworkReport report = check_network(s, {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(names_of(report), (std::vector<std::string>{"dns", "tcp"}));
  EXPECT_NE(last(report).detail.find("nothing listens"), std::string::npos) << last(report).detail;
}

TEST_F(NetworkCheckTest, ServerCertificateFromAForeignCa) {
  const fs::path other = temp_.path() / "other-pki";
  ASSERT_EQ(run_pki("init '" + other.string() + "'", log_), 0);
  NetworkCheckSettings s = settings();
  s.ca_file = other / "ca.crt";  // we trust another CA than the one that signed the server
  const NetworkReport report = check_network(s, {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(names_of(report), (std::vector<std::string>{"dns", "tcp", "tls"}));
  EXPECT_NE(last(report).detail.find("not signed by the platform CA"), std::string::npos) << last(report).detail;
}

TEST_F(NetworkCheckTest, ExpiredClientCertificate) {
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0099 --expired", log_), 0);
  const NetworkReport report = check_network(settings("510502-HALL-0099"), {});
  EXPECT_FALSE(report.ok);
  ASSERT_GE(report.steps.size(), 3u) << describe(report);
  // TLS 1.3 finishes the client's handshake before the server judges our certificate, so the
  // expiry shows at the certificate step; with TLS 1.2 the server's alert ends the handshake.
  const NetworkStep& failed = last(report);
  EXPECT_TRUE(failed.name == "certificate" || failed.name == "tls") << describe(report);
  EXPECT_NE(failed.detail.find("expired"), std::string::npos) << failed.detail;
  if (failed.name == "certificate") {
    EXPECT_LT(report.certificate_days_left.value_or(0), 0);
  }
}

TEST_F(NetworkCheckTest, UnregisteredTerminalIsToldPlainly) {
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0077", log_), 0);
  const NetworkReport report = check_network(settings("510502-HALL-0077"), {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(last(report).name, "platform") << describe(report);
  EXPECT_NE(last(report).detail.find("does not know this terminal"), std::string::npos) << last(report).detail;
}

TEST_F(NetworkCheckTest, ClockOffsetOnThePlatform) {
  const auto answer = admin().post("/admin/clock", nlohmann::json{{"offset_s", -3600}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  const NetworkReport report = check_network(settings(), {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(last(report).name, "clock") << describe(report);
  ASSERT_TRUE(report.clock_skew_s.has_value());
  EXPECT_NEAR(static_cast<double>(*report.clock_skew_s), -3600.0, 2.0);
  EXPECT_NE(last(report).detail.find("3600 s ahead of the platform's"), std::string::npos) << last(report).detail;
  // Under the limit: a warning-free pass.
  ASSERT_EQ(admin().post("/admin/clock", nlohmann::json{{"offset_s", 120}}).status, 200);
  const NetworkReport near = check_network(settings(), {});
  EXPECT_TRUE(near.ok) << describe(near);
  EXPECT_NEAR(static_cast<double>(near.clock_skew_s.value_or(0)), 120.0, 2.0);
}

TEST_F(NetworkCheckTest, WrongPinnedKeyFailsTheTlsStep) {
  NetworkCheckSettings s = settings();
  s.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  const NetworkReport report = check_network(s, {});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(last(report).name, "tls");
  EXPECT_NE(last(report).detail.find("pinned"), std::string::npos);
}

TEST_F(NetworkCheckTest, TheRightPinnedKeyPasses) {
  // The pin as curl documents making it, with the openssl command line.
  const fs::path pin_file = temp_.path() / "pin";
  const std::string command = "openssl x509 -in '" + (pki_ / "server.crt").string() +
                              "' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64 > '" +
                              pin_file.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(pin_file);
  std::string pin;
  std::getline(in, pin);
  NetworkCheckSettings s = settings();
  s.pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; sha256//" + pin;  // a backup pin first
  const NetworkReport report = check_network(s, {});
  EXPECT_TRUE(report.ok) << describe(report);
  EXPECT_NE(report.steps.at(2).detail.find("pinned key matches"), std::string::npos);
}

TEST_F(NetworkCheckTest, CancelMidCheckReturnsQuickly) {
  add_fault({{"latency_ms", 20000}, {"path_prefix", "/api/v1/"}});
  CancelToken cancel;
  std::thread canceller([cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    cancel.cancel();
  });
  const auto started = Steady::now();
  const NetworkReport report = check_network(settings(), cancel);
  const auto took = Steady::now() - started;
  canceller.join();
  EXPECT_FALSE(report.ok);
  EXPECT_LT(took, std::chrono::milliseconds(1500));
  EXPECT_EQ(last(report).detail, "cancelled") << describe(report);
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);
}

TEST(HttpHeadTest, ParsesAndRefusesMalformedHeads) {
  auto head = parse_http_head("HTTP/1.1 403 Forbidden\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length:  12 \r\n\r\nbody");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 403);
  EXPECT_EQ(head->headers["content-length"], "12");
  EXPECT_EQ(head->size, 85u);
  EXPECT_TRUE(parse_http_head("HTTP/1.0 200\r\n\r\n").ok());
  for (const char* bad : {"", "HTTP/1.1 200 OK\r\n", "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n",
                          "HTTP/1.1 200OK\r\n\r\n", "HTTP/1.1 099 X\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
                          "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", "SSH-2.0-OpenSSH\r\n\r\n"}) {
    EXPECT_FALSE(parse_http_head(bad).ok()) << bad;
  }
}

TEST(HttpDateTest, ReadsImfFixdateOnly) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  for (const char* bad : {"", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 06 Xyz 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT",
                          "Sun, 06 Nov 1994 08:4a:37 GMT", "Sun, 06 Nov 1969 08:49:37 GMT"}) {
    EXPECT_FALSE(parse_http_date(bad).has_value()) << bad;
  }
}

TEST(NetworkCheckSettingsTest, ABadUrlFailsAtOnce) {
  for (const char* url : {"", "http://127.0.0.1:8443", "https://", "https://host:port", "https://user:pw@host", "https://[::1"}) {
    NetworkCheckSettings s;
    s.url = url;
    const NetworkReport report = check_network(s, {});
    EXPECT_FALSE(report.ok) << url;
    ASSERT_EQ(report.steps.size(), 1u) << url;
    EXPECT_NE(report.steps[0].detail.find("not https://"), std::string::npos) << url;
  }
}

}  // namespace
}  // namespace kiosk::ops
