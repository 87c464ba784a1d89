#pragma once
// HTTP/1.1 for the simulator: the request-head parser (outside data: strict, bounded, never
// throws; fuzzed by tests/fuzz/http_request_fuzz.cpp), query strings, and response heads.
// Bodies are Content-Length only; chunked requests are refused with 400 (the terminal's libcurl
// always sends a length for JSON bodies).

#include <cstddef>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/core/result.h"
#include "tools/platform-sim/api_error.h"

namespace platform_sim {

inline constexpr std::size_t kMaxHeadBytes = 16 * 1024;        // request line + headers
inline constexpr std::size_t kMaxHeaderCount = 64;
inline constexpr std::size_t kMaxBodyBytes = 16u << 20;        // contract: 16 MiB per request
inline constexpr std::size_t kMaxResponseBytes = 8u << 20;     // contract: 8 MiB per response

using Headers = std::vector<std::pair<std::string, std::string>>;  // names lower-cased

struct Request {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // before '?', percent-decoding left to the router
  std::string query;   // after '?', may be empty
  int minor_version = 1;
  Headers headers;
  std::size_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
  std::string body;

  // The first header of that (lower-case) name.
  const std::string* header(std::string_view name) const;
};

struct RequestHead {
  Request request;
  std::size_t head_size = 0;  // bytes of `buffer` the head took, the blank line included
};

// Parses the request head at the start of `buffer`. nullopt: the head is not complete yet (and is
// still under kMaxHeadBytes). Errors are 400 bad_request, 413 too_large (head or Content-Length
// over the limits) or 501/505 for what HTTP/1.1 allows but we do not do.
kiosk::Result<std::optional<RequestHead>, ApiError> parse_request_head(std::string_view buffer);

// "a=1&b=%E4%B8%AD" → {a: 1, b: 中}. Malformed escapes or duplicate names are errors.
kiosk::Result<std::map<std::string, std::string>, ApiError> parse_query(std::string_view query);

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(int status, const nlohmann::json& body);
  static Response error(const ApiError& error);
  void set_header(std::string name, std::string value);
  const std::string* header(std::string_view name) const;
};

const char* reason_phrase(int status);
// IMF-fixdate, as in the Date header: "Wed, 25 Nov 2026 06:03:00 GMT".
std::string http_date(std::time_t when);
// Status line and headers, with Date, Content-Length and Connection added.
std::string serialize_head(const Response& response, bool keep_alive, std::time_t now);

}  // namespace platform_sim
