#pragma once
// The device contract shared by every device class: a status vocabulary, a typed error, a cancel
// token, and asynchronous events delivered to one listener. hal/ holds contracts only: no OS,
// SDL or vendor headers. Drivers live in devices/ and are picked by name (devices/registry.h).
//
// Threads: a device may call its listener from its own thread (a polling thread, a USB callback).
// The listener must not block; the app posts the event to its UI thread.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "kiosk/core/cancel.h"
#include "kiosk/core/result.h"

namespace kiosk::hal {

using std::chrono::milliseconds;

enum class DeviceClass { card_reader, face_camera, document_camera, receipt_printer, document_printer };
inline constexpr std::size_t kDeviceClassCount = 5;
inline constexpr std::array<DeviceClass, kDeviceClassCount> kAllDeviceClasses = {
    DeviceClass::card_reader, DeviceClass::face_camera, DeviceClass::document_camera,
    DeviceClass::receipt_printer, DeviceClass::document_printer};
// "card_reader", "face_camera" …: the keys of the "devices" object in the config.
const char* to_string(DeviceClass device);

// What a device can do right now.
enum class DeviceState {
  online,          // ready
  offline,         // known but not answering (unplugged, powered off, queue stopped)
  no_device,       // nothing configured or found for this class
  hardware_error,  // the device reports a fault (cutter jam, SAM failure …)
  user_error,      // a person can fix it (paper out, cover open, card upside down)
  busy,            // working on a job
};
const char* to_string(DeviceState state);

// Consumables (paper, ribbon).
enum class Supply { ok, near_end, out, unknown };
const char* to_string(Supply supply);

struct DeviceStatus {
  DeviceState state = DeviceState::no_device;
  Supply paper = Supply::unknown;  // printers only
  bool cover_open = false;         // printers only
  bool card_present = false;       // card reader only
  std::string detail;  // precise cause for technicians ("DLE EOT 4: 0x72"); never personal data

  bool ready() const { return state == DeviceState::online; }
  bool operator==(const DeviceStatus&) const = default;
};
std::string describe(const DeviceStatus& status);  // "user_error (paper out, cover open): …"

// The typed error of every device call.
enum class DeviceErrorCode {
  timeout,       // no answer before the deadline
  cancelled,     // the caller cancelled
  no_device,     // nothing there (unplugged, not configured)
  offline,       // present but not answering
  hardware,      // the device reported a fault
  paper_out,     // printer: no paper
  cover_open,    // printer: cover open
  no_card,       // reader: no card on it
  card_removed,  // reader: card taken away during the read
  bad_data,      // an answer that did not parse (garbage, checksum)
  busy,          // another job is running
  unsupported,   // the device cannot do this
  io,            // the OS refused (errno in message)
};
const char* to_string(DeviceErrorCode code);

struct DeviceError {
  DeviceErrorCode code = DeviceErrorCode::io;
  std::string message;  // context for logs and technicians; never personal data
};
DeviceError device_error(DeviceErrorCode code, std::string message);

template <typename T>
using DeviceResult = Result<T, DeviceError>;
using DeviceStatusResult = Result<void, DeviceError>;

// Shared between the caller and the device call (kiosk/core/cancel.h).
using CancelToken = kiosk::CancelToken;

struct DeviceEvent {
  enum class Kind { status_changed, card_placed, card_removed };
  DeviceClass device = DeviceClass::card_reader;
  Kind kind = Kind::status_changed;
  DeviceStatus status;  // the status after the event
};
using DeviceListener = std::function<void(const DeviceEvent&)>;

// Base of every device class. Holds the status and the listener; drivers call set_status() and
// emit() from any thread.
class Device {
 public:
  Device(DeviceClass device_class, std::string driver) : class_(device_class), driver_(std::move(driver)) {}
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  DeviceClass device_class() const { return class_; }
  const std::string& driver() const { return driver_; }
  DeviceStatus status() const;
  // The last time the device was in trouble (offline, hardware or user error), for technicians:
  // the status then and when (Unix ms). Kept after the device recovers. nullopt: never.
  struct Problem {
    DeviceStatus status;
    std::int64_t at_unix_ms = 0;
  };
  std::optional<Problem> last_problem() const;
  // One listener; nullptr detaches. Thread-safe; after set_listener(nullptr) returns, the old
  // listener is not called again.
  void set_listener(DeviceListener listener);

  // Asks the device for its state now (a printer status query, a reader ping) and updates
  // status(). May block up to `timeout`; call it off the UI thread.
  virtual DeviceStatusResult refresh(milliseconds timeout) = 0;

 protected:
  // Updates the status; emits status_changed if it differs.
  void set_status(DeviceStatus status);
  void emit(DeviceEvent::Kind kind);

 private:
  const DeviceClass class_;
  const std::string driver_;
  mutable std::mutex mutex_;
  DeviceStatus status_;
  std::optional<Problem> last_problem_;
  std::mutex listener_mutex_;
  DeviceListener listener_;
};

}  // namespace kiosk::hal
