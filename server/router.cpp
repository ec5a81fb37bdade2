// Route matching: literal segments and {name} placeholders, 404 and 405.
#include "server/router.h"

#include "server/url.h"

namespace cxmap {

std::vector<std::string> path_segments(const std::string& path) {
  std::vector<std::string> out;
  if (path.empty() || path == "/") return out;
  std::size_t start = path[0] == '/' ? 1 : 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

Router& Router::add(std::string method, const std::string& pattern, std::shared_ptr<const RouteHandler> handler) {
  routes_.push_back(Route{std::move(method), path_segments(pattern), std::move(handler)});
  return *this;
}

namespace {

bool is_placeholder(const std::string& s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_placeholder(pattern[i])) {
      if (path[i].empty()) return false;
      if (params) (*params)[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Reply Router::dispatch(Request& request) const {
  // Split first, decode each segment second: an encoded '/' (a customer key
  // such as "acct/123") belongs to its segment, not to the route.
  std::vector<std::string> path = path_segments(request.raw_path.empty() ? request.path : request.raw_path);
  if (!request.raw_path.empty())
    for (std::string& segment : path) {
      auto decoded = percent_decode(segment, false);
      if (!decoded) return error_reply(400, "badly encoded path");
      segment = std::move(*decoded);
    }
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  std::string allowed;
  for (const Route& r : routes_) {
    if (!matches(r.segments, path, nullptr)) continue;
    if (r.method == method) {
      matches(r.segments, path, &request.params);
      return r.handler->handle(request);
    }
    if (allowed.find(r.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + r.method;
  }
  if (allowed.empty()) return error_reply(404, "no such endpoint: " + request.path);
  if (allowed.find("GET") != std::string::npos) allowed += ", HEAD";
  return error_reply(405, "method " + request.method + " not allowed here (allowed: " + allowed + ")")
      .header("Allow", allowed);
}

}  // namespace cxmap
