#include "tests/devices/escpos/usb/usb_printer_emulator.h"

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace kiosk::devices::escpos {
namespace {

constexpr const char* kSysPath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1";
constexpr const char* kDevNode = "/dev/bus/usb/001/002";

std::string hex(const std::vector<std::uint8_t>& bytes) {
  std::string text;
  char pair[4];
  for (std::uint8_t byte : bytes) {
    std::snprintf(pair, sizeof pair, "%02x", static_cast<unsigned>(byte));
    text += pair;
  }
  return text;
}

// Device, configuration, interface (07/01/protocol) and two bulk endpoints of 64 bytes.
std::vector<std::uint8_t> descriptors(const UsbPrinterIdentity& identity) {
  const auto lo = [](unsigned v) { return static_cast<std::uint8_t>(v & 0xFF); };
  const auto hi = [](unsigned v) { return static_cast<std::uint8_t>(v >> 8); };
  return {0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, lo(identity.vendor_id), hi(identity.vendor_id),
          lo(identity.product_id), hi(identity.product_id), 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
          0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0xC0, 0x32,
          0x09, 0x04, 0x00, 0x00, 0x02, 0x07, 0x01, identity.protocol, 0x00,
          0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,
          0x07, 0x05, 0x82, 0x02, 0x40, 0x00, 0x00};
}

std::string device_record(const UsbPrinterIdentity& identity) {
  char ids[32];
  std::snprintf(ids, sizeof ids, "%04x\n%04x", identity.vendor_id, identity.product_id);
  const std::string vendor(ids, 4), product(ids + 5, 4);
  return std::string("P: ") + (kSysPath + 4) + "\nN: bus/usb/001/002\n" +
         "E: DEVNAME=/dev/bus/usb/001/002\nE: DEVTYPE=usb_device\nE: SUBSYSTEM=usb\nE: BUSNUM=001\nE: DEVNUM=002\n" +
         "E: ID_VENDOR_ID=" + vendor + "\nE: ID_MODEL_ID=" + product + "\n" +
         "A: busnum=1\nA: devnum=2\nA: speed=12\nA: bConfigurationValue=1\nA: dev=189:1\n" +
         "A: idVendor=" + vendor + "\nA: idProduct=" + product + "\n" + "H: descriptors=" + hex(descriptors(identity)) +
         "\n";
}

}  // namespace

Result<std::unique_ptr<UsbPrinterEmulator>> UsbPrinterEmulator::create(UsbPrinterIdentity identity) {
  // umockdev_in_mock_environment() looks at the inode of /sys, which some sandboxes give 1 even
  // under the preload: ask the loader's variable instead.
  const char* preload = std::getenv("LD_PRELOAD");
  if (preload == nullptr || std::strstr(preload, "libumockdev-preload") == nullptr) {
    return Error::make(ErrorKind::unsupported, "not under umockdev-wrapper (LD_PRELOAD=libumockdev-preload.so.0)");
  }
  std::unique_ptr<UsbPrinterEmulator> emulator(new UsbPrinterEmulator(identity));
  emulator->testbed_ = umockdev_testbed_new();
  TRY_STATUS(emulator->plug_in());
  emulator->handler_ = umockdev_ioctl_base_new();
  g_signal_connect(emulator->handler_, "handle-ioctl", G_CALLBACK(&UsbPrinterEmulator::dispatch), emulator.get());
  GError* error = nullptr;
  if (!umockdev_testbed_attach_ioctl(emulator->testbed_, kDevNode, emulator->handler_, &error)) {
    const std::string message = error ? error->message : "unknown";
    g_clear_error(&error);
    return Error::make(ErrorKind::io, "umockdev attach_ioctl: " + message);
  }
  return emulator;
}

UsbPrinterEmulator::UsbPrinterEmulator(UsbPrinterIdentity identity) : identity_(identity) {}

UsbPrinterEmulator::~UsbPrinterEmulator() {
  if (testbed_ && handler_) umockdev_testbed_detach_ioctl(testbed_, kDevNode, nullptr);
  {
    std::lock_guard lock(mutex_);
    for (auto* urb : pending_in_) g_object_unref(urb);
    for (auto* urb : reapable_) g_object_unref(urb);
    pending_in_.clear();
    reapable_.clear();
  }
  if (handler_) g_object_unref(handler_);
  if (testbed_) g_object_unref(testbed_);
}

Status UsbPrinterEmulator::plug_in() {
  GError* error = nullptr;
  if (!umockdev_testbed_add_from_string(testbed_, device_record(identity_).c_str(), &error)) {
    const std::string message = error ? error->message : "unknown";
    g_clear_error(&error);
    return Error::make(ErrorKind::io, "umockdev add device: " + message);
  }
  std::lock_guard lock(mutex_);
  present_ = true;
  usblp_bound_ = true;
  claimed_ = false;
  return {};
}

bool UsbPrinterEmulator::usblp_detached() const {
  std::lock_guard lock(mutex_);
  return !usblp_bound_;
}

bool UsbPrinterEmulator::claimed() const {
  std::lock_guard lock(mutex_);
  return claimed_;
}

void UsbPrinterEmulator::vanish() {
  {
    std::lock_guard lock(mutex_);
    present_ = false;
    claimed_ = false;
    // URBs of the old connection die with it.
    for (auto* urb : pending_in_) g_object_unref(urb);
    for (auto* urb : reapable_) g_object_unref(urb);
    pending_in_.clear();
    reapable_.clear();
    answers_.clear();
  }
  umockdev_testbed_remove_device(testbed_, kSysPath);
}

Status UsbPrinterEmulator::reappear() { return plug_in(); }

int UsbPrinterEmulator::dispatch(UMockdevIoctlBase*, UMockdevIoctlClient* client, void* self) {
  return static_cast<UsbPrinterEmulator*>(self)->handle_ioctl(client) ? TRUE : FALSE;
}

void UsbPrinterEmulator::complete(UMockdevIoctlClient* client, long result, int error) {
  umockdev_ioctl_client_complete(client, result, error);
}

// Answers waiting IN URBs with status bytes, one byte per URB (as a printer sends them).
void UsbPrinterEmulator::complete_pending_reads_locked() {
  while (!pending_in_.empty() && !answers_.empty()) {
    UMockdevIoctlData* urb_data = pending_in_.front();
    pending_in_.pop_front();
    auto* urb = reinterpret_cast<usbdevfs_urb*>(urb_data->data);
    GError* error = nullptr;
    UMockdevIoctlData* buffer =
        umockdev_ioctl_data_resolve(urb_data, offsetof(usbdevfs_urb, buffer), static_cast<gsize>(urb->buffer_length), &error);
    g_clear_error(&error);
    if (buffer != nullptr && urb->buffer_length > 0) {
      buffer->data[0] = answers_.front();
      answers_.pop_front();
      urb->actual_length = 1;
      urb->status = 0;
    } else {
      urb->actual_length = 0;
      urb->status = -EOVERFLOW;
    }
    reapable_.push_back(urb_data);
  }
}

bool UsbPrinterEmulator::handle_ioctl(UMockdevIoctlClient* client) {
  const unsigned long request = umockdev_ioctl_client_get_request(client);
  const gsize size = (request >> _IOC_SIZESHIFT) & ((1u << _IOC_SIZEBITS) - 1);
  UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
  GError* error = nullptr;
  UMockdevIoctlData* data = size > 0 ? umockdev_ioctl_data_resolve(arg, 0, size, &error) : nullptr;
  g_clear_error(&error);
  if (size > 0 && data == nullptr) {
    complete(client, -1, EFAULT);
    return true;
  }
  std::lock_guard lock(mutex_);
  if (!present_) {
    complete(client, -1, ENODEV);
    return true;
  }
  switch (request) {
    case USBDEVFS_GET_CAPABILITIES:
      *reinterpret_cast<std::uint32_t*>(data->data) =
          USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
      complete(client, 0, 0);
      return true;
    case USBDEVFS_GETDRIVER: {
      if (!usblp_bound_) {
        complete(client, -1, ENODATA);
        return true;
      }
      auto* driver = reinterpret_cast<usbdevfs_getdriver*>(data->data);
      std::snprintf(driver->driver, sizeof driver->driver, "usblp");
      complete(client, 0, 0);
      return true;
    }
    case USBDEVFS_IOCTL: {
      // libusb_detach_kernel_driver: USBDEVFS_DISCONNECT wrapped in USBDEVFS_IOCTL.
      const auto* wrapped = reinterpret_cast<usbdevfs_ioctl*>(data->data);
      if (wrapped->ioctl_code == static_cast<int>(USBDEVFS_DISCONNECT) && usblp_bound_) {
        usblp_bound_ = false;
        complete(client, 0, 0);
      } else {
        complete(client, -1, ENODATA);
      }
      return true;
    }
    case USBDEVFS_CLAIMINTERFACE:
      // The kernel refuses a claim while usblp holds the interface.
      if (usblp_bound_) {
        complete(client, -1, EBUSY);
        return true;
      }
      claimed_ = true;
      complete(client, 0, 0);
      return true;
    case USBDEVFS_RELEASEINTERFACE:
      claimed_ = false;
      complete(client, 0, 0);
      return true;
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET:
    case USBDEVFS_SETINTERFACE:
      complete(client, 0, 0);
      return true;
    case USBDEVFS_SUBMITURB: {
      auto* urb = reinterpret_cast<usbdevfs_urb*>(data->data);
      if (!claimed_ || urb->type != USBDEVFS_URB_TYPE_BULK || (urb->endpoint != 0x01 && urb->endpoint != 0x82) ||
          (urb->endpoint == 0x82 && identity_.protocol != 0x02)) {
        complete(client, -1, EINVAL);
        return true;
      }
      g_object_ref(data);
      if (urb->endpoint == 0x82) {
        pending_in_.push_back(data);
      } else {
        UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(data, offsetof(usbdevfs_urb, buffer),
                                                               static_cast<gsize>(urb->buffer_length), &error);
        g_clear_error(&error);
        if (buffer != nullptr) {
          const auto answers = printer_.receive(std::span(buffer->data, static_cast<std::size_t>(urb->buffer_length)));
          answers_.insert(answers_.end(), answers.begin(), answers.end());
        }
        urb->actual_length = urb->buffer_length;
        urb->status = 0;
        reapable_.push_back(data);
      }
      complete_pending_reads_locked();
      complete(client, 0, 0);
      return true;
    }
    case USBDEVFS_DISCARDURB: {
      // The argument is the URB's address in the client.
      const gulong address = *reinterpret_cast<const gulong*>(arg->data);
      for (auto it = pending_in_.begin(); it != pending_in_.end(); ++it) {
        if ((*it)->client_addr != address) continue;
        reinterpret_cast<usbdevfs_urb*>((*it)->data)->status = -ENOENT;
        reapable_.push_back(*it);
        pending_in_.erase(it);
        complete(client, 0, 0);
        return true;
      }
      complete(client, -1, EINVAL);
      return true;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
      if (reapable_.empty()) {
        complete(client, -1, EAGAIN);
        return true;
      }
      UMockdevIoctlData* urb = reapable_.front();
      reapable_.pop_front();
      umockdev_ioctl_data_set_ptr(data, 0, urb);
      g_object_unref(urb);
      complete(client, 0, 0);
      return true;
    }
    default:
      complete(client, -1, ENOTTY);
      return true;
  }
}

}  // namespace kiosk::devices::escpos
