#include "tools/platform-sim/faults.h"

#include <algorithm>
#include <chrono>

namespace platform_sim {

nlohmann::json FaultRule::to_json() const {
  return {{"latency_ms", latency_ms}, {"status", status},         {"retry_after_s", retry_after_s},
          {"drop", drop},             {"stall_body_ms", stall_body_ms}, {"tls_reset", tls_reset},
          {"path_prefix", path_prefix}, {"count", count}};
}

kiosk::Result<FaultRule, ApiError> parse_fault_rule(const nlohmann::json& body) {
  if (!body.is_object()) return bad_request("a fault rule is a JSON object");
  FaultRule rule;
  const auto whole = [&](const char* name, int& out, int low, int high) -> bool {
    const auto found = body.find(name);
    if (found == body.end()) return true;
    if (!found->is_number_integer()) return false;
    const auto value = found->get<std::int64_t>();
    if (value < low || value > high) return false;
    out = static_cast<int>(value);
    return true;
  };
  const auto flag = [&](const char* name, bool& out) -> bool {
    const auto found = body.find(name);
    if (found == body.end()) return true;
    if (!found->is_boolean()) return false;
    out = found->get<bool>();
    return true;
  };
  for (const auto& entry : body.items()) {
    const std::string name = entry.key();
    static const char* const kKnown[] = {"latency_ms", "status", "retry_after_s", "drop", "stall_body_ms",
                                          "tls_reset", "path_prefix", "count"};
    if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* known) { return name == known; })) {
      return bad_request("unknown fault field " + name);
    }
  }
  if (!whole("latency_ms", rule.latency_ms, 0, 600000) || !whole("retry_after_s", rule.retry_after_s, 0, 86400) ||
      !whole("stall_body_ms", rule.stall_body_ms, 0, 600000) || !whole("count", rule.count, -1, 1000000) ||
      !whole("status", rule.status, 0, 599) || !flag("drop", rule.drop) || !flag("tls_reset", rule.tls_reset)) {
    return bad_request("a fault field has the wrong type or is out of range");
  }
  if (rule.status != 0 && rule.status < 400) return bad_request("status must be 0 or 400-599");
  if (rule.count == 0) return bad_request("count must be -1 or at least 1");
  if (body.contains("path_prefix")) {
    if (!body["path_prefix"].is_string()) return bad_request("path_prefix must be a string");
    rule.path_prefix = body["path_prefix"].get<std::string>();
  }
  return rule;
}

void FaultTable::add(FaultRule rule) {
  std::lock_guard lock(mutex_);
  rules_.push_back(std::move(rule));
}

void FaultTable::clear() {
  {
    std::lock_guard lock(mutex_);
    rules_.clear();
    ++generation_;
  }
  cleared_.notify_all();
}

std::optional<FaultRule> FaultTable::take(std::string_view path) {
  std::lock_guard lock(mutex_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (path.substr(0, it->path_prefix.size()) != it->path_prefix) continue;
    FaultRule taken = *it;
    taken.generation = generation_;
    if (it->count > 0 && --it->count == 0) rules_.erase(it);
    return taken;
  }
  return std::nullopt;
}

nlohmann::json FaultTable::to_json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& rule : rules_) list.push_back(rule.to_json());
  return list;
}

bool FaultTable::wait(const FaultRule& rule, int milliseconds, const std::atomic<bool>& stop) const {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(milliseconds);
  std::unique_lock lock(mutex_);
  while (!stop.load() && generation_ == rule.generation) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    cleared_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

}  // namespace platform_sim
