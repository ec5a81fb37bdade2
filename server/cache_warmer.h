// Cache warmer: keeps a server's search result cache warm while an ingest
// commits, so researchers keep getting cached answers instead of a cold
// cache after every commit.
//
// With holding on (search/result_cache.h) the cache serves one snapshot of
// the index while newer ones are committed. Every refresh interval the
// warmer looks at the index; when it has moved on, it answers the requests
// recently served from the held snapshot again on the new one, most recently
// used first, keeping the answers for the new snapshot, then tells the cache
// to serve it (Solr calls this autowarming a new searcher). A round stops
// early when it nears max_stale, where the cache would switch cold anyway;
// what it did not warm is answered on demand. One thread, one read-only
// store per round, nothing written.
#pragma once

#include <memory>
#include <string>

namespace cxmap {

struct CacheWarmerOptions {
  std::string data_dir;
  double refresh_seconds = 1;     // how often to look at the index
  double max_stale_seconds = 30;  // the cache's holding limit (hold_snapshots)
  std::size_t max_requests = 1024;  // requests warmed per round at most
};

class CacheWarmer {
 public:
  // Turns holding on in search_result_cache() and starts the thread.
  explicit CacheWarmer(CacheWarmerOptions options);
  // Stops the thread (a round in progress ends after its current request)
  // and turns holding off.
  ~CacheWarmer();
  CacheWarmer(const CacheWarmer&) = delete;
  CacheWarmer& operator=(const CacheWarmer&) = delete;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace cxmap
