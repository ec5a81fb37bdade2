// What `cxmap serve` hands the HTTP server: where the store is, which
// address to listen on, the optional bearer token, and the limits that keep
// one client from taking the server down. The app fills it from flags and
// the pipeline resources; the server never reads flags, files of the app or
// the environment itself (except the web dir it serves).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cxmap {

struct ServerLimits {
  std::size_t max_body_bytes = 64 * 1024;  // larger bodies: 413 (no route takes a body yet)
  std::size_t max_uri_bytes = 8 * 1024;    // request target: 414
  std::size_t max_param_chars = 2000;      // any decoded query parameter, q included: 414
  int max_page_size = 100;                 // search limit=: 400 above it
  int max_offset = 10000;                  // deep paging costs the whole match set: 400 above it
  int time_budget_ms = 10000;              // socket reads/writes, and checked between a request's steps
  int max_threads = 8;                     // Poco worker threads
  int max_queued = 64;                     // accepted connections waiting for a thread; more are dropped
};

struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port (the bound one is reported)
  std::string data_dir;
  std::string web_dir;      // static files; empty: the compiled-in default_web_dir()
  std::string token;        // empty: no authentication (loopback only, see security.h)
  std::string cors_origin;  // empty: no CORS headers at all
  // The journey's stage order and the emotion labels, for stage tables.
  std::vector<std::string> stage_order;
  std::vector<std::string> stage_descriptions;  // parallel to stage_order, for the map
  std::vector<std::string> emotions;
  // How a customer named in a URL becomes a stored customer key (the CLI's
  // normalisation); identity when unset.
  std::function<std::string(std::string_view)> customer_key;
  ServerLimits limits;
  // Keep recent search answers per index snapshot (search/result_cache.h);
  // `cxmap serve --no-result-cache` turns it off, e.g. to measure cold searches.
  bool cache_results = true;
  // Holding and warming (server/cache_warmer.h): how often to look for a
  // newer index snapshot to warm and serve, and how long served answers may
  // trail the index at most. Either at 0 serves every commit at once, cold.
  double refresh_seconds = 1;
  double max_stale_seconds = 30;
};

// The web UI folder compiled in (server/web in the source tree).
std::string default_web_dir();

}  // namespace cxmap
