// Result cache: recent search results per index snapshot, for a server that
// many researchers query at once.
//
// A shared workspace sees the same searches again and again (the landing
// view, the stage filters, the pages of one list), and a search costs
// milliseconds of CPU that 50 concurrent clients turn into queueing. Results
// are kept per index snapshot (UUID, forget count and revision), so a cached
// answer is exactly what a search of that snapshot returns. Bounded (least
// recently used out), thread-safe; the CLI's one-shot searches never hit it.
//
// Snapshot holding (the server's, off by default): an ingest commits every
// second or two, and a cache keyed on the newest revision would then be cold
// most of the time. With holding on, answers keep being served for the held
// snapshot when the index moves on, until serve_from() moves to a newer one
// whose cache a warmer has refilled with the held snapshot's recent requests
// (Solr's searcher autowarming), or until max_stale seconds after the move
// was first seen, whichever comes first. So a served answer trails the index
// by at most max_stale seconds. A new identity (a rebuilt index, or a forget:
// see Index::note_forget) is served at once: forgotten text is never served
// from the cache.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "search/search.h"

namespace cxmap {

// True when revision a is later than b (each shard's at least as late, one
// later); revisions of different shape (another shard count) count as later.
bool later_revision(const std::string& a, const std::string& b);

struct ResultCacheStats {
  std::int64_t hits = 0, misses = 0, entries = 0;
  // Holding: switches to a warmed snapshot, switches forced by max_stale,
  // and how long the newest revision seen has waited to be served (0 when
  // the held snapshot is the newest), over all held indexes.
  std::int64_t warm_switches = 0, stale_switches = 0;
  double waiting_seconds = 0;
  // The last warm switch: requests warmed, and how long warming took.
  std::int64_t last_warmed = 0;
  double last_warm_seconds = 0;
};

class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // `snapshot` is an IndexSnapshot::key() (see serving_key).
  std::optional<SearchResult> find(const std::string& snapshot, const SearchRequest& request);
  void put(const std::string& snapshot, const SearchRequest& request, const SearchResult& result);
  ResultCacheStats stats() const;

  // Turns holding on (max_stale_seconds > 0) or off (0, the default).
  void hold_snapshots(double max_stale_seconds);
  // The key to find and put answers under for a search that opened the
  // index at `opened`: opened's own without holding, else the held one's.
  std::string serving_key(const IndexSnapshot& opened);
  // The snapshot answers for `index` are served from, if any yet.
  std::optional<IndexSnapshot> held(const std::string& index) const;
  // Serves `snapshot` from now on (when it is later than the held one and
  // of the same identity): called once its cache is warm, with how many
  // requests were warmed in how long (for stats()).
  void serve_from(const IndexSnapshot& snapshot, std::int64_t warmed, double seconds);
  // The requests answered for `snapshot`, most recently used first.
  std::vector<SearchRequest> requests_for(const std::string& snapshot, std::size_t max) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The process-wide cache search() uses (4,096 results, a few KB each).
ResultCache& search_result_cache();

}  // namespace cxmap
