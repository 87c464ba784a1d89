#include "devices/sim/sim_printers.h"

#include <algorithm>

namespace kiosk::devices::sim {

hal::DeviceStatus printer_status(const PrinterFaults& faults) {
  hal::DeviceStatus status = status_for(faults, "printer");
  status.paper = faults.paper_out ? hal::Supply::out : faults.paper_near_end ? hal::Supply::near_end : hal::Supply::ok;
  status.cover_open = faults.cover_open;
  if (status.state == hal::DeviceState::online && (faults.paper_out || faults.cover_open)) {
    status.state = hal::DeviceState::user_error;
    status.detail = faults.paper_out ? "sim: paper out" : "sim: cover open";
  }
  if (faults.unplugged) {
    status.paper = hal::Supply::unknown;
    status.cover_open = false;
  }
  return status;
}

std::optional<hal::DeviceError> printer_failure(const PrinterFaults& faults, const hal::CancelToken& cancel) {
  if (auto failure = common_failure(faults, cancel)) return failure;
  if (faults.cover_open) return hal::device_error(hal::DeviceErrorCode::cover_open, "sim: cover open");
  if (faults.paper_out) return hal::device_error(hal::DeviceErrorCode::paper_out, "sim: paper out");
  return std::nullopt;
}

SimReceiptPrinter::SimReceiptPrinter() : hal::ReceiptPrinter("sim") { update_status(); }

void SimReceiptPrinter::update_status() {
  hal::DeviceStatus status;
  {
    std::lock_guard lock(mutex_);
    status = printer_status(faults_);
  }
  set_status(status);
}

hal::DeviceStatusResult SimReceiptPrinter::print(const hal::ReceiptJob& job, const hal::CancelToken& cancel,
                                                 hal::milliseconds) {
  std::lock_guard lock(mutex_);
  if (auto failure = printer_failure(faults_, cancel)) {
    history_.add(std::string("print ") + hal::to_string(failure->code));
    return *failure;
  }
  if (!job.page.valid()) {
    history_.add("print invalid_page");
    return hal::device_error(hal::DeviceErrorCode::unsupported, "raster page size does not match its width");
  }
  if (job.page.width_dots > capabilities().width_dots) {
    history_.add("print too_wide");
    return hal::device_error(hal::DeviceErrorCode::unsupported, "page wider than the paper");
  }
  history_.add("print " + std::to_string(job.page.width_dots) + "x" + std::to_string(job.page.height) +
               (job.cut ? " cut" : ""));
  printed_.push_back(job);
  return {};
}

hal::DeviceStatusResult SimReceiptPrinter::refresh(hal::milliseconds) {
  history_.add("refresh");
  update_status();
  return {};
}

void SimReceiptPrinter::set_faults(const Faults& faults) {
  {
    std::lock_guard lock(mutex_);
    faults_ = faults;
  }
  update_status();
}

SimReceiptPrinter::Faults SimReceiptPrinter::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::vector<hal::ReceiptJob> SimReceiptPrinter::printed() const {
  std::lock_guard lock(mutex_);
  return printed_;
}

SimDocumentPrinter::SimDocumentPrinter() : hal::DocumentPrinter("sim") { update_status(); }

void SimDocumentPrinter::update_status() {
  hal::DeviceStatus status;
  {
    std::lock_guard lock(mutex_);
    status = printer_status(faults_);
  }
  set_status(status);
}

hal::DeviceResult<std::string> SimDocumentPrinter::print(const hal::PrintDocument& document,
                                                         const hal::CancelToken& cancel, hal::milliseconds) {
  std::lock_guard lock(mutex_);
  if (auto failure = printer_failure(faults_, cancel)) {
    history_.add(std::string("print ") + hal::to_string(failure->code));
    return *failure;
  }
  // A PDF starts with "%PDF-"; anything else would come out of a real printer as garbage pages.
  static constexpr char kMagic[] = "%PDF-";
  if (document.pdf.size() < 5 || !std::equal(kMagic, kMagic + 5, document.pdf.begin())) {
    history_.add("print not_pdf");
    return hal::device_error(hal::DeviceErrorCode::unsupported, "document is not a PDF");
  }
  const std::string job_id = "sim-" + std::to_string(next_job_++);
  history_.add("print " + job_id + " copies=" + std::to_string(document.copies));
  printed_.push_back(document);
  return job_id;
}

hal::DeviceStatusResult SimDocumentPrinter::refresh(hal::milliseconds) {
  history_.add("refresh");
  update_status();
  return {};
}

void SimDocumentPrinter::set_faults(const Faults& faults) {
  {
    std::lock_guard lock(mutex_);
    faults_ = faults;
  }
  update_status();
}

SimDocumentPrinter::Faults SimDocumentPrinter::faults() const {
  std::lock_guard lock(mutex_);
  return faults_;
}

std::vector<hal::PrintDocument> SimDocumentPrinter::printed() const {
  std::lock_guard lock(mutex_);
  return printed_;
}

}  // namespace kiosk::devices::sim
