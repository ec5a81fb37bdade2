// The one field table: every searchable/exported field of an event, with its
// SQL column, Xapian boolean-term prefix, value slot and query-language name.
//
// The indexer (db/index.cpp), the query parser (search/) and the exporters
// (report/) all read this table, so a field is added in one place. Prefixes
// follow Xapian's omega conventions: upper-case, "X" for custom ones.
#pragma once

#include <string_view>

namespace cxmap {

// Value slots of an event document.
enum ValueSlot : unsigned {
  slot_feedback_id = 0,  // collapse key: results collapse per feedback
  slot_date = 1,         // "YYYYMMDD" (DateRangeProcessor, sort by date)
  slot_compound = 2,     // sortable_serialise(compound)
  slot_nps = 3,          // sortable_serialise(nps), absent if unknown
  slot_csat = 4,         // sortable_serialise(csat), absent if unknown
  slot_stage = 5,        // facet
  slot_touchpoint = 6,   // facet
  slot_emotion = 7,      // facet
  slot_channel = 8,      // facet
  slot_pain = 9,         // facet: first pain kind of the event
};

struct Field {
  std::string_view name;        // query-language prefix ("stage" in stage:contact)
  std::string_view sql_column;  // column in the event/feedback join
  std::string_view term_prefix; // Xapian boolean-term prefix
  int value_slot;               // facet slot, or -1
};

// Boolean filters. The SQL column names refer to the view event_row
// (db/schema/001_init.sql).
inline constexpr Field kFilterFields[] = {
    {"stage", "stage", "XS", slot_stage},
    {"touchpoint", "touchpoint", "XT", slot_touchpoint},
    {"emotion", "emotion", "XE", slot_emotion},
    {"channel", "channel", "XC", slot_channel},
    {"pain", "pain", "XP", slot_pain},
    {"speaker", "speaker", "XK", -1},
    {"source", "source", "XO", -1},
    {"customer", "customer_key", "XU", -1},
    {"sentiment", "sentiment", "XN", -1},
    {"lang", "language", "L", -1},
    {"feedback", "feedback_id", "XF", -1},
};

// Prefix of the unique id term of an event document ("Q" + event id), as in
// omega's convention for unique identifiers.
inline constexpr std::string_view kIdTermPrefix = "Q";

// Facets reported by search, in display order.
inline constexpr std::string_view kFacetFields[] = {"stage", "touchpoint", "emotion", "channel", "pain"};

inline const Field* find_field(std::string_view name) {
  for (const Field& f : kFilterFields)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace cxmap
