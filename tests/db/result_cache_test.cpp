// Focus: the search result cache (search/result_cache.h): keyed by snapshot
// and request, least recently used out, counted.
#include <catch2/catch.hpp>

#include "search/result_cache.h"

#include <chrono>
#include <thread>

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

namespace {

IndexSnapshot at(const std::string& revision, const std::string& identity = "uuid/0") {
  return IndexSnapshot{"/data/index", identity, revision};
}

}  // namespace

TEST_CASE("later_revision compares one database's revision, or every shard's", "[db][cache]") {
  CHECK(later_revision("12", "11"));
  CHECK_FALSE(later_revision("11", "12"));
  CHECK_FALSE(later_revision("12", "12"));
  CHECK(later_revision("10", "9"));  // as numbers, not strings
  CHECK(later_revision("4,5", "4,4"));
  CHECK_FALSE(later_revision("5,3", "4,4"));  // one shard behind: not later
  CHECK_FALSE(later_revision("4,4", "4,4"));
  CHECK(later_revision("4,4,1", "9,9"));  // another shard count
}

TEST_CASE("result cache without holding serves each snapshot as opened", "[db][cache]") {
  ResultCache cache(8);
  CHECK(cache.serving_key(at("5")) == at("5").key());
  CHECK(cache.serving_key(at("6")) == at("6").key());
  CHECK_FALSE(cache.held("/data/index"));
}

TEST_CASE("result cache holding keeps serving a snapshot until a warm one is ready", "[db][cache]") {
  ResultCache cache(16);
  cache.hold_snapshots(3600);
  CHECK(cache.serving_key(at("5")) == at("5").key());
  cache.put(at("5").key(), request("a"), result(1));
  cache.put(at("5").key(), request("b"), result(2));
  REQUIRE(cache.find(at("5").key(), request("a")));  // a is now the most recent

  // The index moved on: answers still come from 5 and stay cached.
  CHECK(cache.serving_key(at("6")) == at("5").key());
  CHECK(cache.serving_key(at("7")) == at("5").key());
  CHECK(cache.stats().waiting_seconds >= 0);
  // A search that opened an older revision changes nothing.
  CHECK(cache.serving_key(at("4")) == at("5").key());

  // What a warmer replays, most recent first.
  const auto asked = cache.requests_for(at("5").key(), 10);
  REQUIRE(asked.size() == 2);
  CHECK(asked[0].query == "a");
  CHECK(asked[1].query == "b");
  CHECK(cache.requests_for(at("5").key(), 1).size() == 1);
  CHECK(cache.requests_for(at("6").key(), 10).empty());

  // Warm, then serve 6: later snapshot, same identity.
  cache.serve_from(at("6"), 2, 0.5);
  CHECK(cache.held("/data/index")->revision == "6");
  CHECK(cache.serving_key(at("7")) == at("6").key());
  // An older or equal one is never served from.
  cache.serve_from(at("6"), 0, 0);
  cache.serve_from(at("3"), 0, 0);
  CHECK(cache.held("/data/index")->revision == "6");
  const ResultCacheStats s = cache.stats();
  CHECK(s.warm_switches == 1);
  CHECK(s.stale_switches == 0);
  CHECK(s.last_warmed == 2);
  CHECK(s.last_warm_seconds == 0.5);
}

TEST_CASE("result cache holding never serves across a forget or a rebuilt index", "[db][cache]") {
  ResultCache cache(16);
  cache.hold_snapshots(3600);
  CHECK(cache.serving_key(at("5")) == at("5").key());
  cache.put(at("5").key(), request("alice"), result(3));
  // A forget (or a new UUID) is served at once, even at the same revision.
  const IndexSnapshot forgotten = at("6", "uuid/1");
  CHECK(cache.serving_key(forgotten) == forgotten.key());
  CHECK_FALSE(cache.find(cache.serving_key(forgotten), request("alice")));
  // A warm snapshot of the old identity is refused.
  cache.serve_from(at("7"), 1, 0.1);
  CHECK(cache.held("/data/index")->identity == "uuid/1");
}

TEST_CASE("result cache holding switches cold once an answer would trail the index by max_stale", "[db][cache]") {
  ResultCache cache(16);
  cache.hold_snapshots(0.001);
  CHECK(cache.serving_key(at("5")) == at("5").key());
  CHECK(cache.serving_key(at("6")) == at("5").key());  // first seen now: held
  CHECK(cache.stats().stale_switches == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // past max_stale
  CHECK(cache.serving_key(at("6")) == at("6").key());
  CHECK(cache.stats().stale_switches == 1);
  CHECK(cache.stats().waiting_seconds == 0);  // nothing later than 6 seen
  cache.hold_snapshots(0);  // off again: no snapshot is held
  CHECK_FALSE(cache.held("/data/index"));
}
