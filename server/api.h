// The HTTP API's own small vocabulary: a decoded Request, a buffered Reply,
// the RouteHandler every route implements, and the one mapping from cxmap
// Errors to HTTP statuses (STYLE.md: each error kind maps to one status).
//
// Handlers see no Poco types: http_server.cpp translates the wire request
// into a Request and writes the Reply back, so a handler is a plain function
// of its inputs over the read-only store. Replies are buffered, which gives
// every response a Content-Length and means an error found late never
// leaves a half-written body behind.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/result.h"

namespace cxmap {

// When a request must be answered by; handlers with several steps check it
// between them (a single Xapian match cannot be interrupted from here).
class Deadline {
 public:
  Deadline() : end_(std::chrono::steady_clock::time_point::max()) {}
  explicit Deadline(std::chrono::milliseconds budget) : end_(std::chrono::steady_clock::now() + budget) {}
  bool expired() const { return std::chrono::steady_clock::now() >= end_; }

 private:
  std::chrono::steady_clock::time_point end_;
};

struct Request {
  std::string method;                                       // GET, HEAD, POST, ...
  std::string path;                                         // percent-decoded, without the query
  // As sent (still percent-encoded): the router splits it into segments
  // before decoding, so "%2F" inside a customer key stays in its segment.
  std::string raw_path;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> params;               // {name} segments of the matched route
  Deadline deadline;

  // The first value of a query parameter.
  std::optional<std::string> arg(std::string_view name) const;
  // A route parameter ("" when the route has none by that name).
  std::string param(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  Reply& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

class RouteHandler {
 public:
  virtual ~RouteHandler() = default;
  // Called concurrently from the server's threads: handlers keep no
  // per-request state in members.
  virtual Reply handle(const Request& request) const = 0;
};

// A JSON body as it is.
Reply json_reply(std::string body, int status = 200);
// {"error": message}; 401 adds WWW-Authenticate, 503 adds Retry-After.
Reply error_reply(int status, std::string_view message);
// The status of an Error: usage 400, busy 503, a locked/busy SQLite 503,
// store/config/input/internal 500.
int status_of(const Error& error);
Reply error_reply(const Error& error);

// Parses an optional non-negative integer argument in [0, max]; a message
// naming the argument otherwise.
Result<int> int_arg(const Request& request, std::string_view name, int fallback, int max);

}  // namespace cxmap
