// Journey summary: the journey at a glance, one line per stage in journey
// order: how many customer sentences, their mean sentiment, the dominant
// emotion and touchpoint, and the most frequent pain point with its rate.
// A reading of the store for people (text) and scripts (JSON).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "db/store.h"
#include "report/writer.h"

namespace cxmap {

struct StageSummary {
  std::string stage;
  std::int64_t events = 0, feedback = 0;
  double mean = 0;
  std::string top_emotion, top_touchpoint, top_pain;  // "" when none
  double top_emotion_share = 0, top_touchpoint_share = 0;
  std::int64_t top_pain_n = 0;
};

struct JourneySummary {
  std::int64_t feedback = 0, customer_events = 0, customers = 0;
  std::vector<StageSummary> stages;
};

Result<JourneySummary> build_journey_summary(Store& store, const std::vector<std::string>& stage_order);
void write_journey_summary(const JourneySummary& summary, Format format, std::ostream& out);

}  // namespace cxmap
