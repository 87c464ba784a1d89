// The USB transport and the SamReader over it, against an emulated reader on usbdevfs: umockdev
// (run under umockdev-wrapper) gives libusb a sysfs device with real descriptors and hands every
// usbdevfs ioctl to the handler below, which answers bulk OUT URBs by feeding the SamEmulator and
// completes bulk IN URBs with its answers. libusb, the transport and the driver are the real ones.
#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>
#include <umockdev.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <thread>

#include "devices/idcard/emulator.h"
#include "devices/idcard/sam_reader.h"
#include "devices/idcard/transport.h"
#include "devices/sim/identities.h"

namespace kiosk::devices::idcard {
namespace {

using hal::DeviceErrorCode;
using hal::DeviceState;
using std::chrono::milliseconds;

constexpr UsbOptions kReader{0x0400, 0xc35a, 0};
constexpr milliseconds kTimeout{3000};

// A full-speed vendor-class device: one interface with bulk OUT 0x01 and bulk IN 0x81, 64 bytes.
constexpr const char* kDevice =
    "P: /devices/usb1/1-1\n"
    "N: bus/usb/001/002\n"
    "E: DEVNAME=/dev/bus/usb/001/002\n"
    "E: DEVTYPE=usb_device\n"
    "E: SUBSYSTEM=usb\n"
    "E: BUSNUM=001\n"
    "E: DEVNUM=002\n"
    "A: busnum=1\\n\n"
    "A: devnum=2\\n\n"
    "A: speed=12\\n\n"
    "A: idVendor=0400\\n\n"
    "A: idProduct=c35a\\n\n"
    "A: bConfigurationValue=1\\n\n"
    "H: descriptors=120100020000004000045AC3000101020301"  // device descriptor
    "090220000101008032"                                   // configuration
    "0904000002FF000000"                                   // interface: vendor class, 2 endpoints
    "07050102400000"                                       // bulk OUT 0x01, 64 bytes
    "07058102400000\n";                                   // bulk IN 0x81, 64 bytes

// The usbdevfs side of the emulated reader. Runs on umockdev's handler thread.
class UsbReaderHandler {
 public:
  UsbReaderHandler() : handler_(umockdev_ioctl_base_new()) {
    g_signal_connect(handler_, "handle-ioctl", G_CALLBACK(&UsbReaderHandler::on_ioctl), this);
  }
  ~UsbReaderHandler() {
    for (auto* list : {&pending_in_, &completed_}) {
      for (auto* urb : *list) g_object_unref(urb);
    }
    g_object_unref(handler_);
  }
  UMockdevIoctlBase* handler() { return handler_; }
  SamEmulator& emulator() { return emulator_; }
  std::atomic<bool> unplugged{false};  // every ioctl fails with ENODEV, as after a real unplug

 private:
  static gboolean on_ioctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
    static_cast<UsbReaderHandler*>(self)->handle(client);
    return TRUE;
  }

  void handle(UMockdevIoctlClient* client) {
    const gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* argument = umockdev_ioctl_client_get_arg(client);
    const gsize size = (request >> _IOC_SIZESHIFT) & ((1u << _IOC_SIZEBITS) - 1);
    UMockdevIoctlData* data = size ? umockdev_ioctl_data_resolve(argument, 0, size, nullptr) : nullptr;
    if (unplugged) return umockdev_ioctl_client_complete(client, -1, ENODEV);
    switch (request) {
      case USBDEVFS_GET_CAPABILITIES:
        *reinterpret_cast<std::uint32_t*>(data->data) = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
        return umockdev_ioctl_client_complete(client, 0, 0);
      case USBDEVFS_DISCONNECT_CLAIM:
      case USBDEVFS_CLAIMINTERFACE:
      case USBDEVFS_RELEASEINTERFACE:
      case USBDEVFS_CLEAR_HALT:
      case USBDEVFS_RESET: return umockdev_ioctl_client_complete(client, 0, 0);
      case USBDEVFS_SUBMITURB: return submit(client, data);
      case USBDEVFS_DISCARDURB: return discard(client, *reinterpret_cast<gulong*>(argument->data));
      case USBDEVFS_REAPURB:
      case USBDEVFS_REAPURBNDELAY: return reap(client, data);
      default: return umockdev_ioctl_client_complete(client, -1, ENOTTY);
    }
  }

  void submit(UMockdevIoctlClient* client, UMockdevIoctlData* data) {
    auto* urb = reinterpret_cast<usbdevfs_urb*>(data->data);
    umockdev_ioctl_data_resolve(data, offsetof(usbdevfs_urb, buffer), static_cast<gsize>(urb->buffer_length), nullptr);
    g_object_ref(data);
    if (urb->endpoint & 0x80) {
      pending_in_.push_back(data);
    } else {
      const std::span bytes(static_cast<const std::uint8_t*>(urb->buffer), static_cast<std::size_t>(urb->buffer_length));
      for (const auto& output : emulator_.receive(bytes)) answer_.insert(answer_.end(), output.bytes.begin(), output.bytes.end());
      urb->actual_length = urb->buffer_length;
      urb->status = 0;
      completed_.push_back(data);
    }
    umockdev_ioctl_client_complete(client, 0, 0);
  }

  void discard(UMockdevIoctlClient* client, gulong address) {
    for (auto it = pending_in_.begin(); it != pending_in_.end(); ++it) {
      if ((*it)->client_addr != address) continue;
      reinterpret_cast<usbdevfs_urb*>((*it)->data)->status = -ENOENT;
      completed_.push_back(*it);
      pending_in_.erase(it);
      return umockdev_ioctl_client_complete(client, 0, 0);
    }
    umockdev_ioctl_client_complete(client, -1, EINVAL);
  }

  void reap(UMockdevIoctlClient* client, UMockdevIoctlData* data) {
    UMockdevIoctlData* done = nullptr;
    if (!completed_.empty()) {
      done = completed_.front();
      completed_.pop_front();
    } else if (!pending_in_.empty() && !answer_.empty()) {
      done = pending_in_.front();
      pending_in_.pop_front();
      auto* urb = reinterpret_cast<usbdevfs_urb*>(done->data);
      const auto count = std::min<std::size_t>(static_cast<std::size_t>(urb->buffer_length), answer_.size());
      std::copy_n(answer_.begin(), count, static_cast<std::uint8_t*>(urb->buffer));
      answer_.erase(answer_.begin(), answer_.begin() + static_cast<std::ptrdiff_t>(count));
      urb->actual_length = static_cast<int>(count);
      urb->status = 0;
    }
    if (done == nullptr) return umockdev_ioctl_client_complete(client, -1, EAGAIN);
    umockdev_ioctl_data_set_ptr(data, 0, done);  // the reaped URB goes back to the client, buffer included
    g_object_unref(done);
    umockdev_ioctl_client_complete(client, 0, 0);
  }

  UMockdevIoctlBase* handler_;
  SamEmulator emulator_;
  std::deque<UMockdevIoctlData*> pending_in_;
  std::deque<UMockdevIoctlData*> completed_;
  std::deque<std::uint8_t> answer_;
};

class UsbTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* preload = std::getenv("LD_PRELOAD");
    ASSERT_TRUE(preload != nullptr && std::strstr(preload, "umockdev") != nullptr) << "run under umockdev-wrapper";
    testbed_ = umockdev_testbed_new();
    GError* error = nullptr;
    ASSERT_TRUE(umockdev_testbed_add_from_string(testbed_, kDevice, &error)) << error->message;
    ASSERT_TRUE(umockdev_testbed_attach_ioctl(testbed_, "/dev/bus/usb/001/002", reader_.handler(), &error))
        << error->message;
  }
  void TearDown() override {
    if (testbed_ != nullptr) g_object_unref(testbed_);
  }

  UMockdevTestbed* testbed_ = nullptr;
  UsbReaderHandler reader_;
};

bool wait_until(const std::function<bool()>& condition, milliseconds limit = milliseconds(2000)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return condition();
}

TEST_F(UsbTransportTest, BulkOutAndInCarryACommandAndItsAnswer) {
  auto transport = open_usb(kReader);
  ASSERT_TRUE(transport.ok()) << transport.error().message;
  EXPECT_EQ((*transport)->name(), "usb 0400:c35a");
  ASSERT_TRUE((*transport)->write(encode_command(kReadSamId), kTimeout, hal::CancelToken{}).ok());
  FrameParser parser;
  std::array<std::uint8_t, 64> buffer{};
  std::optional<Result<Bytes, FrameError>> frame;
  while (!frame) {
    auto count = (*transport)->read(buffer, kTimeout, hal::CancelToken{});
    ASSERT_TRUE(count.ok()) << count.error().message;
    parser.feed(std::span(buffer).first(*count));
    frame = parser.next();
  }
  ASSERT_TRUE(frame->ok());
  auto answer = decode_answer(frame->value());
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->status, sw3::kOk);
  EXPECT_EQ(decode_sam_id(answer->data).value(), "05.01-20260101-0012345678-0000000042");
}

TEST_F(UsbTransportTest, ReadWithoutAnAnswerTimesOutAndCancelEndsIt) {
  auto transport = open_usb(kReader);
  ASSERT_TRUE(transport.ok()) << transport.error().message;
  std::array<std::uint8_t, 64> buffer{};
  auto count = (*transport)->read(buffer, milliseconds(100), hal::CancelToken{});
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().code, DeviceErrorCode::timeout);
  hal::CancelToken cancel;
  cancel.cancel();
  EXPECT_EQ((*transport)->read(buffer, kTimeout, cancel).error().code, DeviceErrorCode::cancelled);
}

TEST_F(UsbTransportTest, AnotherVendorIdIsNoDevice) {
  auto transport = open_usb(UsbOptions{0x1234, 0x5678, 0});
  ASSERT_FALSE(transport.ok());
  EXPECT_EQ(transport.error().code, DeviceErrorCode::no_device);
  EXPECT_NE(transport.error().message.find("1234:5678"), std::string::npos) << transport.error().message;
}

TEST_F(UsbTransportTest, SamReaderReadsACardOverUsbAndSeesTheUnplug) {
  auto card = sim::load_sample_identity(KIOSK_TEST_ASSETS, "zhangsan");
  ASSERT_TRUE(card.ok());
  ASSERT_TRUE(reader_.emulator().place(*card).ok());
  SamReaderOptions options;
  options.poll_interval = kMinPollInterval;
  SamReader reader("sam-usb", [] { return open_usb(kReader); }, options);
  ASSERT_TRUE(wait_until([&] { return reader.status().card_present; })) << hal::describe(reader.status());
  auto read = reader.read_card(hal::CancelToken{}, kTimeout);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->name, card->name);
  EXPECT_EQ(read->id_number, card->id_number);
  EXPECT_EQ(read->valid_until, "长期");
  EXPECT_EQ(read->photo, SamEmulator::photo_for(*card));

  reader_.unplugged = true;  // LIBUSB_ERROR_NO_DEVICE from here on
  ASSERT_TRUE(wait_until([&] { return reader.status().state == DeviceState::offline; })) << hal::describe(reader.status());
  EXPECT_NE(reader.status().detail.find("usb 0400:c35a"), std::string::npos) << reader.status().detail;
  reader_.unplugged = false;
  EXPECT_TRUE(wait_until([&] { return reader.status().state == DeviceState::online; })) << hal::describe(reader.status());
}

}  // namespace
}  // namespace kiosk::devices::idcard
