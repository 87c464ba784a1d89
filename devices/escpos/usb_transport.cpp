#include "devices/escpos/usb_transport.h"

#include <libusb.h>

#include <cstdio>

namespace kiosk::devices::escpos {
namespace {

constexpr std::uint8_t kPrinterClass = 0x07, kPrinterSubclass = 0x01;
constexpr std::uint8_t kUnidirectional = 0x01, kBidirectional = 0x02;
constexpr std::size_t kWriteChunk = 16 * 1024;

std::string hex4(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", value & 0xFFFFu);
  return text;
}

hal::DeviceErrorCode code_of(int status) {
  switch (status) {
    case LIBUSB_ERROR_NO_DEVICE: return hal::DeviceErrorCode::offline;
    case LIBUSB_ERROR_NOT_FOUND: return hal::DeviceErrorCode::offline;
    case LIBUSB_ERROR_TIMEOUT: return hal::DeviceErrorCode::timeout;
    default: return hal::DeviceErrorCode::io;
  }
}

// Where on a device we talk to the printer.
struct PrinterInterface {
  int number = -1;
  int alternate = 0;
  std::uint8_t out_endpoint = 0;
  std::uint8_t in_endpoint = 0;  // 0: one-way printer
  int in_packet_size = 64;
  int rank = 0;  // 3 bidirectional printer class, 2 one-way printer class, 1 vendor interface with bulk OUT
};

PrinterInterface rank_interface(const libusb_interface_descriptor& setting, bool vendor_fallback) {
  PrinterInterface found;
  found.number = setting.bInterfaceNumber;
  found.alternate = setting.bAlternateSetting;
  for (int e = 0; e < setting.bNumEndpoints; ++e) {
    const libusb_endpoint_descriptor& endpoint = setting.endpoint[e];
    if ((endpoint.bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_BULK) continue;
    if ((endpoint.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0) {
      if (found.in_endpoint == 0) {
        found.in_endpoint = endpoint.bEndpointAddress;
        found.in_packet_size = endpoint.wMaxPacketSize > 0 ? endpoint.wMaxPacketSize : 64;
      }
    } else if (found.out_endpoint == 0) {
      found.out_endpoint = endpoint.bEndpointAddress;
    }
  }
  if (found.out_endpoint == 0) return found;
  const bool printer = setting.bInterfaceClass == kPrinterClass && setting.bInterfaceSubClass == kPrinterSubclass;
  if (printer && setting.bInterfaceProtocol == kBidirectional && found.in_endpoint != 0) {
    found.rank = 3;
  } else if (printer && (setting.bInterfaceProtocol == kUnidirectional || setting.bInterfaceProtocol == kBidirectional)) {
    found.rank = 2;
    if (setting.bInterfaceProtocol == kUnidirectional) found.in_endpoint = 0;
  } else if (vendor_fallback) {
    found.rank = 1;  // some ESC/POS printers show a vendor-specific interface: only when named by id
  }
  return found;
}

PrinterInterface best_interface(libusb_device* device, bool vendor_fallback) {
  PrinterInterface best;
  libusb_config_descriptor* config = nullptr;
  if (libusb_get_active_config_descriptor(device, &config) != 0 &&
      libusb_get_config_descriptor(device, 0, &config) != 0) {
    return best;
  }
  for (int i = 0; i < config->bNumInterfaces; ++i) {
    const libusb_interface& interface = config->interface[i];
    for (int a = 0; a < interface.num_altsetting; ++a) {
      PrinterInterface candidate = rank_interface(interface.altsetting[a], vendor_fallback);
      if (candidate.rank > best.rank) best = candidate;
    }
  }
  libusb_free_config_descriptor(config);
  return best;
}

class UsbTransport final : public Transport {
 public:
  UsbTransport(libusb_context* context, libusb_device_handle* handle, PrinterInterface interface, std::string name)
      : context_(context), handle_(handle), interface_(interface), name_(std::move(name)) {}
  ~UsbTransport() override {
    libusb_release_interface(handle_, interface_.number);
    libusb_close(handle_);
    libusb_exit(context_);
  }
  UsbTransport(const UsbTransport&) = delete;
  UsbTransport& operator=(const UsbTransport&) = delete;

  std::string description() const override { return name_; }
  bool can_read() const override { return interface_.in_endpoint != 0; }

  hal::DeviceStatusResult write(std::span<const std::uint8_t> bytes, const hal::CancelToken& cancel,
                                Deadline deadline) override {
    std::size_t done = 0;
    while (done < bytes.size()) {
      TRY_STATUS(check(cancel, deadline, "write"));
      const int length = static_cast<int>(std::min(kWriteChunk, bytes.size() - done));
      int transferred = 0;
      // libusb does not write through a const pointer, but an OUT transfer only reads the buffer.
      const int status = libusb_bulk_transfer(handle_, interface_.out_endpoint, const_cast<std::uint8_t*>(bytes.data() + done),
                                              length, &transferred, slice_ms(deadline));
      done += static_cast<std::size_t>(std::max(transferred, 0));
      if (status == LIBUSB_SUCCESS || status == LIBUSB_ERROR_TIMEOUT) continue;  // a slice ended: look again
      return failure(status, "bulk OUT");
    }
    return {};
  }

  hal::DeviceResult<Bytes> read(std::size_t max, const hal::CancelToken& cancel, Deadline deadline) override {
    if (!can_read()) return hal::device_error(hal::DeviceErrorCode::unsupported, name_ + ": one-way printer");
    // A whole packet is always asked for: a shorter buffer would overflow if the printer sent more.
    Bytes buffer(static_cast<std::size_t>(interface_.in_packet_size));
    while (true) {
      TRY_STATUS(check(cancel, deadline, "read"));
      int transferred = 0;
      const int status = libusb_bulk_transfer(handle_, interface_.in_endpoint, buffer.data(), static_cast<int>(buffer.size()),
                                              &transferred, slice_ms(deadline));
      if (transferred > 0) {
        buffer.resize(std::min(max, static_cast<std::size_t>(transferred)));
        return buffer;
      }
      if (status != LIBUSB_SUCCESS && status != LIBUSB_ERROR_TIMEOUT) return failure(status, "bulk IN");
    }
  }

  void discard_input() override {
    if (!can_read()) return;
    std::uint8_t scratch[512];
    int transferred = 0;
    // A late answer waits in the printer until asked for: one short IN transfer takes it.
    libusb_bulk_transfer(handle_, interface_.in_endpoint, scratch,
                         std::min(static_cast<int>(sizeof scratch), interface_.in_packet_size), &transferred, 1);
  }

 private:
  static unsigned slice_ms(Deadline deadline) {
    // libusb reads 0 as "no timeout": never pass it.
    return static_cast<unsigned>(std::max<long>(1, static_cast<long>(next_slice(deadline).count())));
  }

  hal::DeviceStatusResult check(const hal::CancelToken& cancel, Deadline deadline, const char* what) const {
    if (cancel.cancelled()) return hal::device_error(hal::DeviceErrorCode::cancelled, name_ + ": " + what + " cancelled");
    if (SteadyClock::now() >= deadline) return hal::device_error(hal::DeviceErrorCode::timeout, name_ + ": " + what + " timed out");
    return {};
  }

  hal::DeviceError failure(int status, const char* what) {
    if (status == LIBUSB_ERROR_PIPE) libusb_clear_halt(handle_, interface_.out_endpoint);
    return hal::device_error(code_of(status), name_ + ": " + what + ": " + libusb_error_name(status));
  }

  libusb_context* context_;
  libusb_device_handle* handle_;
  PrinterInterface interface_;
  std::string name_;
};

struct Found {
  libusb_device* device = nullptr;
  PrinterInterface interface;
  libusb_device_descriptor descriptor{};
};

Found find_printer(libusb_device** list, ssize_t count, const UsbOptions& options) {
  Found best;
  for (ssize_t i = 0; i < count; ++i) {
    libusb_device_descriptor descriptor{};
    if (libusb_get_device_descriptor(list[i], &descriptor) != 0) continue;
    if (options.vendor_id && descriptor.idVendor != *options.vendor_id) continue;
    if (options.product_id && descriptor.idProduct != *options.product_id) continue;
    const PrinterInterface interface = best_interface(list[i], options.vendor_id.has_value());
    if (interface.rank > best.interface.rank) best = {list[i], interface, descriptor};
  }
  return best;
}

std::string wanted(const UsbOptions& options) {
  if (!options.vendor_id) return "no USB printer (class 07/01) found";
  return "no USB printer " + hex4(*options.vendor_id) + ":" + (options.product_id ? hex4(*options.product_id) : "*") +
         " found";
}

hal::DeviceResult<std::unique_ptr<Transport>> claim(libusb_context* context, const Found& found) {
  const std::string name = "USB " + hex4(found.descriptor.idVendor) + ":" + hex4(found.descriptor.idProduct) + " bus " +
                           std::to_string(libusb_get_bus_number(found.device)) + " address " +
                           std::to_string(libusb_get_device_address(found.device)) + " interface " +
                           std::to_string(found.interface.number);
  libusb_device_handle* handle = nullptr;
  int status = libusb_open(found.device, &handle);
  if (status != 0) return hal::device_error(code_of(status), name + ": open: " + libusb_error_name(status));
  auto fail = [&](const char* what) -> hal::DeviceError {
    libusb_close(handle);
    return hal::device_error(code_of(status), name + ": " + what + ": " + libusb_error_name(status));
  };
  // The kernel's usblp binds printer-class interfaces; it must let go before we can claim.
  if (libusb_kernel_driver_active(handle, found.interface.number) == 1) {
    status = libusb_detach_kernel_driver(handle, found.interface.number);
    if (status != 0) return fail("detach usblp");
  }
  status = libusb_claim_interface(handle, found.interface.number);
  if (status != 0) return fail("claim interface");
  if (found.interface.alternate != 0) {
    status = libusb_set_interface_alt_setting(handle, found.interface.number, found.interface.alternate);
    if (status != 0) {
      libusb_release_interface(handle, found.interface.number);
      return fail("alternate setting");
    }
  }
  return std::unique_ptr<Transport>(std::make_unique<UsbTransport>(context, handle, found.interface, name));
}

}  // namespace

hal::DeviceResult<std::unique_ptr<Transport>> open_usb_transport(const UsbOptions& options) {
  libusb_context* context = nullptr;
  int status = libusb_init(&context);
  if (status != 0) return hal::device_error(hal::DeviceErrorCode::io, std::string("libusb init: ") + libusb_error_name(status));
  libusb_device** list = nullptr;
  const ssize_t count = libusb_get_device_list(context, &list);
  if (count < 0) {
    libusb_exit(context);
    return hal::device_error(hal::DeviceErrorCode::io,
                             std::string("libusb device list: ") + libusb_error_name(static_cast<int>(count)));
  }
  const Found found = find_printer(list, count, options);
  if (found.device == nullptr || found.interface.rank == 0) {
    libusb_free_device_list(list, 1);
    libusb_exit(context);
    return hal::device_error(hal::DeviceErrorCode::offline, wanted(options));
  }
  auto transport = claim(context, found);
  libusb_free_device_list(list, 1);  // an opened handle keeps its device referenced
  if (!transport.ok()) libusb_exit(context);
  return transport;
}

}  // namespace kiosk::devices::escpos
