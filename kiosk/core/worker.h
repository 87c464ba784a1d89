#pragma once
// A worker thread for blocking work (device I/O, disk, later network and OCR). Jobs run in order;
// their results go back to the UI thread through the app's event queue, never by touching widgets.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace kiosk {

class Worker {
 public:
  Worker();
  ~Worker();  // finishes the running job, drops queued ones, joins
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void post(std::function<void()> job);
  // True when no job is queued or running (the script driver settles on this).
  bool idle() const;

 private:
  void run();
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool running_job_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kiosk
