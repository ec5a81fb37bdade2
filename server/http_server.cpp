// The Poco side of the server: socket, thread pool, the one request handler
// that applies limits and the token, and the request log.
#include "server/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "db/store.h"
#include "server/cache_warmer.h"
#include "server/routes.h"
#include "server/security.h"
#include "server/static_files.h"
#include "server/url.h"

namespace cxmap {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// A refused body is still read (up to this much) before the answer, so the
// client sees the 413 rather than a connection reset: closing a socket with
// unread input makes the kernel send RST, which can discard the reply.
constexpr std::size_t kMaxDrainBytes = 1u << 20;

void drain(std::istream& in, std::size_t cap) {
  char buf[8192];
  while (cap > 0 && in.read(buf, static_cast<std::streamsize>(std::min(cap, sizeof buf))).gcount() > 0)
    cap -= static_cast<std::size_t>(in.gcount());
}

bool is_api_path(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

// The path as logged: a customer key in a journey URL is personal data and
// stays out of the log.
std::string log_path(const std::string& path) {
  constexpr std::string_view kJourney = "/api/journey/";
  if (path.rfind(kJourney, 0) == 0 && path.size() > kJourney.size()) return std::string(kJourney) + "{customer}";
  return path;
}

void log_request(const std::string& method, const std::string& path, int status, double ms) {
  static std::mutex mu;
  char line[96];
  std::snprintf(line, sizeof line, " %d %.1f ms\n", status, ms);
  const std::string text = utc_now() + " " + method + " " + log_path(path) + line;
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// What the server shares between its threads; read only once started.
struct Shared {
  ServerConfig config;
  std::filesystem::path web_root;
  Router router;
};

class Exchange final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Exchange(const Shared& shared) : shared_(shared) {}

  void handleRequest(HTTPServerRequest& in, HTTPServerResponse& out) override {
    const auto t0 = std::chrono::steady_clock::now();
    std::string path = in.getURI().substr(0, in.getURI().find('?'));
    bool api = false, close = false;
    Reply reply;
    try {
      reply = respond(in, path, api, close);
    } catch (const Poco::Exception& e) {
      reply = error_reply(500, "internal error: " + e.displayText());
    } catch (const std::exception& e) {
      reply = error_reply(500, std::string("internal error: ") + e.what());
    }
    add_security_headers(reply, shared_.config.cors_origin, api);
    out.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(reply.status));
    out.setContentType(reply.content_type);
    for (const auto& [name, value] : reply.headers) out.set(name, value);
    // An unread body would be taken for the next request on this connection.
    if (close) out.setKeepAlive(false);
    out.sendBuffer(reply.body.data(), reply.body.size());
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    log_request(in.getMethod(), path, reply.status, ms);
  }

 private:
  Reply respond(HTTPServerRequest& in, std::string& log_as, bool& api, bool& close) {
    const ServerConfig& config = shared_.config;
    const ServerLimits& limits = config.limits;
    const std::string& target = in.getURI();
    if (target.size() > limits.max_uri_bytes)
      return error_reply(414, "request target too long (at most " + std::to_string(limits.max_uri_bytes) + " bytes)");
    const std::size_t qmark = target.find('?');
    const std::string raw_path = target.substr(0, qmark);
    if (raw_path.empty() || raw_path[0] != '/') return error_reply(400, "request target must be a path");
    auto path = percent_decode(raw_path, false);
    if (!path) return error_reply(400, "badly encoded path");
    log_as = *path;
    api = is_api_path(*path);
    auto query = parse_query(qmark == std::string::npos ? std::string_view() : std::string_view(target).substr(qmark + 1));
    if (!query) return error_reply(400, "badly encoded query string");
    for (const auto& [name, value] : *query)
      if (value.size() > limits.max_param_chars)
        return error_reply(414, name + " is too long: " + std::to_string(value.size()) + " characters (at most " +
                                    std::to_string(limits.max_param_chars) + ")");

    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limits.max_body_bytes)) {
      close = true;
      if (in.getContentLength64() <= static_cast<Poco::Int64>(kMaxDrainBytes)) drain(in.stream(), kMaxDrainBytes);
      return error_reply(413, "request body too large (at most " + std::to_string(limits.max_body_bytes) + " bytes)");
    }
    std::string body;
    if (in.getChunkedTransferEncoding() || (in.hasContentLength() && in.getContentLength64() > 0)) {
      // Read at most one byte past the limit: a chunked body has no length.
      body.resize(limits.max_body_bytes + 1);
      in.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
      body.resize(static_cast<std::size_t>(in.stream().gcount()));
      if (body.size() > limits.max_body_bytes) {
        close = true;
        drain(in.stream(), kMaxDrainBytes);
        return error_reply(413, "request body too large (at most " + std::to_string(limits.max_body_bytes) + " bytes)");
      }
    }

    const std::string& method = in.getMethod();
    const bool preflight = method == "OPTIONS" && api && !config.cors_origin.empty();
    // A browser's CORS preflight never carries credentials; it learns only
    // which methods and headers the API accepts.
    if (api && !config.token.empty() && !preflight && !bearer_matches(in.get("Authorization", ""), config.token))
      return error_reply(401, "missing or wrong bearer token (send Authorization: Bearer <token>)");
    if (preflight) {
      Reply r;
      r.status = 204;
      r.content_type = "text/plain";
      r.header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
      r.header("Access-Control-Allow-Headers", "Authorization");
      r.header("Access-Control-Max-Age", "600");
      return r;
    }
    if (api) {
      Request request;
      request.method = method;
      request.path = *path;
      request.raw_path = raw_path;
      request.query = std::move(*query);
      request.deadline = Deadline(std::chrono::milliseconds(limits.time_budget_ms));
      return shared_.router.dispatch(request);
    }
    if (method != "GET" && method != "HEAD")
      return error_reply(405, "method " + method + " not allowed here (allowed: GET, HEAD)").header("Allow", "GET, HEAD");
    return static_reply(shared_.web_root, *path);
  }

  const Shared& shared_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(const Shared& shared) : shared_(shared) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new Exchange(shared_);
  }

 private:
  const Shared& shared_;
};

}  // namespace

struct HttpServer::Impl {
  // Declared in destruction order: the server goes first, then its threads,
  // then what the handlers read.
  Shared shared;
  std::string host;
  int port = 0;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::unique_ptr<CacheWarmer> warmer;
  bool stopped = false;

  Impl(ServerConfig config, std::filesystem::path web_root, int threads)
      : shared{std::move(config), std::move(web_root), Router()}, pool(1, std::max(1, threads)) {
    shared.router = make_api_router(shared.config);
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerConfig config) {
  if (config.web_dir.empty()) config.web_dir = default_web_dir();
  auto web_root = canonical_web_root(config.web_dir);
  if (!web_root) return web_root.error();
  if (auto s = check_bind(config.bind, !config.token.empty()); !s) return s.error();
  if (config.port < 0 || config.port > 65535)
    return make_error(ErrorKind::config, "--port must be from 0 to 65535");
  const std::string host = config.bind == "localhost" ? "127.0.0.1" : config.bind;
  const ServerLimits limits = config.limits;
  auto impl = std::make_unique<Impl>(std::move(config), std::move(*web_root), limits.max_threads);
  try {
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR (a restart finds the port free) but never SO_REUSEPORT:
    // a second server on the same port must fail, not share the traffic.
    socket.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(impl->shared.config.port)), true, false);
    socket.listen(64);
    impl->host = host;
    impl->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(std::max(1, limits.max_threads));
    params->setMaxQueued(std::max(1, limits.max_queued));
    params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(limits.time_budget_ms) * 1000));
    // Poco gives each connection a thread for its whole life, so a kept-alive
    // connection, idle or busy, holds one of the few workers while others
    // wait in the queue. Measured with bench/serve_load on the demo store
    // (50 clients, 8 threads): keep-alive gave p50 18 ms but p99 4.9 s;
    // one request per connection gives p50 124 ms, p99 0.4 s at the same
    // throughput. Fair beats fast-for-some.
    params->setKeepAlive(false);
    params->setSoftwareVersion("cxmap");
    impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl->shared), impl->pool, socket, params);
    impl->server->start();
    const ServerConfig& c = impl->shared.config;
    if (c.cache_results && c.refresh_seconds > 0 && c.max_stale_seconds > 0)
      impl->warmer =
          std::make_unique<CacheWarmer>(CacheWarmerOptions{c.data_dir, c.refresh_seconds, c.max_stale_seconds});
  } catch (const Poco::Exception& e) {
    return make_error(ErrorKind::config,
                      "cannot listen on " + host + ":" + std::to_string(impl->shared.config.port) + ": " + e.displayText());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

int HttpServer::port() const { return impl_->port; }

std::string HttpServer::url() const {
  const bool v6 = impl_->host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + impl_->host + "]" : impl_->host) + ":" + std::to_string(impl_->port) + "/";
}

void HttpServer::stop() {
  if (!impl_ || impl_->stopped || !impl_->server) return;
  impl_->stopped = true;
  impl_->warmer.reset();
  impl_->server->stop();  // no new connections
  // Requests in flight get a moment to finish; idle keep-alive connections
  // and slow clients are then closed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (impl_->server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  impl_->server->stopAll(true);
  impl_->pool.joinAll();
}

}  // namespace cxmap
