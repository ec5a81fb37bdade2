// The index follower: a thread that brings the Xapian index up to the events
// the ingest job has committed to SQLite, while the job goes on parsing,
// tagging and writing the next batch.
//
// Indexing (Xapian's inverter and commit) is the largest share of an ingest;
// run inline, the tagger and SQLite sit idle while it runs. The follower reads
// committed events through its own read-only SQLite connection (WAL lets it
// read while the job writes), so the store is the queue between the two and
// costs no memory.
//
// Invariants:
//   1. The follower only indexes committed events, in event-id order, so the
//      index never holds an event the store does not (ingest_job.h, 2).
//   2. While the follower runs, only it touches the Index. The job uses the
//      Index itself only after wait() has returned (no pass running and none
//      requested) and before its next request().
//   3. Back-pressure: the job waits for the pass it requested one batch ago
//      before requesting the next, so the index trails the store by at most
//      one batch and a stop never waits for more than that.
//   4. The first error stops the follower; every later wait() returns it.
//   5. A sharded index is followed shard by shard in parallel, one thread and
//      one read connection per shard, each pass up to the store's last event
//      when it began: Xapian's indexing, the largest share of an ingest, then
//      runs on every core.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/index.h"
#include "db/store.h"
#include "pipeline/result.h"

namespace cxmap {

class IndexFollower {
 public:
  // Opens a read-only connection to the store of data_dir and starts the
  // thread. `index` must outlive the follower.
  static Result<std::unique_ptr<IndexFollower>> start(const std::string& data_dir, Index& index);
  ~IndexFollower();  // stops the thread (a pass under way finishes first)
  IndexFollower(const IndexFollower&) = delete;
  IndexFollower& operator=(const IndexFollower&) = delete;

  // Asks for a pass over the events committed so far; returns its number.
  std::uint64_t request();
  // Waits until pass `ticket` (and every one before it) is done; without a
  // ticket, until every requested pass is. Returns the first error.
  Status wait(std::uint64_t ticket);
  Status wait();

  // Events indexed by the follower's passes so far, and the time they took.
  std::int64_t indexed() const;
  double busy_seconds() const;

 private:
  IndexFollower(Store store, Index& index);
  void run();
  // One catch-up pass; `seconds` gets its time summed over the threads it ran on.
  Result<std::int64_t> pass(double& seconds);

  Store store_;
  std::vector<Store> shard_stores_;  // one per shard of a sharded index
  Index& index_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t requested_ = 0, done_ = 0;
  std::int64_t indexed_ = 0;
  double busy_seconds_ = 0;
  bool stopping_ = false;
  Error error_{ErrorKind::store, ""};
  std::thread thread_;
};

}  // namespace cxmap
