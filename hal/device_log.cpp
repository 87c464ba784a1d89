#include "hal/device_log.h"

#include <string>

#include "kiosk/core/log.h"

namespace kiosk::hal {
namespace {

constexpr std::string_view kModule = "devices";

void write(log::Level level, std::string_view message_id, DeviceClass device, const std::string& driver,
           const DeviceStatus& status, const std::string& message) {
  log::event(level, kModule, message_id, message,
             {{"KIOSK_DEVICE", to_string(device)}, {"KIOSK_DRIVER", driver}, {"KIOSK_STATE", to_string(status.state)}});
}

// A fault a person or a technician must see to: the state and what the printer says about itself.
bool same_fault(const DeviceStatus& a, const DeviceStatus& b) {
  return a.state == b.state && (a.paper == Supply::out) == (b.paper == Supply::out) && a.cover_open == b.cover_open;
}

}  // namespace

DeviceLog::Category DeviceLog::category_of(const DeviceStatus& status) {
  switch (status.state) {
    case DeviceState::online:
    case DeviceState::busy: return Category::ready;
    case DeviceState::hardware_error:
    case DeviceState::user_error: return Category::fault;
    case DeviceState::offline:
    case DeviceState::no_device: return Category::offline;
  }
  return Category::offline;
}

void DeviceLog::start(const Devices& devices, std::int64_t now_ms, std::int64_t settle_ms) {
  settle_deadline_.reset();
  for (DeviceClass device : kAllDeviceClasses) {
    Entry& entry = entries_[static_cast<std::size_t>(device)];
    entry = Entry{};
    const Device* present = devices.get(device);
    if (present == nullptr) continue;
    entry.present = true;
    entry.driver = present->driver();
    entry.status = present->status();
    entry.category = category_of(entry.status);
    if (entry.category == Category::offline) {
      settle_deadline_ = now_ms + settle_ms;  // give the driver time to say why
    } else {
      report_start(device, entry);
    }
  }
}

void DeviceLog::report_start(DeviceClass device, Entry& entry) {
  entry.reported = true;
  const DeviceStatus& status = entry.status;
  const std::string name = to_string(device);
  switch (entry.category) {
    case Category::ready:
      write(log::Level::info, log::message_id::kDeviceOnline, device, entry.driver, status,
            name + " online (" + entry.driver + ")");
      break;
    case Category::fault:
      write(status.state == DeviceState::hardware_error ? log::Level::error : log::Level::warning,
            log::message_id::kDeviceFault, device, entry.driver, status, name + " fault: " + describe(status));
      break;
    case Category::offline:
      write(log::Level::warning, log::message_id::kDeviceMissingAtStart, device, entry.driver, status,
            name + " missing at start (" + entry.driver + "): " + describe(status));
      break;
  }
}

void DeviceLog::report_change(DeviceClass device, const Entry& entry, const DeviceStatus& before, Category from) {
  const DeviceStatus& status = entry.status;
  const std::string name = to_string(device);
  switch (entry.category) {
    case Category::ready:
      if (from == Category::fault) {
        write(log::Level::info, log::message_id::kDeviceRecovered, device, entry.driver, status,
              name + " recovered (was " + describe(before) + ")");
      } else {
        write(log::Level::info, log::message_id::kDeviceOnline, device, entry.driver, status,
              name + " online (" + entry.driver + ")");
      }
      break;
    case Category::offline:
      write(log::Level::warning, log::message_id::kDeviceOffline, device, entry.driver, status,
            name + " offline: " + describe(status));
      break;
    case Category::fault:
      write(status.state == DeviceState::hardware_error ? log::Level::error : log::Level::warning,
            log::message_id::kDeviceFault, device, entry.driver, status, name + " fault: " + describe(status));
      break;
  }
}

void DeviceLog::on_status(DeviceClass device, const DeviceStatus& status, std::int64_t) {
  Entry& entry = entries_[static_cast<std::size_t>(device)];
  if (!entry.present) return;
  const DeviceStatus before = entry.status;
  const Category from = entry.category;
  entry.status = status;
  entry.category = category_of(status);
  if (!entry.reported) {
    // Still settling after start: the driver's first word on it is the start-up record.
    if (entry.category == Category::offline && status == before) return;
    report_start(device, entry);
    return;
  }
  if (entry.category == from && (from != Category::fault || same_fault(before, status))) return;
  report_change(device, entry, before, from);
}

std::optional<std::int64_t> DeviceLog::tick(std::int64_t now_ms) {
  if (!settle_deadline_ || now_ms < *settle_deadline_) return settle_deadline_;
  settle_deadline_.reset();
  for (DeviceClass device : kAllDeviceClasses) {
    Entry& entry = entries_[static_cast<std::size_t>(device)];
    if (entry.present && !entry.reported) report_start(device, entry);
  }
  return std::nullopt;
}

}  // namespace kiosk::hal
