#include "kiosk/core/worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "kiosk/core/result.h"
#include "kiosk/core/secure_memory.h"

namespace kiosk {
namespace {

TEST(Worker, RunsJobsInOrderOffTheCallingThread) {
  std::vector<int> order;
  std::atomic<bool> other_thread{true};
  const auto caller = std::this_thread::get_id();
  {
    Worker worker;
    for (int i = 0; i < 5; ++i) {
      worker.post([&order, &other_thread, caller, i] {
        order.push_back(i);
        if (std::this_thread::get_id() == caller) other_thread = false;
      });
    }
    while (!worker.idle()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_TRUE(other_thread);
}

Result<int> half(int value) {
  if (value % 2) return Error::make(ErrorKind::invalid_argument, "odd");
  return value / 2;
}

Result<int> quarter(int value) {
  const int halved = TRY(half(value));
  return TRY(half(halved));
}

TEST(Result, TryPropagatesTheFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  auto odd = quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().kind, ErrorKind::invalid_argument);
  EXPECT_STREQ(to_string(ErrorKind::timeout), "timeout");
}

TEST(SecureMemory, ClearsStrings) {
  std::string secret = "11010519491231002X";
  secure_clear(secret);
  EXPECT_TRUE(secret.empty());
}

}  // namespace
}  // namespace kiosk
