#include "hal/device.h"

#include "hal/card_reader.h"
#include "hal/devices.h"
#include "hal/image.h"
#include "kiosk/core/check_digits.h"
#include "kiosk/core/secure_memory.h"

namespace kiosk::hal {

const char* to_string(DeviceClass device) {
  switch (device) {
    case DeviceClass::card_reader: return "card_reader";
    case DeviceClass::face_camera: return "face_camera";
    case DeviceClass::document_camera: return "document_camera";
    case DeviceClass::receipt_printer: return "receipt_printer";
    case DeviceClass::document_printer: return "document_printer";
  }
  return "unknown";
}

const char* to_string(DeviceState state) {
  switch (state) {
    case DeviceState::online: return "online";
    case DeviceState::offline: return "offline";
    case DeviceState::no_device: return "no_device";
    case DeviceState::hardware_error: return "hardware_error";
    case DeviceState::user_error: return "user_error";
    case DeviceState::busy: return "busy";
  }
  return "unknown";
}

const char* to_string(Supply supply) {
  switch (supply) {
    case Supply::ok: return "ok";
    case Supply::near_end: return "near_end";
    case Supply::out: return "out";
    case Supply::unknown: return "unknown";
  }
  return "unknown";
}

const char* to_string(DeviceErrorCode code) {
  switch (code) {
    case DeviceErrorCode::timeout: return "timeout";
    case DeviceErrorCode::cancelled: return "cancelled";
    case DeviceErrorCode::no_device: return "no_device";
    case DeviceErrorCode::offline: return "offline";
    case DeviceErrorCode::hardware: return "hardware";
    case DeviceErrorCode::paper_out: return "paper_out";
    case DeviceErrorCode::cover_open: return "cover_open";
    case DeviceErrorCode::no_card: return "no_card";
    case DeviceErrorCode::card_removed: return "card_removed";
    case DeviceErrorCode::bad_data: return "bad_data";
    case DeviceErrorCode::busy: return "busy";
    case DeviceErrorCode::unsupported: return "unsupported";
    case DeviceErrorCode::io: return "io";
  }
  return "unknown";
}

std::string describe(const DeviceStatus& status) {
  std::string text = to_string(status.state);
  std::string extras;
  auto add = [&extras](const std::string& part) { extras += (extras.empty() ? "" : ", ") + part; };
  if (status.paper != Supply::unknown && status.paper != Supply::ok) add(std::string("paper ") + to_string(status.paper));
  if (status.cover_open) add("cover open");
  if (status.card_present) add("card present");
  if (!extras.empty()) text += " (" + extras + ")";
  if (!status.detail.empty()) text += ": " + status.detail;
  return text;
}

DeviceError device_error(DeviceErrorCode code, std::string message) { return DeviceError{code, std::move(message)}; }

DeviceStatus Device::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Device::set_listener(DeviceListener listener) {
  std::lock_guard lock(listener_mutex_);
  listener_ = std::move(listener);
}

void Device::set_status(DeviceStatus status) {
  {
    std::lock_guard lock(mutex_);
    if (status_ == status) return;
    status_ = std::move(status);
    if (status_.state == DeviceState::offline || status_.state == DeviceState::hardware_error ||
        status_.state == DeviceState::user_error) {
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      last_problem_ = Problem{status_, std::chrono::duration_cast<std::chrono::milliseconds>(now).count()};
    }
  }
  emit(DeviceEvent::Kind::status_changed);
}

std::optional<Device::Problem> Device::last_problem() const {
  std::lock_guard lock(mutex_);
  return last_problem_;
}

void Device::emit(DeviceEvent::Kind kind) {
  DeviceEvent event{class_, kind, status()};
  std::lock_guard lock(listener_mutex_);
  if (listener_) listener_(event);
}

void Image::wipe() {
  secure_clear(pixels.data(), pixels.size());
  pixels.clear();
  pixels.shrink_to_fit();
  width = height = 0;
}

void IdentityCard::wipe() {
  for (std::string* field : {&name, &sex, &nation, &birth_date, &address, &id_number, &authority, &valid_from,
                             &valid_until}) {
    secure_clear(field->data(), field->size());
    field->clear();
    field->shrink_to_fit();
  }
  secure_clear(photo.data(), photo.size());
  photo.clear();
  photo.shrink_to_fit();
}

bool IdentityCard::expired(const std::string& today) const {
  if (valid_until == "长期") return false;
  if (valid_until.size() != 8 || today.size() != 8) return true;  // unreadable validity: not usable
  return valid_until < today;
}

bool valid_id_number(const std::string& id_number) { return check_digits::valid_id_number(id_number); }

Device* Devices::get(DeviceClass device_class) const {
  switch (device_class) {
    case DeviceClass::card_reader: return card_reader.get();
    case DeviceClass::face_camera: return face_camera.get();
    case DeviceClass::document_camera: return document_camera.get();
    case DeviceClass::receipt_printer: return receipt_printer.get();
    case DeviceClass::document_printer: return document_printer.get();
  }
  return nullptr;
}

}  // namespace kiosk::hal
