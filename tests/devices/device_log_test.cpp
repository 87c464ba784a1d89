// The device records technicians filter by MESSAGE_ID (hal/device_log.h, docs/operations.md "Log
// events"), read from a fake journald: sims driven through their fault switches, and the real
// drivers of a terminal with no hardware at all.
#include "hal/device_log.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "devices/registry.h"
#include "devices/sim/sim_printers.h"
#include "kiosk/core/log.h"
#include "tests/kiosk/core/fake_journal.h"

namespace kiosk::hal {
namespace {

using Record = std::multimap<std::string, std::string>;
using log::test_support::FakeJournal;

std::string field(const Record& record, const std::string& name) {
  const auto found = record.find(name);
  return found == record.end() ? std::string() : found->second;
}

// The records with a MESSAGE_ID (drivers log other lines of their own).
std::vector<Record> events(FakeJournal& journal) {
  std::vector<Record> out;
  for (auto& record : log::test_support::receive_all(journal)) {
    if (record.count("MESSAGE_ID") != 0) out.push_back(std::move(record));
  }
  return out;
}

class DeviceLogTest : public ::testing::Test {
 protected:
  void SetUp() override { log::configure(log::Sink{log::Sink::Kind::journal, journal_.path()}); }
  void TearDown() override { log::configure(log::Sink{}); }

  // As the app does: every event the devices emit, in order, on "the UI thread" (here: drain()).
  void listen(Devices& devices) {
    for (DeviceClass device_class : kAllDeviceClasses) {
      if (Device* device = devices.get(device_class)) {
        device->set_listener([this](const DeviceEvent& event) {
          std::lock_guard lock(mutex_);
          queue_.push_back(event);
        });
      }
    }
  }
  void drain(DeviceLog& device_log, std::int64_t now) {
    std::deque<DeviceEvent> events;
    {
      std::lock_guard lock(mutex_);
      events.swap(queue_);
    }
    for (const auto& event : events) device_log.on_status(event.device, event.status, now);
  }

  FakeJournal journal_;
  std::mutex mutex_;
  std::deque<DeviceEvent> queue_;
};

TEST_F(DeviceLogTest, EachChangeFailureAndRecoveryIsOneRecordWithItsMessageId) {
  auto printer = std::make_unique<devices::sim::SimReceiptPrinter>();
  devices::sim::SimReceiptPrinter& sim = *printer;
  Devices devices;
  devices.receipt_printer = std::move(printer);
  listen(devices);
  DeviceLog device_log;
  device_log.start(devices, 0);
  EXPECT_EQ(device_log.tick(0), std::nullopt);  // every device is ready: nothing to wait for

  auto step = [&](devices::sim::PrinterFaults faults) {
    sim.set_faults(faults);
    drain(device_log, 0);
  };
  devices::sim::PrinterFaults faults;
  faults.paper_out = true;
  step(faults);          // fault
  faults.cover_open = true;
  step(faults);          // another fault while in fault
  step(faults);          // nothing new
  faults = {};
  step(faults);          // recovered
  faults.paper_near_end = true;
  step(faults);          // still printing: no record
  faults.unplugged = true;
  step(faults);          // offline
  faults = {};
  step(faults);          // online again
  faults.hardware_error = true;
  step(faults);          // hardware fault: priority error

  const auto records = events(journal_);
  const std::vector<std::string_view> expected = {
      log::message_id::kDeviceOnline,    log::message_id::kDeviceFault,  log::message_id::kDeviceFault,
      log::message_id::kDeviceRecovered, log::message_id::kDeviceOffline, log::message_id::kDeviceOnline,
      log::message_id::kDeviceFault};
  ASSERT_EQ(records.size(), expected.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(field(records[i], "MESSAGE"));
    EXPECT_EQ(field(records[i], "MESSAGE_ID"), expected[i]);
    EXPECT_EQ(field(records[i], "KIOSK_DEVICE"), "receipt_printer");
    EXPECT_EQ(field(records[i], "KIOSK_DRIVER"), "sim");
    EXPECT_EQ(field(records[i], "KIOSK_MODULE"), "devices");
  }
  EXPECT_EQ(field(records[0], "KIOSK_STATE"), "online");
  EXPECT_EQ(field(records[1], "KIOSK_STATE"), "user_error");
  EXPECT_NE(field(records[1], "MESSAGE").find("paper out"), std::string::npos);
  EXPECT_NE(field(records[2], "MESSAGE").find("cover open"), std::string::npos);
  EXPECT_EQ(field(records[1], "PRIORITY"), "4");
  EXPECT_NE(field(records[3], "MESSAGE").find("recovered"), std::string::npos);
  EXPECT_EQ(field(records[4], "KIOSK_STATE"), "offline");
  EXPECT_EQ(field(records[6], "KIOSK_STATE"), "hardware_error");
  EXPECT_EQ(field(records[6], "PRIORITY"), "3");
}

// What a technician meets on a terminal with its packaged config and nothing plugged in: the real
// drivers find no device, and each says so once, with what it found, before the deadline or at it.
TEST_F(DeviceLogTest, NoHardwareAtStartIsOneRecordPerMissingDevice) {
  const nlohmann::json config = {
      {"card_reader", {{"driver", "sam-serial"}, {"path", "/nonexistent/kiosk-idcard"}, {"baud", 115200}}},
      {"receipt_printer", {{"driver", "escpos-serial"}, {"path", "/nonexistent/kiosk-receipt"}}},
      {"document_printer", {{"driver", "cups"}, {"printer", "licence"}, {"server", "/nonexistent/cups.sock"}}},
      {"face_camera", {{"driver", "v4l2"}, {"path", "/nonexistent/kiosk-face-camera"}}},
      {"document_camera", {{"driver", "v4l2"}, {"path", "/nonexistent/kiosk-document-camera"}}}};
  auto made = devices::make_devices(config, devices::DriverContext{KIOSK_TEST_ASSETS});
  ASSERT_TRUE(made.ok()) << made.error().message;
  Devices& devices = made.value();
  listen(devices);
  DeviceLog device_log;
  device_log.start(devices, 0, 3000);
  EXPECT_EQ(device_log.tick(1000), 3000);
  // The drivers' threads report what they found meanwhile.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  drain(device_log, 1500);
  EXPECT_EQ(device_log.tick(3000), std::nullopt);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  drain(device_log, 3500);  // their retries change nothing a technician needs

  const auto records = events(journal_);
  std::vector<std::string> named;
  for (const auto& record : records) {
    SCOPED_TRACE(field(record, "MESSAGE"));
    EXPECT_EQ(field(record, "MESSAGE_ID"), log::message_id::kDeviceMissingAtStart);
    EXPECT_EQ(field(record, "KIOSK_STATE"), "offline");
    EXPECT_NE(field(record, "MESSAGE").find("missing at start"), std::string::npos);
    named.push_back(field(record, "KIOSK_DEVICE"));
    // What the driver found, not "opening the reader": the path it could not open.
    EXPECT_NE(field(record, "MESSAGE").find("/nonexistent/"), std::string::npos);
  }
  std::sort(named.begin(), named.end());
  EXPECT_EQ(named, (std::vector<std::string>{"card_reader", "document_camera", "document_printer", "face_camera",
                                             "receipt_printer"}));
}

TEST_F(DeviceLogTest, AClassTheConfigLeavesOutLogsNothing) {
  Devices devices;  // no device at all: the terminal is configured that way
  DeviceLog device_log;
  device_log.start(devices, 0);
  EXPECT_EQ(device_log.tick(10000), std::nullopt);
  EXPECT_TRUE(events(journal_).empty());
}

}  // namespace
}  // namespace kiosk::hal
