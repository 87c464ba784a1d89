#pragma once
// The resident ID card reader's sim twin. A test or script places and removes cards; the reader
// emits card_placed / card_removed like a real reader's polling would.

#include <optional>

#include "devices/sim/sim_device.h"
#include "hal/card_reader.h"

namespace kiosk::devices::sim {

class SimCardReader final : public hal::CardReader {
 public:
  struct Faults : CommonFaults {
    bool card_removed_mid_read = false;  // the next read fails with card_removed and the card is gone
  };

  SimCardReader();
  ~SimCardReader() override;

  hal::CardReaderCapabilities capabilities() const override { return {}; }
  hal::DeviceResult<hal::IdentityCard> read_card(const hal::CancelToken& cancel, hal::milliseconds timeout) override;
  hal::DeviceResult<std::string> sam_id(hal::milliseconds timeout) override;
  hal::DeviceStatusResult refresh(hal::milliseconds timeout) override;

  // Test controls.
  void place_card(hal::IdentityCard card);
  void remove_card();
  void set_faults(const Faults& faults);
  Faults faults() const;
  std::vector<std::string> history() const { return history_.entries(); }

 private:
  void update_status();
  mutable std::mutex mutex_;
  std::optional<hal::IdentityCard> card_;
  Faults faults_;
  History history_;
};

}  // namespace kiosk::devices::sim
