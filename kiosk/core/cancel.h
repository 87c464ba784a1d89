#pragma once
// A cancel flag shared between a caller and a long call (a device read, a platform request):
// cancel() from any thread makes the call return its `cancelled` error at its next check
// (device drivers and the platform client check at least every 100 ms).

#include <atomic>
#include <memory>

namespace kiosk {

class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const { flag_->store(true); }
  bool cancelled() const { return flag_->load(); }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace kiosk
