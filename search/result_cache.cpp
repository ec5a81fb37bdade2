// Result cache: an LRU list with a hash index, under one mutex.
#include "search/result_cache.h"

#include <list>
#include <mutex>
#include <unordered_map>

namespace cxmap {

namespace {

std::string cache_key(const std::string& snapshot, const SearchRequest& r) {
  std::string key = snapshot;
  key.append("\x1f").append(std::to_string(static_cast<int>(r.sort)));
  key.append("\x1f").append(std::to_string(r.offset));
  key.append("\x1f").append(std::to_string(r.limit));
  key.append("\x1f").append(r.query);
  return key;
}

}  // namespace

struct ResultCache::State {
  std::size_t capacity;
  mutable std::mutex mutex;
  std::list<std::pair<std::string, SearchResult>> lru;  // most recent first
  std::unordered_map<std::string, std::list<std::pair<std::string, SearchResult>>::iterator> index;
  std::int64_t hits = 0, misses = 0;
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
  return it->second->second;
}

void ResultCache::put(const std::string& snapshot, const SearchRequest& request, const SearchResult& result) {
  if (state_->capacity == 0) return;
  std::string key = cache_key(snapshot, request);
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (auto it = state_->index.find(key); it != state_->index.end()) {
    it->second->second = result;
    state_->lru.splice(state_->lru.begin(), state_->lru, it->second);
    return;
  }
  state_->lru.emplace_front(key, result);
  state_->index.emplace(std::move(key), state_->lru.begin());
  while (state_->lru.size() > state_->capacity) {
    state_->index.erase(state_->lru.back().first);
    state_->lru.pop_back();
  }
}

ResultCacheStats ResultCache::stats() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return ResultCacheStats{state_->hits, state_->misses, static_cast<std::int64_t>(state_->lru.size())};
}

ResultCache& search_result_cache() {
  static ResultCache cache(4096);
  return cache;
}

}  // namespace cxmap
