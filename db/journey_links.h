// Journey links: one customer's feedback read in time order, across sources
// and channels, to find what no single message shows.
//
//   dead_end        a self-service event (stage self_service) followed, within
//                   links.dead_end_days, by an assisted contact (an email to
//                   support, a chat with an agent, or a sentence about a phone,
//                   email or chat contact) on the same topic: self-service did
//                   not solve it. Marks dead_end on both events.
//   repeat_contact  two assisted contacts on the same topic within
//                   links.repeat_contact_days. Marks repeat_contact on both.
//
// Topics come from pipeline/topic.h over the feedback's subject and customer
// sentences. Links join events of two different feedback (within one
// feedback the tagger already reads the story). Derived pains are event_pain
// rows with link_id set (db/schema/002_journey_links.sql), so search, show
// and export see them like any other pain once the events are re-indexed
// (reindex_events in db/index.h).
//
// Invariants:
//   1. update_journey_links() replaces all links of the given customers in
//      one transaction: recomputing gives the same links, so reruns and
//      re-ingesting change nothing.
//   2. a derived pain is not added to an event that already has a pain of
//      that kind (the link is still stored).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/store.h"
#include "pipeline/journey.h"

namespace cxmap {

struct LinkUpdate {
  std::int64_t customers = 0, dead_end = 0, repeat_contact = 0;
  std::vector<std::int64_t> changed_events;  // events whose pains changed (to re-index), sorted
};

// Customers (non-empty keys) with feedback ingested by this run.
Result<std::vector<std::string>> customers_of_run(Store& store, std::int64_t run_id);

// Every event of these customers' feedback, sorted: what to re-index when a
// kill may have fallen between a link update and its re-index.
Result<std::vector<std::int64_t>> events_of_customers(Store& store, const std::vector<std::string>& customers);

// Recomputes the links of these customers. Opens its own transaction: call it
// outside a batch, with everything committed (from 256 customers on, half of
// them are read on a second thread through a read-only connection, which
// sees only committed data).
Result<LinkUpdate> update_journey_links(Store& store, const std::vector<std::string>& customers,
                                        const JourneyDefinition& def);

struct LinkRow {
  std::int64_t id = 0, from_event = 0, to_event = 0;
  std::string kind, topic;
  double days = 0;
  std::string from_feedback, to_feedback;
  int from_ordinal = 0, to_ordinal = 0;
};

// The links of one customer, in from-event order.
Result<std::vector<LinkRow>> links_of_customer(Store& store, const std::string& customer);

// Seconds since the epoch for "YYYY-MM-DDTHH:MM:SS..." (UTC), or -1.
std::int64_t iso_seconds(const std::string& iso);

}  // namespace cxmap
