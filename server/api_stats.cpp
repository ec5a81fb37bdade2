// GET /api/stats: what the store and index hold, as `cxmap stats --json`.
#include <sstream>

#include "db/index.h"
#include "server/json_views.h"
#include "server/routes.h"

namespace cxmap {

namespace {

class StatsHandler final : public RouteHandler {
 public:
  explicit StatsHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request&) const override {
    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    auto stats = store->stats();
    if (!stats) return error_reply(stats.error());
    auto index = open_index_readonly(config_.data_dir);
    if (!index) return error_reply(make_error(ErrorKind::busy, "index unavailable: " + index.error().message));
    std::int64_t indexed = 0;
    if (auto s = xapian_guard("reading index", [&] { indexed = index->get_doccount(); }); !s)
      return error_reply(s.error());
    std::ostringstream out;
    write_stats_json(*stats, indexed, out);
    return json_reply(out.str());
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_stats_handler(const ServerConfig& config) {
  return std::make_shared<StatsHandler>(config);
}

}  // namespace cxmap
