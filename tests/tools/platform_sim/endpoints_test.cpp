// platform-sim's endpoints against docs/platform-api.md: catalog with ETag and incremental sync,
// identity verification, cases with idempotency, progress, licences with signed PDFs, ratings,
// prints, heartbeats and queue tickets — each over real mutual TLS with libcurl.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <thread>

#include "tests/tools/platform_sim/sim_harness.h"

namespace platform_sim_test {
namespace {

class SimEndpoints : public SimFixture {};

std::string base64_decode(const std::string& text) {
  std::string out(text.size(), '\0');
  const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (size < 0) return {};
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<std::size_t>(size) - padding);
  return out;
}

// ECDSA P-256 / SHA-256 check with the issuer's PEM public key, independent of the simulator.
bool signature_verifies(const std::string& public_key_pem, const std::string& data, const std::string& signature) {
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!key) return false;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                   reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(context);
  EVP_PKEY_free(key);
  return ok;
}

TEST_F(SimEndpoints, CatalogFullNotModifiedAndIncremental) {
  const auto full = api().get("/api/v1/catalog?region=510502");
  ASSERT_EQ(full.status, 200);
  const json catalog = full.json_body();
  const std::string version = catalog["version"];
  EXPECT_EQ(full.header("etag"), "\"" + version + "\"");
  EXPECT_TRUE(catalog["full"].get<bool>());
  EXPECT_GE(catalog["items"].size(), 30u);
  EXPECT_GE(catalog["categories"].size(), 5u);
  EXPECT_FALSE(catalog["rating_reasons"].empty());
  EXPECT_FALSE(catalog["queue_categories"].empty());
  EXPECT_TRUE(catalog["items"][0].contains("materials"));

  EXPECT_EQ(api().get("/api/v1/catalog?region=510502", {"If-None-Match: \"" + version + "\""}).status, 304);

  json item = catalog["items"][3];
  item["name"] = "身份证办理进度查询（新版）";
  const auto changed = admin().post("/admin/catalog/items", item);
  ASSERT_EQ(changed.status, 200) << changed.body;
  ASSERT_EQ(admin().send("DELETE", "/admin/catalog/items/" + catalog["items"][4]["code"].get<std::string>(), nullptr).status, 200);

  EXPECT_EQ(api().get("/api/v1/catalog?region=510502", {"If-None-Match: \"" + version + "\""}).status, 200);
  const json delta = api().get("/api/v1/catalog?region=510502&since=" + version).json_body();
  EXPECT_FALSE(delta["full"].get<bool>());
  ASSERT_EQ(delta["items"].size(), 1u);
  EXPECT_EQ(delta["items"][0]["name"], "身份证办理进度查询（新版）");
  EXPECT_EQ(delta["removed"], json::array({catalog["items"][4]["code"]}));
  EXPECT_NE(delta["version"], version);

  const json unknown = api().get("/api/v1/catalog?region=510502&since=1999.01.01-0001").json_body();
  EXPECT_TRUE(unknown["full"].get<bool>());
  EXPECT_EQ(unknown["items"].size(), catalog["items"].size() - 1);
  EXPECT_EQ(api().get("/api/v1/catalog?region=51%ZZ").status, 400);
}

TEST_F(SimEndpoints, IdentityVerification) {
  EXPECT_EQ(verify("张三", "510502195803150137", "长期").size(), 32u);

  const json expired = {{"card", {{"name", "王芳"}, {"id_number", "510302197511030481"}, {"valid_until", "20240722"}}},
                        {"face_jpeg", "/9j/4AAQ"}};
  EXPECT_EQ(api().post("/api/v1/identity/verify", expired).json_body()["reason"], "card_expired");

  json no_face = expired;
  no_face["card"] = {{"name", "李思"}, {"id_number", "510504199008120247"}, {"valid_until", "20400105"}};
  no_face["face_jpeg"] = "iVBORw0KGgo=";  // a PNG, not a JPEG
  EXPECT_EQ(api().post("/api/v1/identity/verify", no_face).json_body()["reason"], "no_face");

  json stranger = no_face;
  stranger["card"]["name"] = "李四";
  stranger["face_jpeg"] = "/9j/4AAQ";
  EXPECT_EQ(api().post("/api/v1/identity/verify", stranger).json_body()["reason"], "card_invalid");

  ASSERT_EQ(admin().post("/admin/identity", json{{"id_number", "510502195803150137"}, {"face_match", false}}).status, 200);
  const json body = {{"card", {{"name", "张三"}, {"id_number", "510502195803150137"}, {"valid_until", "长期"}}},
                     {"face_jpeg", "/9j/4AAQ"}};
  const json mismatch = api().post("/api/v1/identity/verify", body).json_body();
  EXPECT_FALSE(mismatch["verified"].get<bool>());
  EXPECT_EQ(mismatch["reason"], "face_mismatch");
}

TEST_F(SimEndpoints, CaseIdempotency) {
  const json body = zhangsan_case();
  const auto created = api().post("/api/v1/cases", body, {key_header("case-key-0000000001")});
  ASSERT_EQ(created.status, 201) << created.body;
  const json answer = created.json_body();
  EXPECT_EQ(answer["status"], "received");
  EXPECT_EQ(answer["case_number"].get<std::string>().substr(0, 2), "SC");
  EXPECT_EQ(created.header("idempotent-replayed"), "");

  const auto replayed = api().post("/api/v1/cases", body, {key_header("case-key-0000000001")});
  EXPECT_EQ(replayed.status, 201);
  EXPECT_EQ(replayed.body, created.body);
  EXPECT_EQ(replayed.header("idempotent-replayed"), "true");

  json other = body;
  other["form"]["phone"] = "13900000000";
  const auto mismatch = api().post("/api/v1/cases", other, {key_header("case-key-0000000001")});
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.error_code(), "idempotency_mismatch");

  EXPECT_EQ(api().post("/api/v1/cases", body).error_code(), "bad_request");                         // no key
  EXPECT_EQ(api().post("/api/v1/cases", body, {key_header("short")}).status, 400);                  // too short
  EXPECT_EQ(api().post("/api/v1/cases", body, {key_header("bad key with spaces!!")}).status, 400);  // bad characters

  const json received = admin_json("/admin/cases");
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0]["idempotency_key"], "case-key-0000000001");
  EXPECT_EQ(received[0]["terminal"], kTerminal);
  const json material = received[0]["body"]["materials"][0];
  EXPECT_FALSE(material.contains("data")) << "material bytes are replaced by their size and digest";
  EXPECT_EQ(material["size"], 13);
  EXPECT_EQ(material["sha256"].get<std::string>().size(), 64u);
}

TEST_F(SimEndpoints, CaseValidationNamesTheFields) {
  json body = zhangsan_case();
  body["form"]["phone"] = "12345";
  body["applicant"]["id_number"] = "510502195803150138";  // wrong check digit
  const auto answer = api().post("/api/v1/cases", body, {key_header("case-key-invalid-01")});
  ASSERT_EQ(answer.status, 422);
  EXPECT_EQ(answer.error_code(), "validation_failed");
  const json error = answer.json_body()["error"];
  std::vector<std::string> fields;
  for (const auto& field : error["fields"]) fields.push_back(field["field"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"applicant.id_number", "form.phone"}));
  EXPECT_EQ(answer.body.find("510502195803150138"), std::string::npos) << "errors never repeat personal data";
}

TEST_F(SimEndpoints, ConcurrentDuplicateWhileInFlightIs409) {
  // The first request holds its key until the rules are cleared: no race with the clock.
  add_fault({{"latency_ms", 60000}, {"path_prefix", "/api/v1/cases"}, {"count", 1}});
  const json body = zhangsan_case();
  HttpAnswer first;
  std::thread slow([&] {
    auto client = terminal_client();
    first = client->post("/api/v1/cases", body, {key_header("in-flight-key-00001")});
  });
  // Wait (deterministically) until the first request holds the key.
  bool in_flight = false;
  for (int i = 0; i < 200 && !in_flight; ++i) {
    for (const auto& record : admin_json("/admin/idempotency")) in_flight |= record["state"] == "in_flight";
    if (!in_flight) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(in_flight);
  const auto duplicate = api().post("/api/v1/cases", body, {key_header("in-flight-key-00001")});
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.error_code(), "idempotency_in_flight");
  EXPECT_EQ(duplicate.header("retry-after"), "1");
  EXPECT_TRUE(duplicate.json_body()["error"]["retryable"].get<bool>());
  ASSERT_EQ(admin().send("DELETE", "/admin/faults", nullptr).status, 200);  // ends the injected wait
  slow.join();
  ASSERT_EQ(first.status, 201) << first.body;
  const auto retried = api().post("/api/v1/cases", body, {key_header("in-flight-key-00001")});
  EXPECT_EQ(retried.body, first.body);
  EXPECT_EQ(admin_json("/admin/cases").size(), 1u);
}

TEST_F(SimEndpoints, ProgressByNumberAndByQuery) {
  const auto sample = api().get("/api/v1/cases/SC20261121000102");
  ASSERT_EQ(sample.status, 200);
  EXPECT_EQ(sample.json_body()["status"], "in_review");
  EXPECT_EQ(sample.json_body()["steps"][2]["state"], "current");
  EXPECT_EQ(api().get("/api/v1/cases/SC20990101999999").error_code(), "not_found");

  const auto created = api().post("/api/v1/cases", zhangsan_case(), {key_header("progress-key-000001")});
  const std::string number = created.json_body()["case_number"];
  ASSERT_EQ(admin().post("/admin/cases/" + number + "/advance", std::string("{}")).status, 200);
  const json advanced = api().get("/api/v1/cases/" + number).json_body();
  EXPECT_EQ(advanced["status"], "in_review");
  EXPECT_EQ(advanced["steps"][1]["state"], "done");
  EXPECT_TRUE(advanced["steps"][1].contains("at"));
  EXPECT_EQ(advanced["local_receipt"], "L-0001-000042");
  // The local receipt number finds the same case (the terminal printed it while offline).
  const auto by_receipt = api().get("/api/v1/cases/L-0001-000042");
  ASSERT_EQ(by_receipt.status, 200) << by_receipt.body;
  EXPECT_EQ(by_receipt.json_body()["case_number"], number);
  EXPECT_EQ(api().get("/api/v1/cases/L-0001-999999").error_code(), "not_found");

  const json found = api().post("/api/v1/cases/query", json{{"id_number", "510502195803150137"}, {"name", "张三"}}).json_body();
  ASSERT_EQ(found["cases"].size(), 3u);
  EXPECT_EQ(found["cases"][0]["case_number"], number) << "newest first";
  const json nobody = api().post("/api/v1/cases/query", json{{"id_number", "510502195803150137"}, {"name", "李四"}}).json_body();
  EXPECT_TRUE(nobody["cases"].empty());
  const json waiting = api().get("/api/v1/cases/SC20261118000103").json_body();
  EXPECT_EQ(waiting["status"], "awaiting_citizen");
  EXPECT_FALSE(waiting["waiting_on_citizen"].empty());
}

// A case's status and its timeline say the same thing: a concluded status (已办结…) has 办结 done,
// and a finished case (delivered, rejected) every step done; a case still under way has a
// current step and 办结 not yet done. Empty when they agree, else what disagrees.
std::string disagreement(const json& found) {
  const std::string status = found["status"];
  const bool concluded = status == "approved" || status == "rejected" || status == "delivered";
  const bool finished = status == "rejected" || status == "delivered";
  bool decided = false, all_done = true, current = false;
  for (const json& step : found["steps"]) {
    if (step["name"] == "办结") decided = step["state"] == "done";
    all_done = all_done && step["state"] == "done";
    current = current || step["state"] == "current";
  }
  const std::string number = found["case_number"];
  if (concluded && !decided) return number + ": " + status + " but 办结 not done";
  if (finished && !all_done) return number + ": " + status + " but a step is not done";
  if (!concluded && decided) return number + ": " + status + " but 办结 done";
  if (!concluded && !current) return number + ": " + status + " but no step in progress";
  return {};
}

TEST_F(SimEndpoints, EverySampleCaseStatusAgreesWithItsTimeline) {
  for (const char* number : {"SC20261103000101", "SC20261121000102", "SC20261118000103", "SC20261110000104",
                             "SC20261124000105"}) {
    const auto answer = api().get(std::string("/api/v1/cases/") + number);
    ASSERT_EQ(answer.status, 200) << number;
    EXPECT_EQ(disagreement(answer.json_body()), "");
  }
}

TEST_F(SimEndpoints, AdvancingACaseKeepsStatusAndTimelineInStep) {
  const std::string number = "SC20261121000102";  // in review
  ASSERT_EQ(admin().post("/admin/cases/" + number + "/advance", std::string("{}")).status, 200);
  const json decided = api().get("/api/v1/cases/" + number).json_body();
  EXPECT_EQ(decided["status"], "approved");
  EXPECT_EQ(decided["steps"][3]["state"], "done");     // 办结: the decision, not a step in progress
  EXPECT_EQ(decided["steps"][4]["state"], "current");  // 领取
  EXPECT_EQ(disagreement(decided), "");
  ASSERT_EQ(admin().post("/admin/cases/" + number + "/advance", std::string("{}")).status, 200);
  const json delivered = api().get("/api/v1/cases/" + number).json_body();
  EXPECT_EQ(delivered["status"], "delivered");
  EXPECT_EQ(disagreement(delivered), "");
  EXPECT_EQ(admin().post("/admin/cases/" + number + "/advance", std::string("{}")).status, 409);
}

TEST_F(SimEndpoints, LicenceDocumentIsSignedByTheIssuer) {
  const std::string token = verify("张三", "510502195803150137", "长期");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(api().post("/api/v1/licences/query", json{{"identity_token", "forged"}}).error_code(), "validation_failed");
  const json licences = api().post("/api/v1/licences/query", json{{"identity_token", token}}).json_body()["licences"];
  ASSERT_EQ(licences.size(), 2u);
  const std::string id = licences[0]["id"];
  EXPECT_EQ(licences[0]["number_masked"].get<std::string>().find("0012345"), std::string::npos);

  const json document = api().post("/api/v1/licences/" + id + "/document", json{{"identity_token", token}}).json_body();
  const std::string pdf = base64_decode(document["pdf"]);
  const std::string signature = base64_decode(document["signature"]);
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(document["watermark"].get<std::string>().find("仅供办理政务服务事项时使用"), std::string::npos);

  const json issuers = api().get("/api/v1/issuers").json_body()["issuers"];
  ASSERT_EQ(issuers.size(), 1u);
  EXPECT_EQ(issuers[0]["key_id"], document["issuer_key_id"]);
  const std::string public_key = issuers[0]["public_key_pem"];
  EXPECT_TRUE(signature_verifies(public_key, pdf, signature));
  std::string tampered = pdf;
  tampered[tampered.size() / 2] = static_cast<char>(tampered[tampered.size() / 2] ^ 0x01);
  EXPECT_FALSE(signature_verifies(public_key, tampered, signature));

  // The same bytes again (rendered once), and nobody else's licence.
  const json again = api().post("/api/v1/licences/" + id + "/document", json{{"identity_token", token}}).json_body();
  EXPECT_EQ(again["pdf"], document["pdf"]);
  EXPECT_EQ(api().post("/api/v1/licences/LIC-510504-0003/document", json{{"identity_token", token}}).status, 404);
  api_.reset();
  admin_.reset();
  EXPECT_EQ(stop(), 0) << "a clean exit after rendering, also under LeakSanitizer";
}

TEST_F(SimEndpoints, RatingsNeedReasonsWhenBadAndOnlyOncePerCase) {
  const json bad = {{"case_number", "SC20261103000101"}, {"level", 1}, {"channel", "kiosk"}};
  const auto refused = api().post("/api/v1/ratings", bad, {key_header("rating-key-0000001")});
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json_body()["error"]["fields"][0]["field"], "reasons");

  json good = bad;
  good["level"] = 2;
  good["reasons"] = {"slow", "many_visits"};
  good["text"] = "等了很久";
  const auto rated = api().post("/api/v1/ratings", good, {key_header("rating-key-0000002")});
  ASSERT_EQ(rated.status, 201) << rated.body;
  EXPECT_EQ(api().post("/api/v1/ratings", good, {key_header("rating-key-0000002")}).body, rated.body);

  json again = good;
  again["level"] = 5;
  again.erase("reasons");
  const auto second = api().post("/api/v1/ratings", again, {key_header("rating-key-0000003")});
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(second.error_code(), "already_rated");

  const json hall = {{"level", 5}, {"channel", "kiosk"}};
  EXPECT_EQ(api().post("/api/v1/ratings", hall, {key_header("rating-key-0000004")}).status, 201);
  EXPECT_EQ(api().post("/api/v1/ratings", hall, {key_header("rating-key-0000005")}).status, 201);
  json long_text = hall;
  std::string text;
  for (int i = 0; i < 501; ++i) text += "好";  // 501 characters, 1503 bytes
  long_text["text"] = text;
  EXPECT_EQ(api().post("/api/v1/ratings", long_text, {key_header("rating-key-0000006")}).status, 422);
  EXPECT_EQ(admin_json("/admin/ratings").size(), 3u);
}

TEST_F(SimEndpoints, PrintsCountAgainstTheLimit) {
  const json licence = {{"kind", "licence"}, {"licence_id", "LIC-513431-0005"}, {"copies", 1}};
  const auto first = api().post("/api/v1/prints", licence, {key_header("print-key-00000001")});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json_body()["printed_total"], 1);
  EXPECT_EQ(first.json_body()["remaining"], 0);
  EXPECT_EQ(api().post("/api/v1/prints", licence, {key_header("print-key-00000001")}).body, first.body);
  EXPECT_EQ(api().post("/api/v1/prints", licence, {key_header("print-key-00000002")}).error_code(), "print_limit_reached");

  const json receipt = {{"kind", "receipt"}, {"case_number", "SC20261103000101"}, {"copies", 2}};
  const auto printed = api().post("/api/v1/prints", receipt, {key_header("print-key-00000003")});
  ASSERT_EQ(printed.status, 201);
  EXPECT_EQ(printed.json_body()["printed_total"], 2);
  EXPECT_FALSE(printed.json_body().contains("remaining"));
  EXPECT_EQ(admin_json("/admin/prints").size(), 2u);
}

TEST_F(SimEndpoints, HeartbeatAndQueueTickets) {
  const json beat = {{"terminal_time", "2026-11-25T14:03:00+08:00"}, {"app_version", "0.1.0"}, {"uptime_s", 3600},
                     {"devices", {{"card_reader", {{"state", "online"}, {"detail", ""}}}}},
                     {"outbox", {{"depth", 0}, {"oldest_age_s", 0}}}, {"staff_needed", false}};
  const auto answer = api().post("/api/v1/heartbeat", beat);
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.json_body()["heartbeat_s"], 60);
  EXPECT_EQ(admin_json("/admin/heartbeats")[0]["body"]["app_version"], "0.1.0");
  // The audit chain's head travels along (so a chain cut short on the terminal shows here).
  json audited = beat;
  audited["audit"] = {{"sequence", 42}, {"mac", std::string(64, 'a')}};
  ASSERT_EQ(api().post("/api/v1/heartbeat", audited).status, 200);
  EXPECT_EQ(admin_json("/admin/heartbeats")[1]["body"]["audit"]["sequence"], 42);
  for (const json& bad : {json{{"sequence", -1}, {"mac", ""}}, json{{"sequence", 1.5}, {"mac", "ab"}},
                          json{{"sequence", 1}, {"mac", "XYZ"}}, json{{"mac", "ab"}}, json("head")}) {
    json wrong = beat;
    wrong["audit"] = bad;
    const auto refused = api().post("/api/v1/heartbeat", wrong);
    EXPECT_GE(refused.status, 400) << bad.dump();
    EXPECT_LT(refused.status, 500) << bad.dump();
  }
  EXPECT_EQ(admin_json("/admin/heartbeats").size(), 2u);

  const auto ticket = api().post("/api/v1/queue/tickets", json{{"category", "A"}}, {key_header("ticket-key-0000001")});
  ASSERT_EQ(ticket.status, 201) << ticket.body;
  EXPECT_EQ(ticket.json_body()["ticket"], "A001");
  EXPECT_EQ(ticket.json_body()["category_name"], "综合受理");
  EXPECT_EQ(api().post("/api/v1/queue/tickets", json{{"category", "A"}}, {key_header("ticket-key-0000002")}).json_body()["ticket"],
            "A002");
  const auto priority =
      api().post("/api/v1/queue/tickets", json{{"category", "A"}, {"priority", "elderly"}}, {key_header("ticket-key-0000003")});
  EXPECT_EQ(priority.status, 422);
  const std::string token = verify("张三", "510502195803150137", "长期");
  const auto verified = api().post("/api/v1/queue/tickets", json{{"category", "A"}, {"priority", "elderly"}, {"identity_token", token}},
                                   {key_header("ticket-key-0000004")});
  EXPECT_EQ(verified.status, 201) << verified.body;
  EXPECT_EQ(admin_json("/admin/tickets")[1]["idempotency_key"], "ticket-key-0000002");
}

}  // namespace
}  // namespace platform_sim_test
