#include "kiosk/core/config.h"

#include <gtest/gtest.h>

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
    testing::Values(BadConfig{"not json", "config"}, BadConfig{"[1, 2]", "object"},
                    BadConfig{R"({"terminal_id": 7})", "terminal_id"},
                    BadConfig{R"({"display": {"width": "wide"}})", "width"}, BadConfig{R"({"display": {"pixels_per_inch": 5}})", "pixels_per_inch"},
                    BadConfig{R"({"inactivity_warning_seconds": 5})", "inactivity_warning_seconds"},
                    BadConfig{R"({"language": "fr"})", "language"},
                    BadConfig{R"({"display": {"renderer": "vulkan"}})", "display.renderer"},
                    BadConfig{R"({"elderly_mode": "yes"})", "elderly_mode"},
                    BadConfig{R"({"devices": []})", "devices"},
                    BadConfig{R"({"voice": true})", "voice"}, BadConfig{R"({"voice": {"volume_step": 9}})", "volume_step"},
                    BadConfig{R"({"voice": {"auto": "yes"}})", "auto"},
                    BadConfig{R"({"platform": []})", "platform"},
                    BadConfig{R"({"technician": {"pin_hash": "1234"}})", "technician.pin_hash"},
                    BadConfig{R"({"technician": {"max_tries": 0}})", "max_tries"},
                    BadConfig{R"({"ops": {"audit_log": "/var/lib/kiosk/audit.log"}})", "ops.audit_key_file"},
                    BadConfig{R"({"ops": {"metrics_interval_s": 0}})", "metrics_interval_s"},
                    BadConfig{R"({"ops": "on"})", "ops"},
                    BadConfig{R"({"platform": {"url": "http://plain"}})", "platform.url"},
                    BadConfig{R"({"platform": {"url": "https://p", "cert_file": "c", "key_file": "k"}})", "platform.ca_file"},
                    BadConfig{R"({"platform": {"url": "https://p", "ca_file": "a", "cert_file": "c", "key_file": "k",
                                  "pinned_public_key": "abc"}})", "platform.pinned_public_key"},
                    BadConfig{R"({"platform": {"url": "https://p", "ca_file": "a", "cert_file": "c", "key_file": "k",
                                  "heartbeat_s": 0}})", "heartbeat_s"},
                    BadConfig{"{\"hall_name\": \"\xFF\xFE\"}", "not valid JSON"},
                    BadConfig{R"({"terminal_id": "x")", "config"}));

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
