#pragma once
// A thin RAII layer over SQLite for the simulator's storage: one connection in WAL mode with
// synchronous=FULL (a committed answer survives a power cut), used from every connection thread
// under one recursive lock. SQL failures inside a request throw DatabaseError, which the request's
// boundary (PlatformApi::handle, AdminApi::handle) turns into a 500 `internal` answer.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "kiosk/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace platform_sim {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Blob {
  std::string_view bytes;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Parameters are 1-based, as in SQLite.
  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, bool value) { bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  void bind(int index, Blob blob);
  void bind(int index, std::nullopt_t);
  void bind(int index, const std::optional<std::string>& text);

  // Steps once: true when a row is ready, false when done.
  bool step();
  std::string text(int column) const;  // 0-based; NULL → ""
  std::int64_t integer(int column) const;
  bool is_null(int column) const;
  std::string blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

class Database {
 public:
  static kiosk::Result<std::unique_ptr<Database>> open(const std::filesystem::path& file);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);

  template <typename... Args>
  Statement query(std::string_view sql, const Args&... args) {
    Statement statement(db_, sql);
    int index = 0;
    (statement.bind(++index, args), ...);
    return statement;
  }
  // Runs a statement that returns no rows; returns the number of rows changed.
  template <typename... Args>
  int run(std::string_view sql, const Args&... args) {
    auto statement = query(sql, args...);
    while (statement.step()) {
    }
    return changes();
  }
  // The first column of the first row, if any.
  template <typename... Args>
  std::optional<std::string> scalar(std::string_view sql, const Args&... args) {
    auto statement = query(sql, args...);
    if (!statement.step() || statement.is_null(0)) return std::nullopt;
    return statement.text(0);
  }

  std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(mutex_); }

  // Runs `work` inside BEGIN IMMEDIATE … COMMIT under the lock; rolls back if it throws.
  template <typename Work>
  auto transaction(Work&& work) -> decltype(work()) {
    auto held = lock();
    exec("BEGIN IMMEDIATE");
    try {
      if constexpr (std::is_void_v<decltype(work())>) {
        work();
        exec("COMMIT");
      } else {
        auto result = work();
        exec("COMMIT");
        return result;
      }
    } catch (...) {
      exec("ROLLBACK");
      throw;
    }
  }

  int changes() const;
  std::int64_t last_insert_rowid() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::recursive_mutex mutex_;
};

}  // namespace platform_sim
