// One customer's journey: every feedback of one customer key, across sources
// and channels, in time order, with each sentence's tags and the links found
// across feedback (db/journey_links.h). Read only.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "db/journey_links.h"
#include "db/store.h"

namespace cxmap {

struct JourneyStep {
  FeedbackRow feedback;
  std::vector<EventRow> events;  // all speakers, in ordinal order
};

struct CustomerJourney {
  std::string customer;
  std::vector<JourneyStep> steps;  // by received_at, then feedback id
  std::vector<LinkRow> links;
};

// An unknown customer is a usage error naming the key.
Result<CustomerJourney> load_customer_journey(Store& store, const std::string& customer);

// Text: one block per feedback (date, channel, source, subject), one line per
// customer sentence (stage / touchpoint / emotion, sentiment, [pains]); agent
// and bot sentences only with include_agents. Then the links.
void write_customer_journey_text(const CustomerJourney& j, std::ostream& out, bool include_agents);
// JSON: {"customer", "feedback": [{"id", "received_at", "channel", "source",
// "subject", "events": [{"event_id", "ordinal", "speaker", "sentence", "stage",
// "touchpoint", "emotion", "compound", "pain": [...]}]}], "links": [{"kind",
// "topic", "days", "from": {"feedback_id", "ordinal", "event_id"}, "to": {...}}]}
void write_customer_journey_json(const CustomerJourney& j, std::ostream& out, bool include_agents);

}  // namespace cxmap
