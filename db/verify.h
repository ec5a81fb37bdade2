// Verify: does the index agree with the store it is derived from?
//
// The store is the truth; the index must hold exactly one document per event,
// under the event's id, with the event's filter terms (stage, touchpoint,
// emotion, channel, speaker, source, pains), and must record the last event
// it holds. verify_data_dir() also runs SQLite's own integrity and foreign-key
// checks and the run-count invariant (read = ingested + duplicate +
// quarantined for every finished run). It only reads; `cxmap reindex` is the
// repair for an index problem.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/store.h"

namespace cxmap {

struct VerifyReport {
  std::int64_t feedback = 0, events = 0, documents = 0, index_last_event_id = 0, store_max_event_id = 0;
  std::int64_t runs_checked = 0, runs_interrupted = 0;
  // One line per disagreement, each naming the event, document or run; at
  // most max_problems are listed, `problem_count` counts them all.
  std::vector<std::string> problems;
  std::int64_t problem_count = 0;
  bool ok() const { return problem_count == 0; }
};

// Checks the data dir's store and index. Errors are for what could not be
// read at all; disagreements go into the report.
Result<VerifyReport> verify_data_dir(Store& store, const std::string& data_dir, int max_problems = 20);

}  // namespace cxmap
