// The registry's sam-serial and sam-usb entries: option errors name the config path, and a
// configured reader really opens its port.
#include "devices/idcard/sam_options.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "devices/idcard/emulator.h"
#include "devices/registry.h"

namespace kiosk::devices {
namespace {

using nlohmann::json;

std::string error_of(const json& reader) {
  auto devices = make_devices(json{{"card_reader", reader}}, DriverContext{KIOSK_TEST_ASSETS});
  return devices.ok() ? "" : devices.error().message;
}

TEST(SamOptions, SerialNeedsAPath) {
  EXPECT_EQ(error_of({{"driver", "sam-serial"}}).rfind("devices.card_reader.path: ", 0), 0u);
  EXPECT_EQ(error_of({{"driver", "sam-serial"}, {"path", 5}}).rfind("devices.card_reader.path: ", 0), 0u);
}

TEST(SamOptions, BadBaudAndPollRateNameTheirOption) {
  EXPECT_EQ(error_of({{"driver", "sam-serial"}, {"path", "/dev/null"}, {"baud", 1234}}),
            "devices.card_reader.baud: unsupported speed 1234 (9600, 19200, 38400, 57600, 115200)");
  EXPECT_EQ(error_of({{"driver", "sam-serial"}, {"path", "/dev/null"}, {"baud", "fast"}}),
            "devices.card_reader.baud: expected an integer");
  EXPECT_EQ(error_of({{"driver", "sam-serial"}, {"path", "/dev/null"}, {"poll_ms", 100}}).rfind(
                "devices.card_reader.poll_ms: expected 300", 0),
            0u);
}

TEST(SamOptions, UsbIdsAreHexStrings) {
  EXPECT_EQ(error_of({{"driver", "sam-usb"}, {"pid", "c35a"}}).rfind("devices.card_reader.vid: ", 0), 0u);
  EXPECT_EQ(error_of({{"driver", "sam-usb"}, {"vid", "0400"}, {"pid", "xyz"}}),
            "devices.card_reader.pid: expected 1 to 4 hex digits");
  EXPECT_EQ(error_of({{"driver", "sam-usb"}, {"vid", "0x10400"}, {"pid", "c35a"}}),
            "devices.card_reader.vid: expected 1 to 4 hex digits");
}

TEST(SamOptions, AnAbsentUsbReaderIsCreatedOffline) {
  auto devices = make_devices(json{{"card_reader", {{"driver", "sam-usb"}, {"vid", "0x0400"}, {"pid", "C35A"}}}},
                              DriverContext{KIOSK_TEST_ASSETS});
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  EXPECT_EQ(devices->card_reader->driver(), "sam-usb");
  hal::CardReader& reader = *devices->card_reader;
  EXPECT_EQ(reader.status().state, hal::DeviceState::offline);
  // The first open attempt fails and says where it looked.
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (reader.status().detail.find("0400:c35a") == std::string::npos && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(reader.status().state, hal::DeviceState::offline);
  EXPECT_NE(reader.status().detail.find("usb 0400:c35a"), std::string::npos) << reader.status().detail;
}

TEST(SamOptions, SerialReaderFromTheConfigComesOnline) {
  char pattern[] = "/tmp/idcard-options-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::filesystem::path directory = pattern;
  {
    auto pty = idcard::PtyEmulator::create(directory / "reader");
    ASSERT_TRUE(pty.ok()) << pty.error().message;
    auto devices = make_devices(
        json{{"card_reader", {{"driver", "sam-serial"}, {"path", (*pty)->device_path()}, {"baud", 115200}, {"poll_ms", 300}}}},
        DriverContext{KIOSK_TEST_ASSETS});
    ASSERT_TRUE(devices.ok()) << devices.error().message;
    hal::CardReader& reader = *devices->card_reader;
    EXPECT_EQ(reader.driver(), "sam-serial");
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (reader.status().state != hal::DeviceState::online && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(reader.status().state, hal::DeviceState::online) << hal::describe(reader.status());
    EXPECT_EQ(reader.sam_id(std::chrono::milliseconds(2000)).value(), (*pty)->emulator().sam_id());
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace kiosk::devices
