// The routing table of the API and the per-request store.
#include "server/routes.h"

#include <sstream>

#include "report/writer.h"
#include "search/query_syntax.h"

namespace cxmap {

Router make_api_router(const ServerConfig& config) {
  Router router;
  router.add("GET", "/api/health", make_health_handler(config))
      .add("GET", "/api/stats", make_stats_handler(config))
      .add("GET", "/api/search", make_search_handler(config))
      .add("GET", "/api/feedback/{id}", make_feedback_handler(config))
      .add("GET", "/api/journey/{customer}", make_journey_handler(config))
      .add("GET", "/api/export", make_export_handler(config))
      .add("GET", "/api/map", make_map_handler(config));
  return router;
}

std::optional<Reply> reject_bad_query(const std::string& query) {
  const CheckedQuery checked = check_query(query);
  if (!checked.error) return std::nullopt;
  std::ostringstream out;
  JsonWriter j(out);
  j.begin_object();
  j.key("error").value("cannot parse query \"" + query + "\" at column " + std::to_string(checked.error->column) +
                       ": " + checked.error->message);
  j.key("column").value(static_cast<std::int64_t>(checked.error->column));
  j.end_object();
  j.finish();
  return json_reply(out.str(), 400);
}

Result<Store> open_request_store(const ServerConfig& config) {
  auto store = Store::open(config.data_dir, OpenMode::read_only);
  if (!store) return make_error(ErrorKind::busy, "store unavailable: " + store.error().message);
  return store;
}

}  // namespace cxmap
