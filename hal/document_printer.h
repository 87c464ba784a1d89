#pragma once
// Document / certificate printer (A4, through CUPS): prints PDFs such as licences (电子证照) and
// follows each job to its end.

#include <cstdint>
#include <string>
#include <vector>

#include "hal/device.h"

namespace kiosk::hal {

struct PrintDocument {
  std::string title;  // job name; never personal data
  std::vector<std::uint8_t> pdf;
  int copies = 1;
};

struct DocumentPrinterCapabilities {
  bool duplex = false;
  bool colour = false;
};

class DocumentPrinter : public Device {
 public:
  explicit DocumentPrinter(std::string driver) : Device(DeviceClass::document_printer, std::move(driver)) {}
  virtual DocumentPrinterCapabilities capabilities() const = 0;
  // Prints and waits until the job completed. Returns the job id. Errors: paper_out, cover_open,
  // hardware (jam, aborted job), offline (stopped queue), timeout, cancelled.
  virtual DeviceResult<std::string> print(const PrintDocument& document, const CancelToken& cancel,
                                          milliseconds timeout) = 0;
};

}  // namespace kiosk::hal
