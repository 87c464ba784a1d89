#pragma once
// A USB ESC/POS printer emulated with umockdev for the libusb transport's tests: a printer-class
// device (07/01/02, bulk OUT 0x01, bulk IN 0x82) in a umockdev test bed, whose usbfs ioctls
// (claim, usblp detach, submit/reap/discard URBs) are answered here. Bytes on bulk OUT go to an
// EmulatedPrinter, which also makes the status answers returned on bulk IN. Needs the process to
// run under umockdev-wrapper (LD_PRELOAD of libumockdev-preload).

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "devices/escpos/printer_emulator.h"
#include "kiosk/core/result.h"

typedef struct _UMockdevTestbed UMockdevTestbed;
typedef struct _UMockdevIoctlBase UMockdevIoctlBase;
typedef struct _UMockdevIoctlClient UMockdevIoctlClient;
typedef struct _UMockdevIoctlData UMockdevIoctlData;

namespace kiosk::devices::escpos {

struct UsbPrinterIdentity {
  std::uint16_t vendor_id = 0x0416;
  std::uint16_t product_id = 0x5011;
  std::uint8_t protocol = 0x02;  // 02 bidirectional (has bulk IN), 01 one-way
};

class UsbPrinterEmulator {
 public:
  static Result<std::unique_ptr<UsbPrinterEmulator>> create(UsbPrinterIdentity identity = {});
  ~UsbPrinterEmulator();
  UsbPrinterEmulator(const UsbPrinterEmulator&) = delete;
  UsbPrinterEmulator& operator=(const UsbPrinterEmulator&) = delete;

  EmulatedPrinter& printer() { return printer_; }
  bool usblp_detached() const;
  bool claimed() const;
  // Unplugged: the device leaves the bus, every usbfs call fails with ENODEV.
  void vanish();
  // Plugged back in at the same address, with usblp bound again.
  Status reappear();

 private:
  explicit UsbPrinterEmulator(UsbPrinterIdentity identity);
  Status plug_in();
  // umockdev's "handle-ioctl" signal, on the test bed's worker thread.
  static int dispatch(UMockdevIoctlBase* handler, UMockdevIoctlClient* client, void* self);
  bool handle_ioctl(UMockdevIoctlClient* client);
  void complete(UMockdevIoctlClient* client, long result, int error);
  void complete_pending_reads_locked();

  UsbPrinterIdentity identity_;
  EmulatedPrinter printer_;
  UMockdevTestbed* testbed_ = nullptr;
  UMockdevIoctlBase* handler_ = nullptr;

  mutable std::mutex mutex_;
  bool present_ = false;
  bool usblp_bound_ = true;
  bool claimed_ = false;
  std::deque<std::uint8_t> answers_;            // status bytes waiting for a bulk IN URB
  std::deque<UMockdevIoctlData*> pending_in_;   // IN URBs waiting for an answer (referenced)
  std::deque<UMockdevIoctlData*> reapable_;     // finished URBs (referenced)
};

}  // namespace kiosk::devices::escpos
