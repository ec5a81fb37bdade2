// The store: cxmap's SQLite database, the truth from which everything else
// (the Xapian index, exports, maps) is derived.
//
// A data dir holds cxmap.sqlite and the index folder. The schema comes from
// the numbered migrations in db/schema/; PRAGMA user_version records the last
// one applied, and opening a store written by a newer cxmap is an error.
// The store owns ingest runs and the quarantine. It never parses or tags.
//
// Invariants kept here:
//   1. A feedback and all its events and pains are written in one
//      transaction (the caller's batch), so no feedback is ever half-stored.
//   2. insert_feedback() of an id already present changes nothing.
//   3. A run's counts reconcile: read = ingested + duplicate + quarantined.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/sqlite.h"
#include "pipeline/record.h"
#include "pipeline/result.h"

namespace cxmap {

enum class OpenMode { read_only, read_write };

struct IngestCounts {
  std::int64_t read = 0, ingested = 0, duplicate = 0, quarantined = 0, events = 0;
  std::int64_t replaced = 0;  // of ingested: newer revisions of stored feedback
  // Personal data redacted, by RedactionType (pipeline/redact.h).
  std::array<std::int64_t, 5> redacted{};
  std::int64_t redacted_total() const {
    std::int64_t n = 0;
    for (auto v : redacted) n += v;
    return n;
  }
};

struct StoreStats {
  std::int64_t feedback = 0, events = 0, customer_events = 0, quarantined = 0, runs = 0;
  std::int64_t indexed_events = 0;  // filled by the caller from the index
  std::vector<std::pair<std::string, std::int64_t>> by_channel;
  std::vector<std::pair<std::string, std::int64_t>> by_source;
  IngestCounts last_run;
  std::int64_t last_run_id = 0;
  std::string last_run_status;
};

// One event joined with its feedback: what the indexer and search need.
struct EventRow {
  std::int64_t event_id = 0;
  std::string feedback_id;
  int ordinal = 0;
  std::string speaker, sentence, emotion, touchpoint, stage;
  double compound = 0;
  std::vector<PainPoint> pains;
  std::string source, channel, customer_key, received_at, language, subject;
  std::optional<int> nps, csat;
};

struct FeedbackRow {
  std::string id, source, channel, external_id, customer_key, received_at, subject, language,
      text, metadata;
  std::optional<int> nps, csat, ces;
  int invalid_utf8 = 0;
};

struct QuarantineRow {
  std::int64_t id = 0, run_id = 0;
  std::string source, locator, checksum, reason, created_at;
};

class Store {
 public:
  // Opens data_dir/cxmap.sqlite. read_write creates the dir (0700) and the
  // database and applies pending migrations; read_only requires both.
  static Result<Store> open(const std::string& data_dir, OpenMode mode);

  Status begin();
  Status commit();
  Status rollback();
  // Copies the write-ahead log into the database (a passive checkpoint: it
  // never waits for readers). Run by a writer at a moment its own readers
  // are idle, it lets the next write start the log over: SQLite's automatic
  // checkpoints run at commit, while an index follower is reading, and can
  // then never finish, so the log would grow with the whole ingest.
  Status checkpoint_wal();

  Result<bool> has_feedback(const std::string& id);
  // The revision of a stored feedback ("" when it has none), or nullopt when
  // the id is not stored.
  Result<std::optional<std::string>> stored_revision(const std::string& id);
  // Deletes a feedback with its events and pains (and the journey links of
  // those events), naming its events in index_tombstone and raising the
  // event-id floor. Returns the number of events deleted. Call inside a batch.
  Result<int> delete_feedback(const std::string& id);
  // Event ids whose documents the index must delete, and the call that
  // forgets them once it has (db/index.h: apply_tombstones).
  Result<std::vector<std::int64_t>> tombstones();
  Status clear_tombstones(std::int64_t up_to_event_id);
  // Inserts the feedback with its events and pains; returns the number of
  // events written. Call inside begin()/commit().
  Result<int> insert_feedback(const AnalyzedFeedback& fb, std::int64_t run_id);
  // Stores a rejected record once per (source, locator, checksum); returns
  // false when it was already there.
  Result<bool> quarantine(const Quarantined& q, std::int64_t run_id);

  // A source's cursor (empty when it has none yet). save_cursor() belongs in
  // the batch transaction of the records the cursor covers.
  Result<std::string> load_cursor(const std::string& source);
  Status save_cursor(const std::string& source, const std::string& cursor);

  Result<std::int64_t> begin_run(const std::string& sources);
  // Runs still marked 'running': a writer was killed during them (only call
  // while holding the writer lock). Their committed feedback is kept; their
  // journey links were never computed.
  Result<std::vector<std::int64_t>> unfinished_runs();
  // Marks such a run 'interrupted' once its links are made up for; its
  // counts stay unknown (0) and finished_at stays empty.
  Status mark_interrupted(std::int64_t run_id);
  Status finish_run(std::int64_t run_id, const IngestCounts& counts, const std::string& status);

  Result<StoreStats> stats();
  Result<std::int64_t> max_event_id();
  // Calls fn for every event with id > after_id, in id order, with pains.
  Status for_each_event_after(std::int64_t after_id, const std::function<Status(const EventRow&)>& fn);
  // Events with after_id < id <= up_to and (id - 1) % shards == shard, in id
  // order: the events of one index shard (db/index.h).
  Status for_each_shard_event(std::int64_t after_id, std::int64_t up_to, int shards, int shard,
                              const std::function<Status(const EventRow&)>& fn);
  Result<std::optional<FeedbackRow>> feedback(const std::string& id);
  Result<std::vector<EventRow>> events_of(const std::string& feedback_id);
  Result<std::optional<EventRow>> event(std::int64_t event_id);
  Result<std::vector<QuarantineRow>> quarantined(int limit);

  const sql::Connection& connection() const { return db_; }
  const std::string& data_dir() const { return dir_; }
  static int schema_version();  // the highest migration number built in

 private:
  Store(sql::Connection db, std::string dir) : db_(std::move(db)), dir_(std::move(dir)) {}
  Status migrate();
  Status load_pains(EventRow& row);
  // Reads every row of an event-row statement (with its pains) into fn.
  Status each_event_row(sql::Statement& st, const std::function<Status(const EventRow&)>& fn);

  sql::Connection db_;
  std::string dir_;
  // Prepared once, reused for every record (the hot path of ingestion).
  std::optional<sql::Statement> has_feedback_, stored_revision_, insert_feedback_, insert_event_, insert_pain_,
      insert_quarantine_, pains_of_;
};

// The SQLite file and index folder inside a data dir.
std::string store_path(const std::string& data_dir);
std::string index_path(const std::string& data_dir);

// The current UTC time as ISO-8601 ("2026-11-22T07:08:16Z").
std::string utc_now();

}  // namespace cxmap
