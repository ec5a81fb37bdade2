// The API's endpoints, one handler per route (each in its api_<name>.cpp),
// and the router that holds them all. Every handler calls the same service
// functions as the matching CLI command, so the API and the CLI agree.
//
//   GET /api/health              liveness and whether the store opens
//   GET /api/stats               cxmap stats --json
//   GET /api/search?q=&sort=&offset=&limit=    cxmap search --json
//   GET /api/feedback/{id}       cxmap show --json
//   GET /api/journey/{customer}  cxmap journey --json (agents=1 adds agents' turns)
//   GET /api/export?format=&by=&q=             cxmap export, as a download
//   GET /api/map?q=&compare=&title=         cxmap map, as a page
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "db/store.h"
#include "server/router.h"
#include "server/server_config.h"

namespace cxmap {

std::shared_ptr<const RouteHandler> make_health_handler(const ServerConfig& config);
std::shared_ptr<const RouteHandler> make_stats_handler(const ServerConfig& config);
std::shared_ptr<const RouteHandler> make_search_handler(const ServerConfig& config);
std::shared_ptr<const RouteHandler> make_feedback_handler(const ServerConfig& config);
std::shared_ptr<const RouteHandler> make_journey_handler(const ServerConfig& config);
std::shared_ptr<const RouteHandler> make_export_handler(const ServerConfig& config);
std::shared_ptr<const RouteHandler> make_map_handler(const ServerConfig& config);

// All of the above. The config must outlive the router.
Router make_api_router(const ServerConfig& config);

// A query the search language rejects (search/query_syntax.h): a 400 reply
// {"error": "cannot parse query \"...\" at column N: ...", "column": N}, so
// a UI can put a caret under the mistake. nullopt when the query is fine.
std::optional<Reply> reject_bad_query(const std::string& query);

// Opens the store read-only for one request. SQLite in WAL mode lets many
// such readers run beside the one ingest writer; each request sees one
// consistent snapshot. A store that cannot be opened (missing, being
// replaced) is the server's trouble, not the client's: a busy error (503).
Result<Store> open_request_store(const ServerConfig& config);

}  // namespace cxmap
