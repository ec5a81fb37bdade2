// JSON forms of search results, one feedback, and the store's counts.
#include "server/json_views.h"

#include "report/record_json.h"
#include "report/writer.h"

namespace cxmap {

void write_search_json(const SearchResult& r, std::ostream& out) {
  JsonWriter j(out);
  j.begin_object();
  j.key("total").value(r.total);
  j.key("events").value(r.events);
  j.key("results").begin_array();
  for (const SearchHit& h : r.hits) {
    j.begin_object();
    j.key("feedback_id").value(h.feedback_id);
    j.key("event").value(h.ordinal);
    j.key("snippet").value(h.snippet);
    j.key("sentence").value(h.sentence);
    j.key("stage").value(h.stage);
    j.key("touchpoint").value(h.touchpoint);
    j.key("emotion").value(h.emotion);
    j.key("compound").value(h.compound, 4);
    j.key("date").value(h.date);
    j.key("speaker").value(h.speaker);
    j.key("channel").value(h.channel);
    j.key("source").value(h.source);
    j.key("customer").value(h.customer);
    j.key("pain");
    write_pains(j, h.pains);
    j.key("more_in_feedback").value(h.more_in_feedback);
    j.end_object();
  }
  j.end_array();
  j.key("facets").begin_object();
  for (const auto& [name, counts] : r.facets) {
    j.key(name).begin_object();
    for (const FacetCount& c : counts) j.key(c.value).value(c.count);
    j.end_object();
  }
  j.end_object();
  j.key("query").value(r.parsed);
  if (!r.suggestion.empty()) j.key("did_you_mean").value(r.suggestion);
  j.end_object();
  j.finish();
}

void write_feedback_json(const FeedbackRow& f, const std::vector<EventRow>& events, std::ostream& out,
                         bool pretty) {
  JsonWriter j(out, pretty);
  j.begin_object();
  j.key("id").value(f.id).key("source").value(f.source).key("channel").value(f.channel);
  j.key("external_id").value(f.external_id).key("customer").value(f.customer_key);
  j.key("received_at").value(f.received_at).key("subject").value(f.subject);
  j.key("language").value(f.language);
  j.key("nps");
  f.nps ? j.value(*f.nps) : j.null();
  j.key("csat");
  f.csat ? j.value(*f.csat) : j.null();
  j.key("events").begin_array();
  for (const EventRow& e : events) {
    j.begin_object();
    j.key("ordinal").value(e.ordinal).key("speaker").value(e.speaker).key("sentence").value(e.sentence);
    j.key("stage").value(e.stage).key("touchpoint").value(e.touchpoint).key("emotion").value(e.emotion);
    j.key("compound").value(e.compound, 4);
    j.key("pain");
    write_pains(j, e.pains);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.finish();
}

void write_stats_json(const StoreStats& s, std::int64_t indexed, std::ostream& out) {
  const IngestCounts& r = s.last_run;
  const bool reconciles = r.read == r.ingested + r.duplicate + r.quarantined;
  JsonWriter j(out);
  j.begin_object();
  j.key("feedback").value(s.feedback);
  j.key("events").value(s.events);
  j.key("customer_events").value(s.customer_events);
  j.key("indexed_events").value(indexed);
  j.key("quarantined").value(s.quarantined);
  j.key("runs").value(s.runs);
  j.key("by_channel").begin_object();
  for (const auto& [k, v] : s.by_channel) j.key(k).value(v);
  j.end_object();
  j.key("by_source").begin_object();
  for (const auto& [k, v] : s.by_source) j.key(k).value(v);
  j.end_object();
  j.key("last_run").begin_object();
  j.key("id").value(s.last_run_id).key("status").value(s.last_run_status);
  j.key("read").value(r.read).key("ingested").value(r.ingested).key("duplicate").value(r.duplicate);
  j.key("quarantined").value(r.quarantined).key("events").value(r.events);
  j.key("reconciles").value(reconciles);
  j.end_object();
  j.end_object();
  j.finish();
}

}  // namespace cxmap
