#include "devices/sim/sim_card_reader.h"

namespace kiosk::devices::sim {

SimCardReader::SimCardReader() : hal::CardReader("sim") { update_status(); }

SimCardReader::~SimCardReader() {
  std::lock_guard lock(mutex_);
  if (card_) card_->wipe();
}

void SimCardReader::update_status() {
  hal::DeviceStatus status;
  {
    std::lock_guard lock(mutex_);
    status = status_for(faults_, "card reader");
    status.card_present = card_.has_value() && !faults_.unplugged;
  }
  set_status(status);
}

hal::DeviceResult<hal::IdentityCard> SimCardReader::read_card(const hal::CancelToken& cancel, hal::milliseconds) {
  std::unique_lock lock(mutex_);
  if (auto failure = common_failure(faults_, cancel)) {
    history_.add(std::string("read_card ") + hal::to_string(failure->code));
    return *failure;
  }
  if (!card_) {
    history_.add("read_card no_card");
    return hal::device_error(hal::DeviceErrorCode::no_card, "no card on the reader");
  }
  if (faults_.card_removed_mid_read) {
    faults_.card_removed_mid_read = false;
    card_->wipe();
    card_.reset();
    history_.add("read_card card_removed");
    lock.unlock();
    update_status();
    emit(hal::DeviceEvent::Kind::card_removed);
    return hal::device_error(hal::DeviceErrorCode::card_removed, "card taken away during the read");
  }
  history_.add("read_card ok");
  return *card_;
}

hal::DeviceResult<std::string> SimCardReader::sam_id(hal::milliseconds) {
  std::lock_guard lock(mutex_);
  if (auto failure = common_failure(faults_, hal::CancelToken{})) return *failure;
  history_.add("sam_id");
  return std::string("05.01-20260101-0000000001");
}

hal::DeviceStatusResult SimCardReader::refresh(hal::milliseconds) {
  history_.add("refresh");
  update_status();
  return {};
}

void SimCardReader::place_card(hal::IdentityCard card) {
  {
    std::lock_guard lock(mutex_);
    if (card_) card_->wipe();
    card_ = std::move(card);
    history_.add("card placed");
    if (faults_.unplugged) return;  // an unplugged reader sees nothing
  }
  update_status();
  emit(hal::DeviceEvent::Kind::card_placed);
}

void SimCardReader::remove_card() {
  {
    std::lock_guard lock(mutex_);
    if (!card_) return;
    card_->wipe();
    card_.reset();
    history_.add("card removed");
    if (faults_.unplugged) return;
  }
  update_status();
  emit(hal::DeviceEvent::Kind::card_removed);
}

void SimCardReader::set_faults(const Faults& faults) {
  bool card_appears = false;
  {
    std::lock_guard lock(mutex_);
    // A reader plugged back in finds the card lying on it, as a real reader's polling would.
    card_appears = faults_.unplugged && !faults.unplugged && card_.has_value();
    faults_ = faults;
  }
  update_status();
  if (card_appears) emit(hal::DeviceEvent::Kind::card_placed);
}

SimCardReader::Faults SimCardReader::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

}  // namespace kiosk::devices::sim
