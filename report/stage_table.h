// Stage tables: the analyst's view of the journey, one row per stage (and
// per group when grouped), in journey order, computed from the store.
//
// Figures are over customer sentences (events with speaker customer): agents
// and bots give context, not the customer's feeling. A sentence is negative
// at compound <= -0.05, positive at >= 0.05, neutral between. The 95%
// confidence interval of the mean uses the normal approximation
// (mean +- 1.96 * sd / sqrt(n)); with one event it is the mean itself.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "db/store.h"
#include "report/writer.h"

namespace cxmap {

struct StageTableRequest {
  // Any of stage_table_groupings(): touchpoint, channel, source, emotion,
  // language, week, month, nps_band, or meta.<key> for a metadata field.
  std::vector<std::string> group_by;
  // When set, only these events count (sorted ascending): the events a
  // search query matched (search/matching_event_ids). Unset means all.
  std::optional<std::vector<std::int64_t>> only_events;
};

// A representative sentence of a row, with where it comes from.
struct StageQuote {
  std::string feedback_id;
  int ordinal = 0;
  std::string sentence;
  double compound = 0;
};

struct StageRow {
  std::string stage;
  std::vector<std::string> group;  // one value per group_by field
  std::int64_t feedback_n = 0, events_n = 0;
  double mean = 0, ci_low = 0, ci_high = 0;
  double pct_negative = 0, pct_neutral = 0, pct_positive = 0;
  std::vector<double> emotion_share;  // parallel to StageTable::emotions, fractions 0..1
  std::vector<double> pain_rate;      // parallel to pain_kinds(): fraction of the row's sentences with it
  // Mean NPS / CSAT of the row's feedback that carries the score (each
  // feedback counted once); unset when none does.
  std::optional<double> mean_nps, mean_csat;
  // The most negative and the most positive sentence (ties: lowest feedback
  // id, then ordinal), so the table has a voice next to its figures.
  std::optional<StageQuote> most_negative, most_positive;
};

// The row's pain kinds with a rate above zero, highest first (ties by kind
// order), at most `limit`, as "long_wait 0.310; transfer 0.120".
std::string top_pains_text(const StageRow& row, std::size_t limit = 3);

// The pain kinds exported as pain_<kind> columns, in DESIGN.md order.
const std::vector<std::string>& pain_kinds();

struct StageTable {
  std::vector<std::string> group_by;
  std::vector<std::string> emotions;
  std::vector<StageRow> rows;
};

// The group_by fields export understands, in the order shown by --help.
const std::vector<std::string>& stage_table_groupings();

// Builds the table. stage_order is the journey's stage order; stages not in
// it (such as "none") follow in name order. Rows within a stage are ordered
// by group values, so two exports of the same data are identical.
Result<StageTable> build_stage_table(Store& store, const std::vector<std::string>& stage_order,
                                     const std::vector<std::string>& emotions,
                                     const StageTableRequest& request);

// Columns: stage, <group fields>, feedback_n, events_n, mean_sentiment,
// ci95_low, ci95_high, pct_negative, pct_neutral, pct_positive,
// share_<emotion>..., pain_<kind>... (pain_kinds()), top_pains, mean_nps,
// mean_csat, most_negative_quote, most_negative_id, most_positive_quote,
// most_positive_id.
void write_stage_table(const StageTable& table, Format format, std::ostream& out);

}  // namespace cxmap
