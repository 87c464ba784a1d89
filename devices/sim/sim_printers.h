#pragma once
// Sim twins of the receipt printer and the document (certificate) printer. They keep what they
// printed so tests can look at the "paper".

#include "devices/sim/sim_device.h"
#include "hal/document_printer.h"
#include "hal/receipt_printer.h"

namespace kiosk::devices::sim {

struct PrinterFaults : CommonFaults {
  bool paper_near_end = false;  // still prints; status says near_end
  bool paper_out = false;       // print fails with paper_out; status user_error
  bool cover_open = false;      // print fails with cover_open; status user_error
};

// The status a printer with these faults reports.
hal::DeviceStatus printer_status(const PrinterFaults& faults);
// The error a print must give with these faults, if any.
std::optional<hal::DeviceError> printer_failure(const PrinterFaults& faults, const hal::CancelToken& cancel);

class SimReceiptPrinter final : public hal::ReceiptPrinter {
 public:
  using Faults = PrinterFaults;
  SimReceiptPrinter();

  hal::ReceiptPrinterCapabilities capabilities() const override { return {}; }
  hal::DeviceStatusResult print(const hal::ReceiptJob& job, const hal::CancelToken& cancel,
                                hal::milliseconds timeout) override;
  hal::DeviceStatusResult refresh(hal::milliseconds timeout) override;

  void set_faults(const Faults& faults);
  Faults faults() const;
  std::vector<std::string> history() const { return history_.entries(); }
  std::vector<hal::ReceiptJob> printed() const;

 private:
  void update_status();
  mutable std::mutex mutex_;
  Faults faults_;
  History history_;
  std::vector<hal::ReceiptJob> printed_;
};

class SimDocumentPrinter final : public hal::DocumentPrinter {
 public:
  using Faults = PrinterFaults;
  SimDocumentPrinter();

  hal::DocumentPrinterCapabilities capabilities() const override { return {}; }
  hal::DeviceResult<std::string> print(const hal::PrintDocument& document, const hal::CancelToken& cancel,
                                       hal::milliseconds timeout) override;
  hal::DeviceStatusResult refresh(hal::milliseconds timeout) override;

  void set_faults(const Faults& faults);
  Faults faults() const;
  std::vector<std::string> history() const { return history_.entries(); }
  std::vector<hal::PrintDocument> printed() const;

 private:
  void update_status();
  mutable std::mutex mutex_;
  Faults faults_;
  History history_;
  std::vector<hal::PrintDocument> printed_;
  int next_job_ = 1;
};

}  // namespace kiosk::devices::sim
