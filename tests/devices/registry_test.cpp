#include "devices/registry.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "devices/sim/identities.h"
#include "devices/sim/pnm.h"

namespace kiosk::devices {
namespace {

using hal::DeviceClass;
using nlohmann::json;

DriverContext context() { return DriverContext{KIOSK_TEST_ASSETS}; }

json all_sims() {
  json config = json::object();
  for (DeviceClass device : hal::kAllDeviceClasses) config[hal::to_string(device)] = json{{"driver", "sim"}};
  return config;
}

TEST(Registry, SimForEveryClass) {
  auto devices = make_devices(all_sims(), context());
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  for (DeviceClass device : hal::kAllDeviceClasses) {
    SCOPED_TRACE(hal::to_string(device));
    hal::Device* made = devices->get(device);
    ASSERT_NE(made, nullptr);
    EXPECT_EQ(made->device_class(), device);
    EXPECT_EQ(made->driver(), "sim");
    EXPECT_TRUE(made->status().ready()) << hal::describe(made->status());
  }
  EXPECT_NE(devices->card_reader, nullptr);
  EXPECT_NE(devices->face_camera, nullptr);
  EXPECT_NE(devices->document_camera, nullptr);
  EXPECT_NE(devices->receipt_printer, nullptr);
  EXPECT_NE(devices->document_printer, nullptr);
}

TEST(Registry, TheDemoConfigBuildsEveryDevice) {
  std::ifstream in(std::string(KIOSK_TEST_ASSETS) + "/config/demo.json");
  std::ostringstream text;
  text << in.rdbuf();
  const json config = json::parse(text.str(), nullptr, false);
  ASSERT_FALSE(config.is_discarded());
  auto devices = make_devices(config["devices"], context());
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  for (DeviceClass device : hal::kAllDeviceClasses) EXPECT_NE(devices->get(device), nullptr) << hal::to_string(device);
  EXPECT_GT(devices->face_camera->capabilities().width, 0);
  EXPECT_GT(devices->document_camera->capabilities().width, 0);
}

TEST(Registry, NoneAndAbsentClassesHaveNoDevice) {
  auto devices = make_devices(json{{"card_reader", {{"driver", "sim"}}}, {"receipt_printer", {{"driver", "none"}}}}, context());
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  EXPECT_NE(devices->card_reader, nullptr);
  EXPECT_EQ(devices->receipt_printer, nullptr);  // "none"
  EXPECT_EQ(devices->face_camera, nullptr);      // absent
  EXPECT_EQ(devices->document_camera, nullptr);
  EXPECT_EQ(devices->document_printer, nullptr);
  EXPECT_EQ(devices->get(DeviceClass::receipt_printer), nullptr);
}

TEST(Registry, EmptyConfigMeansNoDevices) {
  auto devices = make_devices(json::object(), context());
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  for (DeviceClass device : hal::kAllDeviceClasses) EXPECT_EQ(devices->get(device), nullptr);
}

TEST(Registry, UnknownDriverNamesTheConfigPathAndTheKnownDrivers) {
  auto devices = make_devices(json{{"receipt_printer", {{"driver", "foo"}}}}, context());
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.error().kind, ErrorKind::parse);
  const std::string& message = devices.error().message;
  EXPECT_EQ(message.rfind("devices.receipt_printer.driver: unknown driver \"foo\" (known: sim, ", 0), 0u) << message;
  // Every receipt printer driver of this build is named.
  for (const std::string& name : driver_names(DeviceClass::receipt_printer)) {
    EXPECT_NE(message.find(name), std::string::npos) << name << " missing from: " << message;
  }
}

TEST(Registry, UnknownDriverForEachClass) {
  for (DeviceClass device : hal::kAllDeviceClasses) {
    auto devices = make_devices(json{{hal::to_string(device), {{"driver", "escpos9000"}}}}, context());
    ASSERT_FALSE(devices.ok()) << hal::to_string(device);
    EXPECT_EQ(devices.error().message.rfind(std::string("devices.") + hal::to_string(device) + ".driver: ", 0), 0u)
        << devices.error().message;
    EXPECT_NE(devices.error().message.find("escpos9000"), std::string::npos);
  }
}

TEST(Registry, DriverNamesListSimFirstAndNoneLast) {
  for (DeviceClass device : hal::kAllDeviceClasses) {
    const auto names = driver_names(device);
    ASSERT_GE(names.size(), 2u) << hal::to_string(device);
    EXPECT_EQ(names.front(), "sim") << hal::to_string(device);
    EXPECT_EQ(names.back(), "none") << hal::to_string(device);
  }
  // The real drivers of this build.
  const auto has = [](DeviceClass device, const std::string& name) {
    const auto names = driver_names(device);
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has(DeviceClass::card_reader, "sam-serial"));
  EXPECT_TRUE(has(DeviceClass::card_reader, "sam-usb"));
  EXPECT_TRUE(has(DeviceClass::document_printer, "cups"));
  for (const DriverEntry& entry : driver_table()) {
    EXPECT_NE(std::string(entry.name), "none");
    EXPECT_FALSE(std::string(entry.description).empty());
    EXPECT_TRUE(static_cast<bool>(entry.create));
  }
}

TEST(Registry, CardOptionPlacesASampleCard) {
  auto devices = make_devices(json{{"card_reader", {{"driver", "sim"}, {"card", "zhangsan"}}}}, context());
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  ASSERT_NE(devices->card_reader, nullptr);
  EXPECT_TRUE(devices->card_reader->status().card_present);
  auto card = devices->card_reader->read_card(hal::CancelToken{}, hal::milliseconds(100));
  ASSERT_TRUE(card.ok()) << card.error().message;
  auto expected = sim::load_sample_identity(KIOSK_TEST_ASSETS, "zhangsan");
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(card->id_number, expected->id_number);
  EXPECT_EQ(card->name, expected->name);
}

TEST(Registry, FramesOptionLoadsImagesRelativeToTheAssets) {
  auto devices = make_devices(json{{"document_camera", {{"driver", "sim"}, {"frames", {"images/document-page.pgm"}}}}},
                              context());
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  auto expected = sim::load_pnm(std::string(KIOSK_TEST_ASSETS) + "/images/document-page.pgm");
  ASSERT_TRUE(expected.ok()) << expected.error().message;
  EXPECT_EQ(devices->document_camera->capabilities().width, expected->width);
  EXPECT_EQ(devices->document_camera->capabilities().height, expected->height);
  auto frame = devices->document_camera->capture(hal::CancelToken{}, hal::milliseconds(100));
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->format, hal::PixelFormat::gray8);
}

struct BadDevices {
  const char* name;
  const char* config;
  const char* message;  // the start of the error message
};

void PrintTo(const BadDevices& bad, std::ostream* out) { *out << bad.name; }

class RegistryRejects : public testing::TestWithParam<BadDevices> {};

TEST_P(RegistryRejects, NamesTheConfigPath) {
  const json config = json::parse(GetParam().config);
  auto devices = make_devices(config, context());
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.error().kind, ErrorKind::parse);
  EXPECT_EQ(devices.error().message.rfind(GetParam().message, 0), 0u) << devices.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    BadOptions, RegistryRejects,
    testing::Values(
        BadDevices{"not_an_object", R"([])", "devices: expected an object"},
        BadDevices{"string", R"("sim")", "devices: expected an object"},
        BadDevices{"unknown_class", R"({"scanner": {"driver": "sim"}})",
                   "unknown key `devices.scanner` (known here: card_reader, face_camera, document_camera, receipt_printer, "
                   "document_printer)"},
        BadDevices{"misspelt_class", R"({"card_raeder": {"driver": "sim"}})",
                   "unknown key `devices.card_raeder`; did you mean `devices.card_reader`?"},
        BadDevices{"misspelt_option", R"({"card_reader": {"driver": "sam-serial", "path": "/dev/ttyUSB0", "buad": 115200}})",
                   "unknown key `devices.card_reader.buad`; did you mean `devices.card_reader.baud`?"},
        BadDevices{"misspelt_driver_key", R"({"receipt_printer": {"drivr": "sim", "driver": "sim"}})",
                   "unknown key `devices.receipt_printer.drivr`; did you mean `devices.receipt_printer.driver`?"},
        BadDevices{"option_of_another_driver", R"({"card_reader": {"driver": "sam-usb", "vid": "0400", "pid": "C35A", "baud": 9600}})",
                   "unknown key `devices.card_reader.baud` (known for driver sam-usb: driver, vid, pid, poll_ms)"},
        BadDevices{"sim_printer_takes_no_options", R"({"receipt_printer": {"driver": "sim", "width_dots": 576}})",
                   "unknown key `devices.receipt_printer.width_dots` (known for driver sim: driver)"},
        BadDevices{"none_takes_no_options", R"({"face_camera": {"driver": "none", "path": "/dev/video0"}})",
                   "unknown key `devices.face_camera.path` (known for driver none: driver)"},
        BadDevices{"class_not_object", R"({"card_reader": "sim"})", "devices.card_reader: expected an object"},
        BadDevices{"driver_missing", R"({"face_camera": {}})", "devices.face_camera.driver: expected a driver name"},
        BadDevices{"driver_number", R"({"receipt_printer": {"driver": 1}})",
                   "devices.receipt_printer.driver: expected a driver name"},
        BadDevices{"driver_case", R"({"document_printer": {"driver": "SIM"}})",
                   "devices.document_printer.driver: unknown driver \"SIM\""},
        BadDevices{"card_number", R"({"card_reader": {"driver": "sim", "card": 3}})",
                   "devices.card_reader.card: expected a sample name"},
        BadDevices{"card_path_escape", R"({"card_reader": {"driver": "sim", "card": "../config/demo"}})",
                   "devices.card_reader.card: bad sample identity name"},
        BadDevices{"card_unknown", R"({"card_reader": {"driver": "sim", "card": "nobody"}})", "devices.card_reader.card: "},
        BadDevices{"frames_string", R"({"face_camera": {"driver": "sim", "frames": "images/face-ok.ppm"}})",
                   "devices.face_camera.frames: expected an array of image paths"},
        BadDevices{"frames_number", R"({"face_camera": {"driver": "sim", "frames": [1]}})",
                   "devices.face_camera.frames: expected an array of image paths"},
        BadDevices{"frames_missing_file", R"({"document_camera": {"driver": "sim", "frames": ["images/none.pgm"]}})",
                   "devices.document_camera.frames: "},
        BadDevices{"frames_not_an_image", R"({"face_camera": {"driver": "sim", "frames": ["catalog/items.json"]}})",
                   "devices.face_camera.frames: "}),
    [](const testing::TestParamInfo<BadDevices>& parameter) { return std::string(parameter.param.name); });

// A misspelt option is refused before any driver runs: no device of the config is made.
TEST(Registry, AnUnknownOptionIsRefusedBeforeAnyDeviceIsMade) {
  const json config = json::parse(R"({"card_reader": {"driver": "sim"},
                                      "document_printer": {"driver": "cups", "printer": "licence", "job_timeout": 60}})");
  const Status checked = check_devices(config);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message,
            "unknown key `devices.document_printer.job_timeout`; did you mean `devices.document_printer.job_timeout_s`?");
  auto devices = make_devices(config, context());
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.error().message, checked.error().message);
}

// The option names each driver declares are the ones it reads: each declared option given a
// value of no option's type (an object) is refused by the driver itself, naming that option.
// (The other way round — an option read but not declared — fails the configs below and the
// drivers' own tests, which give every option they document.)
TEST(Registry, EveryDeclaredOptionIsReadByItsDriver) {
  // What each driver needs besides the option under test.
  const std::map<std::string, json> required = {
      {"sam-serial", {{"path", "/dev/null"}}},         {"sam-usb", {{"vid", "0400"}, {"pid", "C35A"}}},
      {"v4l2", {{"path", "/dev/video-none"}}},         {"escpos-serial", {{"path", "/dev/null"}}},
      {"cups", {{"printer", "licence"}}}};
  for (const DriverEntry& entry : driver_table()) {
    for (const std::string& option : entry.options) {
      const std::string where = std::string("devices.") + hal::to_string(entry.device) + "." + option;
      SCOPED_TRACE(std::string(entry.name) + ": " + where);
      json options = required.count(entry.name) ? required.at(entry.name) : json::object();
      options["driver"] = entry.name;
      options[option] = json::object();
      EXPECT_TRUE(check_devices(json{{hal::to_string(entry.device), options}}).ok());
      auto devices = make_devices(json{{hal::to_string(entry.device), options}}, context());
      ASSERT_FALSE(devices.ok());
      EXPECT_EQ(devices.error().message.rfind(where + ": ", 0), 0u) << devices.error().message;
    }
  }
}

// The configs the repo ships name only known classes, drivers and options (the journeys run the
// kiosk with tests/platform/run-with-sim's, which it refuses with status 2 otherwise).
TEST(Registry, TheShippedConfigsPassTheChecks) {
  const std::string assets = KIOSK_TEST_ASSETS;
  for (const std::string& file : {assets + "/config/demo.json", assets + "/../packaging/config.json"}) {
    SCOPED_TRACE(file);
    std::ifstream in(file);
    ASSERT_TRUE(in.good());
    std::ostringstream text;
    text << in.rdbuf();
    const json config = json::parse(text.str(), nullptr, false);
    ASSERT_TRUE(config.is_object() && config.contains("devices"));
    const Status checked = check_devices(config["devices"]);
    EXPECT_TRUE(checked.ok()) << checked.error().message;
  }
}

TEST(Registry, FrameErrorsNameTheFile) {
  auto devices = make_devices(json::parse(R"({"document_camera": {"driver": "sim", "frames": ["images/none.pgm"]}})"),
                              context());
  ASSERT_FALSE(devices.ok());
  EXPECT_NE(devices.error().message.find("images/none.pgm"), std::string::npos) << devices.error().message;
}

TEST(Registry, DevicesStructGetMatchesMembers) {
  hal::Devices devices;
  for (DeviceClass device : hal::kAllDeviceClasses) EXPECT_EQ(devices.get(device), nullptr);
  auto made = make_devices(all_sims(), context());
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->get(DeviceClass::card_reader), made->card_reader.get());
  EXPECT_EQ(made->get(DeviceClass::face_camera), made->face_camera.get());
  EXPECT_EQ(made->get(DeviceClass::document_camera), made->document_camera.get());
  EXPECT_EQ(made->get(DeviceClass::receipt_printer), made->receipt_printer.get());
  EXPECT_EQ(made->get(DeviceClass::document_printer), made->document_printer.get());
}

}  // namespace
}  // namespace kiosk::devices
