// Event matches: every event a query matches, with its relevance weight, in
// document order; the one place that decides how a query is evaluated.
//
// Two evaluations give the same set. A query made only of filters
// (stage:contact emotion:anger date:A..B, values of one field ORed, fields
// ANDed, as Xapian's QueryParser combines boolean prefixes) is answered by one
// pass over the event columns; its weights are all zero, as in Xapian, where
// boolean filters do not rank. Any other query (words, phrases, wildcards,
// operators, signs, numeric ranges, customer: or feedback:) goes to Xapian's
// matcher as written, with BM25 weights, in document order and without
// collapsing, which is much cheaper than a ranked, collapsed match over the
// same documents. In both, the implicit "customer sentences only" filter is a
// column test rather than a posting list that holds most of the index.
//
// Runs inside xapian_guard (Xapian exceptions escape).
#pragma once

#include <xapian.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "search/event_columns.h"
#include "search/query_syntax.h"

namespace cxmap {

struct EventMatch {
  Xapian::docid doc = 0;
  double weight = 0;
};

struct EventMatches {
  std::vector<EventMatch> matches;  // ascending docid
};

// True when the query names a speaker; otherwise search means customer
// sentences only.
bool names_speaker(const CheckedQuery& checked);

// `checked` is check_query(text); `parse` turns text (the whole query, or
// what is left once the columns took the filters) into Xapian's query, as
// search parses it. `columns` must come from the same database snapshot.
EventMatches match_events(const Xapian::Database& db, const EventColumns& columns, const std::string& text,
                          const CheckedQuery& checked, const std::function<Xapian::Query(const std::string&)>& parse);

}  // namespace cxmap
