// Focus: journey links across one customer's feedback (db/journey_links.h):
// dead ends, repeat contacts, topics, the day windows, idempotent recompute,
// and derived pains that search finds after re-indexing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "db/index.h"
#include "db/journey_links.h"
#include "fixtures.h"
#include "search/search.h"

using namespace cxmap;
using namespace cxmap::testing;

namespace {

JourneyDefinition journey(int dead_end_days = 7, int repeat_days = 14) {
  JourneyDefinition def;
  def.stages.push_back({"self_service", "", {{"faq", 1}}, {}, 0});
  def.stages.push_back({"contact", "", {{"call", 1}}, {}, 0});
  def.links.dead_end_days = dead_end_days;
  def.links.repeat_contact_days = repeat_days;
  auto c = compile_journey(def);
  REQUIRE(c.ok());
  return *c;
}

std::vector<AnalyzedFeedback> maria() {
  return {
      make_feedback("survey", "S1", "survey", "maria@example.com", "2026-09-01T09:00:00Z",
                    {{"I searched the help centre for how to reset my password.", "self_service", "website", "neutral", 0},
                     {"The help article did not help.", "self_service", "website", "frustrated", -0.4,
                      Speaker::customer, {{"dead_end", 1, ""}}}}),
      make_feedback("mail", "M1", "email", "maria@example.com", "2026-09-03T10:00:00Z",
                    {{"I still cannot log in, the password reset goes nowhere.", "aware", "app", "frustrated", -0.5}}),
      make_feedback("chat", "C1", "chat", "maria@example.com", "2026-09-05T10:00:00Z",
                    {{"Hi, my login is still broken.", "aware", "none", "neutral", 0},
                     {"Let me reset your password.", "engage", "none", "neutral", 0, Speaker::agent}}),
      // another topic, another customer: never linked to maria
      make_feedback("mail", "M2", "email", "maria@example.com", "2026-09-04T10:00:00Z",
                    {{"My bill has a roaming charge I don't understand.", "aware", "billing", "confused", -0.1}}),
      make_feedback("mail", "M3", "email", "tom@example.com", "2026-09-02T10:00:00Z",
                    {{"I forgot my password.", "aware", "none", "neutral", 0}}),
  };
}

std::int64_t count(Store& store, const std::string& sql) {
  auto st = store.connection().prepare(sql);
  REQUIRE(st);
  auto row = st->step();
  REQUIRE(row);
  return st->int64(0);
}

}  // namespace

TEST_CASE("a self-service step then an assisted contact on the same topic is a linked dead end", "[db][links]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, maria());
  auto customers = customers_of_run(*store, 1);
  REQUIRE(customers);
  CHECK(*customers == std::vector<std::string>{"maria@example.com", "tom@example.com"});
  auto up = update_journey_links(*store, *customers, journey());
  REQUIRE(up);
  CHECK(up->dead_end == 1);
  CHECK(up->repeat_contact == 1);  // M1 email then C1 chat, both about account access, 2 days apart
  auto links = links_of_customer(*store, "maria@example.com");
  REQUIRE(links);
  REQUIRE(links->size() == 2);
  const LinkRow& de = (*links)[0].kind == "dead_end" ? (*links)[0] : (*links)[1];
  CHECK(de.kind == "dead_end");
  CHECK(de.from_feedback == feedback_id("survey", "S1"));
  CHECK(de.from_ordinal == 1);  // the last self-service step
  CHECK(de.to_feedback == feedback_id("mail", "M1"));
  CHECK(de.topic == "account_access");
  CHECK(de.days == Approx(2.04).epsilon(0.01));
  // the derived pain is added where the tagger had none (invariant 2)
  CHECK(count(*store, "SELECT COUNT(*) FROM event_pain WHERE link_id IS NOT NULL AND kind = 'dead_end'") == 1);
  CHECK(count(*store, "SELECT COUNT(*) FROM event_pain WHERE kind = 'dead_end'") == 2);
  CHECK(links_of_customer(*store, "tom@example.com")->empty());

  // recomputing changes nothing (invariant 1)
  auto again = update_journey_links(*store, *customers, journey());
  REQUIRE(again);
  CHECK(count(*store, "SELECT COUNT(*) FROM journey_link") == 2);
  CHECK(count(*store, "SELECT COUNT(*) FROM event_pain WHERE link_id IS NOT NULL") == 3);

  // search finds the linked events once they are re-indexed
  auto index = Index::open_writable(dir.path());
  REQUIRE(index);
  auto re = reindex_events(*store, *index, again->changed_events);
  REQUIRE(re);
  CHECK(*re >= 2);
  index = Index::open_writable(dir.path());  // reopen: the search below reads what was committed
  SearchRequest req;
  req.query = "pain:repeat_contact";
  auto found = search(*store, dir.path(), req);
  REQUIRE(found);
  CHECK(found->events == 2);
  req.query = "pain:dead_end customer:maria@example.com";
  found = search(*store, dir.path(), req);
  REQUIRE(found);
  CHECK(found->events == 2);
}

TEST_CASE("the day windows come from the journey definition", "[db][links]") {
  TempDir dir;
  auto store = Store::open(dir.path(), OpenMode::read_write);
  REQUIRE(store);
  store_all(*store, maria());
  auto up = update_journey_links(*store, {"maria@example.com"}, journey(1, 1));
  REQUIRE(up);
  CHECK(up->dead_end == 0);
  CHECK(up->repeat_contact == 0);
  CHECK(count(*store, "SELECT COUNT(*) FROM event_pain WHERE link_id IS NOT NULL") == 0);
}

TEST_CASE("iso_seconds reads ISO-8601 UTC", "[db][links]") {
  CHECK(iso_seconds("1970-01-02T00:00:00Z") == 86400);
  CHECK(iso_seconds("2026-09-03") - iso_seconds("2026-09-01") == 2 * 86400);
  CHECK(iso_seconds("") == -1);
}

TEST_CASE("many customers read on two threads get the links each gets alone", "[db][links]") {
  // 300 customers (past the two-reader threshold), each with a variant of
  // maria's journey: which steps they took and how many days apart vary
  // with the customer, so dead ends, repeat contacts and no links all occur.
  std::vector<AnalyzedFeedback> all;
  std::vector<std::string> customers;
  for (int c = 0; c < 300; ++c) {
    const std::string who = "customer" + std::to_string(c) + "@example.com";
    customers.push_back(who);
    const int gap = 1 + c % 12;  // days between steps: some past the windows
    auto day = [&](int d) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "2026-09-%02dT10:00:00Z", 1 + d);
      return std::string(buf);
    };
    if (c % 3 != 2)
      all.push_back(make_feedback("survey", "S" + std::to_string(c), "survey", who, day(0),
                                  {{"I searched the help centre for how to reset my password.", "self_service",
                                    "website", "neutral", 0},
                                   {"The help article did not help.", "self_service", "website", "frustrated", -0.4}}));
    if (c % 4 != 3)
      all.push_back(make_feedback("mail", "M" + std::to_string(c), "email", who, day(gap),
                                  {{"I still cannot log in, the password reset goes nowhere.", "aware", "app",
                                    "frustrated", -0.5}}));
    if (c % 5 != 4)
      all.push_back(make_feedback("chat", "C" + std::to_string(c), "chat", who, day(std::min(2 * gap, 28)),
                                  {{"Hi, my login is still broken.", "aware", "none", "neutral", 0},
                                   {"Let me reset your password.", "engage", "none", "neutral", 0, Speaker::agent}}));
  }
  TempDir together_dir, alone_dir;
  auto together = Store::open(together_dir.path(), OpenMode::read_write);
  auto alone = Store::open(alone_dir.path(), OpenMode::read_write);
  REQUIRE(together);
  REQUIRE(alone);
  store_all(*together, all);
  store_all(*alone, all);

  auto up = update_journey_links(*together, customers, journey());
  REQUIRE(up);
  CHECK(up->customers == 300);
  int dead_end = 0, repeat = 0;
  std::vector<std::int64_t> changed;
  for (const std::string& who : customers) {
    auto one = update_journey_links(*alone, {who}, journey());
    REQUIRE(one);
    dead_end += one->dead_end;
    repeat += one->repeat_contact;
    changed.insert(changed.end(), one->changed_events.begin(), one->changed_events.end());
  }
  std::sort(changed.begin(), changed.end());
  CHECK(up->dead_end == dead_end);
  CHECK(up->repeat_contact == repeat);
  CHECK(up->changed_events == changed);
  CHECK(dead_end > 50);
  CHECK(repeat > 50);
  // Customers on both sides of the split, link by link.
  for (const std::string& who : customers) {
    auto a = links_of_customer(*together, who);
    auto b = links_of_customer(*alone, who);
    REQUIRE(a);
    REQUIRE(b);
    INFO(who);
    REQUIRE(a->size() == b->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
      CHECK((*a)[i].from_event == (*b)[i].from_event);
      CHECK((*a)[i].to_event == (*b)[i].to_event);
      CHECK((*a)[i].kind == (*b)[i].kind);
      CHECK((*a)[i].topic == (*b)[i].topic);
      CHECK((*a)[i].days == (*b)[i].days);
    }
  }
  CHECK(count(*together, "SELECT COUNT(*) FROM event_pain WHERE link_id IS NOT NULL") ==
        count(*alone, "SELECT COUNT(*) FROM event_pain WHERE link_id IS NOT NULL"));
}
