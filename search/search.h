// Search: the query language over the event index, for CX researchers.
//
// A query is free text (English stemming, phrases, AND/OR/NOT, wildcards)
// plus the boolean prefixes of the field table (stage:, touchpoint:, emotion:,
// channel:, pain:, speaker:, source:, customer:, sentiment:, lang:) and the
// ranges date:A..B, nps:A..B, csat:A..B, score:A..B. Results are events,
// collapsed per feedback, with a highlighted snippet and facet counts. Unless
// the query names a speaker, only customer sentences are searched: cxmap maps
// what customers say, agents' and bots' turns are context.
//
// Reading only: search never writes the store or the index.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/store.h"
#include "pipeline/result.h"

namespace cxmap {

enum class SortOrder { relevance, date, sentiment };

struct SearchRequest {
  std::string query;
  int offset = 0;
  int limit = 10;
  SortOrder sort = SortOrder::relevance;
  // Serve and keep the answer in the process-wide result cache
  // (search/result_cache.h): for the server, where searches repeat. Off for
  // one-shot and measured searches.
  bool use_cache = false;
};

struct SearchHit {
  std::int64_t event_id = 0;
  std::string feedback_id;
  int ordinal = 0;
  std::string sentence;
  std::string snippet;  // the sentence with matches marked **like this**
  std::string stage, touchpoint, emotion, speaker, channel, source, customer, date;
  double compound = 0;
  std::vector<PainPoint> pains;
  int more_in_feedback = 0;  // other matching events of the same feedback
};

struct FacetCount {
  std::string value;
  std::int64_t count = 0;
};

struct SearchResult {
  std::int64_t total = 0;  // matching feedback (after collapsing), exact for small stores
  std::int64_t events = 0; // matching events before collapsing
  std::vector<SearchHit> hits;
  // facet name ("stage", ...) -> counts over matching events, by count desc then value.
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;
  std::string parsed;  // Xapian's description of the parsed query
  // "Did you mean": the query with unknown words replaced by the closest
  // indexed words, when few results came back; empty when nothing better.
  std::string suggestion;
};

Result<SearchResult> search(Store& store, const std::string& data_dir, const SearchRequest& request);

// A point of an index's history that answers are kept for (by the result
// cache, search/result_cache.h).
struct IndexSnapshot {
  std::string index;     // the index path
  std::string identity;  // UUID and forget count: a change is never served stale
  std::string revision;  // one database's revision, or the shards' joined by ','
  std::string key() const { return index + '\x1f' + identity + '\x1f' + revision; }
};

// The index's snapshot now; nullopt when it cannot tell its revision (a
// remote shard), so answers are not kept.
Result<std::optional<IndexSnapshot>> current_snapshot(const std::string& data_dir);

// Answers `requests` on the index as it is now and keeps the answers in the
// result cache for `into` (a snapshot no later than now), for a warmer that
// refills the cache before the server serves `into`. Requests of one query
// share their matching and facets, so a query's sorts and pages cost about
// one search. keep_going is asked before each query; returns how many
// requests were answered (a request the language rejects is skipped).
Result<std::int64_t> warm_searches(Store& store, const std::string& data_dir, const std::vector<SearchRequest>& requests,
                                   const IndexSnapshot& into, const std::function<bool()>& keep_going);

// Every event the query matches (with search()'s rules: customer sentences
// unless the query names a speaker), sorted ascending. For export and map
// filters: the same language selects what a table or a map covers.
Result<std::vector<std::int64_t>> matching_event_ids(const std::string& data_dir, const std::string& query);

// The parse in visible steps, for `cxmap search --explain`: the tokens with
// their columns, the rules applied, Xapian's query, spelling suggestions.
// A syntax error is part of the explanation (with a caret), not a failure.
Result<std::string> explain_search(const std::string& data_dir, const std::string& query);

}  // namespace cxmap
