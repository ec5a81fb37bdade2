// The index: a Xapian database derived from the store, one document per event.
//
// The document id of an event is its SQLite event id, and the index keeps in
// its metadata the last event id it holds ("last_event_id") and the schema
// version it was built for. sync_index() brings it up to the store from that
// point, so a crash between the SQLite commit and the Xapian commit costs
// nothing: the next run (or `cxmap reindex`) catches up. Terms, prefixes and
// value slots come from the field table in db/fields.h.
//
// Sharding: with `--shards N` (N > 1) the index is N Xapian databases,
// DATA/index/shard0 .. shardN-1, listed in a Xapian stub file
// DATA/index/XAPIANDB, so any reader opens them as one database. Event e
// lives in shard (e - 1) % N as document (e - 1) / N + 1: Xapian numbers the
// documents of a multi-database exactly so, so the combined docid is still
// the event id and every reader (search's event columns, verify, forget)
// works unchanged. A stub may also list remote shards ("remote :HOST:PORT",
// served by xapian-tcpsrv); those are for reading only.
//
// This is the only module that catches Xapian exceptions on the write side;
// they leave as Error values.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/store.h"
#include "pipeline/result.h"

namespace cxmap {

// The stub file of a sharded index, inside DATA/index.
inline constexpr const char* kShardListFile = "XAPIANDB";

// One shard of an index as its stub file lists it: a local path, or a
// remote server.
struct ShardLocation {
  std::string path;  // local: absolute path of the shard's database
  std::string host;  // remote: host and port of an xapian-tcpsrv
  int port = 0;
};

// The shards of DATA/index: one (DATA/index itself) for an index that is not
// sharded, none when there is no index. Errors name the stub file and line.
Result<std::vector<ShardLocation>> index_shards(const std::string& data_dir);

// A usage error naming the first remote shard of `shards` (remote shards
// are read-only), for everything that writes or rebuilds the index.
Status only_local_shards(const std::string& data_dir, const std::vector<ShardLocation>& shards);

class Index {
 public:
  // shards: 0 opens the index as it is (a new one gets one shard); N > 0
  // creates N shards for a new index, and is an error naming `cxmap reindex
  // --shards N` when an existing index has another count.
  static Result<Index> open_writable(const std::string& data_dir, int shards = 0);

  std::int64_t last_event_id() const;
  int shard_count() const { return static_cast<int>(shards_.size()); }
  std::int64_t shard_last_event_id(int shard) const { return shards_[static_cast<std::size_t>(shard)].last_event_id; }
  Status add(const EventRow& row);
  // Records last_event_id in the index metadata and commits; explicit,
  // because a destructor would swallow a failed commit. Shards commit last
  // to first; a kill in between leaves a shard behind, and open_writable()
  // starts from the lowest last_event_id (re-adding a document replaces it).
  Status commit(std::int64_t last_event_id);

  // Commits one shard, recording that it holds every one of its events up
  // to last_event_id. Different shards may be added to and committed from
  // different threads at once (each has its own database and term
  // generator); last_event_id() is then the lowest of the shards'.
  Status commit_shard(int shard, std::int64_t last_event_id);

  // Deletes an event's document; throws Xapian errors (DocNotFoundError
  // when it is not there), for callers inside xapian_guard.
  void delete_event(std::int64_t event_id);

  // Records that documents already in the index were replaced or deleted
  // (not only appended), committed with the next commit(): the counter under
  // kRewritesKey goes up by one and kRewriteListPrefix + counter lists the
  // docids, so readers that keep per-document state (search's event columns)
  // reread just those; an old list is dropped after kRewriteListsKept more.
  Status note_rewrite(const std::vector<std::int64_t>& event_ids);

  // Records that a forget deleted documents, committed with the next
  // commit(): the counter under kForgetsKey goes up by one. Readers that
  // keep answers across revisions (a server's held snapshot, see
  // search/result_cache.h) drop them when it changes.
  Status note_forget();

 private:
  struct Shard {
    std::unique_ptr<Xapian::WritableDatabase> db;
    std::unique_ptr<Xapian::TermGenerator> termgen;
    std::int64_t last_event_id = 0;
  };
  Index() = default;
  // The shard of an event and its docid there.
  Shard& shard_of(std::int64_t event_id, Xapian::docid& local);
  // Records last_event_id in a shard's metadata and commits it; throws.
  static void commit_one(Shard& shard, std::int64_t last_event_id);
  std::vector<Shard> shards_;
};

// Index metadata written by note_rewrite(): the counter, and per value of it
// the comma-separated docids rewritten ("*" when too many to list).
inline constexpr const char* kRewritesKey = "rewrites";
inline constexpr const char* kRewriteListPrefix = "rewrite.";
inline constexpr std::int64_t kRewriteListsKept = 64;

// Index metadata written by note_forget(): how many forgets it has seen.
inline constexpr const char* kForgetsKey = "forgets";

// The rewrites counter of an index (0 before any rewrite). Throws Xapian
// errors: callers run it inside xapian_guard.
std::int64_t rewrite_count(const Xapian::Database& db);

// Opens the index of a data dir for reading (search, export). A missing index
// is a usage error telling the user to ingest or reindex.
Result<Xapian::Database> open_index_readonly(const std::string& data_dir);

// The same, also giving the revision of what was opened: a single database's
// revision, or every shard's joined with ',' (Xapian gives no revision for a
// multi-database), or "" when a shard cannot tell (a remote one): a cache
// keyed on it never mixes snapshots, and "" means do not cache.
Result<Xapian::Database> open_index_readonly(const std::string& data_dir, std::string& revision);

// Such a revision as a number when it is one database's, else nullopt.
std::optional<Xapian::rev> single_revision(const std::string& revision);

// Brings the index up to the store: first deletes the documents of events
// named in the store's index_tombstone (then forgets the tombstones), then
// indexes every store event after the index's last_event_id, committing
// every batch_size documents. Returns the number of events indexed.
Result<std::int64_t> sync_index(Store& store, Index& index, std::int64_t batch_size = 10000);

// The second half of sync_index(): indexes the store's events after the
// index's last_event_id, without looking at tombstones. For a reader that
// follows a writer (app/index_follower.h); `store` may be read-only.
Result<std::int64_t> index_new_events(Store& store, Index& index, std::int64_t batch_size = 10000);

// index_new_events() for one shard: its events after the shard's last, up to
// up_to (the store's last event when the pass began), committed every
// batch_size documents and at the end. Passes for different shards may run
// on different threads, each with its own Store.
Result<std::int64_t> index_shard_events(Store& store, Index& index, int shard, std::int64_t up_to,
                                        std::int64_t batch_size = 10000);

// Re-indexes events already in the index whose tags changed (pains derived
// from journey links): each document is replaced under the same docid, an
// event no longer in the store is deleted, events beyond last_event_id are
// left to sync_index. Commits once. Returns the number replaced.
Result<std::int64_t> reindex_events(Store& store, Index& index, const std::vector<std::int64_t>& event_ids);

// "YYYYMMDD" for a received_at ISO-8601 string, or "" when unknown: the form
// Xapian's DateRangeProcessor compares.
std::string date_value(const std::string& iso8601);

// Runs fn and converts a Xapian::Error into an Error naming what was done.
Status xapian_guard(const std::string& what, const std::function<void()>& fn);

}  // namespace cxmap
