// The API's routing table: method + path pattern -> one RouteHandler.
//
// A pattern is a literal path whose segments may be "{name}" placeholders
// matching exactly one non-empty segment ("/api/feedback/{id}"); the match
// fills Request::params. A path no route matches is 404; a path that
// matches only under other methods is 405 with an Allow header. HEAD is
// answered by GET routes (the server drops the body).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/api.h"

namespace cxmap {

class Router {
 public:
  Router& add(std::string method, const std::string& pattern, std::shared_ptr<const RouteHandler> handler);
  Reply dispatch(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::shared_ptr<const RouteHandler> handler;
  };
  std::vector<Route> routes_;
};

// Splits "/a/b/c" into {"a", "b", "c"}; "" and "/" into {}. Empty segments
// ("/a//b", a trailing '/') are kept as "" so they never match a route.
std::vector<std::string> path_segments(const std::string& path);

}  // namespace cxmap
