// Cache warmer: a thread that sleeps a refresh interval, then rewarms the
// result cache for the index's newest snapshot when there is one.
#include "server/cache_warmer.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "db/store.h"
#include "pipeline/elapsed.h"
#include "search/result_cache.h"
#include "search/search.h"

namespace cxmap {

struct CacheWarmer::State {
  CacheWarmerOptions options;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::thread thread;

  bool stop_requested() {
    std::lock_guard<std::mutex> lock(mutex);
    return stopping;
  }

  // One look at the index; warms and switches when it moved on. Errors (no
  // index yet, a store busy with a migration) wait for the next look: the
  // cache then keeps serving what it holds, within max_stale.
  void round() {
    ResultCache& cache = search_result_cache();
    auto now = current_snapshot(options.data_dir);
    if (!now || !*now) return;
    const std::optional<IndexSnapshot> held = cache.held((*now)->index);
    if (!held || held->identity != (*now)->identity || !later_revision((*now)->revision, held->revision)) return;
    const auto started = std::chrono::steady_clock::now();
    // Leave a refresh interval of margin before the cache would switch cold.
    const double budget = std::max(options.refresh_seconds, options.max_stale_seconds - 2 * options.refresh_seconds);
    auto store = Store::open(options.data_dir, OpenMode::read_only);
    if (!store) return;
    auto warmed = warm_searches(*store, options.data_dir, cache.requests_for(held->key(), options.max_requests), **now,
                                [&] { return !stop_requested() && seconds_since(started) < budget; });
    if (!warmed) return;
    cache.serve_from(**now, *warmed, seconds_since(started));
  }

  void run() {
    const auto interval = std::chrono::duration<double>(options.refresh_seconds);
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (wake.wait_for(lock, interval, [&] { return stopping; })) return;
      }
      round();
    }
  }
};

CacheWarmer::CacheWarmer(CacheWarmerOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  search_result_cache().hold_snapshots(state_->options.max_stale_seconds);
  state_->thread = std::thread([s = state_.get()] { s->run(); });
}

CacheWarmer::~CacheWarmer() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  state_->thread.join();
  search_result_cache().hold_snapshots(0);
}

}  // namespace cxmap
