#pragma once
// kioskctl's command-line words: flags with a value (--serial PATH), switches (--demo) and
// positional arguments, checked against what a command takes. Every mistake is a usage error
// (exit 2); a failed operation is exit 1.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kiosk/core/result.h"

namespace kiosk::kioskctl {

inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Why a command did not succeed: the exit code and one line for stderr.
struct Failure {
  int exit_code = kExitFailed;
  std::string message;
};
Failure usage_error(std::string message);
Failure failed(std::string message);

template <typename T>
using Outcome = Result<T, Failure>;

struct ArgumentSpec {
  std::set<std::string> valued;    // "--serial", "--baud" …
  std::set<std::string> switches;  // "--demo"
  std::size_t positionals = 0;     // exactly this many
};

class Arguments {
 public:
  static Outcome<Arguments> parse(const std::vector<std::string>& words, const ArgumentSpec& spec);

  bool has(const std::string& flag) const { return values_.count(flag) > 0 || switches_.count(flag) > 0; }
  std::optional<std::string> value(const std::string& flag) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  // An integer flag in [low, high]; `fallback` when absent.
  Outcome<long long> integer(const std::string& flag, long long fallback, long long low, long long high) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
  std::vector<std::string> positionals_;
};

// "0416:5011" → {"0416", "5011"}; usage error otherwise.
Outcome<std::pair<std::string, std::string>> usb_ids(const std::string& text);

}  // namespace kiosk::kioskctl
