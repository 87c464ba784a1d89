#include "tools/platform-sim/http.h"

#include <algorithm>
#include <charconv>

namespace platform_sim {
namespace {

bool is_token_char(char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

// Visible ASCII, spaces, tabs and UTF-8 bytes; no other control characters.
bool is_field_value(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && b != '\t') || b == 0x7f;
  });
}

// The request target: origin-form only, printable ASCII (non-ASCII must be percent-encoded).
bool is_origin_form(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  return std::all_of(target.begin(), target.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b > 0x20 && b < 0x7f && c != '#';
  });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool contains_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    if (lower(item) == token) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

kiosk::Result<void, ApiError> parse_request_line(std::string_view line, Request& request) {
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return bad_request("the request line is not METHOD TARGET VERSION");
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  if (!is_token(method)) return bad_request("the method is not a token");
  if (!is_origin_form(target)) return bad_request("the target is not an absolute path");
  if (version == "HTTP/1.1") {
    request.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    request.minor_version = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/") {
    return make_error(505, "bad_request", "请求内容有误，无法办理，请联系工作人员。", "HTTP version not supported");
  } else {
    return bad_request("the version is not HTTP/1.x");
  }
  request.method = std::string(method);
  request.target = std::string(target);
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  request.query = question == std::string_view::npos ? std::string() : std::string(target.substr(question + 1));
  return kiosk::Ok{};
}

kiosk::Result<void, ApiError> parse_content_length(std::string_view value, Request& request, bool& seen) {
  if (value.empty() || value.size() > 12) return bad_request("Content-Length is not a number");
  std::size_t length = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (error != std::errc() || end != value.data() + value.size()) return bad_request("Content-Length is not a number");
  if (seen && length != request.content_length) return bad_request("two different Content-Length headers");
  seen = true;
  request.content_length = length;
  return kiosk::Ok{};
}

// Applies what the server must act on: length, transfer coding, keep-alive, Expect.
kiosk::Result<void, ApiError> interpret_headers(Request& request) {
  bool length_seen = false;
  bool close = false;
  bool keep_alive_token = false;
  for (const auto& [name, value] : request.headers) {
    if (name == "content-length") {
      auto parsed = parse_content_length(value, request, length_seen);
      if (!parsed) return parsed.release_error();
    } else if (name == "transfer-encoding") {
      return bad_request("Transfer-Encoding is not supported; send Content-Length");
    } else if (name == "connection") {
      close = close || contains_token(value, "close");
      keep_alive_token = keep_alive_token || contains_token(value, "keep-alive");
    } else if (name == "expect") {
      if (lower(value) != "100-continue") return make_error(417, "bad_request", "请求内容有误，无法办理，请联系工作人员。", "unsupported Expect");
      request.expect_continue = true;
    }
  }
  if (request.content_length > kMaxBodyBytes) return too_large("the body is over 16 MiB");
  request.keep_alive = request.minor_version == 1 ? !close : keep_alive_token && !close;
  return kiosk::Ok{};
}

kiosk::Result<void, ApiError> parse_header_line(std::string_view line, Request& request) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bad_request("a header line has no colon");
  const std::string_view name = line.substr(0, colon);
  if (!is_token(name)) return bad_request("a header name is not a token");  // also refuses "Name :"
  const std::string_view value = trim(line.substr(colon + 1));
  if (!is_field_value(value)) return bad_request("a header value has control characters");
  if (request.headers.size() >= kMaxHeaderCount) return make_error(431, "too_large", "提交的材料太大，请联系工作人员。", "too many headers");
  request.headers.emplace_back(lower(name), std::string(value));
  return kiosk::Ok{};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

const std::string* Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

kiosk::Result<std::optional<RequestHead>, ApiError> parse_request_head(std::string_view buffer) {
  // Tolerate blank lines before a request (RFC 9112 §2.2).
  std::size_t start = 0;
  while (start + 1 < buffer.size() && buffer[start] == '\r' && buffer[start + 1] == '\n') start += 2;
  const std::size_t end = buffer.find("\r\n\r\n", start);
  if (end == std::string_view::npos) {
    if (buffer.size() > kMaxHeadBytes) return make_error(431, "too_large", "提交的材料太大，请联系工作人员。", "the request head is over 16 KiB");
    return std::optional<RequestHead>();
  }
  if (end + 4 > kMaxHeadBytes) return make_error(431, "too_large", "提交的材料太大，请联系工作人员。", "the request head is over 16 KiB");
  RequestHead head;
  std::string_view rest = buffer.substr(start, end - start);
  const std::size_t line_end = rest.find("\r\n");
  auto line = parse_request_line(rest.substr(0, line_end), head.request);
  if (!line) return line.release_error();
  rest = line_end == std::string_view::npos ? std::string_view() : rest.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t next = rest.find("\r\n");
    const std::string_view header = rest.substr(0, next);
    if (header.find('\n') != std::string_view::npos || header.find('\r') != std::string_view::npos) {
      return bad_request("a bare CR or LF in the head");
    }
    if (!header.empty() && (header.front() == ' ' || header.front() == '\t')) {
      return bad_request("obsolete header line folding");
    }
    auto parsed = parse_header_line(header, head.request);
    if (!parsed) return parsed.release_error();
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 2);
  }
  auto interpreted = interpret_headers(head.request);
  if (!interpreted) return interpreted.release_error();
  head.head_size = end + 4;
  return std::optional<RequestHead>(std::move(head));
}

kiosk::Result<std::map<std::string, std::string>, ApiError> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals));
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
    if (!name || !value || name->empty()) return bad_request("a malformed query string");
    if (!out.emplace(std::move(*name), std::move(*value)).second) return bad_request("a query parameter given twice");
  }
  return out;
}

Response Response::json(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.set_header("Content-Type", "application/json; charset=utf-8");
  return response;
}

Response Response::error(const ApiError& error) {
  Response response = json(error.status, error.to_json());
  if (error.retry_after_s > 0) response.set_header("Retry-After", std::to_string(error.retry_after_s));
  return response;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (lower(key) == lower(name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

const std::string* Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (lower(key) == lower(name)) return &value;
  }
  return nullptr;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
  }
}

std::string http_date(std::time_t when) {
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[64];
  const std::size_t size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text, size);
}

std::string serialize_head(const Response& response, bool keep_alive, std::time_t now) {
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
  head += "Date: " + http_date(now) + "\r\n";
  head += "Server: platform-sim\r\n";
  for (const auto& [name, value] : response.headers) head += name + ": " + value + "\r\n";
  head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  head += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  head += "\r\n";
  return head;
}

}  // namespace platform_sim
