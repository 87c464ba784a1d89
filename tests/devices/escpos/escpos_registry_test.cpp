// The escpos-serial / escpos-usb entries of the driver registry (devices/registry.cpp): options
// are checked with the config path in the message, and a configured printer really talks ESC/POS.
#include <algorithm>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "devices/escpos/printer_emulator.h"
#include "devices/registry.h"

namespace kiosk::devices {
namespace {

using nlohmann::json;

Result<hal::Devices> make(const json& receipt_printer) {
  return make_devices(json{{"receipt_printer", receipt_printer}}, DriverContext{});
}

TEST(EscposRegistry, BothDriversAreListed) {
  const auto names = driver_names(hal::DeviceClass::receipt_printer);
  EXPECT_NE(std::find(names.begin(), names.end(), "escpos-serial"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "escpos-usb"), names.end());
}

TEST(EscposRegistry, SerialPrinterFromConfigAnswersStatus) {
  auto emulator = escpos::PtyPrinterEmulator::create();
  ASSERT_TRUE(emulator.ok()) << emulator.error().message;
  (*emulator)->printer().set_state(escpos::EmulatorState{.paper_near_end = true});
  auto devices = make({{"driver", "escpos-serial"}, {"path", (*emulator)->path().string()}, {"baud", 9600},
                       {"width_dots", 384}});
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  hal::ReceiptPrinter& printer = *devices->receipt_printer;
  EXPECT_EQ(printer.driver(), "escpos-serial");
  EXPECT_EQ(printer.capabilities().width_dots, 384);
  ASSERT_TRUE(printer.refresh(std::chrono::milliseconds{3000}).ok()) << hal::describe(printer.status());
  EXPECT_EQ(printer.status().paper, hal::Supply::near_end);
  EXPECT_FALSE((*emulator)->printer().status_queries().empty());
}

TEST(EscposRegistry, UsbPrinterIsCreatedEvenWhenNotPluggedIn) {
  auto devices = make({{"driver", "escpos-usb"}, {"vid", "0x0416"}, {"pid", "5011"}});
  ASSERT_TRUE(devices.ok()) << devices.error().message;
  EXPECT_EQ(devices->receipt_printer->capabilities().width_dots, 576);
  // No such device on this machine: offline, said plainly.
  (void)devices->receipt_printer->refresh(std::chrono::milliseconds{2000});
  EXPECT_EQ(devices->receipt_printer->status().state, hal::DeviceState::offline);
}

struct BadOptions {
  const char* name;
  json options;
  const char* message;
};

void PrintTo(const BadOptions& bad, std::ostream* out) { *out << bad.name; }

class EscposRegistryBadOptions : public testing::TestWithParam<BadOptions> {};

TEST_P(EscposRegistryBadOptions, NameTheOption) {
  auto devices = make(GetParam().options);
  ASSERT_FALSE(devices.ok());
  EXPECT_EQ(devices.error().kind, ErrorKind::parse);
  EXPECT_NE(devices.error().message.find(GetParam().message), std::string::npos) << devices.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Options, EscposRegistryBadOptions,
    testing::Values(
        BadOptions{"no_path", {{"driver", "escpos-serial"}}, "devices.receipt_printer.path:"},
        BadOptions{"baud", {{"driver", "escpos-serial"}, {"path", "/dev/ttyS0"}, {"baud", 1234}},
                   "devices.receipt_printer.baud: unsupported speed 1234"},
        BadOptions{"width", {{"driver", "escpos-serial"}, {"path", "/dev/ttyS0"}, {"width_dots", 500}},
                   "devices.receipt_printer.width_dots:"},
        BadOptions{"flow", {{"driver", "escpos-serial"}, {"path", "/dev/ttyS0"}, {"flow_control", "xon"}},
                   "devices.receipt_printer.flow_control:"},
        BadOptions{"vid", {{"driver", "escpos-usb"}, {"vid", "zz"}}, "devices.receipt_printer.vid:"},
        BadOptions{"pid_alone", {{"driver", "escpos-usb"}, {"pid", "5011"}}, "devices.receipt_printer.pid: needs"},
        BadOptions{"pid_range", {{"driver", "escpos-usb"}, {"vid", 1}, {"pid", 70000}}, "devices.receipt_printer.pid:"}),
    [](const testing::TestParamInfo<BadOptions>& case_info) { return case_info.param.name; });

}  // namespace
}  // namespace kiosk::devices
