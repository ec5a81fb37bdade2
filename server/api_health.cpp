// GET /api/health: the server answers and the store opens (503 otherwise),
// for load balancers and the UI's first call. Cheap: no counting; it also
// reports the search result cache's hits, misses and holding (for load runs).
#include <sstream>

#include "report/writer.h"
#include "search/result_cache.h"
#include "server/routes.h"

namespace cxmap {

namespace {

class HealthHandler final : public RouteHandler {
 public:
  explicit HealthHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request&) const override {
    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    std::ostringstream out;
    JsonWriter j(out);
    const ResultCacheStats cache = search_result_cache().stats();
    j.begin_object().key("status").value("ok").key("schema_version").value(Store::schema_version());
    j.key("search_cache").begin_object();
    j.key("enabled").value(config_.cache_results).key("hits").value(cache.hits).key("misses").value(cache.misses);
    j.key("entries").value(cache.entries);
    // Holding (server/cache_warmer.h): how long the newest index snapshot
    // has waited to be served, and how the served one last changed.
    j.key("waiting_s").value(cache.waiting_seconds, 1).key("warm_switches").value(cache.warm_switches);
    j.key("stale_switches").value(cache.stale_switches).key("last_warmed").value(cache.last_warmed);
    j.key("last_warm_s").value(cache.last_warm_seconds, 2).end_object();
    j.end_object();
    j.finish();
    return json_reply(out.str());
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_health_handler(const ServerConfig& config) {
  return std::make_shared<HealthHandler>(config);
}

}  // namespace cxmap
