#pragma once
// Result<T, E>: the return type of every fallible call (SerenityOS ErrorOr / std::expected).
// No exception crosses a module boundary; errors carry a kind and a message with context.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

// The error of the app core: a kind a caller can switch on and a message with context
// (path, errno, line) meant for logs and technicians, never for citizens.
enum class ErrorKind {
  invalid_argument,  // the caller passed something malformed
  parse,             // outside data did not parse (JSON, frame, config)
  not_found,         // a file, id or widget does not exist
  io,                // the OS refused (errno in message)
  timeout,           // the deadline passed
  cancelled,         // the caller cancelled
  device,            // a device reported a fault
  unsupported,       // not available in this build or on this device
  busy,              // in use (a citizen's session, another job); try again later
  permission,        // the caller may not do this (a socket peer, a file mode)
};

const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind;
  std::string message;

  static Error make(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }
};

template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(storage_); }
  const T& value() const& { assert(ok()); return std::get<0>(storage_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(storage_)); }
  T release_value() { assert(ok()); return std::get<0>(std::move(storage_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

  const E& error() const { assert(!ok()); return std::get<1>(storage_); }
  E release_error() { assert(!ok()); return std::get<1>(std::move(storage_)); }

 private:
  std::variant<T, E> storage_;
};

// Result<void>: success carries nothing.
struct Ok {};
template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(Ok) {}  // NOLINT
  Result(E error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const E& error() const { assert(failed_); return error_; }
  E release_error() { assert(failed_); return std::move(error_); }

 private:
  E error_{};
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace kiosk

// TRY(expr): evaluate a Result; on error return it from the enclosing function, else yield the
// value. Uses a GNU statement expression (GCC and Clang), as SerenityOS does.
#define TRY(expression)                                  \
  ({                                                     \
    auto _try_result = (expression);                     \
    if (!_try_result.ok()) return _try_result.release_error(); \
    std::move(_try_result).value();                      \
  })

#define TRY_STATUS(expression)                           \
  do {                                                   \
    auto _try_status = (expression);                     \
    if (!_try_status.ok()) return _try_status.release_error(); \
  } while (0)
