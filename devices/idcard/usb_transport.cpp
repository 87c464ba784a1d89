// The USB transport: readers that carry the same SAM frames over a vendor-specific bulk OUT/IN
// pair. Each transport has its own libusb context (no process-wide state). Transfers run in slices
// of kCancelSlice so cancellation is seen in time; LIBUSB_ERROR_NO_DEVICE is an unplug.
#include <libusb-1.0/libusb.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "devices/idcard/transport.h"

namespace kiosk::devices::idcard {
namespace {

using Clock = std::chrono::steady_clock;

std::string usb_name(const UsbOptions& options) {
  char text[32];
  std::snprintf(text, sizeof text, "usb %04x:%04x", options.vendor_id, options.product_id);
  return text;
}

hal::DeviceErrorCode code_for(int error) {
  switch (error) {
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND: return hal::DeviceErrorCode::no_device;
    case LIBUSB_ERROR_TIMEOUT: return hal::DeviceErrorCode::timeout;
    case LIBUSB_ERROR_BUSY: return hal::DeviceErrorCode::busy;
    default: return hal::DeviceErrorCode::io;
  }
}

struct Endpoints {
  std::uint8_t out = 0;
  std::uint8_t in = 0;
  std::size_t in_packet = 64;
};

// The first bulk OUT and bulk IN endpoints of the interface.
bool find_bulk_endpoints(libusb_device* device, int interface_number, Endpoints& found) {
  libusb_config_descriptor* config = nullptr;
  if (libusb_get_active_config_descriptor(device, &config) != 0) return false;
  bool have_in = false;
  bool have_out = false;
  for (int i = 0; i < config->bNumInterfaces; ++i) {
    const libusb_interface& interface = config->interface[i];
    for (int alt = 0; alt < interface.num_altsetting; ++alt) {
      const libusb_interface_descriptor& setting = interface.altsetting[alt];
      if (setting.bInterfaceNumber != interface_number) continue;
      for (int e = 0; e < setting.bNumEndpoints; ++e) {
        const libusb_endpoint_descriptor& endpoint = setting.endpoint[e];
        if ((endpoint.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) continue;
        if ((endpoint.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN && !have_in) {
          found.in = endpoint.bEndpointAddress;
          found.in_packet = std::max<std::size_t>(endpoint.wMaxPacketSize, 8);
          have_in = true;
        } else if ((endpoint.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_OUT && !have_out) {
          found.out = endpoint.bEndpointAddress;
          have_out = true;
        }
      }
    }
  }
  libusb_free_config_descriptor(config);
  return have_in && have_out;
}

class UsbTransport final : public Transport {
 public:
  UsbTransport(libusb_context* context, libusb_device_handle* handle, int interface_number, Endpoints endpoints,
               std::string name)
      : context_(context), handle_(handle), interface_(interface_number), endpoints_(endpoints), name_(std::move(name)),
        pending_(0) {}
  ~UsbTransport() override {
    libusb_release_interface(handle_, interface_);
    libusb_close(handle_);
    libusb_exit(context_);
  }
  UsbTransport(const UsbTransport&) = delete;
  UsbTransport& operator=(const UsbTransport&) = delete;

  std::string name() const override { return name_; }

  void discard_input() override {
    pending_.clear();
    // Whatever the reader still queues arrives within one short transfer.
    std::vector<std::uint8_t> scratch(endpoints_.in_packet * 8);
    int transferred = 0;
    for (int round = 0; round < 16; ++round) {
      const int result = libusb_bulk_transfer(handle_, endpoints_.in, scratch.data(), static_cast<int>(scratch.size()),
                                              &transferred, 1);
      if (result != 0 || transferred == 0) break;
    }
  }

  hal::DeviceStatusResult write(std::span<const std::uint8_t> bytes, milliseconds timeout,
                                const hal::CancelToken& cancel) override {
    const auto deadline = Clock::now() + timeout;
    std::size_t written = 0;
    while (written < bytes.size()) {
      auto slice = next_slice(deadline, cancel, "write");
      if (!slice.ok()) return slice.release_error();
      int transferred = 0;
      // libusb takes a non-const buffer for both directions; an OUT transfer does not write to it.
      auto* data = const_cast<std::uint8_t*>(bytes.data() + written);
      const int result = libusb_bulk_transfer(handle_, endpoints_.out, data, static_cast<int>(bytes.size() - written),
                                              &transferred, static_cast<unsigned>(slice->count()));
      written += static_cast<std::size_t>(std::max(transferred, 0));
      if (result != 0 && result != LIBUSB_ERROR_TIMEOUT) return failure(result, "bulk OUT");
    }
    return {};
  }

  hal::DeviceResult<std::size_t> read(std::span<std::uint8_t> buffer, milliseconds timeout,
                                      const hal::CancelToken& cancel) override {
    const auto deadline = Clock::now() + timeout;
    while (pending_.empty()) {
      auto slice = next_slice(deadline, cancel, "read");
      if (!slice.ok()) return slice.release_error();
      // Whole packets only: a buffer that is not a multiple of the packet size can overflow.
      std::vector<std::uint8_t> packet(endpoints_.in_packet * 32);
      int transferred = 0;
      const int result = libusb_bulk_transfer(handle_, endpoints_.in, packet.data(), static_cast<int>(packet.size()),
                                              &transferred, static_cast<unsigned>(slice->count()));
      pending_.insert(pending_.end(), packet.begin(), packet.begin() + std::max(transferred, 0));
      if (result != 0 && result != LIBUSB_ERROR_TIMEOUT) return failure(result, "bulk IN");
    }
    const std::size_t count = std::min(buffer.size(), pending_.size());
    std::copy_n(pending_.begin(), count, buffer.begin());
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
    return count;
  }

 private:
  hal::DeviceError failure(int result, const char* what) const {
    return hal::device_error(code_for(result), name_ + ": " + what + ": " + libusb_error_name(result));
  }

  hal::DeviceResult<milliseconds> next_slice(Clock::time_point deadline, const hal::CancelToken& cancel,
                                             const char* what) const {
    if (cancel.cancelled()) return hal::device_error(hal::DeviceErrorCode::cancelled, name_ + ": " + what + " cancelled");
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return hal::device_error(hal::DeviceErrorCode::timeout, name_ + ": " + what + " timed out");
    return std::max(std::min(left, kCancelSlice), milliseconds{1});
  }

  libusb_context* context_;
  libusb_device_handle* handle_;
  int interface_;
  Endpoints endpoints_;
  std::string name_;
  std::vector<std::uint8_t> pending_;  // received beyond what the last read() could take
};

}  // namespace

hal::DeviceResult<std::unique_ptr<Transport>> open_usb(const UsbOptions& options) {
  const std::string name = usb_name(options);
  libusb_context* context = nullptr;
  if (const int result = libusb_init(&context); result != 0) {
    return hal::device_error(hal::DeviceErrorCode::io, name + ": libusb_init: " + libusb_error_name(result));
  }
  libusb_device_handle* handle = libusb_open_device_with_vid_pid(context, options.vendor_id, options.product_id);
  if (handle == nullptr) {
    libusb_exit(context);
    return hal::device_error(hal::DeviceErrorCode::no_device, name + ": not found (or no permission)");
  }
  auto fail = [&](int result, const char* what) -> hal::DeviceError {
    libusb_close(handle);
    libusb_exit(context);
    return hal::device_error(code_for(result), name + ": " + what + ": " + libusb_error_name(result));
  };
  Endpoints endpoints;
  if (!find_bulk_endpoints(libusb_get_device(handle), options.interface_number, endpoints)) {
    return fail(LIBUSB_ERROR_NOT_SUPPORTED, "no bulk IN/OUT pair on the interface");
  }
  libusb_set_auto_detach_kernel_driver(handle, 1);  // not supported everywhere; claiming tells
  if (const int result = libusb_claim_interface(handle, options.interface_number); result != 0) {
    return fail(result, "claim interface");
  }
  return std::unique_ptr<Transport>(
      std::make_unique<UsbTransport>(context, handle, options.interface_number, endpoints, name));
}

}  // namespace kiosk::devices::idcard
