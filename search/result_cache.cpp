// Result cache: an LRU list with a hash index, and the held snapshot per
// index, under one mutex.
#include "search/result_cache.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <list>
#include <mutex>
#include <unordered_map>

namespace cxmap {

namespace {

using Clock = std::chrono::steady_clock;

std::string cache_key(const std::string& snapshot, const SearchRequest& r) {
  std::string key = snapshot;
  key.append("\x1f").append(std::to_string(static_cast<int>(r.sort)));
  key.append("\x1f").append(std::to_string(r.offset));
  key.append("\x1f").append(std::to_string(r.limit));
  key.append("\x1f").append(r.query);
  return key;
}

std::vector<std::uint64_t> revision_parts(const std::string& revision) {
  std::vector<std::uint64_t> parts;
  std::size_t from = 0;
  while (from <= revision.size()) {
    const std::size_t comma = std::min(revision.find(',', from), revision.size());
    parts.push_back(std::strtoull(revision.substr(from, comma - from).c_str(), nullptr, 10));
    from = comma + 1;
  }
  return parts;
}

struct Entry {
  std::string key;       // cache_key(snapshot, request)
  std::string snapshot;
  SearchRequest request;
  SearchResult result;
};

// The snapshot served for one index, and the later revisions searches have
// opened since, each with when it was first opened: the oldest of them is
// how long the served answers have trailed the index.
struct Hold {
  IndexSnapshot snapshot;
  std::vector<std::pair<std::string, Clock::time_point>> later;
};

void move_to(Hold& hold, const IndexSnapshot& snapshot) {
  hold.snapshot = snapshot;
  std::erase_if(hold.later, [&](const auto& seen) { return !later_revision(seen.first, snapshot.revision); });
}

}  // namespace

bool later_revision(const std::string& a, const std::string& b) {
  const auto x = revision_parts(a), y = revision_parts(b);
  if (x.size() != y.size()) return true;
  bool later = false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] < y[i]) return false;
    later = later || x[i] > y[i];
  }
  return later;
}

struct ResultCache::State {
  std::size_t capacity;
  mutable std::mutex mutex;
  std::list<Entry> lru;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index;
  std::int64_t hits = 0, misses = 0;
  double max_stale_seconds = 0;  // 0: no holding
  std::unordered_map<std::string, Hold> held;  // by index path
  std::int64_t warm_switches = 0, stale_switches = 0;
  std::int64_t last_warmed = 0;
  double last_warm_seconds = 0;
};

ResultCache::ResultCache(std::size_t capacity) : state_(std::make_unique<State>()) {
  state_->capacity = capacity;
}

ResultCache::~ResultCache() = default;

std::optional<SearchResult> ResultCache::find(const std::string& snapshot, const SearchRequest& request) {
  const std::string key = cache_key(snapshot, request);
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto it = state_->index.find(key);
  if (it == state_->index.end()) {
    ++state_->misses;
    return std::nullopt;
  }
  ++state_->hits;
  state_->lru.splice(state_->lru.begin(), state_->lru, it->second);
  return it->second->result;
}

void ResultCache::put(const std::string& snapshot, const SearchRequest& request, const SearchResult& result) {
  if (state_->capacity == 0) return;
  std::string key = cache_key(snapshot, request);
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (auto it = state_->index.find(key); it != state_->index.end()) {
    it->second->result = result;
    state_->lru.splice(state_->lru.begin(), state_->lru, it->second);
    return;
  }
  state_->lru.push_front(Entry{key, snapshot, request, result});
  state_->index.emplace(std::move(key), state_->lru.begin());
  while (state_->lru.size() > state_->capacity) {
    state_->index.erase(state_->lru.back().key);
    state_->lru.pop_back();
  }
}

ResultCacheStats ResultCache::stats() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  ResultCacheStats s{state_->hits, state_->misses, static_cast<std::int64_t>(state_->lru.size())};
  s.warm_switches = state_->warm_switches;
  s.stale_switches = state_->stale_switches;
  s.last_warmed = state_->last_warmed;
  s.last_warm_seconds = state_->last_warm_seconds;
  const auto now = Clock::now();
  for (const auto& [index, hold] : state_->held)
    if (!hold.later.empty())
      s.waiting_seconds =
          std::max(s.waiting_seconds, std::chrono::duration<double>(now - hold.later.front().second).count());
  return s;
}

void ResultCache::hold_snapshots(double max_stale_seconds) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->max_stale_seconds = std::max(0.0, max_stale_seconds);
  if (state_->max_stale_seconds == 0) state_->held.clear();
}

std::string ResultCache::serving_key(const IndexSnapshot& opened) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->max_stale_seconds == 0) return opened.key();
  auto [it, fresh] = state_->held.try_emplace(opened.index, Hold{opened, {}});
  Hold& hold = it->second;
  if (fresh || hold.snapshot.identity != opened.identity) {
    hold = Hold{opened, {}};
  } else if (later_revision(opened.revision, hold.snapshot.revision)) {
    const auto now = Clock::now();
    bool known = false;
    for (const auto& seen : hold.later) known = known || seen.first == opened.revision;
    if (!known) hold.later.emplace_back(opened.revision, now);
    if (std::chrono::duration<double>(now - hold.later.front().second).count() >= state_->max_stale_seconds) {
      // The warmer did not finish in time: serve what this search opened, cold.
      move_to(hold, opened);
      ++state_->stale_switches;
    }
  }
  return hold.snapshot.key();
}

std::optional<IndexSnapshot> ResultCache::held(const std::string& index) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto it = state_->held.find(index);
  if (it == state_->held.end()) return std::nullopt;
  return it->second.snapshot;
}

void ResultCache::serve_from(const IndexSnapshot& snapshot, std::int64_t warmed, double seconds) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->max_stale_seconds == 0) return;
  auto it = state_->held.find(snapshot.index);
  if (it == state_->held.end() || it->second.snapshot.identity != snapshot.identity ||
      !later_revision(snapshot.revision, it->second.snapshot.revision))
    return;
  move_to(it->second, snapshot);
  ++state_->warm_switches;
  state_->last_warmed = warmed;
  state_->last_warm_seconds = seconds;
}

std::vector<SearchRequest> ResultCache::requests_for(const std::string& snapshot, std::size_t max) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  std::vector<SearchRequest> out;
  for (const Entry& e : state_->lru) {
    if (out.size() >= max) break;
    if (e.snapshot == snapshot) out.push_back(e.request);
  }
  return out;
}

ResultCache& search_result_cache() {
  static ResultCache cache(4096);
  return cache;
}

}  // namespace cxmap
