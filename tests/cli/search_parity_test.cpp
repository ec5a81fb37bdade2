// Focus: search() answers from the event columns (search/event_columns.h)
// exactly as Xapian's own collapsed, sorted, fully counted match does.
//
// The reference here is the plain Xapian way: one Enquire over the query with
// the customer filter, collapsed on the feedback id, sorted by value then
// relevance, with check_at_least covering the database and match spies for
// the facets, the distinct feedback and the event count. For many query
// forms, sorts and pages, on the demo store and on a generated store with
// many identical sentences (ties in weight, date and sentiment), totals,
// facets, hits in order and "N more in this feedback" must be equal. The
// same holds after an ingest appends events and after forget rewrites
// older ones, while this process keeps its loaded columns and its result
// cache (the searches go through it, as the server's do). A cache warmer's
// answers (every sort and page of a query from one match) equal search()'s.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "db/fields.h"
#include "db/index.h"
#include "db/store.h"
#include "run_cxmap.h"
#include "search/query_parser.h"
#include "search/result_cache.h"
#include "search/search.h"

using namespace cxmap;
using namespace cxmap::testing;
namespace fs = std::filesystem;

namespace {

// Every pain term of a matching document, as search counts pains.
class PainSpy : public Xapian::MatchSpy {
 public:
  std::map<std::string, std::int64_t> counts;
  void operator()(const Xapian::Document& doc, double) override {
    const std::string prefix(find_field("pain")->term_prefix);
    auto t = doc.termlist_begin();
    for (t.skip_to(prefix); t != doc.termlist_end() && (*t).rfind(prefix, 0) == 0; ++t)
      ++counts[(*t).substr(prefix.size())];
  }
};

struct Reference {
  std::string parsed;
  std::int64_t total = 0, events = 0;
  std::map<std::string, std::map<std::string, std::int64_t>> facets;
  std::vector<std::pair<std::int64_t, int>> hits;  // event id, collapsed others
};

Reference reference(const std::string& data, const std::string& text, SortOrder sort, int offset, int limit) {
  Xapian::Database db(index_path(data));
  // Parsed as search parses (the parse is not what this test checks; the
  // evaluation is).
  Xapian::Query q = parse_query_text(db, text);
  if (text.find("speaker:") == std::string::npos)
    q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query("XKcustomer"));
  Reference r;
  r.parsed = q.get_description();
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  enquire.set_collapse_key(slot_feedback_id);
  if (sort == SortOrder::date) enquire.set_sort_by_value_then_relevance(slot_date, true);
  if (sort == SortOrder::sentiment) enquire.set_sort_by_value_then_relevance(slot_compound, false);
  Xapian::ValueCountMatchSpy feedback(slot_feedback_id);
  enquire.add_matchspy(&feedback);
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  for (std::string_view f : {"stage", "touchpoint", "emotion", "channel"}) {
    spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(find_field(f)->value_slot));
    enquire.add_matchspy(spies.back().get());
  }
  PainSpy pains;
  enquire.add_matchspy(&pains);
  Xapian::MSet m = enquire.get_mset(static_cast<Xapian::doccount>(offset), static_cast<Xapian::doccount>(limit),
                                    db.get_doccount());
  for (auto it = feedback.values_begin(); it != feedback.values_end(); ++it) ++r.total;
  r.events = static_cast<std::int64_t>(feedback.get_total());
  const char* names[] = {"stage", "touchpoint", "emotion", "channel"};
  for (std::size_t i = 0; i < spies.size(); ++i)
    for (auto it = spies[i]->values_begin(); it != spies[i]->values_end(); ++it)
      r.facets[names[i]][*it] = static_cast<std::int64_t>(it.get_termfreq());
  for (const auto& [kind, n] : pains.counts) r.facets["pain"][kind] = n;
  for (auto it = m.begin(); it != m.end(); ++it)
    r.hits.emplace_back(static_cast<std::int64_t>(*it), static_cast<int>(it.get_collapse_count()));
  return r;
}

const char* sort_name(SortOrder s) {
  return s == SortOrder::date ? "date" : s == SortOrder::sentiment ? "sentiment" : "relevance";
}

// Every query form, with values taken from the store so filters match.
std::vector<std::string> queries_for(const std::string& data) {
  auto store = Store::open(data, OpenMode::read_only);
  REQUIRE(store);
  std::optional<EventRow> first;  // the first event still stored (replaced feedback leaves gaps)
  for (std::int64_t id = 1; !first && id < 100000; ++id) {
    auto row = store->event(id);
    REQUIRE(row);
    first = std::move(*row);
  }
  REQUIRE(first);
  const EventRow& e = *first;
  std::vector<std::string> q = {"",
                                "stage:contact",
                                "stage:contact stage:resolution",
                                "stage:" + e.stage + " touchpoint:" + e.touchpoint,
                                "emotion:" + e.emotion + " channel:" + e.channel,
                                "sentiment:neg",
                                "sentiment:pos stage:resolution",
                                "pain:long_wait",
                                "pain:long_wait pain:transfer",
                                "pain:transfer stage:contact",
                                "stage:nonexistent",
                                "source:" + e.source,
                                "lang:en emotion:frustration",
                                "date:2026-03-01..2026-06-30",
                                "date:..2026-04-15 stage:contact",
                                "date:2026-05-01..",
                                "speaker:agent",
                                "speaker:customer speaker:agent stage:contact",
                                "hold",
                                "\"on hold\"",
                                "refund OR charged",
                                "agent NOT rude",
                                "(hold OR queue) stage:contact",
                                "transfer* emotion:frustration",
                                "-stage:contact emotion:relief",
                                "NOT stage:resolution",
                                "hold date:2026-01-01..2026-12-31",
                                "score:..-0.5",
                                "nps:0..6 stage:contact",
                                "-rude stage:contact",
                                "+hold -queue emotion:" + e.emotion,
                                "\"on hold\" pain:long_wait sentiment:neg",
                                "agent stage:contact -stage:resolution",
                                "refund* channel:" + e.channel + " touchpoint:" + e.touchpoint,
                                "stage:\"contact\" hold",
                                "hold stage:contact date:2026-01-01..2026-01-05 date:2026-03-01..2026-12-31"};
  if (!e.customer_key.empty()) {
    q.push_back("customer:" + e.customer_key);
    q.push_back("customer:" + e.customer_key + " stage:" + e.stage + " " + e.sentence.substr(0, e.sentence.find(' ')));
  }
  const std::string day = e.received_at.substr(0, 10);
  q.push_back("date:" + day + ".." + day);
  q.push_back("date:" + day + ".. sentiment:neg");
  q.push_back("date:.." + day + " stage:" + e.stage);
  q.push_back("hold date:" + day + "..");
  return q;
}

void check_parity(const std::string& data) {
  auto store = Store::open(data, OpenMode::read_only);
  REQUIRE(store);
  std::int64_t nonempty = 0;
  for (const std::string& text : queries_for(data))
    for (SortOrder sort : {SortOrder::relevance, SortOrder::date, SortOrder::sentiment})
      for (int offset : {0, 10, 40}) {
        INFO("query \"" << text << "\" sort " << sort_name(sort) << " offset " << offset);
        SearchRequest req;
        req.query = text;
        req.sort = sort;
        req.offset = offset;
        req.limit = 10;
        // Through the result cache, as the server searches: filled on the
        // first pass, and never answering for an older snapshot.
        req.use_cache = true;
        auto got = search(*store, data, req);
        REQUIRE(got);
        if (text.size() % 4 == 0) {
          auto again = search(*store, data, req);
          REQUIRE(again);
          CHECK(again->total == got->total);
          CHECK(again->hits.size() == got->hits.size());
        }
        const Reference want = reference(data, text, sort, offset, 10);
        CHECK(got->parsed == want.parsed);
        CHECK(got->total == want.total);
        CHECK(got->events == want.events);
        std::map<std::string, std::map<std::string, std::int64_t>> facets;
        for (const auto& [name, counts] : got->facets)
          for (const FacetCount& c : counts)
            if (c.count > 0) facets[name][c.value] = c.count;
        CHECK(facets == want.facets);
        std::vector<std::pair<std::int64_t, int>> hits;
        for (const SearchHit& h : got->hits) hits.emplace_back(h.event_id, h.more_in_feedback);
        CHECK(hits == want.hits);
        if (!want.hits.empty()) ++nonempty;
      }
  // The forms must find something, or the comparison says little.
  CHECK(nonempty > 150);
}

// A warmer answers all sorts and pages of a query from one match
// (warm_searches): each answer it keeps must be the one search() gives.
void check_warm_equals_search(const std::string& data) {
  auto store = Store::open(data, OpenMode::read_only);
  REQUIRE(store);
  std::vector<SearchRequest> requests;
  for (const std::string& text : queries_for(data))
    for (SortOrder sort : {SortOrder::date, SortOrder::relevance, SortOrder::sentiment})
      for (int offset : {10, 0, 40, 3}) {
        SearchRequest req;
        req.query = text;
        req.sort = sort;
        req.offset = offset;
        req.limit = offset == 3 ? 25 : 10;
        requests.push_back(req);
      }
  auto snapshot = current_snapshot(data);
  REQUIRE(snapshot);
  REQUIRE(*snapshot);
  auto warmed = warm_searches(*store, data, requests, **snapshot, [] { return true; });
  REQUIRE(warmed);
  CHECK(*warmed == static_cast<std::int64_t>(requests.size()));
  for (const SearchRequest& req : requests) {
    INFO("query \"" << req.query << "\" sort " << sort_name(req.sort) << " offset " << req.offset);
    auto kept = search_result_cache().find((*snapshot)->key(), req);
    REQUIRE(kept);
    auto fresh = search(*store, data, req);  // no cache
    REQUIRE(fresh);
    CHECK(kept->parsed == fresh->parsed);
    CHECK(kept->total == fresh->total);
    CHECK(kept->events == fresh->events);
    CHECK(kept->suggestion == fresh->suggestion);
    REQUIRE(kept->facets.size() == fresh->facets.size());
    for (std::size_t f = 0; f < kept->facets.size(); ++f) {
      CHECK(kept->facets[f].first == fresh->facets[f].first);
      REQUIRE(kept->facets[f].second.size() == fresh->facets[f].second.size());
      for (std::size_t i = 0; i < kept->facets[f].second.size(); ++i) {
        CHECK(kept->facets[f].second[i].value == fresh->facets[f].second[i].value);
        CHECK(kept->facets[f].second[i].count == fresh->facets[f].second[i].count);
      }
    }
    REQUIRE(kept->hits.size() == fresh->hits.size());
    for (std::size_t i = 0; i < kept->hits.size(); ++i) {
      CHECK(kept->hits[i].event_id == fresh->hits[i].event_id);
      CHECK(kept->hits[i].more_in_feedback == fresh->hits[i].more_in_feedback);
      CHECK(kept->hits[i].snippet == fresh->hits[i].snippet);
    }
  }
}

}  // namespace

TEST_CASE("search parity: the demo store answers as Xapian's collapsed match does", "[cli][search][parity]") {
  check_parity(CXMAP_DEMO_DATA);
  check_warm_equals_search(CXMAP_DEMO_DATA);
}

TEST_CASE("search parity: a generated store, then appended events, then rewritten ones", "[cli][search][parity]") {
  const fs::path root = fs::temp_directory_path() / ("cxmap-parity-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const std::string data = (root / "data").string();
  auto ingest = [&](const std::string& kind, int n, int seed) {
    const fs::path corpus = root / ("corpus-" + std::to_string(seed));
    const std::string gen = std::string(CXMAP_GENERATE) + " --kind " + kind + " --n " + std::to_string(n) +
                            " --seed " + std::to_string(seed) + " --out " + corpus.string() + " >/dev/null";
    REQUIRE(std::system(gen.c_str()) == 0);
    auto r = run_cxmap({"--data", data, "ingest", "--config", (corpus / "cxmap.json").string(), "--quiet"});
    INFO(r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 10));
  };
  ingest("mixed", 700, 11);
  SECTION("as ingested, after an append, after forget") {
    check_parity(data);
    check_warm_equals_search(data);
    ingest("survey", 400, 12);  // appended: the loaded columns read only the new events
    check_parity(data);
    check_warm_equals_search(data);
    auto f = run_cxmap({"--data", data, "forget", "--before", "2026-01-10"});
    INFO(f.err);
    REQUIRE(f.exit_code == 0);
    check_parity(data);  // documents deleted: the columns load again
  }
  fs::remove_all(root);
}
