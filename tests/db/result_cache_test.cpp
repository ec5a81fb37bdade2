// Focus: the search result cache (search/result_cache.h): keyed by snapshot
// and request, least recently used out, counted.
#include <catch2/catch.hpp>

#include "search/result_cache.h"

using namespace cxmap;

namespace {

SearchRequest request(const std::string& q, int offset = 0, SortOrder sort = SortOrder::relevance) {
  SearchRequest r;
  r.query = q;
  r.offset = offset;
  r.sort = sort;
  return r;
}

SearchResult result(std::int64_t total) {
  SearchResult r;
  r.total = total;
  return r;
}

}  // namespace

TEST_CASE("result cache: an answer is found only for its snapshot and its exact request", "[db][cache]") {
  ResultCache cache(8);
  cache.put("index@1", request("stage:contact"), result(7));
  auto hit = cache.find("index@1", request("stage:contact"));
  REQUIRE(hit);
  CHECK(hit->total == 7);
  CHECK_FALSE(cache.find("index@2", request("stage:contact")));  // a newer snapshot
  CHECK_FALSE(cache.find("index@1", request("stage:contact", 10)));
  CHECK_FALSE(cache.find("index@1", request("stage:contact", 0, SortOrder::date)));
  CHECK_FALSE(cache.find("index@1", request("stage:contact ")));
  const ResultCacheStats s = cache.stats();
  CHECK(s.hits == 1);
  CHECK(s.misses == 4);
  CHECK(s.entries == 1);
}

TEST_CASE("result cache: the least recently used answer leaves first", "[db][cache]") {
  ResultCache cache(2);
  cache.put("s", request("a"), result(1));
  cache.put("s", request("b"), result(2));
  REQUIRE(cache.find("s", request("a")));  // a is now the most recent
  cache.put("s", request("c"), result(3));  // b leaves
  CHECK(cache.find("s", request("a")));
  CHECK_FALSE(cache.find("s", request("b")));
  CHECK(cache.find("s", request("c"))->total == 3);
  cache.put("s", request("c"), result(4));  // replaced in place
  CHECK(cache.find("s", request("c"))->total == 4);
  CHECK(cache.stats().entries == 2);

  ResultCache off(0);
  off.put("s", request("a"), result(1));
  CHECK_FALSE(off.find("s", request("a")));
}
