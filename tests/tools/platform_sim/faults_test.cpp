// platform-sim's fault injection (POST /admin/faults) as a terminal's client sees it, and its
// answers to malformed, oversized or garbage requests over real TLS.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tests/tools/platform_sim/sim_harness.h"

namespace platform_sim_test {
namespace {

class SimFaults : public SimFixture {
 protected:
  // Sends raw bytes over a mutual-TLS connection and returns everything until the server closes.
  std::string raw_exchange(const std::string& bytes) {
    SSL_CTX* context = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(context, (pki_ / "ca.crt").c_str(), nullptr);
    const fs::path terminal = pki_ / "terminals" / kTerminal;
    SSL_CTX_use_certificate_file(context, (terminal.string() + ".crt").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(context, (terminal.string() + ".key").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    BIO* bio = BIO_new_ssl_connect(context);
    const std::string address = "127.0.0.1:" + std::to_string(sim_->port());
    BIO_set_conn_hostname(bio, address.c_str());
    std::string answer;
    if (BIO_do_connect(bio) == 1 && BIO_write(bio, bytes.data(), static_cast<int>(bytes.size())) > 0) {
      char chunk[4096];
      int got = 0;
      while ((got = BIO_read(bio, chunk, sizeof chunk)) > 0) answer.append(chunk, static_cast<std::size_t>(got));
    }
    BIO_free_all(bio);
    SSL_CTX_free(context);
    return answer;
  }
};

TEST_F(SimFaults, LatencyDelaysOneAnswer) {
  add_fault({{"latency_ms", 400}, {"count", 1}});
  const auto slow = api().get("/api/v1/issuers");
  EXPECT_EQ(slow.status, 200);
  EXPECT_GE(slow.seconds, 0.4);
  EXPECT_TRUE(admin_json("/admin/faults").empty()) << "a rule with count 1 is used up by one request";
}

TEST_F(SimFaults, StatusFaultAnswers503WithRetryAfterAndProcessesNothing) {
  add_fault({{"status", 503}, {"retry_after_s", 2}, {"count", 2}});
  for (int i = 0; i < 2; ++i) {
    const auto answer = api().post("/api/v1/cases", zhangsan_case(), {key_header("unavailable-key-001")});
    EXPECT_EQ(answer.status, 503);
    EXPECT_EQ(answer.header("retry-after"), "2");
    EXPECT_EQ(answer.error_code(), "unavailable");
    EXPECT_TRUE(answer.json_body()["error"]["retryable"].get<bool>());
  }
  EXPECT_TRUE(admin_json("/admin/cases").empty());
  EXPECT_EQ(api().post("/api/v1/cases", zhangsan_case(), {key_header("unavailable-key-001")}).status, 201);
}

TEST_F(SimFaults, DropClosesWithoutAnAnswerAndProcessesNothing) {
  add_fault({{"drop", true}, {"path_prefix", "/api/v1/cases"}, {"count", 1}});
  const auto dropped = api().post("/api/v1/cases", zhangsan_case(), {key_header("dropped-key-0000001")});
  EXPECT_NE(dropped.code, CURLE_OK);
  EXPECT_EQ(dropped.status, 0);
  EXPECT_TRUE(admin_json("/admin/cases").empty());
  const auto retried = api().post("/api/v1/cases", zhangsan_case(), {key_header("dropped-key-0000001")});
  EXPECT_EQ(retried.status, 201);
  EXPECT_EQ(retried.header("idempotent-replayed"), "");
}

TEST_F(SimFaults, StalledBodyTimesTheClientOutAfterTheHead) {
  add_fault({{"stall_body_ms", 60000}, {"path_prefix", "/api/v1/issuers"}, {"count", 1}});
  api().set_timeout_ms(1000);
  const auto stalled = api().get("/api/v1/issuers");
  EXPECT_EQ(stalled.code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_EQ(stalled.status, 200) << "the head arrived before the stall";
  ASSERT_FALSE(stalled.header("content-length").empty());
  EXPECT_LT(stalled.body.size(), std::stoul(stalled.header("content-length")));
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);  // lets the stalled writer go

  add_fault({{"stall_body_ms", 300}, {"path_prefix", "/api/v1/issuers"}, {"count", 1}});
  api().set_timeout_ms(15000);
  const auto late = api().get("/api/v1/issuers");
  EXPECT_EQ(late.code, CURLE_OK);
  EXPECT_GE(late.seconds, 0.3);
  EXPECT_TRUE(late.json_body().contains("issuers"));
}

TEST_F(SimFaults, TlsResetLosesTheAnswerButNotTheWork) {
  add_fault({{"tls_reset", true}, {"path_prefix", "/api/v1/cases"}, {"count", 1}});
  const auto reset = api().post("/api/v1/cases", zhangsan_case(), {key_header("reset-key-000000001")});
  EXPECT_NE(reset.code, CURLE_OK);
  EXPECT_EQ(admin_json("/admin/cases").size(), 1u) << "the case was stored before the reset";
  const auto retried = api().post("/api/v1/cases", zhangsan_case(), {key_header("reset-key-000000001")});
  EXPECT_EQ(retried.status, 201);
  EXPECT_EQ(retried.header("idempotent-replayed"), "true");
  EXPECT_EQ(admin_json("/admin/cases").size(), 1u);
}

TEST_F(SimFaults, MalformedBodiesAre400WithTheErrorShape) {
  const std::vector<std::string> bodies = {
      "{\"level\": 5",                          // truncated
      "[1, 2, 3]",                              // not an object
      "{\"level\": \"5\"}",                     // wrong type
      "\xff\xfe{}",                             // not UTF-8
      std::string(100, '[') + std::string(100, ']'),  // nested too deeply
      "",                                       // empty
  };
  for (const auto& body : bodies) {
    const auto answer = api().post("/api/v1/ratings", body, {key_header("malformed-key-00001")});
    EXPECT_EQ(answer.status, 400) << body;
    const json error = answer.json_body()["error"];
    EXPECT_EQ(error["code"], "bad_request");
    EXPECT_FALSE(error["message"].get<std::string>().empty());
    EXPECT_FALSE(error["retryable"].get<bool>());
  }
  EXPECT_EQ(api().get("/api/v1/nothing-here").error_code(), "not_found");
  EXPECT_EQ(api().get("/api/v1/cases").status, 405);
}

TEST_F(SimFaults, OversizedBodyIs413BeforeItIsRead) {
  const std::string huge((16u << 20) + 1, ' ');
  const auto answer = api().post("/api/v1/cases", huge, {key_header("oversized-key-00001")});
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(answer.error_code(), "too_large");
}

TEST_F(SimFaults, GarbageOverTlsGets400AndAClose) {
  const std::string answer = raw_exchange("HELLO THERE\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_NE(answer.find("\"bad_request\""), std::string::npos);
  const std::string chunked = raw_exchange("POST /api/v1/heartbeat HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.substr(0, 12), "HTTP/1.1 400") << chunked;
  const std::string head(20000, 'a');
  EXPECT_EQ(raw_exchange("GET /" + head + " HTTP/1.1\r\n\r\n").substr(0, 12), "HTTP/1.1 431");
}

TEST_F(SimFaults, AdminRefusesBadRulesAndClearsRules) {
  EXPECT_EQ(admin().post("/admin/faults", json{{"status", 200}}).status, 400);
  EXPECT_EQ(admin().post("/admin/faults", json{{"latency", 5}}).status, 400);
  EXPECT_EQ(admin().post("/admin/faults", std::string("{not json")).status, 400);
  add_fault({{"status", 500}});
  EXPECT_EQ(api().get("/api/v1/issuers").error_code(), "internal");
  EXPECT_EQ(api().get("/api/v1/issuers").status, 500) << "count -1 lasts until cleared";
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);
  EXPECT_EQ(api().get("/api/v1/issuers").status, 200);
}

}  // namespace
}  // namespace platform_sim_test
