#pragma once
// What technicians find in the journal about devices (docs/operations.md "Log events"): one record
// per state change, failure and recovery, each with the MESSAGE_ID of its kind and the fields
// KIOSK_DEVICE (card_reader …), KIOSK_STATE (online, offline, hardware_error …) and KIOSK_DRIVER.
// Text is the device's status detail (paths, protocol codes), never personal data.
//
// Only what a technician acts on is a change: online ↔ offline ↔ fault (and a new fault while in
// fault: paper out, then cover open). Busy is online; a card placed or a new errno while offline
// is not a change.
//
// At start-up a device that is not ready is given `settle` to say why (drivers open their device
// on their own thread and report what they found): its first report, or the deadline, logs one
// device-missing-at-start record. A device the config does not name is no fault and logs nothing.
//
// Not thread-safe: the app calls it on its UI thread with the events it receives.

#include <array>
#include <cstdint>
#include <optional>

#include "hal/devices.h"

namespace kiosk::hal {

class DeviceLog {
 public:
  static constexpr std::int64_t kDefaultSettleMs = 3000;

  // The terminal's devices as the app starts, at `now_ms` (the app's clock).
  void start(const Devices& devices, std::int64_t now_ms, std::int64_t settle_ms = kDefaultSettleMs);
  // A status the device reported (DeviceEvent::status).
  void on_status(DeviceClass device, const DeviceStatus& status, std::int64_t now_ms);
  // Logs the start-up records that are due; returns when it wants to be called again (nullopt:
  // never).
  std::optional<std::int64_t> tick(std::int64_t now_ms);

 private:
  enum class Category { ready, offline, fault };
  struct Entry {
    bool present = false;   // the config names a driver for this class
    bool reported = false;  // its first record (online, fault or missing at start) is written
    std::string driver;
    DeviceStatus status;    // the last status seen
    Category category = Category::offline;
  };
  static Category category_of(const DeviceStatus& status);
  void report_start(DeviceClass device, Entry& entry);
  void report_change(DeviceClass device, const Entry& entry, const DeviceStatus& before, Category from);

  std::array<Entry, kDeviceClassCount> entries_{};
  std::optional<std::int64_t> settle_deadline_;
};

}  // namespace kiosk::hal
