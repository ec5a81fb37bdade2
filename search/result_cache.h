// Result cache: recent search results per index snapshot, for a server that
// many researchers query at once.
//
// A shared workspace sees the same searches again and again (the landing
// view, the stage filters, the pages of one list), and a search costs
// milliseconds of CPU that 50 concurrent clients turn into queueing. Results
// are kept per index snapshot (UUID and revision), so a cached answer is
// exactly what a fresh search of the same snapshot returns: an ingest commit
// makes a new snapshot and the old entries simply stop matching, as Solr's
// query-result cache does per searcher. Bounded (least recently used out),
// thread-safe; the CLI's one-shot searches never hit it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "search/search.h"

namespace cxmap {

struct ResultCacheStats {
  std::int64_t hits = 0, misses = 0, entries = 0;
};

class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity);
  ~ResultCache();
  ResultCache(const ResultCache&) = delete;
  ResultCache& operator=(const ResultCache&) = delete;

  // `snapshot` names the index state (see snapshot_key in search.cpp).
  std::optional<SearchResult> find(const std::string& snapshot, const SearchRequest& request);
  void put(const std::string& snapshot, const SearchRequest& request, const SearchResult& result);
  ResultCacheStats stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The process-wide cache search() uses (4,096 results, a few KB each).
ResultCache& search_result_cache();

}  // namespace cxmap
