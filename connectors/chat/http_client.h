// One HTTP(S) GET at a time against one origin (scheme, host, port), for the
// API connectors. It makes single attempts and reports what happened; the
// caller owns the retry policy (it also retries on bodies it cannot parse).
//
// Invariants:
//  1. get() never throws: a failure to connect, send or read the status line
//     is `connected == false` with a message; a failure while reading the
//     body (timeout, reset, fewer bytes than Content-Length, over the size
//     limit) is `body_complete == false` with a message.
//  2. Only URLs of the client's own origin are fetched, so a bearer token is
//     never sent to a host the configuration did not name.
//  3. After any failure the connection is dropped; the next get() opens a new
//     one. Otherwise the connection is kept alive between pages.
// Poco exceptions (Net, NetSSL) never leave http_client.cpp.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/result.h"

namespace cxmap::chat {

struct HttpReply {
  bool connected = false;  // a status line was received
  int status = 0;
  std::string reason;          // "Too Many Requests"
  std::string retry_after;     // the Retry-After header, as sent
  std::string body;            // what was read (may be partial)
  bool body_complete = false;  // the whole body was read
  std::string error;           // what went wrong, for a person
};

struct HttpOptions {
  double timeout_seconds = 30;             // connect, send and each receive
  std::size_t max_body_bytes = 64u << 20;  // a longer body is not complete
  std::string ca_file;                     // extra trusted CA (PEM) for HTTPS; "" = system CAs
};

class HttpClient {
 public:
  // A client for the origin of `url` (http or https). A config error for a URL
  // that is not absolute http(s).
  static Result<HttpClient> make(const std::string& url, const HttpOptions& options);
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  ~HttpClient();

  HttpReply get(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers);

  // True when `url` has this client's scheme, host and port.
  bool same_origin(const std::string& url) const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxmap::chat
