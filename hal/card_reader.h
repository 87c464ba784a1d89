#pragma once
// Resident ID card reader (二代证, GA 467 SAM module). The reader polls for a card by itself and
// emits card_placed / card_removed; read_card() reads the text and photo of the card on it.

#include <cstdint>
#include <string>
#include <vector>

#include "hal/device.h"

namespace kiosk::hal {

// The fields of the card, decoded. Personal data: lives in the Session only and is wiped when the
// session ends (wipe() overwrites every byte before freeing).
struct IdentityCard {
  std::string name;
  std::string sex;          // "男" / "女"
  std::string nation;       // "汉" … from the GA code table
  std::string birth_date;   // YYYYMMDD
  std::string address;
  std::string id_number;    // 18 characters, GB 11643 check digit
  std::string authority;    // 签发机关
  std::string valid_from;   // YYYYMMDD
  std::string valid_until;  // YYYYMMDD or "长期"
  std::vector<std::uint8_t> photo;  // the card's photo blob (WLT), passed through untouched

  void wipe();
  // True if the card's validity has ended before `today` (YYYYMMDD).
  bool expired(const std::string& today) const;
};

// GB 11643 check digit of an 18-character ID number (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2).
bool valid_id_number(const std::string& id_number);

struct CardReaderCapabilities {
  bool reads_photo = true;
  bool reads_fingerprint = false;
};

class CardReader : public Device {
 public:
  explicit CardReader(std::string driver) : Device(DeviceClass::card_reader, std::move(driver)) {}
  virtual CardReaderCapabilities capabilities() const = 0;
  // Reads the card on the reader. Errors: no_card, card_removed (pulled mid-read), bad_data,
  // timeout, cancelled, offline, no_device.
  virtual DeviceResult<IdentityCard> read_card(const CancelToken& cancel, milliseconds timeout) = 0;
  // The SAM module's id ("05.01-20101010-0012345678"), for diagnostics.
  virtual DeviceResult<std::string> sam_id(milliseconds timeout) = 0;
};

}  // namespace kiosk::hal
