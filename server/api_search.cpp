// GET /api/search?q=&sort=relevance|date|sentiment&offset=&limit=: ranked,
// collapsed customer sentences with facets, as `cxmap search --json`.
// Page size and depth are capped (ServerLimits): a page is for a person, a
// full dump is `export`.
#include <filesystem>
#include <sstream>

#include "search/search.h"
#include "server/json_views.h"
#include "server/routes.h"

namespace cxmap {

namespace {

class SearchHandler final : public RouteHandler {
 public:
  explicit SearchHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request& request) const override {
    SearchRequest req;
    req.query = request.arg("q").value_or("");
    if (auto bad = reject_bad_query(req.query)) return *bad;
    auto limit = int_arg(request, "limit", 10, config_.limits.max_page_size);
    if (!limit) return error_reply(limit.error());
    auto offset = int_arg(request, "offset", 0, config_.limits.max_offset);
    if (!offset) return error_reply(offset.error());
    req.limit = *limit;
    req.offset = *offset;
    req.use_cache = config_.cache_results;
    const std::string sort = request.arg("sort").value_or("relevance");
    if (sort == "date") req.sort = SortOrder::date;
    else if (sort == "sentiment") req.sort = SortOrder::sentiment;
    else if (sort != "relevance")
      return error_reply(400, "sort must be relevance, date or sentiment, not \"" + sort + "\"");

    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    // search() calls a missing index a usage error, which is right for the
    // CLI; here it is the server's state, not the client's request.
    std::error_code ec;
    if (!std::filesystem::exists(index_path(config_.data_dir), ec))
      return error_reply(503, "index unavailable: no index in the data dir");
    auto result = search(*store, config_.data_dir, req);
    if (!result) return error_reply(result.error());
    std::ostringstream out;
    write_search_json(*result, out);
    return json_reply(out.str());
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_search_handler(const ServerConfig& config) {
  return std::make_shared<SearchHandler>(config);
}

}  // namespace cxmap
