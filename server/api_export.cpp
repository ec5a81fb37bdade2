// GET /api/export?format=csv|tsv|json|markdown|text&by=stage,touchpoint&q=:
// the stage-level sentiment table as a download, byte for byte what
// `cxmap export` writes. q restricts the table to the events a search query
// matches (search/matching_event_ids), so a researcher's search and an
// analyst's table can cover the same sentences.
#include <sstream>

#include "search/search.h"
#include "report/stage_table.h"
#include "server/routes.h"

namespace cxmap {

namespace {

// "stage,touchpoint" -> {"touchpoint"}: rows are always per stage, and a
// leading "stage" is allowed for clarity (as in the CLI).
std::vector<std::string> group_fields(const std::string& by) {
  std::vector<std::string> out;
  std::stringstream fields(by);
  std::string field;
  bool first = true;
  while (std::getline(fields, field, ',')) {
    if (!(first && field == "stage") && !field.empty()) out.push_back(field);
    first = false;
  }
  return out;
}

struct Download {
  const char* extension;
  const char* content_type;
};

Download download_for(Format f) {
  switch (f) {
    case Format::csv: return {"csv", "text/csv; charset=utf-8"};
    case Format::tsv: return {"tsv", "text/tab-separated-values; charset=utf-8"};
    case Format::json: return {"json", "application/json"};
    case Format::markdown: return {"md", "text/markdown; charset=utf-8"};
    case Format::text: return {"txt", "text/plain; charset=utf-8"};
  }
  return {"txt", "text/plain; charset=utf-8"};
}

class ExportHandler final : public RouteHandler {
 public:
  explicit ExportHandler(const ServerConfig& config) : config_(config) {}

  Reply handle(const Request& request) const override {
    auto format = parse_format(request.arg("format").value_or("csv"));
    if (!format) return error_reply(format.error());
    StageTableRequest req;
    req.group_by = group_fields(request.arg("by").value_or("stage"));
    auto store = open_request_store(config_);
    if (!store) return error_reply(store.error());
    if (auto q = request.arg("q"); q && !q->empty()) {
      if (auto bad = reject_bad_query(*q)) return *bad;
      auto ids = matching_event_ids(config_.data_dir, *q);
      if (!ids) return error_reply(ids.error());
      req.only_events = std::move(*ids);
      if (request.deadline.expired()) return error_reply(503, "time budget exceeded; narrow the query");
    }
    auto table = build_stage_table(*store, config_.stage_order, config_.emotions, req);
    if (!table) return error_reply(table.error());
    std::ostringstream out;
    write_stage_table(*table, *format, out);
    const Download d = download_for(*format);
    Reply r;
    r.content_type = d.content_type;
    r.body = out.str();
    r.header("Content-Disposition", std::string("attachment; filename=\"cxmap-stage-table.") + d.extension + "\"");
    return r;
  }

 private:
  const ServerConfig& config_;
};

}  // namespace

std::shared_ptr<const RouteHandler> make_export_handler(const ServerConfig& config) {
  return std::make_shared<ExportHandler>(config);
}

}  // namespace cxmap
