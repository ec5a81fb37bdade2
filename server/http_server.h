// The HTTP server behind `cxmap serve`: Poco's HTTPServer with a bounded
// thread pool and queue, one request handler that turns each wire request
// into a Request, applies the limits and the token, routes /api/ to the
// RouteHandlers and everything else to the static web UI, adds the security
// headers, and logs one line per request to stderr.
//
// Order of checks, so a refused request costs little and reveals nothing:
//   1. request target longer than max_uri_bytes: 414
//   2. target not origin-form or badly percent-encoded: 400; a decoded query
//      parameter longer than max_param_chars: 414
//   3. body longer than max_body_bytes: 413 (the connection is closed)
//   4. /api/ without the bearer token (when one is set): 401
//   5. route: 404 / 405, then the handler
//
// Lifecycle: start() binds and starts the threads (a bind failure is a
// config error naming the address); stop() stops accepting, lets requests in
// flight finish for a moment, then closes the rest.
#pragma once

#include <memory>
#include <string>

#include "pipeline/result.h"
#include "server/server_config.h"

namespace cxmap {

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> start(ServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;         // the bound port (the real one when asked for 0)
  std::string url() const;  // "http://127.0.0.1:8080/"
  void stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cxmap
