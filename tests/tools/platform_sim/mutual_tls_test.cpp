// platform-sim's transport (docs/platform-api.md, "Transport"): only terminals with a valid
// certificate from the platform CA get in, the CN maps to a registered, active terminal, and
// connections and TLS sessions are reused. Also: a clean stop, and storage surviving a restart.
#include "tests/tools/platform_sim/sim_harness.h"

namespace platform_sim_test {
namespace {

class SimMutualTls : public SimFixture {};

TEST_F(SimMutualTls, RegisteredTerminalIsServedWithDateHeader) {
  const auto answer = api().get("/api/v1/issuers");
  ASSERT_EQ(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.header("date").find("GMT"), std::string::npos);
  EXPECT_EQ(answer.header("content-type"), "application/json; charset=utf-8");
}

TEST_F(SimMutualTls, HandshakeWithoutClientCertificateIsRefused) {
  Client anonymous(base_url());
  anonymous.use_tls(pki_ / "ca.crt", {}, {});
  const auto answer = anonymous.get("/api/v1/issuers");
  EXPECT_NE(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 0) << "no HTTP answer may reach a client without a certificate";
  EXPECT_GE(admin_json("/admin/stats")["tls_failed"].get<int>(), 1);
}

TEST_F(SimMutualTls, CertificatesFromAnotherCaOrForServersAreRefused) {
  const fs::path other = temp_.path() / "other-pki";
  ASSERT_EQ(run_pki("init '" + other.string() + "'", log_), 0);
  ASSERT_EQ(run_pki("terminal '" + other.string() + "' " + kTerminal, log_), 0);  // same CN, wrong CA
  auto client = terminal_client(kTerminal, other);
  const auto answer = client->get("/api/v1/issuers");
  EXPECT_NE(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 0);

  // Our CA, but a server certificate (serverAuth only): not a terminal's.
  Client impostor(base_url());
  impostor.use_tls(pki_ / "ca.crt", pki_ / "server.crt", pki_ / "server.key");
  const auto refused = impostor.get("/api/v1/issuers");
  EXPECT_NE(refused.code, CURLE_OK);
  EXPECT_EQ(refused.status, 0);
}

TEST_F(SimMutualTls, TlsBelow12IsRefused) {
  auto client = terminal_client();
  client->limit_tls(static_cast<long>(CURL_SSLVERSION_TLSv1_1) | static_cast<long>(CURL_SSLVERSION_MAX_TLSv1_1));
  const auto answer = client->get("/api/v1/issuers");
  EXPECT_NE(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 0);
}

TEST_F(SimMutualTls, ExpiredCertificateIsRefused) {
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' EXPIRED-0001 --expired", log_), 0);
  auto client = terminal_client("EXPIRED-0001");
  const auto answer = client->get("/api/v1/issuers");
  EXPECT_NE(answer.code, CURLE_OK);
  EXPECT_EQ(answer.status, 0);
}

TEST_F(SimMutualTls, UnknownAndRevokedTerminalsGet403) {
  // Issued by our CA after the simulator started, so never registered.
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0099", log_), 0);
  auto stranger = terminal_client("510502-HALL-0099");
  auto answer = stranger->get("/api/v1/catalog?region=510502");
  EXPECT_EQ(answer.status, 403);
  EXPECT_EQ(answer.error_code(), "terminal_unknown");

  ASSERT_EQ(admin().post("/admin/terminals", json{{"id", kTerminal}, {"revoked", true}}).status, 200);
  answer = api().get("/api/v1/catalog?region=510502");
  EXPECT_EQ(answer.status, 403);
  EXPECT_EQ(answer.error_code(), "terminal_revoked");
  EXPECT_FALSE(answer.json_body()["error"]["retryable"].get<bool>());

  ASSERT_EQ(admin().post("/admin/terminals", json{{"id", kTerminal}, {"revoked", false}}).status, 200);
  EXPECT_EQ(api().get("/api/v1/issuers").status, 200);
}

TEST_F(SimMutualTls, KeepAliveReusesOneHandshakeAndNewConnectionsResume) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(api().get("/api/v1/issuers").status, 200);
  json stats = admin_json("/admin/stats");
  EXPECT_EQ(stats["tls_handshakes"], 1) << stats.dump();
  EXPECT_EQ(stats["requests"], 20);

  // Two handles sharing a TLS session cache: the second connection resumes the first's session.
  CURLSH* share = curl_share_init();
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  auto first = terminal_client();
  auto second = terminal_client();
  first->share(share);
  second->share(share);
  ASSERT_EQ(first->get("/api/v1/issuers").status, 200);
  ASSERT_EQ(second->get("/api/v1/issuers").status, 200);
  stats = admin_json("/admin/stats");
  EXPECT_EQ(stats["tls_handshakes"], 3);
  EXPECT_EQ(stats["tls_resumed"], 1) << stats.dump();
  first.reset();
  second.reset();
  curl_share_cleanup(share);
}

TEST_F(SimMutualTls, StoppedCleanlyAndStateSurvivesRestart) {
  const json body = zhangsan_case();
  const auto created = api().post("/api/v1/cases", body, {key_header("restart-key-000000001")});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string case_number = created.json_body()["case_number"];
  api_.reset();
  admin_.reset();
  EXPECT_EQ(stop(), 0) << "SIGTERM must end platform-sim with status 0";

  ASSERT_EQ(run_pki("revoke '" + pki_.string() + "' 510502-HALL-0002", log_), 0);
  ASSERT_EQ(run_pki("terminal '" + pki_.string() + "' 510502-HALL-0002", log_), 0);
  start();
  const auto progress = api().get("/api/v1/cases/" + case_number);
  ASSERT_EQ(progress.status, 200) << progress.body;
  EXPECT_EQ(progress.json_body()["local_receipt"], "L-0001-000042");
  const auto replayed = api().post("/api/v1/cases", body, {key_header("restart-key-000000001")});
  EXPECT_EQ(replayed.status, 201);
  EXPECT_EQ(replayed.header("idempotent-replayed"), "true");
  EXPECT_EQ(replayed.body, created.body);
  EXPECT_EQ(admin_json("/admin/cases").size(), 1u);

  // A terminal listed in pki/revoked is refused from the next start.
  const auto revoked = terminal_client("510502-HALL-0002")->get("/api/v1/issuers");
  EXPECT_EQ(revoked.status, 403);
  EXPECT_EQ(revoked.error_code(), "terminal_revoked");
}

}  // namespace
}  // namespace platform_sim_test
