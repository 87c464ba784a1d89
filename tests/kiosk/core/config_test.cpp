#include "kiosk/core/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

namespace kiosk {
namespace {

TEST(Config, EmptyObjectGivesDefaults) {
  auto config = parse_config("{}");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->display_width, 1080);
  EXPECT_EQ(config->display_height, 1920);
  EXPECT_GE(config->inactivity_warning_seconds, 20);  // WCAG 2.2.1
}

TEST(Config, ReadsFields) {
  auto config = parse_config(R"({"terminal_id": "LZ-0042", "elderly_mode": true, "language": "en",
                                 "inactivity_seconds": 120, "devices": {"card_reader": {"driver": "sim"}},
                                 "voice": {"enabled": true, "auto": false, "words_per_minute": 130, "volume_step": 5}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->terminal_id, "LZ-0042");
  EXPECT_TRUE(config->elderly_mode);
  EXPECT_EQ(config->language, "en");
  EXPECT_EQ(config->inactivity_seconds, 120);
  EXPECT_EQ(config->devices["card_reader"]["driver"], "sim");
  EXPECT_TRUE(config->voice.enabled);
  EXPECT_FALSE(config->voice.automatic);
  EXPECT_EQ(config->voice.words_per_minute, 130);
  EXPECT_EQ(config->voice.volume_step, 5);
}

struct BadConfig {
  const char* json;
  const char* mentions;
};

class ConfigRejects : public testing::TestWithParam<BadConfig> {};

TEST_P(ConfigRejects, NamesTheProblem) {
  auto config = parse_config(GetParam().json);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().kind, ErrorKind::parse);
  EXPECT_NE(config.error().message.find(GetParam().mentions), std::string::npos) << config.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ConfigRejects,
    testing::Values(BadConfig{"not json", "not valid JSON at line 1, column 2"}, BadConfig{"[1, 2]", "object"},
                    BadConfig{R"({"terminal_id": 7})", "terminal_id: expected a string"},
                    BadConfig{R"({"display": {"width": "wide"}})", "display.width: expected an integer"},
                    BadConfig{R"({"display": {"pixels_per_inch": 5}})", "display.pixels_per_inch: expected a number from 40 to 600"},
                    BadConfig{R"({"inactivity_warning_seconds": 5})", "inactivity_warning_seconds: expected an integer from 20"},
                    BadConfig{R"({"language": "fr"})", "language: expected one of \"zh\", \"en\""},
                    BadConfig{R"({"display": {"renderer": "vulkan"}})", "display.renderer: expected one of"},
                    BadConfig{R"({"elderly_mode": "yes"})", "elderly_mode: expected true or false"},
                    BadConfig{R"({"devices": []})", "devices: expected an object"},
                    BadConfig{R"({"voice": true})", "voice: expected an object"},
                    BadConfig{R"({"voice": {"volume_step": 9}})", "voice.volume_step: expected an integer from 1 to 5"},
                    BadConfig{R"({"voice": {"auto": "yes"}})", "voice.auto: expected true or false"},
                    BadConfig{R"({"platform": []})", "platform: expected an object"},
                    BadConfig{R"({"technician": {"pin_hash": "1234"}})", "technician.pin_hash"},
                    BadConfig{R"({"technician": {"max_tries": 0}})", "technician.max_tries"},
                    BadConfig{R"({"ops": {"audit_log": "/var/lib/kiosk/audit.log"}})", "ops.audit_key_file"},
                    BadConfig{R"({"ops": {"metrics_interval_s": 0}})", "ops.metrics_interval_s"},
                    BadConfig{R"({"ops": "on"})", "ops: expected an object"},
                    BadConfig{R"({"platform": {"url": "http://plain"}})", "platform.url"},
                    BadConfig{R"({"platform": {"url": "https://p", "cert_file": "c", "key_file": "k"}})", "platform.ca_file"},
                    BadConfig{R"({"platform": {"url": "https://p", "ca_file": "a", "cert_file": "c", "key_file": "k",
                                  "pinned_public_key": "abc"}})", "platform.pinned_public_key"},
                    BadConfig{R"({"platform": {"url": "https://p", "ca_file": "a", "cert_file": "c", "key_file": "k",
                                  "heartbeat_s": 0}})", "platform.heartbeat_s"},
                    BadConfig{"{\"hall_name\": \"\xFF\xFE\"}", "not valid JSON at line 1, column 16"},
                    BadConfig{R"({"terminal_id": "x")", "not valid JSON at line 1, column 20"},
                    // Unknown keys: the full path, and the key meant when one is near.
                    BadConfig{R"({"langauge": "fr"})", "unknown key `langauge`; did you mean `language`?"},
                    BadConfig{R"({"display": {"widht": 1080}})", "unknown key `display.widht`; did you mean `display.width`?"},
                    BadConfig{R"({"voice": {"enable": false}})", "unknown key `voice.enable`; did you mean `voice.enabled`?"},
                    BadConfig{R"({"platform": {"url": "https://p", "ca_file": "a", "cert_file": "c", "key_file": "k",
                                  "cafile": "b"}})", "unknown key `platform.cafile`; did you mean `platform.ca_file`?"},
                    BadConfig{R"({"display": {}, "width": 1080})", "unknown key `width`; did you mean `display.width`?"},
                    BadConfig{R"({"ops": {"frobnicate": 1}})", "unknown key `ops.frobnicate` (known here: admin_group, audit_key_file"},
                    BadConfig{R"({"_comment": "no comment keys"})", "unknown key `_comment`"}));

// The error names the line and column (in characters) of a syntax error deep in a real file.
TEST(Config, SyntaxErrorsGiveLineAndColumn) {
  auto config = parse_config("{\n  \"hall_name\": \"泸州市政务服务中心\",\n  \"display\": {\"width\": 1080,}\n}\n");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("line 3, column 29"), std::string::npos) << config.error().message;
  EXPECT_EQ(config.error().message.find("last read"), std::string::npos) << config.error().message;
}

TEST(Config, AnUnknownKeyIsTheWholeMessage) {
  auto config = parse_config(R"({"langauge": "fr"})");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "unknown key `langauge`; did you mean `language`?");
}

TEST(Config, ClosestKeySuggestsOnlyNearKeys) {
  const std::vector<std::string> known = {"language", "elderly_mode", "card_reader", "face_camera"};
  EXPECT_EQ(closest_key("langauge", known), "language");
  EXPECT_EQ(closest_key("card_raeder", known), "card_reader");
  EXPECT_EQ(closest_key("elderlymode", known), "elderly_mode");
  EXPECT_EQ(closest_key("foo", known), std::nullopt);
  EXPECT_EQ(closest_key("camera", known), std::nullopt);
}

// Every config this repository ships or runs with loads under the strict parser.
TEST(Config, RepositoryConfigsLoad) {
  const std::filesystem::path assets = KIOSK_TEST_ASSETS;
  std::vector<std::filesystem::path> files = {assets.parent_path() / "packaging" / "config.json"};
  for (const auto& entry : std::filesystem::directory_iterator(assets / "config")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  ASSERT_GE(files.size(), 2u);
  for (const auto& file : files) {
    auto config = load_config(file);
    EXPECT_TRUE(config.ok()) << file << ": " << config.error().message;
  }
}

TEST(Config, OpsPartsAreOffUnlessConfigured) {
  auto defaults = parse_config("{}");
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->ops.control_socket.empty());
  EXPECT_TRUE(defaults->ops.metrics_dir.empty());
  EXPECT_TRUE(defaults->technician.pin_hash.empty());
  EXPECT_EQ(defaults->technician.max_tries, 5);
  auto set = parse_config(R"({"technician": {"pin_hash": "pbkdf2-sha256$1000$00$00", "max_tries": 3},
                              "ops": {"control_socket": "/run/k.sock", "metrics_dir": "/m", "audit_log": "/a",
                                      "audit_key_file": "/k", "metrics_interval_s": 30}})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->technician.max_tries, 3);
  EXPECT_EQ(set->ops.control_socket, "/run/k.sock");
  EXPECT_EQ(set->ops.metrics_interval_s, 30);
  EXPECT_EQ(set->ops.audit_key_file, "/k");
}

TEST(Config, PlatformIsOffUnlessConfigured) {
  EXPECT_FALSE(parse_config("{}").value().platform.enabled);
  auto config = parse_config(R"({"platform": {"url": "https://127.0.0.1:8443", "region": "510500", "ca_file": "pki/ca.pem",
    "cert_file": "pki/t.pem", "key_file": "pki/t.key", "data_dir": "/tmp/k", "catalog_poll_s": 60}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config.value().platform.enabled);
  EXPECT_EQ(config.value().platform.region, "510500");
  EXPECT_EQ(config.value().platform.key_file, "pki/t.key");
  EXPECT_EQ(config.value().platform.catalog_poll_s, 60);
  EXPECT_EQ(config.value().platform.heartbeat_s, 60);
}

TEST(Config, MissingFileIsAnIoError) {
  auto config = load_config("/nonexistent/kiosk.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().kind, ErrorKind::not_found);
  EXPECT_NE(config.error().message.find("/nonexistent/kiosk.json"), std::string::npos);
}

}  // namespace
}  // namespace kiosk
