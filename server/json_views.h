// The JSON documents that both the CLI (`--json`) and the HTTP API print:
// one writer each, so `cxmap search --json` and GET /api/search can never
// drift apart. Shapes are documented in README (search, show, stats).
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "db/store.h"
#include "search/search.h"

namespace cxmap {

// {"total", "events", "results": [{"feedback_id", "event", "snippet", ...}],
//  "facets": {"stage": {...}, ...}, "query", "did_you_mean" (only when search suggests one)}
void write_search_json(const SearchResult& result, std::ostream& out);

// {"id", "source", "channel", "external_id", "customer", "received_at",
//  "subject", "language", "nps", "csat", "events": [{"ordinal", "speaker",
//  "sentence", "stage", "touchpoint", "emotion", "compound", "pain"}]}
void write_feedback_json(const FeedbackRow& feedback, const std::vector<EventRow>& events, std::ostream& out,
                         bool pretty);

// {"feedback", "events", "customer_events", "indexed_events", "quarantined",
//  "runs", "by_channel", "by_source", "last_run": {...}}
void write_stats_json(const StoreStats& stats, std::int64_t indexed_events, std::ostream& out);

}  // namespace cxmap
