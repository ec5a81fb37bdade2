// Focus: the Xapian index (catch-up from the store) and the search language.
#include <catch2/catch.hpp>

#include "db/index.h"
#include "fixtures.h"
#include "search/search.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

struct Searchable {
  TempDir dir;
  std::optional<Store> store;
};

std::unique_ptr<Searchable> sample_store() {
  auto s = std::make_unique<Searchable>();
  auto store = Store::open(s->dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, sample_feedback());
  s->store.emplace(std::move(*store));
  return s;
}

SearchResult run(Searchable& s, const std::string& q, int limit = 10, SortOrder sort = SortOrder::relevance) {
  SearchRequest req;
  req.query = q;
  req.limit = limit;
  req.sort = sort;
  auto r = search(*s.store, s.dir.path(), req);
  INFO(q);
  REQUIRE(r);
  return *r;
}

std::int64_t facet(const SearchResult& r, const std::string& name, const std::string& value) {
  for (const auto& [n, counts] : r.facets)
    if (n == name)
      for (const auto& c : counts)
        if (c.value == value) return c.count;
  return 0;
}

}  // namespace

TEST_CASE("the index catches up from the store and remembers where it stopped", "[db]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  auto all = sample_feedback();
  auto run_id = store->begin_run("t");
  REQUIRE(run_id);
  REQUIRE(store->begin());
  REQUIRE(store->insert_feedback(all[0], *run_id));
  REQUIRE(store->commit());
  {
    auto index = Index::open_writable(dir.path());
    REQUIRE(index);
    auto n = sync_index(*store, *index);
    REQUIRE(n);
    CHECK(*n == 4);
    CHECK(index->last_event_id() == 4);
  }
  // Events committed to SQLite but never indexed (a crash between the two
  // commits) are picked up by the next sync, and nothing is indexed twice.
  REQUIRE(store->begin());
  REQUIRE(store->insert_feedback(all[1], *run_id));
  REQUIRE(store->commit());
  auto index = Index::open_writable(dir.path());
  REQUIRE(index);
  CHECK(index->last_event_id() == 4);
  auto n = sync_index(*store, *index);
  REQUIRE(n);
  CHECK(*n == 2);
  CHECK(open_index_readonly(dir.path())->get_doccount() == 6);
  auto none = sync_index(*store, *index);
  REQUIRE(none);
  CHECK(*none == 0);
}

TEST_CASE("date values are YYYYMMDD or empty", "[db]") {
  CHECK(date_value("2026-09-03T10:00:00Z") == "20260903");
  CHECK(date_value("2026-09-03") == "20260903");
  CHECK(date_value("") == "");
  CHECK(date_value("03/09/2026") == "");
  CHECK(date_value("2026-0X-03") == "");  // search reads dates as numbers
}

TEST_CASE("free text with a stage filter finds the dead end", "[db][search]") {
  auto s = sample_store();
  auto r = run(*s, "password stage:self_service");
  REQUIRE(r.hits.size() == 2);  // one per feedback: the email and the chat
  for (const auto& h : r.hits) {
    CHECK(h.stage == "self_service");
    CHECK(h.sentence.find("password") != std::string::npos);
  }
  CHECK(r.total == 2);
}

TEST_CASE("stemming matches other forms of a word", "[db][search]") {
  auto s = sample_store();
  auto r = run(*s, "call");  // "called" in the text
  REQUIRE(r.hits.size() == 1);
  CHECK(r.hits[0].stage == "contact");
  CHECK(r.hits[0].snippet.find("**called**") != std::string::npos);
}

TEST_CASE("agent sentences are left out unless the query asks for a speaker", "[db][search]") {
  auto s = sample_store();
  auto customers = run(*s, "hello");
  CHECK(customers.total == 0);
  auto agents = run(*s, "hello speaker:agent");
  REQUIRE(agents.hits.size() == 1);
  CHECK(agents.hits[0].speaker == "agent");
}

TEST_CASE("results collapse per feedback and count the rest", "[db][search]") {
  auto s = sample_store();
  auto r = run(*s, "customer:maria@example.com");
  CHECK(r.total == 2);   // the email and the chat
  CHECK(r.events == 5);  // 4 customer sentences in the email, 1 in the chat
  int more = 0;
  for (const auto& h : r.hits) more += h.more_in_feedback;
  CHECK(more == 3);
}

TEST_CASE("facet counts cover every matching sentence", "[db][search]") {
  auto s = sample_store();
  auto r = run(*s, "");
  CHECK(r.events == 9);
  CHECK(facet(r, "stage", "resolution") == 3);
  CHECK(facet(r, "stage", "self_service") == 2);
  CHECK(facet(r, "touchpoint", "billing") == 2);
  CHECK(facet(r, "emotion", "angry") == 3);
  CHECK(facet(r, "channel", "survey") == 4);
  CHECK(facet(r, "pain", "long_wait") == 1);
}

TEST_CASE("date ranges filter by received date, open ends allowed", "[db][search]") {
  auto s = sample_store();
  CHECK(run(*s, "date:2026-10-01..2026-10-31").total == 2);
  CHECK(run(*s, "date:2026-09-04..").total == 3);
  CHECK(run(*s, "date:..2026-09-03").total == 1);
}

TEST_CASE("nps and score ranges use numeric values", "[db][search]") {
  auto s = sample_store();
  auto detractors = run(*s, "nps:0..6");
  REQUIRE(detractors.hits.size() == 1);
  CHECK(detractors.hits[0].customer == "li@example.net");
  auto negative = run(*s, "score:-1..-0.65");
  CHECK(negative.events == 2);  // -0.7 and -0.8
}

TEST_CASE("sentiment, pain and boolean operators combine", "[db][search]") {
  auto s = sample_store();
  CHECK(run(*s, "sentiment:pos").events == 3);
  CHECK(run(*s, "pain:long_wait").hits.at(0).pains.at(0).value == Approx(45));
  CHECK(run(*s, "password NOT reset").events == 0);
  CHECK(run(*s, "refund OR cancelling").total == 2);
  CHECK(run(*s, "\"reset steps\"").events == 1);
  CHECK(run(*s, "pass*").events == 3);
  CHECK(run(*s, "pass*").total == 2);
}

TEST_CASE("sort by sentiment puts the most negative first", "[db][search]") {
  auto s = sample_store();
  auto r = run(*s, "", 10, SortOrder::sentiment);
  REQUIRE(r.hits.size() >= 2);
  for (std::size_t i = 1; i < r.hits.size(); ++i) CHECK(r.hits[i - 1].compound <= r.hits[i].compound);
  CHECK(r.hits[0].compound == Approx(-0.8));
}

TEST_CASE("a malformed query is a usage error that quotes the query", "[db][search]") {
  auto s = sample_store();
  for (std::string q : {"password AND", "nps:a..b", "date:2026-13-45..zzz"}) {
    SearchRequest req;
    req.query = q;
    auto r = search(*s->store, s->dir.path(), req);
    INFO(q);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message.find("\"" + q + "\"") != std::string::npos);
  }
}

TEST_CASE("query errors point at the column of the mistake", "[db][search]") {
  auto s = sample_store();
  SearchRequest req;
  req.query = "reset AND";
  auto r = search(*s->store, s->dir.path(), req);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("at column 7: expected a term after AND") != std::string::npos);
  CHECK(r.error().message.find("\n      ^") != std::string::npos);
}

TEST_CASE("a misspelt word gets a suggestion from the indexed words", "[db][search]") {
  auto s = sample_store();
  auto r = run(*s, "pasword stage:self_service");
  CHECK(r.total == 0);
  CHECK(r.suggestion == "password stage:self_service");
  auto fixed = run(*s, r.suggestion);
  CHECK(fixed.total > 0);
  CHECK(run(*s, "password").suggestion.empty());  // known words need none
  CHECK(run(*s, "xqzzvw").suggestion.empty());    // nothing close: no guess
}

TEST_CASE("matching_event_ids returns exactly the events search counts", "[db][search]") {
  auto s = sample_store();
  for (std::string q : {"", "pass*", "sentiment:neg", "speaker:agent", "refund OR cancelling", "date:2026-09-04.."}) {
    INFO(q);
    auto ids = matching_event_ids(s->dir.path(), q);
    REQUIRE(ids);
    CHECK(std::is_sorted(ids->begin(), ids->end()));
    CHECK(static_cast<std::int64_t>(ids->size()) == run(*s, q).events);
    for (std::int64_t id : *ids) {
      auto row = s->store->event(id);
      REQUIRE(row);
      REQUIRE(*row);
      if (q.find("speaker:") == std::string::npos) CHECK((*row)->speaker == "customer");
    }
  }
  CHECK_FALSE(matching_event_ids(s->dir.path(), "stage:"));
}

TEST_CASE("explain shows tokens, rules, Xapian's query and spelling", "[db][search]") {
  auto s = sample_store();
  auto e = explain_search(s->dir.path(), "pasword stage:self_service date:2026-09-01..");
  REQUIRE(e);
  CHECK(e->find("col 1   word      pasword") != std::string::npos);
  CHECK(e->find("col 9   filter    stage = self_service") != std::string::npos);
  CHECK(e->find("range     date >= 2026-09-01") != std::string::npos);
  CHECK(e->find("speaker = customer (implicit") != std::string::npos);
  CHECK(e->find("XSself_service") != std::string::npos);
  CHECK(e->find("did you mean: password stage:self_service date:2026-09-01..") != std::string::npos);
  auto bad = explain_search(s->dir.path(), "refund OR");
  REQUIRE(bad);
  CHECK(bad->find("error at column 8: expected a term after OR") != std::string::npos);
}

TEST_CASE("search on a data dir with no index says how to make one", "[db][search]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  SearchRequest req;
  req.query = "x";
  auto r = search(*store, dir.path(), req);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("cxmap ingest") != std::string::npos);
}
