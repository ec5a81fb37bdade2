// GET /api/map?q=&compare=&title=: the HTML journey map, as `cxmap map`
// draws it (report/journey_map.h): q selects the customer sentences mapped
// (all when empty), compare draws a second population on the same map.
//
// The page carries its stylesheet inline (it is meant to be a file that
// loads nothing), which the server-wide CSP forbids; so this route sends its
// own, stricter policy: no scripts at all, nothing loaded, and only the one
// stylesheet whose SHA-256 it computed from the page it sends.
#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <sstream>

#include "pipeline/emotion.h"
#include "report/journey_map.h"
#include "search/search.h"
#include "server/routes.h"

namespace cxmap {

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Result<JourneyMapSegment> build_segment(Store& store, const ServerConfig& config, const std::string& query) {
  StageTableRequest request;
  if (!blank(query)) {
    auto ids = matching_event_ids(config.data_dir, query);
    if (!ids) return ids.error();
    request.only_events = std::move(*ids);
  }
  JourneyMapSegment segment;
  segment.label = blank(query) ? std::string("all feedback") : query;
  auto by_stage = build_stage_table(store, config.stage_order, config.emotions, request);
  if (!by_stage) return by_stage.error();
  segment.by_stage = std::move(*by_stage);
  request.group_by = {"touchpoint"};
  auto by_touchpoint = build_stage_table(store, config.stage_order, config.emotions, request);
  if (!by_touchpoint) return by_touchpoint.error();
  segment.by_touchpoint = std::move(*by_touchpoint);
  return segment;
}

// "'sha256-<base64>'" of the first <style> element's text, or "" if none.
std::string style_hash(const std::string& html) {
  const std::size_t open = html.find("<style>");
  if (open == std::string::npos) return "";
  const std::size_t begin = open + 7, end = html.find("</style>", begin);
  if (end == std::string::npos) return "";
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(html.data() + begin, static_cast<unsigned>(end - begin));
  const Poco::DigestEngine::Digest& digest = sha.digest();
  std::ostringstream b64;
  Poco::Base64Encoder enc(b64);
  enc.rdbuf()->setLineLength(0);
  enc.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  enc.close();
  return "'sha256-" + b64.str() + "'";
}

class MapHandler final : public RouteHandler {
 public:
  explicit MapHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request& request) const override {
    for (const char* name : {"q", "compare"})
      if (auto q = request.arg(name))
        if (auto bad = reject_bad_query(*q)) return *bad;
    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    JourneyMap map;
    if (auto title = request.arg("title"); title && !blank(*title)) map.title = *title;
    for (std::size_t i = 0; i < config_.stage_order.size(); ++i) {
      JourneyMapStage column;
      column.name = config_.stage_order[i];
      if (i < config_.stage_descriptions.size()) column.description = config_.stage_descriptions[i];
      map.stages.push_back(std::move(column));
    }
    auto first = build_segment(*store, config_, request.arg("q").value_or(""));
    if (!first) return error_reply(first.error());
    map.segments.push_back(std::move(*first));
    if (auto compare = request.arg("compare")) {
      if (request.deadline.expired()) return error_reply(503, "time budget exceeded; narrow the query");
      auto second = build_segment(*store, config_, *compare);
      if (!second) return error_reply(status_of(second.error()), "compare: " + second.error().message);
      map.segments.push_back(std::move(*second));
    }
    std::ostringstream html;
    write_journey_map(map, html);
    Reply r;
    r.content_type = "text/html; charset=utf-8";
    r.body = html.str();
    const std::string hash = style_hash(r.body);
    r.header("Content-Security-Policy", "default-src 'none'; style-src " + (hash.empty() ? "'none'" : hash) +
                                            "; img-src data:; frame-ancestors 'none'; base-uri 'none'; "
                                            "form-action 'none'");
    return r;
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_map_handler(const ServerConfig& config) {
  return std::make_shared<MapHandler>(config);
}

}  // namespace cxmap
