// The ingest job: sources -> pipeline -> store -> index, the service behind
// `cxmap ingest` (and later the scheduler and the HTTP server).
//
// Invariants:
//   1. One writer at a time: the job holds an exclusive lock on DATA/lock
//      for its whole run; a second writer fails at once with a clear error.
//   2. Records are written in batches: one SQLite transaction per batch, then
//      the index catches up from the store (db/index.h), so the index never
//      holds an event the store does not.
//   3. Every record read is counted once as ingested, duplicate or
//      quarantined, so read = ingested + duplicate + quarantined.
//   4. A feedback already in the store is not tagged again (duplicates cost
//      one primary-key lookup).
//   5. A source's cursor is saved in the batch transaction of the records it
//      covers, so after a kill the rerun resumes where the store ends.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "connectors/customer_keys.h"
#include "connectors/source.h"
#include "db/store.h"
#include "pipeline/pipeline.h"

namespace cxmap {

struct IngestOptions {
  std::string data_dir;
  int batch_size = 1000;
  // Threads that tag feedback; 0: one per core. Above 1 the index also
  // catches up on a thread of its own; 1 does everything on the caller's.
  int jobs = 0;
  // Shards of a new index (db/index.h); 0 or an existing index: as it is.
  int shards = 0;
  // Called now and then with the counts so far (for a progress line).
  std::function<void(const IngestCounts&)> progress;
  // Customer keys: phone numbers normalised, aliases from the sources config
  // applied before a feedback is stored.
  CustomerAliases customers;
  // Called for each quarantined record (for a warning line).
  std::function<void(const Quarantined&)> on_reject;
  // Polled between records; true makes the job finish its batch, save what
  // it has and return early (SIGTERM). Null = never.
  std::function<bool()> stop_requested;
};

struct SourceFailure {
  std::string source;
  Error error;
};

// Where an ingest's time went, in seconds summed over the threads that did
// the work (tagging runs on several at once, so the stages add up to more than
// the wall time of a parallel run).
struct IngestStageTimes {
  double read = 0;   // connectors: reading and parsing sources (the job's thread, outside the sink)
  double tag = 0;    // Pipeline::analyze: normalise, segment, tag, classify
  double store = 0;  // SQLite: duplicate tests, inserts, quarantine, cursors, commits
  double wait = 0;   // the job's thread waiting on tagging or on the index (back-pressure)
  double index = 0;  // Xapian: documents and commits, on the follower or inline
  double links = 0;  // journey links and the re-index of the events they change
};

struct IngestReport {
  std::int64_t run_id = 0;
  IngestCounts counts;
  std::int64_t indexed = 0;
  std::int64_t links_dead_end = 0, links_repeat_contact = 0;  // journey links of the touched customers
  double seconds = 0;
  IngestStageTimes times;
  bool stopped = false;  // stop_requested() cut the run short
  std::vector<SourceFailure> failures;  // sources that could not be read at all
};

Result<IngestReport> run_ingest(const std::vector<SourceSpec>& sources, const Pipeline& pipeline,
                                const IngestOptions& options);

}  // namespace cxmap
